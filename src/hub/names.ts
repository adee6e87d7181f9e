/**
 * Names on the wire, in one place: KV buckets, streams and subjects per store and register.
 *
 * - `tanba_basket_<store>`: codes in some lane's basket (create-if-absent; expire after the
 *   bucket's max age unless the lane that holds them refreshes them).
 * - `tanba_sold_<store>`: codes sold at the store (kept; a return deletes the key).
 * - `TANBA_<store>`: the store's stream on its leaf node (documents `tanba.doc.<store>.<register>.<kind>`,
 *   status deltas `tanba.status.<store>`, snapshot markers `.base` and requests `.rebase`); the hub sources it into `TANBA_HQ` from the leaf's
 *   JetStream domain (= the store id). Heartbeats `tanba.hb.<store>.<register>` go to
 *   `TANBA_HB_<store>` (the last one per register), sourced into `TANBA_HQ_HB`.
 * - `TANBA_CFG_<group>`: head-office configuration / catalogue updates for a store group.
 */

/** The JetStream domain of a store's leaf node: the store id. */
export const storeDomain = (store: string): string => store;
/** The JetStream domain of the head-office hub. */
export const HUB_DOMAIN = 'hub';
export const basketBucket = (store: string): string => `tanba_basket_${store}`;
export const soldBucket = (store: string): string => `tanba_sold_${store}`;
export const storeStream = (store: string): string => `TANBA_${store}`;
export const HQ_STREAM = 'TANBA_HQ';
/** Heartbeats are kept apart, one per register (only the last one matters): `TANBA_HB_<store>`, and `TANBA_HQ_HB` at the hub. */
export const heartbeatStream = (store: string): string => `TANBA_HB_${store}`;
export const HQ_HB_STREAM = 'TANBA_HQ_HB';
export const docSubject = (store: string, register: string, kind: string): string => `tanba.doc.${store}.${register}.${kind}`;
export const heartbeatSubject = (store: string, register: string): string => `tanba.hb.${store}.${register}`;
export const statusSubject = (store: string): string => `tanba.status.${store}`;
/** Markers of the snapshots in the store stream (status-base.ts): where a lane can start. */
export const baseSubject = (store: string): string => `tanba.status.${store}.base`;
/** A lane's request for a fresh snapshot (kept in the store stream: its sequence orders the answer). */
export const rebaseSubject = (store: string): string => `tanba.status.${store}.rebase`;
export const configStream = (group: string): string => `TANBA_CFG_${group}`;
export const configSubject = (group: string): string => `tanba.cfg.${group}`;

/** Subjects the store stream keeps. */
export const storeSubjects = (store: string): string[] => [`tanba.doc.${store}.>`, statusSubject(store), baseSubject(store), rebaseSubject(store)];

/** A KV key for a CIS: base64url (a CIS holds characters KV keys may not). */
export function codeKey(cis: string): string {
  return Buffer.from(cis, 'utf8').toString('base64url');
}

/** Register ids become subject tokens: only what a token may hold. */
export function checkToken(what: string, value: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new TypeError(`${what} '${value}' cannot name NATS subjects: use 1-64 letters, digits, _ or -`);
  return value;
}
