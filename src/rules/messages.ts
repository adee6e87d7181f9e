/**
 * Cashier-facing texts per reason code, in the three receipt languages. Kept as data so a
 * translator can fix a wording without touching a rule. `{x}` placeholders are filled from the
 * decision input (see `fill` in index.ts).
 */
import type { ReasonCode } from './types.ts';

/** The languages every verdict carries. */
export type Lang = 'ru' | 'kk' | 'en';

export const MESSAGES: Readonly<Record<ReasonCode, Readonly<Record<Lang, string>>>> = {
  OK: {
    ru: 'Можно продавать',
    kk: 'Сатуға болады',
    en: 'OK to sell',
  },
  OK_OFFLINE: {
    ru: 'Можно продавать (проверено по локальному кэшу, без связи)',
    kk: 'Сатуға болады (байланыссыз, жергілікті кэш бойынша тексерілді)',
    en: 'OK to sell (checked against the local cache, offline)',
  },
  RETURN_OK: {
    ru: 'Возврат принят: код продан в этом магазине',
    kk: 'Қайтару қабылданды: код осы дүкенде сатылған',
    en: 'Return accepted: the code was sold in this store',
  },
  NOT_FOUND: {
    ru: 'Код не найден в реестре маркировки',
    kk: 'Код таңбалау тізілімінде табылмады',
    en: 'Code not found in the marking registry',
  },
  NOT_INTRODUCED: {
    ru: 'Код не введён в оборот',
    kk: 'Код айналымға енгізілмеген',
    en: 'Code was never introduced into circulation',
  },
  NOT_GENUINE: {
    ru: 'Код не прошёл проверку подлинности (криптопроверка)',
    kk: 'Код түпнұсқалық тексеруден өтпеді (криптотексеру)',
    en: 'The code failed the authenticity (crypto) check',
  },
  BLOCKED: {
    ru: 'Продажа заблокирована государственным органом ({blockedBy})',
    kk: 'Сатуға мемлекеттік орган тыйым салған ({blockedBy})',
    en: 'Sale blocked by a state authority ({blockedBy})',
  },
  SOLD: {
    ru: 'Код уже продан',
    kk: 'Код бұрын сатылған',
    en: 'Code already sold',
  },
  WITHDRAWN: {
    ru: 'Код выведен из оборота',
    kk: 'Код айналымнан шығарылған',
    en: 'Code withdrawn from circulation',
  },
  EXPIRED: {
    ru: 'Срок годности истёк ({expires})',
    kk: 'Жарамдылық мерзімі өткен ({expires})',
    en: 'Expired ({expires})',
  },
  PRICE_ABOVE_MRP: {
    ru: 'Цена {price} выше максимальной розничной {mrp}',
    kk: 'Баға {price} ең жоғары бөлшек бағадан {mrp} жоғары',
    en: 'Price {price} is above the maximum retail price {mrp}',
  },
  PRICE_BELOW_MIN: {
    ru: 'Цена {price} ниже минимальной {minPrice}',
    kk: 'Баға {price} ең төменгі бағадан {minPrice} төмен',
    en: 'Price {price} is below the minimum price {minPrice}',
  },
  CACHE_STALE: {
    ru: 'Локальный кэш устарел (нет синхронизации дольше допустимого); нужно решение менеджера',
    kk: 'Жергілікті кэш ескірген (рұқсат етілгеннен ұзақ синхрондалмаған); менеджердің шешімі қажет',
    en: 'Local cache is stale (no sync within the offline limit); a manager must decide',
  },
  CACHE_NOT_READY: {
    ru: 'Код не проверен: локальный кэш ещё не загружен и нет онлайн-проверки',
    kk: 'Код тексерілмеді: жергілікті кэш әлі жүктелмеген және онлайн тексеру жоқ',
    en: 'Code not checked: the local cache is not loaded yet and no online check answered',
  },
  INVALID_CODE: {
    ru: 'Неверный код маркировки ({invalidReason})',
    kk: 'Таңбалау коды қате ({invalidReason})',
    en: 'Invalid marking code ({invalidReason})',
  },
  ALREADY_IN_BASKET: {
    ru: 'Этот код уже в чеке',
    kk: 'Бұл код чекте бар',
    en: 'This code is already in the basket',
  },
  NOT_SOLD_HERE: {
    ru: 'Нет записи о продаже этого кода в магазине; возврат требует подтверждения',
    kk: 'Бұл кодтың дүкенде сатылғаны туралы жазба жоқ; қайтаруды растау қажет',
    en: 'No record of this code being sold in this store; the return needs confirmation',
  },
  NOT_SOLD: {
    ru: 'Код не числится проданным ни в одном магазине; возврат невозможен без решения менеджера',
    kk: 'Код еш жерде сатылған болып саналмайды; менеджер шешімінсіз қайтаруға болмайды',
    en: 'The registry does not show this code as sold; it cannot be returned without a manager',
  },
};

/**
 * The same reasons when another lane of the store holds the code (the store's shared bucket):
 * `{lane}` is that lane's register id.
 */
export const LANE_MESSAGES: Readonly<Record<'SOLD' | 'ALREADY_IN_BASKET', Readonly<Record<Lang, string>>>> = {
  SOLD: {
    ru: 'Код уже продан на кассе {lane} этого магазина',
    kk: 'Код осы дүкеннің {lane} кассасында сатылған',
    en: 'Code already sold at lane {lane} of this store',
  },
  ALREADY_IN_BASKET: {
    ru: 'Этот код сейчас в чеке кассы {lane}',
    kk: 'Бұл код қазір {lane} кассасының чегінде',
    en: 'This code is in the basket of lane {lane} right now',
  },
};
