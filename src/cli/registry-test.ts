/**
 * `tanba registry test [--json]`: tries each configured marking system (`registry.marking`, in
 * order): authentication, reachability, latency, and for True API the ranked host list. One line
 * per provider says what failed and why. Exit 1 when any failed or none is configured.
 * Credentials are never printed.
 */
import type { ProviderTestResult } from '../registry/index.ts';
import { openRegister } from './register.ts';
import { UsageError, intFlag, write, type Command } from './types.ts';

function line(r: ProviderTestResult): string {
  const head = `${r.ok ? 'OK    ' : 'FAILED'} ${r.provider.padEnd(12)} ${r.target}${r.latencyMs !== null ? `  ${r.latencyMs} ms` : ''}`;
  const steps = r.steps.map((s) => `    ${s.ok ? 'ok    ' : 'FAILED'} ${s.step}: ${s.detail}`);
  const hosts = (r.hosts ?? []).map((h, i) => `    host ${i + 1}: ${h.host}  ${h.usable ? `usable, avgTimeMs ${h.avgTimeMs ?? '?'}` : h.blockedUntil ? `blocked until ${h.blockedUntil}` : 'unusable'}${h.lastError && !h.usable ? ` (${h.lastError})` : ''}`);
  return [head, ...steps, ...hosts].join('\n');
}

export const registryTestCommand: Command = {
  async run(ctx, args) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0] as string}'`);
    const timeoutMs = intFlag(args, 'timeout', 5_000, 100, 120_000);
    // Testing the connections reads only the configuration: a fresh install is tested without creating a register.
    const reg = openRegister(ctx, { emptyWhenMissing: true });
    try {
      const chain = reg.markingChain;
      const results = chain === null ? [] : await chain.test({ timeoutMs });
      const ok = results.length > 0 && results.every((r) => r.ok);
      if (args.flags.json === true) {
        await write(ctx.stdout, `${JSON.stringify({ ok, providers: results })}\n`);
      } else if (results.length === 0) {
        await write(ctx.stdout, 'FAILED no marking system is configured (registry.marking in config.json)\n');
      } else {
        await write(ctx.stdout, `${results.map(line).join('\n')}\n`);
      }
      return ok ? 0 : 1;
    } finally {
      await reg.markingChain?.close();
      reg.close();
    }
  },
};
