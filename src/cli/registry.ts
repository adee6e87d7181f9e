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

export const COMMANDS: readonly Command[] = [
  printTestCommand,
  emulatePrinterCommand,
  sellCommand,
  returnCommand,
  journalVerifyCommand,
  privacyPurgeCommand,
  shiftCommand,
  parseCommand,
  cacheImportCommand,
  cacheStatsCommand,
  checkCommand,
  configShowCommand,
  serveCommand,
  scannerListenCommand,
  emulateScannerCommand,
  decodeCommand,
  emulateOfdCommand,
  emulateRegistryCommand,
  syncStatusCommand,
  syncNowCommand,
  syncRetryCommand,
];
