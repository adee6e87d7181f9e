/**
 * `npm run bench [-- NAME ...] [--quick]`: runs every bench/*.bench.ts (or those whose name
 * contains one of the NAMEs) and prints each result as a ratio against its same-run baseline.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { Bench } from './lib.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const names = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();

console.log(`node ${process.version}, ${process.platform}/${process.arch}${quick ? ', quick' : ''}`);
for (const file of files) {
  console.log(`\n## ${file.replace('.bench.ts', '')}`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: Bench };
  await mod.default({ quick });
}
