/**
 * The errors Tanba's GS1 linters report, and why each refused a value, for people, in Russian,
 * Kazakh and English. The codes and texts are Tanba's own; each names the rule of the GS1 General
 * Specifications that the value breaks. The coupon errors (8110, 8112) are composed from the
 * coupon's field names.
 */

type Texts = { ru: string; kk: string; en: string };

const t = (ru: string, kk: string, en: string): Texts => ({ ru, kk, en });

const REASONS = {
  NON_DIGIT_CHARACTER: t('на месте цифры стоит другой символ', 'цифр орнында басқа таңба тұр', 'a non-digit character where a digit is expected'),
  INVALID_CSET82_CHARACTER: t('символ вне набора GS1 CSET 82', 'GS1 CSET 82 жиынынан тыс таңба', 'a character outside GS1 CSET 82'),
  INVALID_CSET39_CHARACTER: t('символ вне набора GS1 CSET 39 (A–Z, 0–9, #, -, /)', 'GS1 CSET 39 жиынынан тыс таңба (A–Z, 0–9, #, -, /)', 'a character outside GS1 CSET 39 (A–Z, 0–9, #, -, /)'),
  INVALID_CSET64_CHARACTER: t('символ вне набора GS1 CSET 64 (base64url)', 'GS1 CSET 64 жиынынан тыс таңба (base64url)', 'a character outside GS1 CSET 64 (base64url)'),
  INVALID_CSET64_PADDING: t('неверное дополнение «=» в CSET 64', 'CSET 64 ішіндегі «=» толықтыруы қате', 'wrong "=" padding of CSET 64 data'),
  INCORRECT_CHECK_DIGIT: t('неверная контрольная цифра', 'бақылау цифры қате', 'the check digit is incorrect'),
  TOO_SHORT_FOR_CHECK_DIGIT: t('слишком коротко для контрольной цифры', 'бақылау цифры үшін тым қысқа', 'too short for a check digit'),
  INCORRECT_CHECK_PAIR: t('неверная пара контрольных символов', 'бақылау таңбаларының жұбы қате', 'the check character pair is incorrect'),
  TOO_SHORT_FOR_CHECK_PAIR: t('слишком коротко для пары контрольных символов', 'бақылау таңбалары жұбы үшін тым қысқа', 'too short for a check character pair'),
  TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION: t('слишком длинно для пары контрольных символов', 'бақылау таңбалары жұбы үшін тым ұзын', 'too long for a check character pair'),
  INVALID_GCP_PREFIX: t('неверный префикс компании GS1', 'GS1 компания префиксі қате', 'the GS1 Company Prefix is invalid'),
  TOO_SHORT_FOR_GCP: t('короче префикса компании GS1', 'GS1 компания префиксінен қысқа', 'shorter than a GS1 Company Prefix'),
  IMPORTER_IDX_MUST_BE_ONE_CHARACTER: t('индекс импортёра — ровно один символ', 'импорттаушы индексі — дәл бір таңба', 'the importer index must be one character'),
  INVALID_IMPORT_IDX_CHARACTER: t('недопустимый символ индекса импортёра', 'импорттаушы индексінің таңбасы жарамсыз', 'the importer index character is not allowed'),
  ILLEGAL_ZERO_VALUE: t('значение не может быть нулевым', 'мән нөл бола алмайды', 'a non-zero value is required'),
  NOT_ZERO: t('здесь должен быть ноль', 'мұнда нөл болуы керек', 'a zero is required'),
  ILLEGAL_ZERO_PREFIX: t('ведущий ноль не допускается', 'алдыңғы нөлге рұқсат жоқ', 'a leading zero is not permitted'),
  NOT_ZERO_OR_ONE: t('допустимо только «0» или «1»', 'тек «0» немесе «1» рұқсат', 'only "0" or "1" is allowed'),
  INVALID_WINDING_DIRECTION: t('направление намотки — «0», «1» или «9»', 'орау бағыты — «0», «1» немесе «9»', 'the winding direction must be "0", "1" or "9"'),
  NOT_ISO3166: t('нет такого цифрового кода страны ISO 3166', 'ISO 3166 бойынша мұндай елдің сандық коды жоқ', 'not an ISO 3166 numeric country code'),
  NOT_ISO3166_OR_999: t('нет такого цифрового кода страны ISO 3166 (и это не 999)', 'ISO 3166 бойынша мұндай елдің сандық коды жоқ (және 999 емес)', 'not an ISO 3166 numeric country code or 999'),
  NOT_ISO3166_ALPHA2: t('нет такого двухбуквенного кода страны ISO 3166', 'ISO 3166 бойынша мұндай екі әріпті ел коды жоқ', 'not an ISO 3166 alpha-2 country code'),
  NOT_ISO4217: t('нет такого цифрового кода валюты ISO 4217', 'ISO 4217 бойынша мұндай валютаның сандық коды жоқ', 'not an ISO 4217 numeric currency code'),
  IBAN_TOO_SHORT: t('IBAN слишком короткий', 'IBAN тым қысқа', 'the IBAN is too short'),
  IBAN_TOO_LONG: t('IBAN слишком длинный', 'IBAN тым ұзын', 'the IBAN is too long'),
  INVALID_IBAN_CHARACTER: t('недопустимый символ в IBAN', 'IBAN ішінде жарамсыз таңба', 'an invalid character in the IBAN'),
  ILLEGAL_IBAN_COUNTRY_CODE: t('IBAN начинается не с кода страны ISO 3166', 'IBAN ISO 3166 ел кодынан басталмайды', 'the IBAN does not start with an ISO 3166 country code'),
  INCORRECT_IBAN_CHECKSUM: t('неверные контрольные цифры IBAN', 'IBAN бақылау цифрлары қате', 'the IBAN check digits are incorrect'),
  DATE_TOO_SHORT: t('дата слишком короткая', 'күн тым қысқа', 'the date is too short'),
  DATE_TOO_LONG: t('дата слишком длинная', 'күн тым ұзын', 'the date is too long'),
  ILLEGAL_MONTH: t('такого месяца нет', 'мұндай ай жоқ', 'no such month'),
  ILLEGAL_DAY: t('такого дня в этом месяце нет', 'бұл айда мұндай күн жоқ', 'no such day in that month'),
  HOUR_WITH_MINUTE_TOO_SHORT: t('время ЧЧММ слишком короткое', 'ССММ уақыты тым қысқа', 'the time HHMM is too short'),
  HOUR_WITH_MINUTE_TOO_LONG: t('время ЧЧММ слишком длинное', 'ССММ уақыты тым ұзын', 'the time HHMM is too long'),
  HOUR_TOO_SHORT: t('час слишком короткий', 'сағат тым қысқа', 'the hour is too short'),
  HOUR_TOO_LONG: t('час слишком длинный', 'сағат тым ұзын', 'the hour is too long'),
  MINUTE_TOO_SHORT: t('минуты слишком короткие', 'минут тым қысқа', 'the minute is too short'),
  MINUTE_TOO_LONG: t('минуты слишком длинные', 'минут тым ұзын', 'the minute is too long'),
  SECOND_TOO_SHORT: t('секунды слишком короткие', 'секунд тым қысқа', 'the second is too short'),
  SECOND_TOO_LONG: t('секунды слишком длинные', 'секунд тым ұзын', 'the second is too long'),
  ILLEGAL_HOUR: t('час больше 23', 'сағат 23-тен артық', 'the hour is above 23'),
  ILLEGAL_MINUTE: t('минуты больше 59', 'минут 59-дан артық', 'the minute is above 59'),
  ILLEGAL_SECOND: t('секунды больше 59', 'секунд 59-дан артық', 'the second is above 59'),
  INVALID_LENGTH_FOR_PIECE_OF_TOTAL: t('номер части и число частей должны быть одной длины', 'бөлік нөмірі мен бөліктер саны бірдей ұзындықта болуы керек', 'the piece number and total must have the same length'),
  ZERO_PIECE_NUMBER: t('номер части не может быть нулевым', 'бөлік нөмірі нөл бола алмайды', 'the piece number cannot be zero'),
  ZERO_TOTAL_PIECES: t('число частей не может быть нулевым', 'бөліктер саны нөл бола алмайды', 'the total number of pieces cannot be zero'),
  PIECE_NUMBER_EXCEEDS_TOTAL: t('номер части больше числа частей', 'бөлік нөмірі бөліктер санынан үлкен', 'the piece number exceeds the total'),
  INVALID_PERCENT_SEQUENCE: t('после «%» должны идти две шестнадцатеричные цифры', '«%» кейін екі он алтылық цифр болуы керек', '"%" must be followed by two hex digits'),
  INVALID_LATITUDE: t('широта вне диапазона', 'ендік ауқымнан тыс', 'the latitude is out of range'),
  INVALID_LONGITUDE: t('долгота вне диапазона', 'бойлық ауқымнан тыс', 'the longitude is out of range'),
  LATITUDE_INVALID_LENGTH: t('широта — ровно 10 цифр', 'ендік — дәл 10 цифр', 'the latitude must be 10 digits'),
  LONGITUDE_INVALID_LENGTH: t('долгота — ровно 10 цифр', 'бойлық — дәл 10 цифр', 'the longitude must be 10 digits'),
  INVALID_MEDIA_TYPE: t('нет такого типа носителя AIDC', 'мұндай AIDC тасығыш түрі жоқ', 'not an AIDC media type'),
  NOT_HYPHEN: t('здесь допустим только дефис «-»', 'мұнда тек «-» сызықшасы рұқсат', 'only a hyphen "-" is allowed'),
  INVALID_BIOLOGICAL_SEX_CODE: t('код пола ISO 5218 — 0, 1, 2 или 9', 'ISO 5218 жыныс коды — 0, 1, 2 немесе 9', 'the ISO 5218 sex code must be 0, 1, 2 or 9'),
  POSITION_IN_SEQUENCE_MALFORMED: t('ожидается «номер/всего»', '«нөмір/барлығы» күтіледі', '"position/total" expected'),
  POSITION_EXCEEDS_END: t('номер больше общего числа', 'нөмір жалпы саннан үлкен', 'the position exceeds the total'),
  REQUIRES_NON_DIGIT_CHARACTER: t('нужен хотя бы один нецифровой символ', 'кемінде бір цифр емес таңба керек', 'at least one non-digit character is required'),
  INVALID_PACKAGE_TYPE: t('код типа упаковки — 1–3 заглавные латинские буквы или цифры', 'қаптама түрінің коды — 1–3 бас латын әрпі немесе цифр', 'a package type code is 1–3 upper-case letters or digits'),
} satisfies Record<string, Texts>;

type Ord = '1ST' | '2ND' | '3RD';
type PurchaseField = `${Ord}_PURCHASE_REQUIREMENT` | `${Ord}_PURCHASE_REQUIREMENT_CODE` | `${Ord}_PURCHASE_FAMILY_CODE`;

/** A coupon (8110, 8112) error: what is wrong with which of its fields. */
export type CouponError =
  | 'COUPON_EXCESS_DATA' | 'COUPON_EXPIRATION_BEFORE_START'
  | `COUPON_MISSING_${'FORMAT_CODE' | 'FUNDER_VLI' | 'GCP_VLI' | 'SAVE_VALUE_VLI' | 'SERIAL_NUMBER_VLI' | 'RETAILER_GCP_OR_GLN_VLI'
    | 'ADDITIONAL_PURCHASE_RULES_CODE' | 'SAVE_VALUE_CODE' | 'SAVE_VALUE_APPLIES_TO_ITEM' | 'STORE_COUPON_FLAG' | 'DONT_MULTIPLY_FLAG'
    | `${Ord}_PURCHASE_REQUIREMENT_VLI` | `${Ord}_PURCHASE_REQUIREMENT_CODE` | `${'2ND' | '3RD'}_PURCHASE_GCP_VLI`}`
  | `COUPON_INVALID_${'FORMAT_CODE' | 'FUNDER_LENGTH' | 'GCP_LENGTH' | 'SAVE_VALUE_LENGTH' | 'RETAILER_GCP_OR_GLN_LENGTH'
    | 'ADDITIONAL_PURCHASE_RULES_CODE' | 'SAVE_VALUE_CODE' | 'SAVE_VALUE_APPLIES_TO_ITEM' | 'DONT_MULTIPLY_FLAG' | 'EXPIRATION_DATE' | 'START_DATE'
    | `${Ord}_PURCHASE_REQUIREMENT_LENGTH` | `${Ord}_PURCHASE_REQUIREMENT_CODE` | `${'2ND' | '3RD'}_PURCHASE_GCP_LENGTH`}`
  | `COUPON_TRUNCATED_${'FUNDER' | 'GCP' | 'OFFER_CODE' | 'SAVE_VALUE' | 'SERIAL_NUMBER' | 'RETAILER_GCP_OR_GLN'
    | Exclude<PurchaseField, `${Ord}_PURCHASE_REQUIREMENT_CODE`> | `${'2ND' | '3RD'}_PURCHASE_GCP`}`
  | `COUPON_TOO_SHORT_FOR_${'EXPIRATION_DATE' | 'START_DATE'}`;

/** Every error a GS1 linter of Tanba reports (src/marking/gs1/lint-*.ts). */
export type LintError = keyof typeof REASONS | CouponError;

const ORDS: readonly Ord[] = ['1ST', '2ND', '3RD'];

/** Every coupon error, for the tests that check each has a reason. */
export const COUPON_ERRORS: readonly CouponError[] = [
  'COUPON_EXCESS_DATA', 'COUPON_EXPIRATION_BEFORE_START',
  ...(['FORMAT_CODE', 'FUNDER_VLI', 'GCP_VLI', 'SAVE_VALUE_VLI', 'SERIAL_NUMBER_VLI', 'RETAILER_GCP_OR_GLN_VLI', 'ADDITIONAL_PURCHASE_RULES_CODE',
    'SAVE_VALUE_CODE', 'SAVE_VALUE_APPLIES_TO_ITEM', 'STORE_COUPON_FLAG', 'DONT_MULTIPLY_FLAG'] as const).map((f) => `COUPON_MISSING_${f}` as const),
  ...ORDS.flatMap((o) => [`COUPON_MISSING_${o}_PURCHASE_REQUIREMENT_VLI`, `COUPON_MISSING_${o}_PURCHASE_REQUIREMENT_CODE`] as const),
  ...(['2ND', '3RD'] as const).map((o) => `COUPON_MISSING_${o}_PURCHASE_GCP_VLI` as const),
  ...(['FORMAT_CODE', 'FUNDER_LENGTH', 'GCP_LENGTH', 'SAVE_VALUE_LENGTH', 'RETAILER_GCP_OR_GLN_LENGTH', 'ADDITIONAL_PURCHASE_RULES_CODE',
    'SAVE_VALUE_CODE', 'SAVE_VALUE_APPLIES_TO_ITEM', 'DONT_MULTIPLY_FLAG', 'EXPIRATION_DATE', 'START_DATE'] as const).map((f) => `COUPON_INVALID_${f}` as const),
  ...ORDS.flatMap((o) => [`COUPON_INVALID_${o}_PURCHASE_REQUIREMENT_LENGTH`, `COUPON_INVALID_${o}_PURCHASE_REQUIREMENT_CODE`] as const),
  ...(['2ND', '3RD'] as const).map((o) => `COUPON_INVALID_${o}_PURCHASE_GCP_LENGTH` as const),
  ...(['FUNDER', 'GCP', 'OFFER_CODE', 'SAVE_VALUE', 'SERIAL_NUMBER', 'RETAILER_GCP_OR_GLN'] as const).map((f) => `COUPON_TRUNCATED_${f}` as const),
  ...ORDS.flatMap((o) => [`COUPON_TRUNCATED_${o}_PURCHASE_REQUIREMENT`, `COUPON_TRUNCATED_${o}_PURCHASE_FAMILY_CODE`] as const),
  ...(['2ND', '3RD'] as const).map((o) => `COUPON_TRUNCATED_${o}_PURCHASE_GCP` as const),
  'COUPON_TOO_SHORT_FOR_EXPIRATION_DATE', 'COUPON_TOO_SHORT_FOR_START_DATE',
];

/** Every linter error (for tests). */
export const LINT_ERRORS: readonly LintError[] = [...(Object.keys(REASONS) as (keyof typeof REASONS)[]), ...COUPON_ERRORS];

const COUPON_FIELDS: Record<string, Texts> = {
  FORMAT_CODE: t('код формата', 'пішім коды', 'format code'),
  FUNDER: t('идентификатор спонсора', 'демеуші идентификаторы', 'funder ID'),
  OFFER_CODE: t('код предложения', 'ұсыныс коды', 'offer code'),
  SERIAL_NUMBER: t('серийный номер', 'сериялық нөмір', 'serial number'),
  GCP: t('префикс компании GS1', 'GS1 компания префиксі', 'GS1 Company Prefix'),
  SAVE_VALUE: t('сумма скидки', 'жеңілдік сомасы', 'save value'),
  SAVE_VALUE_CODE: t('код суммы скидки', 'жеңілдік сомасының коды', 'save value code'),
  SAVE_VALUE_APPLIES_TO_ITEM: t('к какому товару относится скидка', 'жеңілдік қай тауарға қатысты', 'save value applies-to-item'),
  PURCHASE_REQUIREMENT: t('условие покупки', 'сатып алу шарты', 'purchase requirement'),
  PURCHASE_REQUIREMENT_CODE: t('код условия покупки', 'сатып алу шартының коды', 'purchase requirement code'),
  PURCHASE_FAMILY_CODE: t('код семейства товаров', 'тауар тобының коды', 'purchase family code'),
  PURCHASE_GCP: t('префикс компании GS1 покупки', 'сатып алудың GS1 компания префиксі', 'purchase GS1 Company Prefix'),
  ADDITIONAL_PURCHASE_RULES_CODE: t('код дополнительных правил покупки', 'қосымша сатып алу ережелерінің коды', 'additional purchase rules code'),
  EXPIRATION_DATE: t('дата окончания', 'аяқталу күні', 'expiration date'),
  START_DATE: t('дата начала', 'басталу күні', 'start date'),
  RETAILER_GCP_OR_GLN: t('префикс или GLN магазина', 'дүкеннің префиксі немесе GLN', 'retailer GCP or GLN'),
  STORE_COUPON_FLAG: t('признак купона магазина', 'дүкен купонының белгісі', 'store coupon flag'),
  DONT_MULTIPLY_FLAG: t('признак «не умножать»', '«көбейтпеу» белгісі', "don't multiply flag"),
};

const ORDINALS: Record<string, Texts> = { '1ST': t('1-е', '1-ші', '1st'), '2ND': t('2-е', '2-ші', '2nd'), '3RD': t('3-е', '3-ші', '3rd') };

/** A coupon error's reason from its name: COUPON_<MISSING|INVALID|TRUNCATED|TOO_SHORT_FOR>_<field>[_VLI|_LENGTH]. */
function couponReason(error: string): Texts | undefined {
  if (error === 'COUPON_EXCESS_DATA') return t('купон: лишние данные в конце', 'купон: соңында артық деректер', 'coupon: excess data at the end');
  if (error === 'COUPON_EXPIRATION_BEFORE_START') return t('купон: дата окончания раньше даты начала', 'купон: аяқталу күні басталу күнінен ерте', 'coupon: the expiration date is before the start date');
  const m = /^COUPON_(MISSING|INVALID|TRUNCATED|TOO_SHORT_FOR)_(?:(1ST|2ND|3RD)_)?(.+?)(_VLI|_LENGTH)?$/.exec(error);
  if (m === null) return undefined;
  const [, verb, ord, fieldName, suffix] = m as unknown as [string, string, string | undefined, string, string | undefined];
  const field = COUPON_FIELDS[fieldName];
  if (field === undefined) return undefined;
  const o = ord === undefined ? undefined : ORDINALS[ord];
  const name = (lang: keyof Texts): string => {
    const base = o === undefined ? field[lang] : `${o[lang]} ${field[lang]}`;
    if (suffix === undefined) return base;
    return lang === 'ru' ? `указатель длины (${base})` : lang === 'kk' ? `ұзындық көрсеткіші (${base})` : `length indicator of the ${base}`;
  };
  const verbs: Record<string, Texts> = {
    MISSING: t('нет поля', 'өріс жоқ', 'missing'),
    INVALID: t('недопустимое поле', 'жарамсыз өріс', 'invalid'),
    TRUNCATED: t('поле обрезано', 'өріс қысқартылған', 'truncated'),
    TOO_SHORT_FOR: t('не хватает данных на поле', 'өріске деректер жетпейді', 'too short for the'),
  };
  const v = verbs[verb] as Texts;
  return t(`купон: ${v.ru} «${name('ru')}»`, `купон: ${v.kk} «${name('kk')}»`, `coupon: ${v.en} ${name('en')}`);
}

/** Why a linter refused a value, in every language (the code itself when none is known). */
export function lintReason(error: LintError): Texts {
  const text = error in REASONS ? REASONS[error as keyof typeof REASONS] : couponReason(error);
  return text ?? { ru: error, kk: error, en: error };
}
