/**
 * Messages for people, in Russian, Kazakh and English. Every error names what was wrong: the
 * AI, the position or character, what was expected and what was found.
 */
import type { Lang } from './types.ts';

export type Texts = Record<Lang, string>;
type P = Record<string, string | number>;

function s(v: string | number | undefined): string {
  return v === undefined ? '' : String(v);
}

/** Error codes the engine returns. */
export const ERROR_CODES = [
  'EMPTY', 'INVALID_CHARACTER', 'UNKNOWN_FORMAT', 'UNKNOWN_AI', 'AI_LENGTH', 'GTIN_CHECK_DIGIT',
  'SSCC_CHECK_DIGIT', 'EAN_CHECK_DIGIT', 'CHECK_DIGIT', 'INVALID_DATE', 'MISSING_SERIAL',
  'AMBIGUOUS_SEPARATORS', 'AMBIGUOUS_BRACKETS', 'AMBIGUOUS_LAYOUT', 'SERIAL_LENGTH', 'CRYPTO_LENGTH', 'DUPLICATE_AI', 'INTERNAL',
  'INVALID_VALUE', 'EMPTY_VALUE', 'MISSING_SEPARATOR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const ERRORS: Record<ErrorCode, (p: P) => Texts> = {
  EMPTY: () => ({
    ru: 'Код пустой: нет ни одного символа для разбора',
    kk: 'Код бос: талдайтын бірде-бір таңба жоқ',
    en: 'The code is empty: there is nothing to read',
  }),
  INVALID_CHARACTER: (p) => ({
    ru: `${p.where ? `${s(p.where)}: ` : ''}символ ${s(p.char)} в позиции ${s(p.pos)} недопустим (${s(p.allowedRu)})`,
    kk: `${p.where ? `${s(p.where)}: ` : ''}${s(p.pos)}-позициядағы ${s(p.char)} таңбасына рұқсат жоқ (${s(p.allowedKk)})`,
    en: `${p.where ? `${s(p.where)}: ` : ''}character ${s(p.char)} at position ${s(p.pos)} is not allowed (${s(p.allowedEn)})`,
  }),
  UNKNOWN_FORMAT: (p) => ({
    ru: `Формат кода не распознан: ${s(p.len)} симв., начало «${s(p.start)}»; ожидается код маркировки GS1 (01…21…), код пачки табака (29 симв.), SSCC (00…) или EAN`,
    kk: `Код пішімі танылмады: ${s(p.len)} таңба, басы «${s(p.start)}»; GS1 таңбалау коды (01…21…), темекі қорабының коды (29 таңба), SSCC (00…) немесе EAN күтіледі`,
    en: `Unrecognised code format: ${s(p.len)} characters starting '${s(p.start)}'; expected a GS1 marking code (01…21…), a tobacco pack code (29 characters), an SSCC (00…) or an EAN`,
  }),
  UNKNOWN_AI: (p) => ({
    ru: `Неизвестный идентификатор применения (AI) в позиции ${s(p.pos)}: «${s(p.found)}»${p.after ? ` (после AI ${s(p.after)})` : ''}`,
    kk: `${s(p.pos)}-позициядағы белгісіз қолдану идентификаторы (AI): «${s(p.found)}»${p.after ? ` (AI ${s(p.after)} кейін)` : ''}`,
    en: `Unknown application identifier (AI) at position ${s(p.pos)}: '${s(p.found)}'${p.after ? ` (after AI ${s(p.after)})` : ''}`,
  }),
  AI_LENGTH: (p) => ({
    ru: `AI (${s(p.ai)}) ${s(p.titleRu)}: длина ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `AI (${s(p.ai)}) ${s(p.titleKk)}: ұзындығы ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `AI (${s(p.ai)}) ${s(p.titleEn)}: length ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  GTIN_CHECK_DIGIT: (p) => ({
    ru: `GTIN ${s(p.value)}: контрольная цифра ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `GTIN ${s(p.value)}: бақылау цифры ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `GTIN ${s(p.value)}: check digit ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  SSCC_CHECK_DIGIT: (p) => ({
    ru: `SSCC ${s(p.value)}: контрольная цифра ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `SSCC ${s(p.value)}: бақылау цифры ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `SSCC ${s(p.value)}: check digit ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  EAN_CHECK_DIGIT: (p) => ({
    ru: `Штрихкод ${s(p.value)}: контрольная цифра ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `${s(p.value)} штрихкоды: бақылау цифры ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `Barcode ${s(p.value)}: check digit ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  CHECK_DIGIT: (p) => ({
    ru: `AI (${s(p.ai)}) ${s(p.value)}: контрольная цифра ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `AI (${s(p.ai)}) ${s(p.value)}: бақылау цифры ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `AI (${s(p.ai)}) ${s(p.value)}: check digit ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  INVALID_DATE: (p) => ({
    ru: `AI (${s(p.ai)}): «${s(p.value)}» — недопустимая дата ${s(p.formatRu ?? 'ГГММДД')} (${s(p.reasonRu)})`,
    kk: `AI (${s(p.ai)}): «${s(p.value)}» — жарамсыз күн ${s(p.formatKk ?? 'ЖЖААКК')} (${s(p.reasonKk)})`,
    en: `AI (${s(p.ai)}): '${s(p.value)}' is not a valid ${s(p.formatEn ?? 'YYMMDD')} date (${s(p.reasonEn)})`,
  }),
  INVALID_VALUE: (p) => ({
    ru: `AI (${s(p.ai)}) ${s(p.titleRu)}: «${s(p.value)}» — ${s(p.reasonRu)}`,
    kk: `AI (${s(p.ai)}) ${s(p.titleKk)}: «${s(p.value)}» — ${s(p.reasonKk)}`,
    en: `AI (${s(p.ai)}) ${s(p.titleEn)}: '${s(p.value)}': ${s(p.reasonEn)}`,
  }),
  EMPTY_VALUE: (p) => ({
    ru: `AI (${s(p.ai)}) в позиции ${s(p.pos)} без значения: за скобками AI должны идти его данные`,
    kk: `${s(p.pos)}-позициядағы AI (${s(p.ai)}) мәнсіз: AI жақшасынан кейін оның деректері болуы керек`,
    en: `AI (${s(p.ai)}) at position ${s(p.pos)} has no value: a bracketed AI must be followed by its data`,
  }),
  MISSING_SEPARATOR: (p) => ({
    ru: `После AI (${s(p.ai)}) фиксированной длины ${s(p.len)} нет разделителя GS, которого требует GS1 (позиция ${s(p.pos)})`,
    kk: `Ұзындығы ${s(p.len)} тұрақты AI (${s(p.ai)}) кейін GS1 талап ететін GS бөлгіші жоқ (${s(p.pos)}-позиция)`,
    en: `AI (${s(p.ai)}) of fixed length ${s(p.len)} is not followed by the GS separator GS1 requires (position ${s(p.pos)})`,
  }),
  MISSING_SERIAL: (p) => ({
    ru: `В коде есть GTIN (01) ${s(p.gtin)}, но нет серийного номера (21): это не код маркировки`,
    kk: `Кодта GTIN (01) ${s(p.gtin)} бар, бірақ сериялық нөмір (21) жоқ: бұл таңбалау коды емес`,
    en: `The code has GTIN (01) ${s(p.gtin)} but no serial number (21): not a marking code`,
  }),
  AMBIGUOUS_SEPARATORS: (p) => ({
    ru: `Разделители GS потеряны, и код читается ${s(p.count)} способами (например, серийный номер «${s(p.a)}» или «${s(p.b)}»); отсканируйте ещё раз или настройте сканер на передачу GS`,
    kk: `GS бөлгіштері жоғалған, кодты ${s(p.count)} түрлі оқуға болады (мысалы, сериялық нөмір «${s(p.a)}» немесе «${s(p.b)}»); қайта сканерлеңіз немесе сканерді GS жіберетіндей баптаңыз`,
    en: `Group separators (GS) are missing and the code reads ${s(p.count)} ways (e.g. serial '${s(p.a)}' or '${s(p.b)}'); scan it again or set the scanner to transmit GS`,
  }),
  AMBIGUOUS_BRACKETS: (p) => ({
    ru: `Скобочная запись читается ${s(p.count)} способами: «(NN)» внутри значения может быть как данными, так и началом AI (например, «${s(p.a)}» или «${s(p.b)}»); отсканируйте сам код`,
    kk: `Жақшалы жазбаны ${s(p.count)} түрлі оқуға болады: мән ішіндегі «(NN)» деректер де, AI басы да болуы мүмкін (мысалы, «${s(p.a)}» немесе «${s(p.b)}»); кодтың өзін сканерлеңіз`,
    en: `The bracketed form reads ${s(p.count)} ways: a '(NN)' inside a value may be data or the start of an AI (e.g. '${s(p.a)}' or '${s(p.b)}'); scan the code itself`,
  }),
  AMBIGUOUS_LAYOUT: (p) => ({
    ru: `Код набран в кириллической раскладке, и его можно восстановить ${s(p.count)} способами; переключите раскладку на латинскую и отсканируйте ещё раз`,
    kk: `Код кирилл пернетақтасында терілген, оны ${s(p.count)} түрлі қалпына келтіруге болады; пернетақтаны латын тіліне ауыстырып, қайта сканерлеңіз`,
    en: `The code was typed in a Cyrillic keyboard layout and can be restored ${s(p.count)} ways; switch the layout to Latin and scan again`,
  }),
  SERIAL_LENGTH: (p) => ({
    ru: `Серийный номер (21) «${s(p.serial)}» из ${s(p.got)} симв.; для ${s(p.groupRu)} ожидается ${s(p.expected)}`,
    kk: `Сериялық нөмір (21) «${s(p.serial)}» ${s(p.got)} таңбадан тұрады; ${s(p.groupKk)} үшін ${s(p.expected)} күтіледі`,
    en: `Serial number (21) '${s(p.serial)}' has ${s(p.got)} characters; ${s(p.groupEn)} expects ${s(p.expected)}`,
  }),
  CRYPTO_LENGTH: (p) => ({
    ru: `AI (${s(p.ai)}) ${s(p.partRu)}: длина ${s(p.got)}, ожидается ${s(p.expected)}`,
    kk: `AI (${s(p.ai)}) ${s(p.partKk)}: ұзындығы ${s(p.got)}, күтілгені ${s(p.expected)}`,
    en: `AI (${s(p.ai)}) ${s(p.partEn)}: length ${s(p.got)}, expected ${s(p.expected)}`,
  }),
  DUPLICATE_AI: (p) => ({
    ru: `AI (${s(p.ai)}) встречается дважды с разными значениями: «${s(p.a)}» и «${s(p.b)}»`,
    kk: `AI (${s(p.ai)}) әртүрлі мәндермен екі рет кездеседі: «${s(p.a)}» және «${s(p.b)}»`,
    en: `AI (${s(p.ai)}) occurs twice with different values: '${s(p.a)}' and '${s(p.b)}'`,
  }),
  INTERNAL: (p) => ({
    ru: `Внутренняя ошибка разбора кода: ${s(p.detail)}`,
    kk: `Кодты талдаудағы ішкі қате: ${s(p.detail)}`,
    en: `Internal error while reading the code: ${s(p.detail)}`,
  }),
};

export function errorTexts(code: ErrorCode, params: P = {}): Texts {
  return ERRORS[code](params);
}

/** Repair codes the engine reports. */
export type RepairCode = 'SEPARATORS_RESTORED' | 'SEPARATOR_UNESCAPED' | 'KEYBOARD_LAYOUT' | 'SEPARATOR_INSERTED';

const REPAIRS: Record<RepairCode, (p: P) => Texts> = {
  SEPARATORS_RESTORED: (p) => ({
    ru: `Разделители GS отсутствовали и восстановлены по профилю «${s(p.groupRu)}» (${s(p.layoutRu)}); проверьте настройку сканера`,
    kk: `GS бөлгіштері жоқ болды, олар «${s(p.groupKk)}» профилі бойынша қалпына келтірілді (${s(p.layoutKk)}); сканер баптауын тексеріңіз`,
    en: `Group separators (GS) were missing and were restored with the '${s(p.groupEn)}' profile (${s(p.layoutEn)}); check the scanner setup`,
  }),
  SEPARATOR_UNESCAPED: (p) => ({
    ru: `Текст ${s(p.tokens)} распознан как разделитель GS (${s(p.count)} раз)`,
    kk: `${s(p.tokens)} мәтіні GS бөлгіші ретінде танылды (${s(p.count)} рет)`,
    en: `Text ${s(p.tokens)} was read as the group separator GS (${s(p.count)}×)`,
  }),
  SEPARATOR_INSERTED: (p) => ({
    ru: `После ${s(p.ais)} не было разделителя GS, которого требует GS1 после AI фиксированной длины; он вставлен; проверьте настройку сканера`,
    kk: `${s(p.ais)} кейін GS1 тұрақты ұзындықты AI-дан кейін талап ететін GS бөлгіші жоқ болды; ол қойылды; сканер баптауын тексеріңіз`,
    en: `The GS separator GS1 requires after ${s(p.ais)} (fixed length) was missing and was inserted; check the scanner setup`,
  }),
  KEYBOARD_LAYOUT: (p) => ({
    ru: `Код введён в ${s(p.layoutRu)} раскладке клавиатуры; восстановлено символов: ${s(p.count)} (например, «${s(p.from)}» → «${s(p.to)}»)`,
    kk: `Код ${s(p.layoutKk)} пернетақтасында терілген; қалпына келтірілген таңбалар: ${s(p.count)} (мысалы, «${s(p.from)}» → «${s(p.to)}»)`,
    en: `The code was typed in the ${s(p.layoutEn)} keyboard layout; ${s(p.count)} characters restored (e.g. '${s(p.from)}' → '${s(p.to)}')`,
  }),
};

export function repairTexts(code: RepairCode, params: P = {}): Texts {
  return REPAIRS[code](params);
}

/** Warning codes: GS1 pairing rules a code breaks (reported, never a refusal). */
export type WarningCode = 'MISSING_REQUIRED_AI' | 'INVALID_AI_PAIR' | 'DIGSIG_SERIAL_MISSING';

/** Every warning code, in a fixed order. */
export const WARNING_CODES: readonly WarningCode[] = ['MISSING_REQUIRED_AI', 'INVALID_AI_PAIR', 'DIGSIG_SERIAL_MISSING'];

const WARNINGS: Record<WarningCode, (p: P) => Texts> = {
  MISSING_REQUIRED_AI: (p) => ({
    ru: `По правилам GS1 AI (${s(p.ai)}) ${s(p.titleRu)} используется вместе с ${s(p.alternativesRu)}; в коде их нет`,
    kk: `GS1 ережелері бойынша AI (${s(p.ai)}) ${s(p.titleKk)} ${s(p.alternativesKk)} бірге қолданылады; кодта олар жоқ`,
    en: `By GS1's rules AI (${s(p.ai)}) ${s(p.titleEn)} goes with ${s(p.alternativesEn)}; the code has none of them`,
  }),
  INVALID_AI_PAIR: (p) => ({
    ru: `По правилам GS1 AI (${s(p.ai)}) и AI (${s(p.other)}) не используются вместе`,
    kk: `GS1 ережелері бойынша AI (${s(p.ai)}) мен AI (${s(p.other)}) бірге қолданылмайды`,
    en: `By GS1's rules AI (${s(p.ai)}) and AI (${s(p.other)}) are not used together`,
  }),
  DIGSIG_SERIAL_MISSING: (p) => ({
    ru: `С цифровой подписью (8030) AI (${s(p.other)}) должен содержать серийную часть`,
    kk: `Цифрлық қолтаңбамен (8030) AI (${s(p.other)}) сериялық бөлікті қамтуы керек`,
    en: `With a digital signature (8030), AI (${s(p.other)}) must carry its serial component`,
  }),
};

export function warningTexts(code: WarningCode, params: P = {}): Texts {
  return WARNINGS[code](params);
}

/** Names of AIs for messages, when the GS1 title is not enough. */
export const AI_TITLES: Readonly<Record<string, Texts>> = {
  '00': { ru: 'SSCC', kk: 'SSCC', en: 'SSCC' },
  '01': { ru: 'GTIN', kk: 'GTIN', en: 'GTIN' },
  '10': { ru: 'номер партии', kk: 'партия нөмірі', en: 'batch' },
  '17': { ru: 'срок годности', kk: 'жарамдылық мерзімі', en: 'expiry date' },
  '21': { ru: 'серийный номер', kk: 'сериялық нөмір', en: 'serial number' },
  '91': { ru: 'ключ проверки', kk: 'тексеру кілті', en: 'verification key' },
  '92': { ru: 'код проверки', kk: 'тексеру коды', en: 'verification code' },
  '93': { ru: 'код проверки (криптохвост)', kk: 'тексеру коды (крипто-құйрық)', en: 'crypto tail' },
  '8005': { ru: 'МРЦ', kk: 'ең жоғары бөлшек баға', en: 'maximum retail price' },
};

export function aiTitle(ai: string, title: string): Texts {
  return AI_TITLES[ai] ?? { ru: title, kk: title, en: title };
}
