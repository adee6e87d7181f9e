// `node --import ./register.mjs PROGRAM`: writes to TANBA_MODULE_LOG what PROGRAM loaded —
// every ES module and CommonJS entry node loads (hooks.mjs), and at exit every module in the
// CommonJS cache (what those packages required in turn, native addons included), with, for
// each loaded module, whether node holds a source map for it (the program enabled them).
import { register, findSourceMap, createRequire } from 'node:module';
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const file = process.env.TANBA_MODULE_LOG;
if (!file) throw new Error('TANBA_MODULE_LOG names the log file');
register('./hooks.mjs', import.meta.url);
process.on('exit', () => {
  const cache = createRequire(import.meta.url).cache;
  const lines = Object.keys(cache).map((path) => `require ${pathToFileURL(path).href}`);
  const loaded = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('load file:')).map((l) => l.slice(5));
  for (const url of loaded) if (findSourceMap(url)) lines.push(`map ${url}`);
  appendFileSync(file, `${lines.join('\n')}\n`);
});
