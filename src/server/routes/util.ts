/**
 * Helpers shared by the feature routes: mapping service errors to HTTP answers, query parsing,
 * CSV and masking.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as z from 'zod';
import { CheckoutError, type CheckoutErrorCode } from '../../checkout/index.ts';
import { FeedError } from '../../cache/index.ts';
import { SyncRetryError } from '../../sync/index.ts';
import { sendError } from '../http.ts';
import { ServiceError } from '../services.ts';

/** HTTP status of each checkout refusal. */
const CHECKOUT_STATUS: Record<CheckoutErrorCode, number> = {
  SHIFT_CLOSED: 409, SHIFT_OPEN: 409, SHIFT_EXPIRED: 409, EMPTY_BASKET: 409, NO_PRICE: 409, SOLD_TWICE: 409, ALREADY_RETURNED: 409,
  NOT_OVERRIDABLE: 409, BAD_PAYMENT: 400, BAD_QUANTITY: 400, BAD_INPUT: 400, NO_CONSENT: 400, NOT_IN_SALE: 400, RETURN_REFUSED: 400,
  NOT_FOUND: 404, BAD_PIN: 403, PRICE_REFUSED: 409, OFFLINE_LIMIT: 409, REGISTER_BLOCKED: 409, NTIN_CHOICE: 409, NOT_ENOUGH_CASH: 409,
  BASKET_NOT_EMPTY: 409,
};

/** HTTP status of each feed import error. */
const FEED_STATUS: Record<string, number> = { BAD_RECORD: 400, TRUNCATED: 400, EMPTY: 400, CURSOR_GAP: 409, ABORTED: 409 };

/**
 * Answers a known refusal with its status and stable code; anything else is rethrown (fastify
 * answers 500 and logs it). Returns the reply for `return`.
 */
export function sendFailure(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof CheckoutError) return sendError(reply, CHECKOUT_STATUS[err.code] ?? 400, err.code, err.message);
  if (err instanceof ServiceError) return sendError(reply, err.status, err.code, err.message);
  if (err instanceof FeedError) return sendError(reply, FEED_STATUS[err.code] ?? 400, err.code, err.message);
  if (err instanceof SyncRetryError) return sendError(reply, err.reason === 'not-found' ? 404 : 409, err.reason === 'not-found' ? 'NOT_FOUND' : 'NOT_BLOCKED', err.message);
  throw err;
}

/** Validates the query string with a zod schema, or answers 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, request: FastifyRequest, reply: FastifyReply): z.infer<S> | undefined {
  const result = schema.safeParse(request.query ?? {});
  if (result.success) return result.data as z.infer<S>;
  const issue = result.error.issues[0];
  sendError(reply, 400, 'INVALID_REQUEST', `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
  return undefined;
}

/** A path parameter (fastify gives strings). */
export function param(request: FastifyRequest, name: string): string {
  const params = request.params as Record<string, string | undefined>;
  return params[name] ?? '';
}

/** A bare date (YYYY-MM-DD) as the UTC start of that day; `end` gives the start of the next day. */
export function isoBound(value: string | undefined, end: boolean): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const t = Date.parse(`${value}T00:00:00.000Z`) + (end ? 86_400_000 : 0);
    return new Date(t).toISOString();
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : new Date(t).toISOString();
}

/**
 * One CSV field (RFC 4180). A field that a spreadsheet would run as a formula (= + - @, tab, CR)
 * is prefixed with an apostrophe, so an exported file cannot carry an injected formula. A field
 * holding `sep` (',' or ';'), a quote or a line break is quoted.
 */
export function csvField(value: string | number | boolean | null, sep: ',' | ';' = ','): string {
  if (value === null) return '';
  let s = String(value);
  // A plain number ("-12.50", "-12,50") is no formula: it stays a number in the spreadsheet.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-\d+([.,]\d+)?$/.test(s)) s = `'${s}`;
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row with CRLF; `sep` ';' for spreadsheets in Russian and Kazakh locales. */
export function csvRow(values: readonly (string | number | boolean | null)[], sep: ',' | ';' = ','): string {
  return `${values.map((v) => csvField(v, sep)).join(sep)}\r\n`;
}

/** "+7701*****34" style: enough to recognise, not enough to use. */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 6)}${phone.slice(-2)}`;
}

/** "a***@mail.kz" */
export function maskEmail(email: string | null): string | null {
  if (email === null) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** Turns the text escape `\x1d` (as typed in a form) into GS; codes already holding GS pass unchanged. */
export function unescapeGs(code: string): string {
  return code.replace(/\\x1[dD]|<GS>/g, '\x1d');
}
