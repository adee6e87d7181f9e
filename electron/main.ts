/**
 * The desktop shell: one instance, the core in a utility process (restarted if it dies), one
 * locked-down window on the core's URL. All policy comes from options.ts (tested without
 * Electron); this file only applies it.
 */
import { app, BrowserWindow, ipcMain, session, shell as electronShell, utilityProcess, type UtilityProcess } from 'electron';
import { join } from 'node:path';
import { CHANNELS } from './preload-api.ts';
import { contentSecurityPolicy, isAllowedPermission, isAllowedUrl, SESSION_PARTITION, shellOptions, windowOptions } from './options.ts';
import { resolveDataDir } from '../src/server/data-dir.ts';

const options = shellOptions(process.argv, process.env);
const dataDir = resolveDataDir(undefined, process.env);
let core: UtilityProcess | undefined;
let coreUrl: string | undefined;
let window: BrowserWindow | undefined;
let quitting = false;
let restarts = 0;

if (!app.requestSingleInstanceLock()) {
  // A second launch focuses the running register instead of opening a second database writer.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  void app.whenReady().then(main);
}

function startCoreProcess(): Promise<string> {
  return new Promise((resolve, reject) => {
    // --enable-source-maps: the core's stack traces and logs name the TypeScript sources.
    const child = utilityProcess.fork(join(__dirname, 'core-entry.cjs'), [], { serviceName: 'Tanba core', stdio: 'inherit', execArgv: ['--enable-source-maps'] });
    core = child;
    child.on('message', (message: { type: string; url?: string; message?: string }) => {
      if (message.type === 'ready' && message.url) resolve(message.url);
      if (message.type === 'failed') reject(new Error(message.message));
    });
    child.on('exit', (code) => {
      core = undefined;
      if (quitting) return;
      // The core died (e.g. a native module crashed): restart it with backoff, keep the window.
      const delay = Math.min(30_000, 500 * 2 ** restarts++);
      setTimeout(() => {
        startCoreProcess().then((url) => {
          coreUrl = url;
          window?.webContents.send(CHANNELS.coreRestarted, url);
          void window?.loadURL(url);
        }).catch(() => undefined);
      }, delay);
      console.error(`tanba core exited with code ${code}; restarting in ${delay} ms`);
    });
    child.postMessage({ type: 'start', dataDir, port: options.port });
  });
}

async function main(): Promise<void> {
  app.setLoginItemSettings({ openAtLogin: options.startOnLogin });
  coreUrl = await startCoreProcess();
  const ses = session.fromPartition(SESSION_PARTITION);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(coreUrl ?? '')] } });
  });
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const media = 'mediaTypes' in details && Array.isArray(details.mediaTypes) ? details.mediaTypes : [];
    callback(isAllowedPermission(permission, webContents.getURL(), coreUrl ?? '', media));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, coreUrl ?? ''));

  window = new BrowserWindow(windowOptions(join(__dirname, 'preload.cjs'), options));
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => { if (!isAllowedUrl(url, coreUrl ?? '')) event.preventDefault(); });
  contents.on('will-redirect', (event, url) => { if (!isAllowedUrl(url, coreUrl ?? '')) event.preventDefault(); });
  contents.setWindowOpenHandler(({ url }) => {
    // Receipt viewer links (the OFD's ticket URL) open in the system browser, never in the app.
    if (/^https:\/\//.test(url)) void electronShell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(coreUrl);

  ipcMain.on(CHANNELS.quit, () => app.quit());
}

app.on('before-quit', (event) => {
  if (quitting || !core) return;
  event.preventDefault();
  quitting = true;
  const child = core;
  const timer = setTimeout(() => child.kill(), 10_000);
  child.once('exit', () => { clearTimeout(timer); app.quit(); });
  child.postMessage({ type: 'shutdown' });
});

app.on('window-all-closed', () => app.quit());
