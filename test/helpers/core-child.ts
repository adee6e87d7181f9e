// A real core in its own process, for tests that kill it (SIGKILL) at a chosen moment: training
// mode on the data directory given as the first argument, port 0; prints "port N" once it listens.
// The receipt of a committed document waits up to the second argument's ms for the OFD's ticket
// before printing (with the training OFD stopped, that is the window between COMMIT and the printer).
import { join } from 'node:path';
import { startCore } from '../../src/server/main.ts';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: core-child.ts DATA_DIR [TICKET_WAIT_MS]');
const core = await startCore({
  dataDir, port: 0, env: {}, uiDir: join(dataDir, 'no-ui'), logToStderr: false,
  tuning: {
    ofdTransactionTimeoutMs: 1_000, ofdReconnectIntervalMs: 200, senderBackoff: { baseMs: 100, maxMs: 400 }, senderIdleMs: 300,
    statusPushMs: 250, trainingCodes: 2_000, printWaitForTicketMs: Number(process.argv[3] ?? 1_000),
  },
});
process.stdout.write(`port ${core.port}\n`);
process.on('SIGTERM', () => { void core.stop().then(() => process.exit(0)); });
