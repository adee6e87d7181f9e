/**
 * Product groups as data. The parser never branches on a group id: everything a group decides
 * (serial length, crypto layout, extra AIs, pack formats) is read from this table. Entries the
 * public sources do not confirm are listed in `unconfirmed` so they can be corrected here alone.
 */
import type { CryptoLayout, ProductGroupProfile, TobaccoPackFormat } from './types.ts';

/**
 * Alphabet of the 4-character maximum retail price in the 29-character tobacco pack code, in
 * base-80 digit order. UNCONFIRMED: the CRPT specification is not public; public write-ups say
 * only "80 characters". This order (A-Z, a-z, 0-9, then the 18 CSET 82 punctuation characters
 * other than the parentheses) decodes the publicly quoted pack code
 * 00000046209849Uon<TYfACyAJPHJ to 16800 kopecks (168.00 rub), a plausible whole-rouble price;
 * a digits-first order would give 52016.10. Replace it here if the specification says otherwise.
 */
export const TOBACCO_MRP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!"%&\'*+-./_,:;=<>?';

const TOBACCO_PACK_FORMATS: readonly TobaccoPackFormat[] = [
  {
    id: 'eaeu', gtinLength: 14, serialLength: 7, mrpLength: 4, checkLength: 4,
    mrpAlphabet: TOBACCO_MRP_ALPHABET, enabled: true,
    unconfirmed: ['mrpAlphabet order'],
  },
  {
    // Uzbekistan (CRPT Turon): GTIN 14 + serial 7 + check 8, no price. Same total length (29)
    // as the EAEU pack, so it cannot be told apart by shape: off unless a table enables it.
    id: 'uz', gtinLength: 14, serialLength: 7, mrpLength: 0, checkLength: 8,
    mrpAlphabet: TOBACCO_MRP_ALPHABET, enabled: false,
  },
];

const KEY_92: CryptoLayout = { kind: '91+92', keyLengths: [4], codeLengths: [44] };
const TAIL_93: CryptoLayout = { kind: '93', tailLengths: [4] };

export const PRODUCT_GROUPS: readonly ProductGroupProfile[] = [
  {
    id: 'tobacco',
    names: { ru: 'Табачная продукция', kk: 'Темекі өнімдері', en: 'Tobacco' },
    // GS1 form (blocks, and packs of nicotine products in GS1 form): serial 7.
    serialLengths: [7],
    crypto: [TAIL_93],
    extraAis: ['8005'],
    packFormats: TOBACCO_PACK_FORMATS,
    unconfirmed: ['block serial length 7', 'block crypto tail (93) length 4', 'AI 8005 as MRP in minor units'],
  },
  {
    id: 'shoes',
    names: { ru: 'Обувь', kk: 'Аяқ киім', en: 'Shoes' },
    serialLengths: [13],
    crypto: [{ kind: '91+92', keyLengths: [4], codeLengths: [44, 88] }],
    extraAis: [],
    unconfirmed: ['AI 92 length 88 (reported)'],
  },
  {
    id: 'medicines',
    names: { ru: 'Лекарственные препараты', kk: 'Дәрілік заттар', en: 'Medicines' },
    serialLengths: [13],
    crypto: [KEY_92],
    extraAis: ['17', '10'],
    unconfirmed: ['AIs 17 and 10 in the marking code'],
  },
  {
    id: 'beer',
    names: { ru: 'Пиво и пивные напитки', kk: 'Сыра және сыра сусындары', en: 'Beer' },
    serialLengths: [13],
    crypto: [TAIL_93],
    extraAis: [],
    unconfirmed: ['serial length 13 in Kazakhstan', 'crypto layout 93'],
  },
  {
    id: 'oil',
    names: { ru: 'Моторные масла', kk: 'Мотор майлары', en: 'Motor oils' },
    serialLengths: [13],
    crypto: [KEY_92],
    extraAis: [],
    unconfirmed: ['crypto layout 91+92 in Kazakhstan'],
  },
  {
    id: 'dairy',
    names: { ru: 'Молочная продукция', kk: 'Сүт өнімдері', en: 'Dairy' },
    serialLengths: [13],
    crypto: [TAIL_93],
    extraAis: ['3103', '17', '7003'],
    unconfirmed: ['serial length 13 (6 is also reported for small packs)', 'AIs 17 and 7003'],
  },
  {
    id: 'water',
    names: { ru: 'Упакованная вода', kk: 'Қапталған су', en: 'Packaged water' },
    serialLengths: [13],
    crypto: [TAIL_93],
    extraAis: [],
  },
  {
    id: 'light_industry',
    names: { ru: 'Товары лёгкой промышленности', kk: 'Жеңіл өнеркәсіп тауарлары', en: 'Light industry' },
    serialLengths: [13],
    crypto: [KEY_92],
    extraAis: [],
  },
  {
    id: 'other',
    names: { ru: 'Прочие товары', kk: 'Басқа тауарлар', en: 'Other goods' },
    serialLengths: [13],
    crypto: [KEY_92, TAIL_93],
    // Common GS1 extras a code of no specific group may carry (batch, production date).
    extraAis: ['10', '11'],
    fallback: true,
  },
];

/** A group by id, from the given table. */
export function groupById(groups: readonly ProductGroupProfile[], id: string): ProductGroupProfile | undefined {
  return groups.find((g) => g.id === id);
}

/** The AIs of a crypto layout. */
export function cryptoAis(layout: CryptoLayout): readonly string[] {
  return layout.kind === '91+92' ? ['91', '92'] : ['93'];
}
