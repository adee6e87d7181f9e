/**
 * Training mode's emulator controls as the technician screen uses them: the emulators' status
 * with the virtual printer, and what the register does when an emulator comes back (the sender
 * delivers at once) or goes away (logged, the dashboard updated).
 */
import type { Logger } from '../log.ts';
import type { Register, TrainingControl } from '../register/index.ts';
import type { TrainingView } from './contract/index.ts';

/** Training mode's emulator controls (status with the printer). */
export type TrainingEmulators = Omit<TrainingControl, 'status'> & { status(): TrainingView };

/** The training view and controls of a register; both null outside training mode. */
export interface TrainingControls {
  view(): TrainingView | null;
  readonly controls: TrainingEmulators | null;
}

/** Creates the controls over the register's training setup. */
export function createTrainingControls(deps: { register: Pick<Register, 'training' | 'printing' | 'sender'>; logger: Logger; changed(): void }): TrainingControls {
  const { register, logger, changed } = deps;

  function view(): TrainingView | null {
    const t = register.training;
    if (t === null) return null;
    const target = register.printing.target;
    return { ...t.control.status(), printer: { running: target.kind === 'virtual', outDir: target.kind === 'virtual' ? target.outDir : '' } };
  }

  function controls(): TrainingEmulators | null {
    const t = register.training;
    if (t === null) return null;
    const c = t.control;
    return {
      status: () => view() as TrainingView,
      async stopOfd() { await c.stopOfd(); logger.warn('training OFD emulator stopped'); changed(); },
      async startOfd() {
        await c.startOfd();
        logger.info({ port: t.ofd.port }, 'training OFD emulator started');
        register.sender.notify();
        void register.sender.deliverOnce({ force: true }).catch(() => undefined);
        changed();
      },
      async stopRegistry() { await c.stopRegistry(); logger.warn('training marking registry emulator stopped'); changed(); },
      async startRegistry() { await c.startRegistry(); logger.info({ url: t.marking.url }, 'training marking registry emulator started'); changed(); },
      sample: (kind, n, offset) => c.sample(kind, n, offset),
    };
  }

  return { view, controls: controls() };
}
