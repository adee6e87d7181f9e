/**
 * Entry of the core inside Electron's utility process: a crash of a native module (SQLite,
 * serial, HID) kills this process, not the window; main.ts restarts it and the window
 * reconnects. Talks to main through process.parentPort.
 */
import { startCore } from '../src/server/main.ts';

/** Messages from the shell. */
type ShellMessage = { type: 'start'; dataDir: string; port: number } | { type: 'shutdown' };

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) throw new Error('core-entry must run in an Electron utility process');
const port = parentPort;

let stop: (() => Promise<void>) | undefined;

port.on('message', (event) => {
  const message = event.data as ShellMessage;
  if (message.type === 'start') {
    startCore({ dataDir: message.dataDir, port: message.port })
      .then((core) => {
        stop = core.stop;
        port.postMessage({ type: 'ready', url: core.url });
      })
      .catch((err: unknown) => {
        port.postMessage({ type: 'failed', message: (err as Error).message });
        process.exit(1);
      });
  } else if (message.type === 'shutdown') {
    // Graceful: the server stops accepting, the outbox finishes its current delivery, the
    // database closes (checkpointing the WAL); only then does the process exit.
    void (stop ? stop() : Promise.resolve()).finally(() => process.exit(0));
  }
});
