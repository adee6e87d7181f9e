/** The API contract: the only thing the UI imports from the server side. See docs/api.md. */
export * from './common.ts';
export * from './api.ts';
export * from './checkout.ts';
export * from './sync.ts';
export * from './cache.ts';
export * from './devices.ts';
export * from './admin.ts';
export * from './selling.ts';
export * from './hq.ts';
