/**
 * The data directory alone, for the Electron shell's main process: importing it from main.ts
 * would bundle the whole core (fastify, SQLite, the drivers) into the window's process, which
 * only needs the path; the core runs in its own utility process.
 */
export { resolveDataDir } from '../config.ts';
