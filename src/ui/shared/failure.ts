/**
 * Failure reasons for people (issue 16): the core reports a link's failure as raw text from
 * Node and the protocols ("no answer within 5000 ms, offline: cannot connect … ECONNREFUSED").
 * This names the cause — refused, timeout, DNS, TLS, HTTP status, the OFD's result — as a message
 * key of the UI's tables; the raw text is still shown, as a secondary line, for the technician.
 */
import { MESSAGES, type MessageKey } from './i18n.ts';

/** A cause and its parameters. */
export interface FailureReason { key: MessageKey; params: Record<string, string | number> }

// Most specific first: a timeout message often carries the refused connect that caused it.
const RULES: ReadonlyArray<[RegExp, (m: RegExpExecArray) => FailureReason]> = [
  [/server block \(15\)|result 15\b/i, () => ({ key: 'failure.serverBlock', params: {} })],
  [/OFD result (\d+)/i, (m) => ({ key: 'failure.ofdResult', params: { code: m[1] ?? '?' } })],
  [/ECONNREFUSED|connection refused/i, () => ({ key: 'failure.refused', params: {} })],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/i, () => ({ key: 'failure.dns', params: {} })],
  [/CERT_|certificate|self[- ]signed|\bTLS\b|\bSSL\b|EPROTO/i, () => ({ key: 'failure.tls', params: {} })],
  [/ECONNRESET|EPIPE|socket hang up|connection closed/i, () => ({ key: 'failure.reset', params: {} })],
  [/EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN/i, () => ({ key: 'failure.unreachable', params: {} })],
  [/\b(?:HTTP|status)\s*(40[13])\b/i, (m) => ({ key: 'failure.auth', params: { status: m[1] ?? '?' } })],
  [/\b(?:HTTP|status)\s*([1-5]\d\d)\b/i, (m) => ({ key: 'failure.http', params: { status: m[1] ?? '?' } })],
  [/timeout|timed out|no answer within|ETIMEDOUT|aborted/i, () => ({ key: 'failure.timeout', params: {} })],
  [/offline since .*next reconnect/i, () => ({ key: 'failure.waiting', params: {} })],
];

/** The cause of a raw failure text (`failure.other` when none is recognised). */
export function failureReason(raw: string): FailureReason {
  for (const [re, make] of RULES) {
    const m = re.exec(raw);
    if (m) return make(m);
  }
  return { key: 'failure.other', params: {} };
}

/** The label of a consent's purpose (the privacy screen): never the raw value. */
export function purposeText(purpose: string, translate: (key: MessageKey) => string): string {
  const key = `purpose.${purpose}`;
  return key in MESSAGES.en ? translate(key as MessageKey) : purpose;
}
