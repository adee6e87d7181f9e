/** What the sync dashboard says about a delivery channel (OFD, status feed). */

/** A channel's status as the API reports it (the fields this module reads). */
export interface ChannelErrorState {
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
}

/**
 * True while a channel's last error came after its last success: once a success followed it,
 * the cause is gone and the message would only contradict "No failures". Both times are UTC ISO
 * strings from the core, so they compare as text.
 */
export function isCurrentError(channel: ChannelErrorState): boolean {
  if (channel.lastError === null) return false;
  if (channel.lastSuccessAt === null || channel.lastErrorAt === null) return true;
  return channel.lastErrorAt > channel.lastSuccessAt;
}
