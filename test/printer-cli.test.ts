// The CLI end to end, as a technician runs it: `tanba emulate printer` in one process,
// `tanba print test` in another, over TCP; stdin controls the printer's paper.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeReceiptPng } from '../emulators/printer/index.ts';
import { SAMPLE_TICKET_URL } from '../drivers/printer/index.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tanba-printer-cli-'));
let emu: ChildProcessWithoutNullStreams | undefined;
after(async () => {
  if (emu && emu.exitCode === null) {
    const gone = new Promise((r) => emu!.once('exit', r));
    emu.stdin.end();
    await gone;
  }
  rmSync(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('tanba emulate printer + tanba print test', () => {
  test('prints, renders, reports paper out, and prints again after paper in', async () => {
    emu = spawn(process.execPath, [bin, 'emulate', 'printer', '--tcp', '0', '--out', join(dir, 'out'), '--width', '58']);
    const lines = createInterface({ input: emu.stdout });
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    lines.on('line', (l) => { queue.push(l); wake?.(); });
    const next = async (re: RegExp): Promise<string> => {
      for (;;) {
        const i = queue.findIndex((l) => re.test(l));
        if (i >= 0) return queue.splice(i, 1)[0]!;
        await new Promise<void>((r) => { wake = r; });
      }
    };
    const port = Number(/:(\d+)$/.exec(await next(/^listening on /))![1]);

    const ok = await run(['print', 'test', '--tcp', `127.0.0.1:${port}`, '--width', '58', '--lang', 'kk,ru']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /printed test receipt .* profile generic-58/);
    const receipt = await next(/^receipt 1: /);
    const png = receipt.split(' ')[2]!;
    const found = decodeReceiptPng(readFileSync(png));
    assert.deepEqual(found.map((f) => f.text), [SAMPLE_TICKET_URL], 'only the QR: no DataMatrix of the sample code (its crypto tail never goes on paper)');

    emu.stdin.write('paper out\n');
    await next(/^paper out/);
    const refused = await run(['print', 'test', '--tcp', `127.0.0.1:${port}`, '--width', '58']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /out of paper.*\[paper-out\]/);

    emu.stdin.write('paper in\n');
    await next(/^paper ok/);
    const again = await run(['print', 'test', '--tcp', `127.0.0.1:${port}`, '--width', '58']);
    assert.equal(again.code, 0, again.stderr);
    await next(/^receipt 2: /);
  });

  test('bad usage exits 2 with a message naming the flag', async () => {
    const r = await run(['print', 'test', '--tcp', 'nohostport']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--tcp must be HOST:PORT/);
    const r2 = await run(['emulate', 'printer', '--tcp', '0']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /--out DIR is required/);
  });
});
