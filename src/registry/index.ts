/**
 * Adapters to the national registry / fiscal data operator, and their emulators. Kazakhstan:
 * the sale record travels inside the fiscal ticket through the OFD (protocol 2.0.2, ./ofd).
 */
export * from './ofd/index.ts';
// Marking system: status feed + online check (HTTP), and its emulator (./marking).
export * from './marking/index.ts';
