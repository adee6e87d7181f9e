/** The OFD client of a register database, opened from where the OFD is. */
import { systemClock } from '../clock.ts';
import { createOfdClient, type OfdClient, type OfdClientOptions } from '../registry/index.ts';
import { initOfdState, type Db } from '../store/index.ts';

/** Where the OFD is: the configured one (`config.registry.ofd`) or a training emulator. */
export interface OfdTarget {
  host: string;
  port: number;
  deviceId: number;
  /** The registration token; used only the first time (a rotated stored token always wins). */
  token: number;
}

/**
 * Creates the OFD client for the register database, initialising the client state from the
 * registration token on first use (never overwriting a rotated token).
 */
export function openOfdClient(db: Db, target: OfdTarget, options: Omit<OfdClientOptions, 'db' | 'host' | 'port' | 'deviceId'> = {}): OfdClient {
  const now = (options.clock ?? systemClock).now().toISOString();
  initOfdState(db, { deviceId: target.deviceId, token: target.token, now });
  return createOfdClient({ ...options, db, host: target.host, port: target.port, deviceId: target.deviceId });
}
