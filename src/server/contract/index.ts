/** The API contract: the only thing the UI imports from the server side. */
export * from './api.ts';
