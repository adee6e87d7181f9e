/**
 * Emulators of the real marking systems (Kazakhstan's xTrace, Russia's True API and local module),
 * in their real wire shapes, all answering from the seeded dataset of emulators/registry.
 */
export { XtraceEmulator, startXtraceEmulator, XTRACE_EMULATOR_LOGIN, type XtraceEmulatorOptions } from './xtrace.ts';
export { TrueApiEmulator, startTrueApiEmulator, TRUE_API_EMULATOR_KEY, type TrueApiEmulatorOptions, type TrueApiHost, type HostBehaviour } from './true-api.ts';
export { LocalModuleEmulator, startLocalModuleEmulator, LOCAL_MODULE_EMULATOR_LOGIN, type LocalModuleEmulatorOptions } from './local-module.ts';
export { EmulatorServer, NO_SERVER_FAULTS, serverFaultsSchema, type ServerFaults } from './server.ts';
export { xtraceStatusOf, xtraceRecord, crptRecord, offlineRecord, CRPT_GROUP_IDS } from './records.ts';
