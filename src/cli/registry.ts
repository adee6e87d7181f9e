/**
 * Every `tanba` subcommand. A command module exports its Command objects; add them here.
 */
import type { Command } from './types.ts';
import { sellCommand, returnCommand } from './sell.ts';
import { journalVerifyCommand } from './journal.ts';
import { privacyPurgeCommand } from './privacy.ts';
import { shiftCommand } from './shift.ts';
import { parseCommand } from './parse.ts';
import { cacheImportCommand, cacheStatsCommand } from './cache.ts';
import { checkCommand } from './check.ts';
import { configShowCommand } from './config.ts';
import { serveCommand } from './serve.ts';
import { scannerListenCommand } from './scanner.ts';
import { emulateScannerCommand } from './emulate-scanner.ts';
import { decodeCommand } from './decode.ts';
import { emulateOfdCommand } from './emulate-ofd.ts';
import { emulateRegistryCommand } from './emulate-registry.ts';
import { printTestCommand } from './print.ts';
import { emulatePrinterCommand } from './emulate-printer.ts';
import { syncStatusCommand, syncNowCommand, syncRetryCommand } from './sync.ts';
import { catalogLookupCommand, catalogImportCommand, catalogChooseCommand } from './catalog.ts';

/** In the order `tanba --help` lists them: the register, then the codes, then delivery, then devices and emulators. */
export const COMMANDS: readonly Command[] = [
  serveCommand,
  // Codes and the cache.
  parseCommand,
  checkCommand,
  cacheImportCommand,
  cacheStatsCommand,
  // The National Catalogue (NTIN).
  catalogLookupCommand,
  catalogImportCommand,
  catalogChooseCommand,
  // Sales, shifts and records.
  sellCommand,
  returnCommand,
  shiftCommand,
  journalVerifyCommand,
  privacyPurgeCommand,
  // Delivery to the fiscal data operator.
  syncStatusCommand,
  syncNowCommand,
  syncRetryCommand,
  // Devices.
  scannerListenCommand,
  decodeCommand,
  printTestCommand,
  // Emulators.
  emulateOfdCommand,
  emulateRegistryCommand,
  emulateScannerCommand,
  emulatePrinterCommand,
  configShowCommand,
];
