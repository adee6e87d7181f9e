/**
 * A virtual serial cable made with socat: two ptys relayed to each other. The host side
 * (`path`) is what a driver opens; the device side (`devicePath`) appears only once the host
 * has opened its end (socat `wait-slave`), like a USB CDC device that sends nothing until the
 * host opens the port. Killing socat is an unplug: both paths disappear.
 *
 * Killing socat hangs up the host's pty, and the kernel then discards whatever the host had
 * not read yet (a read returns end-of-file; checked on Linux 6). So an unplug first lets the
 * bytes already written reach the host: `drain()` waits until socat has relayed them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

/** A fresh link path in the temp directory. */
export function tempLinkPath(prefix = 'tanba-scanner'): string {
  return join(tmpdir(), `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `path` exists (or stops existing with `gone`), polling; false on timeout. */
export async function waitForPath(path: string, timeoutMs: number, gone = false, isCancelled: () => boolean = () => false): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (existsSync(path) === gone) {
    if (Date.now() > until || isCancelled()) return false;
    await sleep(5);
  }
  return true;
}

/** The bytes a process has written so far (Linux /proc/PID/io `wchar`), or null. */
function writtenBytes(pid: number): number | null {
  try {
    const m = /^wchar:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export interface PtyPairOptions {
  /** The host-side path (a symlink socat creates); default a fresh temp path. */
  link?: string;
  /** The socat binary, default `socat` on PATH. */
  socat?: string;
}

/** A socat pty pair that can be unplugged and plugged back in at the same path. */
export class PtyPair {
  /** Open this one in the driver. */
  readonly path: string;
  /** The device side, written by the emulator. */
  readonly devicePath: string;
  private readonly socat: string;
  private child: ChildProcess | undefined;
  /** socat's written-bytes counter when it was started; null where /proc cannot tell. */
  private wcharAtPlug: number | null = null;

  constructor(options: PtyPairOptions = {}) {
    this.path = options.link ?? tempLinkPath();
    if (typeof this.path !== 'string' || this.path === '') throw new TypeError('link must be a non-empty path');
    this.devicePath = `${this.path}.device`;
    this.socat = options.socat ?? 'socat';
  }

  /** True while socat runs (the device is plugged in). */
  get plugged(): boolean {
    return this.child !== undefined;
  }

  /** Starts socat; resolves when the host path exists. */
  async plug(): Promise<void> {
    if (this.child) return;
    if (existsSync(this.path)) throw new Error(`${this.path} already exists; choose another --link or remove it`);
    const child = spawn(this.socat, [
      // pty-interval: how often socat looks whether the host opened its end (default 1 s,
      // which made every replug take up to a second before the device could send).
      `pty,raw,echo=0,link=${this.path},wait-slave,pty-interval=0.02`,
      `pty,raw,echo=0,link=${this.devicePath}`,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start socat (${err.message}); install it (apt-get install socat)`)));
      child.once('exit', (code) => reject(new Error(`socat exited (${String(code)}): ${stderr.trim()}`)));
    });
    failed.catch(() => undefined);
    this.child = child;
    child.once('exit', () => { if (this.child === child) this.child = undefined; });
    const ok = await Promise.race([waitForPath(this.path, 5000), failed]);
    if (!ok) { await this.unplug(); throw new Error(`socat did not create ${this.path} within 5 s`); }
    // socat writes nothing until the host opens its end, so this is the start of the relay.
    this.wcharAtPlug = child.pid === undefined ? null : writtenBytes(child.pid);
  }

  /**
   * Waits until socat has relayed at least `bytes` bytes (what was written to the device side
   * since plug()) to the host side, up to `timeoutMs`; false on timeout, or where the count
   * cannot be read (no /proc). Counts both directions: the scanner drivers never write.
   */
  async drain(bytes: number, timeoutMs = 2000): Promise<boolean> {
    const pid = this.child?.pid;
    const base = this.wcharAtPlug;
    if (pid === undefined || base === null) return false;
    const until = Date.now() + timeoutMs;
    for (;;) {
      const now = writtenBytes(pid);
      if (now === null) return false;
      if (now - base >= bytes) return true;
      if (Date.now() > until) return false;
      await sleep(2);
    }
  }

  /** Kills socat and waits until both paths are gone. */
  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise<void>((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else child.once('exit', () => r()); });
    child.kill('SIGTERM');
    await exited;
    // Both links: a device link left over would let a writer find the old device after a replug.
    await waitForPath(this.path, 2000, true);
    await waitForPath(this.devicePath, 2000, true);
  }
}
