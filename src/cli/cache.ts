/**
 * `tanba cache import FILE|- [--full] [--batch-size N]` and `tanba cache stats [--json]`.
 *
 * The import shows a progress bar when stderr is a TTY (none otherwise) and ends with one summary
 * line on stdout. A killed import of a FILE resumes when run again with the same file; a bad
 * record is reported with its line number and nothing of that import is applied (exit 1).
 */
import { SingleBar } from 'cli-progress';
import { cacheStats, DEFAULT_BATCH_SIZE, FeedError, importFeed, type ImportResult } from '../cache/index.ts';
import { openRegisterDb, withRegister } from './register.ts';
import { UsageError, cliClock, intFlag, noPositionals, write, type Command } from './types.ts';

function summary(r: ImportResult, source: string): string {
  const secs = r.durationMs / 1000;
  const rate = secs > 0 ? Math.round(r.records / secs) : r.records;
  const resumed = r.resumedFromLine !== null ? `, resumed after line ${r.resumedFromLine}` : '';
  return `imported ${r.kind === 'full' ? 'full snapshot' : 'delta'} ${source}: ${r.records} records `
    + `(codes ${r.codes}, blocks ${r.blocks}, unblocks ${r.unblocks}, products ${r.products}) in ${secs.toFixed(1)} s, `
    + `${rate} records/s${resumed}; cursor ${r.cursor ?? '(none)'}`;
}

export const cacheImportCommand: Command = {
  async run(ctx, args) {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one FILE, or - for stdin');
    const source = args.positionals[0] as string;
    const batchSize = intFlag(args, 'batch-size', DEFAULT_BATCH_SIZE, 1, 10_000_000);
    const clock = cliClock(ctx.env);
    const db = openRegisterDb(ctx);
    const tty = (ctx.stderr as { isTTY?: boolean }).isTTY === true;
    const bar = tty ? new SingleBar({
      stream: ctx.stderr as NodeJS.WriteStream,
      format: 'importing [{bar}] {percentage}% | line {line} | {records} records | {eta_formatted} left',
      barsize: 30, etaBuffer: 50, fps: 5,
    }) : null;
    let barStarted = false;
    try {
      const result = await importFeed(db, source === '-' ? ctx.stdin : source, {
        full: args.flags.full === true,
        batchSize,
        clock,
        onProgress: (p) => {
          if (bar === null || p.totalBytes === null) return;
          if (!barStarted) { bar.start(p.totalBytes, 0, { line: 0, records: 0 }); barStarted = true; }
          bar.update(p.bytes, { line: p.line, records: p.records });
        },
      });
      if (bar !== null && barStarted) bar.stop();
      await write(ctx.stdout, `${summary(result, source)}\n`);
      return 0;
    } catch (err) {
      if (bar !== null && barStarted) bar.stop();
      if (err instanceof FeedError) {
        const where = err.line !== null ? `${source}:${err.line}: ` : `${source}: `;
        await write(ctx.stderr, `tanba cache import: ${where}${err.message.replace(/^line \d+: /, '')} [${err.code}]; nothing of this import was applied\n`);
        return 1;
      }
      throw err;
    } finally {
      db.close();
    }
  },
};

export const cacheStatsCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    return withRegister(ctx, async (reg) => {
      const stats = cacheStats(reg.db);
      const freshness = reg.checker.freshness();
      if (args.flags.json === true) {
        await write(ctx.stdout, `${JSON.stringify({ ...stats, freshness })}\n`);
        return 0;
      }
      const hours = (ms: number | null): string => (ms === null ? '-' : `${(ms / 3_600_000).toFixed(1)} h`);
      const lines = [
        `freshness      ${freshness.state} (age ${hours(freshness.ageMs)}, limit ${hours(freshness.limitMs)}, left ${hours(freshness.remainingMs)})`,
        `last sync      ${stats.lastSyncAt ?? 'never'}${stats.lastKind ? ` (${stats.lastKind})` : ''}`,
        `last full      ${stats.lastFullAt ?? 'never'}`,
        `cursor         ${stats.cursor ?? '(none)'}`,
        `codes          ${stats.codes}`,
        `blocks         by code ${stats.blocks.byCode}, by GTIN ${stats.blocks.byGtin}, by GTIN+batch ${stats.blocks.byBatch}`,
        `products       ${stats.products}`,
        `sold codes     ${stats.soldCodes}`,
        `import         ${stats.importInProgress ? `${stats.importInProgress.kind} of ${stats.importInProgress.source} stopped at line ${stats.importInProgress.line} (run it again to resume)` : 'none in progress'}`,
        `file size      ${stats.fileBytes} bytes`,
      ];
      await write(ctx.stdout, `${lines.join('\n')}\n`);
      return 0;
    }, { existing: true });
  },
};
