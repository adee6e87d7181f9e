/**
 * The configuration form's model: the masked config the server sends becomes flat strings for
 * inputs, and the edited strings become the smallest patch for PUT /api/config (the server
 * deep-merges it). Secrets arrive as "***"; a secret still reading "***" is left out of the
 * patch, so saving the form never overwrites a stored token with its mask.
 */
import type { ConfigView } from '../../server/contract/index.ts';
import type { Lang } from '../shared/i18n.ts';

export const MASK = '***';

export interface ConfigForm {
  storeName: string;
  storeAddress: string;
  storeBin: string;
  registerId: string;
  languages: Lang[];
  offlineLimitHours: string;
  ofdHost: string;
  ofdPort: string;
  ofdDeviceId: string;
  ofdToken: string;
  markingUrl: string;
  markingToken: string;
  markingCa: string;
}

/** Field of the form → the config path the server names in its errors. */
export const FIELD_PATHS: Readonly<Record<keyof ConfigForm, string>> = {
  storeName: 'store.name',
  storeAddress: 'store.address',
  storeBin: 'store.bin',
  registerId: 'register.id',
  languages: 'languages',
  offlineLimitHours: 'cache.offlineLimitHours',
  ofdHost: 'registry.ofd.host',
  ofdPort: 'registry.ofd.port',
  ofdDeviceId: 'registry.ofd.deviceId',
  ofdToken: 'registry.ofd.token',
  markingUrl: 'registry.marking.url',
  markingToken: 'registry.marking.token',
  markingCa: 'registry.marking.caFile',
};

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** The form's starting values. */
export function formFromConfig(c: ConfigView): ConfigForm {
  return {
    storeName: str(c.store?.name),
    storeAddress: str(c.store?.address),
    storeBin: str(c.store?.bin),
    registerId: str(c.register?.id),
    languages: [...(c.languages ?? [])],
    offlineLimitHours: str(c.cache?.offlineLimitHours),
    ofdHost: str(c.registry?.ofd?.host),
    ofdPort: str(c.registry?.ofd?.port),
    ofdDeviceId: str(c.registry?.ofd?.deviceId),
    ofdToken: str(c.registry?.ofd?.token),
    markingUrl: str(c.registry?.marking?.url),
    markingToken: str(c.registry?.marking?.token),
    markingCa: str(c.registry?.marking?.caFile),
  };
}

/** A problem found before sending: which field, and why (a message key). */
export interface FormProblem {
  field: keyof ConfigForm;
  reason: 'number';
}

function int(value: string): number | null {
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

/**
 * The patch that turns `original` into what the form says, or the problems that stop it. An
 * empty patch means nothing changed. Fields the server validates (ranges, URL syntax, BIN
 * length) are passed through so its message, naming the field, is what the user sees.
 */
export function buildPatch(form: ConfigForm, original: ConfigForm): { patch: ConfigView; problems: FormProblem[] } {
  const patch: ConfigView = {};
  const problems: FormProblem[] = [];
  const changed = (k: keyof ConfigForm) => JSON.stringify(form[k]) !== JSON.stringify(original[k]);

  const store: NonNullable<ConfigView['store']> = {};
  if (changed('storeName')) store.name = form.storeName.trim();
  if (changed('storeAddress')) store.address = form.storeAddress.trim();
  if (changed('storeBin') && form.storeBin.trim() !== '') store.bin = form.storeBin.trim();
  if (Object.keys(store).length) patch.store = store;
  if (changed('registerId')) patch.register = { id: form.registerId.trim() };
  if (changed('languages')) patch.languages = [...form.languages];
  if (changed('offlineLimitHours')) {
    const hours = Number(form.offlineLimitHours.trim());
    if (form.offlineLimitHours.trim() === '' || !Number.isFinite(hours)) problems.push({ field: 'offlineLimitHours', reason: 'number' });
    else patch.cache = { offlineLimitHours: hours };
  }

  const registry: NonNullable<ConfigView['registry']> = {};
  const ofdFields = ['ofdHost', 'ofdPort', 'ofdDeviceId', 'ofdToken'] as const;
  if (ofdFields.some(changed) && form.ofdHost.trim() !== '') {
    const ofd: NonNullable<NonNullable<ConfigView['registry']>['ofd']> = { host: form.ofdHost.trim() };
    const port = int(form.ofdPort);
    const deviceId = int(form.ofdDeviceId);
    if (port === null) problems.push({ field: 'ofdPort', reason: 'number' }); else ofd.port = port;
    if (deviceId === null) problems.push({ field: 'ofdDeviceId', reason: 'number' }); else ofd.deviceId = deviceId;
    if (form.ofdToken !== MASK) {
      const token = int(form.ofdToken);
      if (token === null) problems.push({ field: 'ofdToken', reason: 'number' }); else ofd.token = token;
    }
    registry.ofd = ofd;
  }
  const markingFields = ['markingUrl', 'markingToken', 'markingCa'] as const;
  if (markingFields.some(changed) && form.markingUrl.trim() !== '') {
    const marking: NonNullable<NonNullable<ConfigView['registry']>['marking']> = { url: form.markingUrl.trim() };
    if (form.markingToken !== MASK && form.markingToken.trim() !== '') marking.token = form.markingToken.trim();
    if (form.markingCa.trim() !== '') marking.caFile = form.markingCa.trim();
    registry.marking = marking;
  }
  if (Object.keys(registry).length) patch.registry = registry;
  return { patch, problems };
}

/** Which form field a server message ("registry.ofd.port: Too big") is about, if any. */
export function fieldOfServerError(message: string): keyof ConfigForm | null {
  const path = /^([\w.]+):/.exec(message)?.[1];
  if (!path) return null;
  const entry = Object.entries(FIELD_PATHS).find(([, p]) => p === path || path.startsWith(`${p}.`));
  return entry ? (entry[0] as keyof ConfigForm) : null;
}
