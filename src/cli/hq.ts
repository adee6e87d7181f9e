/**
 * `tanba hq status` (and `hq serve`): head office's view of every store and register, read from
 * the hub's TANBA_HQ stream (which sources each store's stream from its leaf node).
 */
import { readFileSync } from 'node:fs';
import { hqStatus, hqUpdateSchema, publishHqUpdate, publishToGroup, startHqWeb, type HqStatus } from '../hub/index.ts';
import { intFlag, readAll, stringFlag, UsageError, write, type CliContext, type Command, type CommandArgs } from './types.ts';

/** The hub's URLs from --servers (comma-separated or repeated), else TANBA_HQ_SERVERS. */
export function hqServers(ctx: CliContext, args: CommandArgs): string[] {
  const v = args.flags.servers;
  const list = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : (ctx.env.TANBA_HQ_SERVERS ?? '').split(',')).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('give --servers URL (the head-office hub, e.g. nats://hq.example:4222)');
  for (const url of list) if (!/^(nats|tls|wss?):\/\/\S+$/.test(url)) throw new UsageError(`--servers: '${url}' is not a NATS URL like nats://127.0.0.1:4222`);
  return list;
}

function text(s: HqStatus): string {
  const out = [`head office at ${s.at}: ${s.stores.length} store(s)`];
  for (const store of s.stores) {
    out.push(`store ${store.id}`);
    for (const r of store.registers) {
      const refusals = Object.entries(r.refusalsLastHour).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
      out.push(`  ${r.id.padEnd(8)} last seen ${r.lastSeen ?? 'never'}  queue ${r.queue ?? '?'}  oldest ${r.oldestUndelivered ?? '-'}  hours left ${r.hoursLeft ?? '-'}  unguarded ${r.unguarded}  conflicts ${r.conflicts}  documents ${r.documents}  refusals/h ${refusals}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export const hqStatusCommand: Command = {
  async run(ctx, args) {
    const servers = hqServers(ctx, args);
    let status: HqStatus;
    try {
      status = await hqStatus({ servers });
    } catch (err) {
      await write(ctx.stderr, `tanba hq status: the hub at ${servers.join(', ')} did not answer: ${(err as Error).message}\n`);
      return 1;
    }
    await write(ctx.stdout, args.flags.json === true ? `${JSON.stringify(status)}\n` : text(status));
    return 0;
  },
};


export const hqPublishCommand: Command = {
  async run(ctx, args) {
    const servers = hqServers(ctx, args);
    const [file] = args.positionals;
    if (file === undefined) throw new UsageError('give the update file: {"kind":"catalogue","id":...,"products":[...]} or {"kind":"config","id":...,"settings":{...}}');
    const raw = file === '-' ? (await readAll(ctx.stdin)).toString('utf8') : readFileSync(file, 'utf8');
    let json: unknown;
    try { json = JSON.parse(raw); } catch (err) { throw new UsageError(`${file}: not valid JSON (${(err as Error).message})`); }
    const parsed = hqUpdateSchema.safeParse(json);
    if (!parsed.success) throw new UsageError(`${file}: ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const group = stringFlag(args, 'group') ?? 'all';
    const seq = await publishToGroup(servers, group, (js) => publishHqUpdate(js, group, parsed.data));
    await write(ctx.stdout, `published ${parsed.data.kind} update ${parsed.data.id} to group ${group} (sequence ${seq})\n`);
    return 0;
  },
};

export const hqServeCommand: Command = {
  async run(ctx, args) {
    const servers = hqServers(ctx, args);
    const web = await startHqWeb({ servers, host: stringFlag(args, 'host') ?? '127.0.0.1', port: intFlag(args, 'port', 8430, 0, 65535), ...(ctx.env.TANBA_HQ_TOKEN ? { token: ctx.env.TANBA_HQ_TOKEN } : {}) });
    await write(ctx.stdout, `head office view at ${web.url}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await web.stop();
    return 0;
  },
};
