#!/usr/bin/env node
// The `tanba` command from the TypeScript sources, for development (`npm run dev -- COMMAND`)
// and the tests: tsx compiles each module as it loads, so an edit needs no build. What ships
// (package.json "bin", `npx tanba`) is the bundle scripts/build.mjs makes of the same entry.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli-bin.ts');
