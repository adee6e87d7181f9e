/** The marking registry emulator (status feed + online check over real HTTP) and its seeded dataset. */
export { RegistryEmulator, startRegistryEmulator, type RegistryEmulatorOptions, type EmulatorCounters } from './emulator.ts';
export {
  RegistryDataset, generateDataset, writeFeedFile, seededRandom, SAMPLE_KINDS, EMULATED_GROUPS,
} from './dataset.ts';
export type { DatasetOptions, EmulatedCode, EmulatedProduct, EmulatedGroup, SampleCode, SampleKind, Block } from './dataset.ts';
