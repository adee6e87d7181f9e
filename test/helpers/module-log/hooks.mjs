// Module hooks (node:module register) that log the URL of every module node loads, one per
// line, to the file named by TANBA_MODULE_LOG. Registered by ./register.mjs.
import { appendFileSync } from 'node:fs';

/** @type {import('node:module').LoadHook} */
export async function load(url, context, nextLoad) {
  const file = process.env.TANBA_MODULE_LOG;
  if (file) appendFileSync(file, `load ${url}\n`);
  return nextLoad(url, context);
}
