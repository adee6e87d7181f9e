/**
 * The shell's security policy as plain data and pure functions, so that it can be tested
 * without an Electron binary. main.ts applies exactly these.
 * Electron security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */

/** webPreferences every Tanba window gets. */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  partition: string;
}

/** Options of the one BrowserWindow. */
export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  kiosk: boolean;
  fullscreen: boolean;
  autoHideMenuBar: true;
  backgroundColor: string;
  title: string;
  webPreferences: SecureWebPreferences;
}

/** The shell's own settings (command line / environment). */
export interface ShellOptions {
  /** Full-screen kiosk for cashier registers: no window chrome, no way out but the app. */
  kiosk: boolean;
  /** Start Tanba when the user logs in to the OS. */
  startOnLogin: boolean;
  /** Port for the core (0 = any free port). */
  port: number;
}

/** Reads shell options from argv (`--kiosk`, `--start-on-login`, `--port=N`) and TANBA_KIOSK / TANBA_PORT. */
export function shellOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ShellOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const portArg = argv.find((a) => a.startsWith('--port='))?.slice('--port='.length) ?? env.TANBA_PORT ?? '0';
  const port = Number(portArg);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`--port must be 0..65535, got '${portArg}'`);
  return { kiosk: flag('kiosk') || env.TANBA_KIOSK === '1', startOnLogin: flag('start-on-login'), port };
}

/** The session partition: persistent, so the UI's language choice survives restarts. */
export const SESSION_PARTITION = 'persist:tanba';

/** BrowserWindow options meeting the security checklist. */
export function windowOptions(preloadPath: string, shell: Pick<ShellOptions, 'kiosk'>): WindowOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    kiosk: shell.kiosk,
    fullscreen: shell.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#10151c',
    title: 'Tanba',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      partition: SESSION_PARTITION,
    },
  };
}

/**
 * The Content-Security-Policy added to every response of the core: the core's own
 * (src/server/hardening.ts, which imports only fastify's types — nothing of the core is bundled).
 */
export { contentSecurityPolicy } from '../src/server/hardening.ts';

/** Only the core's own pages may be shown; anything else is refused (navigation, redirects, new windows). */
export function isAllowedUrl(url: string, coreOrigin: string): boolean {
  try {
    return new URL(url).origin === new URL(coreOrigin).origin;
  } catch {
    return false;
  }
}

/**
 * Permission requests: the camera (scanning codes with a webcam) from our own origin only;
 * everything else (geolocation, notifications, microphone-only, MIDI, HID/serial from the web
 * page — devices belong to the core) is denied.
 */
export function isAllowedPermission(permission: string, requestingOrigin: string, coreOrigin: string, mediaTypes: readonly string[] = []): boolean {
  if (!isAllowedUrl(requestingOrigin, coreOrigin)) return false;
  if (permission === 'media') return mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video');
  return permission === 'fullscreen';
}
