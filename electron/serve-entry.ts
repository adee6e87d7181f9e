/**
 * Headless entry for packaged installs (systemd): the Electron binary run as plain Node
 * (ELECTRON_RUN_AS_NODE=1) executes this bundle, which is `tanba serve`.
 */
import { main } from '../src/cli.ts';

void main(['serve', ...process.argv.slice(2)]).then((code) => { process.exitCode = code; });
