/**
 * Tanba's version, the one constant of it (package.json's "version"; test/static.test.ts keeps
 * them equal): `tanba --version`, the CLI's help, the server's /api/health and the local module.
 * A plain constant, not a JSON import, so the CLI starts without reading package.json.
 */
export const TANBA_VERSION = '0.1.0';
