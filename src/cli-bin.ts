/**
 * The `tanba` executable. Bundled into dist/cli.mjs by scripts/build.mjs (package.json "bin");
 * bin/tanba.mjs runs it from the TypeScript sources through tsx for development.
 */

// Stack traces name the TypeScript sources: the build ships a source map beside each file.
// Node reads a file's map only if it loads after this call, hence the dynamic import below.
process.setSourceMapsEnabled(true);
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
