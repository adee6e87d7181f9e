/**
 * The seeded dataset (emulators/registry) as the real systems would describe its codes: an xTrace
 * code record and a Chestny ZNAK per-code answer. Every emulator answers from the same dataset,
 * so a code sellable in one is sellable in all (and in the Tanba feed).
 *
 * Statuses: in circulation → INTRODUCED / realizable; sold → WITHDRAWN / sold; withdrawn →
 * WRITTEN_OFF / sold (withdrawn from circulation); not introduced → RECEIVED or APPLIED (by a
 * hash of the code) / utilised false or realizable false. Blocks become `isBlocked` (True API
 * only: xTrace has no block flag). A test may override any field of one code.
 */
import type { CrptCode, XtraceCode, XtraceStatus } from '../../src/registry/marking/index.ts';
import type { EmulatedCode, EmulatedGroup, RegistryDataset } from '../registry/index.ts';
import { hashOf } from './server.ts';

/** CRPT product group ids of the emulated groups (medicines and oil have none in True API). */
export const CRPT_GROUP_IDS: Readonly<Record<EmulatedGroup, number | null>> = {
  light_industry: 1, shoes: 2, tobacco: 3, dairy: 8, water: 13, beer: 15, medicines: null, oil: null,
};

/** xTrace product group ids (the emulator's own numbering; the provider does not rely on them). */
const XTRACE_GROUP_IDS: Readonly<Record<EmulatedGroup, number>> = {
  tobacco: 1, shoes: 2, medicines: 3, beer: 4, oil: 5, dairy: 6, water: 7, light_industry: 8,
};

/** The xTrace status of a dataset code. */
export function xtraceStatusOf(c: EmulatedCode): XtraceStatus {
  switch (c.status) {
    case 'in_circulation': return 'INTRODUCED';
    case 'sold': return 'WITHDRAWN';
    case 'withdrawn': return 'WRITTEN_OFF';
    default: return hashOf(c.cis) % 2 === 0 ? 'APPLIED' : 'RECEIVED';
  }
}

/** The dataset code a request names (full code, bare CIS, lost separators), or undefined. */
export function codeOf(dataset: RegistryDataset, sent: string): EmulatedCode | undefined {
  const cis = dataset.resolveCis(sent);
  return cis === null ? undefined : dataset.codes.get(cis);
}

/** An xTrace record of a known code; `sent` is echoed as `code`. */
export function xtraceRecord(dataset: RegistryDataset, c: EmulatedCode, sent: string): XtraceCode {
  const p = dataset.products.get(c.gtin);
  return {
    code: sent,
    template: c.group === 'tobacco' ? 'GS1_AISTR_SHORT' : 'GS1_AISTR',
    packageType: 'UNIT',
    status: xtraceStatusOf(c),
    extendedStatus: c.status === 'in_circulation' ? 'CONNECTED' : null,
    issuerShortInfo: { issuerTin: '123456789012', issuerName: { kz: 'Эмулятор ЖШС', ru: 'ТОО Эмулятор', en: 'Emulator LLP' } },
    productId: p ? hashOf(p.gtin) % 1_000_000 : null,
    productGroupId: XTRACE_GROUP_IDS[c.group],
    categoryId: null,
    gtin: c.gtin,
    emissionDate: `${dataset.today}T00:00:00.000Z`,
    issueDate: null,
    productionDate: null,
    expirationDate: c.expires !== null ? `${c.expires}T00:00:00.000Z` : null,
    productSeries: c.batch,
  };
}

/** A True API per-code answer of a known code (online: every flag meaningful). */
export function crptRecord(dataset: RegistryDataset, c: EmulatedCode): CrptCode {
  const p = dataset.products.get(c.gtin);
  const groupId = CRPT_GROUP_IDS[c.group];
  const received = c.status === 'not_introduced' && xtraceStatusOf(c) === 'RECEIVED';
  const blocked = dataset.blockedBy(c) !== null;
  const gone = c.status === 'sold' || c.status === 'withdrawn';
  return {
    cis: c.cis, valid: true, printView: c.cis, gtin: c.gtin, groupIds: groupId === null ? [] : [groupId],
    verified: true, found: true, realizable: c.status === 'in_circulation', utilised: !received,
    isBlocked: blocked, ogvs: blocked ? ['FNS'] : [],
    expireDate: c.expires !== null ? `${c.expires}T00:00:00.000Z` : null,
    isOwner: true, errorCode: 0, isTracking: false, sold: gone, eliminationState: c.status === 'withdrawn' ? 2 : c.status === 'sold' ? 1 : 0,
    mrp: c.mrp, smp: c.group === 'tobacco' ? p?.minPrice ?? null : null, grayZone: false,
    packageType: 'UNIT', producerInn: '7700000000',
  };
}

/** The True API answer for a code nobody issued. */
export function crptUnknown(sent: string): CrptCode {
  return { cis: sent, valid: true, found: false, verified: false, realizable: false, utilised: false, isBlocked: false, sold: false, errorCode: 10, message: 'not found' };
}

/**
 * The local module's offline answer: a black list, so found / valid / verified / utilised /
 * realizable come back false; only `isBlocked` and `sold` say anything.
 */
export function offlineRecord(dataset: RegistryDataset, c: EmulatedCode | undefined, sent: string): CrptCode {
  const blocked = c !== undefined && dataset.blockedBy(c) !== null;
  const sold = c !== undefined && (c.status === 'sold' || c.status === 'withdrawn');
  return {
    cis: c?.cis ?? sent, valid: false, found: false, verified: false, realizable: false, utilised: false,
    isBlocked: blocked, ogvs: blocked ? ['FNS'] : [], sold, errorCode: 0, isOwner: false, isTracking: false,
    smp: c?.group === 'tobacco' ? dataset.products.get(c.gtin)?.minPrice ?? null : null,
  };
}
