/** Keyboard-wedge decoder: scanner bursts versus typing, Alt codes, layout repair. */
export { WedgeDecoder, decodeKeys, type KeyRecord, type WedgeOptions, type WedgeOutput, type WedgeRepair, type WedgeScan, type WedgeTyping } from './decoder.ts';
