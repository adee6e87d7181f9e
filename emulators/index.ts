/**
 * The emulators layer: an OFD, a marking registry, scanners and a printer that behave like the
 * real ones over real TCP / HTTP / ptys. Only the composition root, the CLI, tests and bench
 * import it (tools/eslint/layers.js); production code never does.
 */
export * from './ofd/index.ts';
export * from './registry/index.ts';
export * from './marking/index.ts';
export * from './scanner/index.ts';
export * from './printer/index.ts';
export { startTraining, startTrainingOfd, TRAINING_DEVICE, TRAINING_OFD_DB, TRAINING_REGISTRY_TOKEN, type TrainingOfd, type TrainingOptions } from './training.ts';
