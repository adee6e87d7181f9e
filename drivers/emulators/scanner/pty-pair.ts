/**
 * A virtual serial cable made with socat: two ptys relayed to each other. The host side
 * (`path`) is what a driver opens; the device side (`devicePath`) appears only once the host
 * has opened its end (socat `wait-slave`), like a USB CDC device that sends nothing until the
 * host opens the port. Killing socat is an unplug: both paths disappear.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
      `pty,raw,echo=0,link=${this.path},wait-slave`,
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
  }

  /** Kills socat and waits until both paths are gone. */
  async unplug(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    const exited = new Promise<void>((r) => { if (child.exitCode !== null || child.signalCode !== null) r(); else child.once('exit', () => r()); });
    child.kill('SIGTERM');
    await exited;
    await waitForPath(this.path, 2000, true);
  }
}
