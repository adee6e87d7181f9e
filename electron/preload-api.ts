/**
 * What the preload exposes to the page as `window.tanba`. The page is a web app talking to the
 * core over HTTP; the shell adds only what a browser cannot do. Keep this list short: every
 * member is attack surface if the page were ever compromised.
 */

/** The declared surface: exactly these keys, nothing else (a test checks it). */
export const PRELOAD_API_KEYS = ['shell', 'version', 'onCoreRestarted', 'quit'] as const;

/** The part of ipcRenderer the preload uses (passed in so tests need no Electron). */
export interface IpcLike {
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** IPC channels between preload and main. */
export const CHANNELS = { coreRestarted: 'tanba:core-restarted', quit: 'tanba:quit' } as const;

/** The object handed to contextBridge. No function leaks ipcRenderer or event objects. */
export function createPreloadApi(ipc: IpcLike, version: string) {
  return Object.freeze({
    shell: 'electron' as const,
    version,
    /** Called with the core's new URL after the core process restarted; returns an unsubscribe function. */
    onCoreRestarted(callback: (url: string) => void): () => void {
      const listener = (_event: unknown, url: unknown) => { if (typeof url === 'string') callback(url); };
      ipc.on(CHANNELS.coreRestarted, listener);
      return () => { ipc.removeListener(CHANNELS.coreRestarted, listener); };
    },
    /** Asks the shell to quit gracefully (a manager closing the register). */
    quit(): void {
      ipc.send(CHANNELS.quit);
    },
  });
}
