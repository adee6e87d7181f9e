/** The OFD emulator (protocol 2.0.2 over real TCP, its own SQLite file, fault injection). */
export {
  startOfdEmulator, openEmulatorDb, readEmulatorDocuments, parseControlLine,
  type OfdEmulator, type OfdEmulatorOptions, type OfdFaults, type EmulatorDocument, type EmulatorDeviceInit,
  type EmulatorDevice, type EmulatorRequestLog,
} from './emulator.ts';
