/**
 * The OFD's registration data (2.0.3 `reg_info`: point of sale, organisation, register) as the
 * technician sees it: read from the register's table, where the OFD client keeps the last answer
 * that carried it, checked with zod (it is an OFD's answer, stored as JSON), positions in degrees.
 */
import * as z from 'zod';
import { GEO_SCALE } from '../registry/index.ts';
import { getOfdRegInfo, type Db } from '../store/index.ts';
import type { OfdRegInfoView } from './contract/index.ts';

const text = z.string().nullish().transform((v) => v ?? null);
const microDegrees = z.number().nullish().transform((v) => (v === null || v === undefined ? null : v / GEO_SCALE));
const stored = z.object({
  pos: z.object({ title: text, address: text, address_kz: text, latitude: microDegrees, longitude: microDegrees }).nullish(),
  org: z.object({ title: text, address: text, address_kz: text, inn: text }).nullish(),
  kkm: z.object({ kkm_id: text, serial_number: text, fns_kkm_id: text }).nullish(),
});

/** The view of the stored answer for `deviceId`, or null when the OFD never sent one (or it is unreadable). */
export function ofdRegInfoView(db: Db, deviceId: number): OfdRegInfoView | null {
  const row = getOfdRegInfo(db, deviceId);
  if (!row) return null;
  const parsed = stored.safeParse(row.regInfo);
  if (!parsed.success) return null;
  const { pos, org, kkm } = parsed.data;
  return {
    pointOfSale: pos ? { title: pos.title, address: pos.address, addressKz: pos.address_kz, latitude: pos.latitude, longitude: pos.longitude } : null,
    organisation: org ? { title: org.title, address: org.address, addressKz: org.address_kz, inn: org.inn } : null,
    register: kkm ? { kkmId: kkm.kkm_id, serialNumber: kkm.serial_number, fnsKkmId: kkm.fns_kkm_id } : null,
    receivedAt: row.receivedAt,
  };
}
