// Finds the Electron binary, or says why there is none. Electron is an optional dependency:
// its binary download cannot work everywhere (e.g. no internet, or ELECTRON_SKIP_BINARY_DOWNLOAD).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** @returns {{ binary: string } | { reason: string }} */
export function findElectron() {
  let binary;
  try {
    binary = require('electron'); // the package exports the binary's path, or throws if it is missing
  } catch (err) {
    const message = String(err?.message ?? err);
    if (/failed to install correctly/.test(message)) {
      return { reason: 'the Electron package is installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install time)' };
    }
    return { reason: `Electron is not installed (${message.split('\n')[0]})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { reason: 'the Electron package is installed without its binary' };
  return { binary };
}
