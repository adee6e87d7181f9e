/** One OFD request at a time, whoever asks. */
import type { OfdClient } from '../registry/index.ts';

/**
 * Serialises sends on one OFD client: the client allows one request at a time and a second
 * caller (the registry test next to the sender) must wait rather than break the order.
 */
export function serialClient(client: OfdClient): OfdClient {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    get deviceId() { return client.deviceId; },
    send(request, options) {
      const next = chain.then(() => client.send(request, options));
      chain = next.catch(() => undefined);
      return next;
    },
    state: () => client.state(),
    resolveBlock: (o) => client.resolveBlock(o),
    allocateOfflineTicketNumber: () => client.allocateOfflineTicketNumber(),
  };
}
