/**
 * Text for the error codes the core answers that had none (issue 16): price rules, approvals
 * from a second screen, the cache's import and job codes, the scanner emulator, internal errors,
 * and the parse codes a refused scan can carry. Spread into each language's table, so a missing
 * translation is a compile error; test/ui-messages.test.ts fails when the core sends a code
 * without a text here or in the main tables.
 */
export const codesEn = {
  'error.PRICE_REFUSED': 'The price breaks a price rule (above the maximum retail price or below the minimum): change the price or remove the line',
  'error.SELF_APPROVAL': 'You cannot approve your own request; another manager must approve it',
  'error.BUSY': 'The status cache is busy with another job; try again when it has finished',
  'error.LEASE_LOST': 'Another process took over the status cache update; try again',
  'error.ABORTED': 'The import was stopped; nothing was applied',
  'error.BAD_RECORD': 'The file has a bad record; nothing was applied',
  'error.TRUNCATED': 'The file ends in the middle of a record; nothing was applied',
  'error.EMPTY': 'The file is empty; nothing was applied',
  'error.CURSOR_GAP': 'This update does not follow the last one the register has; import a full snapshot',
  'error.NO_SCANNER': 'The training scanner is not running; the technician should check the logs',
  'error.INTERNAL': 'The register hit an internal error; the log has the details. Try again or call the technician',
  'error.AGGREGATE_CODE': 'This is a box (aggregate) code, not an item: scan the item itself',
  'error.NO_CIS': 'The code has no identification part the register can read',
  'error.NOT_A_MARKING_CODE': 'This is a plain barcode, not a marking code',
} as const;

type CodesTable = Record<keyof typeof codesEn, string>;

export const codesRu: CodesTable = {
  'error.PRICE_REFUSED': 'Цена нарушает ценовое правило (выше максимальной розничной или ниже минимальной): измените цену или удалите строку',
  'error.SELF_APPROVAL': 'Нельзя подтвердить собственный запрос; его должен подтвердить другой менеджер',
  'error.BUSY': 'Кэш статусов занят другой задачей; попробуйте, когда она закончится',
  'error.LEASE_LOST': 'Обновление кэша статусов перехватил другой процесс; попробуйте ещё раз',
  'error.ABORTED': 'Импорт остановлен; ничего не применено',
  'error.BAD_RECORD': 'В файле неверная запись; ничего не применено',
  'error.TRUNCATED': 'Файл обрывается посреди записи; ничего не применено',
  'error.EMPTY': 'Файл пуст; ничего не применено',
  'error.CURSOR_GAP': 'Это обновление не следует за последним, которое есть у кассы; импортируйте полный снимок',
  'error.NO_SCANNER': 'Учебный сканер не запущен; технику стоит посмотреть журнал',
  'error.INTERNAL': 'Внутренняя ошибка кассы; подробности в журнале. Попробуйте ещё раз или позовите техника',
  'error.AGGREGATE_CODE': 'Это код упаковки (агрегата), а не товара: отсканируйте сам товар',
  'error.NO_CIS': 'В коде нет идентификатора, который касса может прочитать',
  'error.NOT_A_MARKING_CODE': 'Это обычный штрихкод, а не код маркировки',
};

export const codesKk: CodesTable = {
  'error.PRICE_REFUSED': 'Баға баға ережесін бұзады (ең жоғары бөлшек бағадан жоғары немесе ең төменгіден төмен): бағаны өзгертіңіз немесе жолды алып тастаңыз',
  'error.SELF_APPROVAL': 'Өз сұрауыңызды растай алмайсыз; оны басқа менеджер растауы керек',
  'error.BUSY': 'Мәртебе кэші басқа жұмыспен бос емес; ол аяқталғанда қайталап көріңіз',
  'error.LEASE_LOST': 'Мәртебе кэшін жаңартуды басқа процесс алды; қайталап көріңіз',
  'error.ABORTED': 'Импорт тоқтатылды; ештеңе қолданылмады',
  'error.BAD_RECORD': 'Файлда қате жазба бар; ештеңе қолданылмады',
  'error.TRUNCATED': 'Файл жазбаның ортасында үзіледі; ештеңе қолданылмады',
  'error.EMPTY': 'Файл бос; ештеңе қолданылмады',
  'error.CURSOR_GAP': 'Бұл жаңарту кассадағы соңғысының жалғасы емес; толық суретті импорттаңыз',
  'error.NO_SCANNER': 'Оқу сканері іске қосылмаған; техник журналды қарауы керек',
  'error.INTERNAL': 'Кассаның ішкі қатесі; толығы журналда. Қайталап көріңіз немесе техникті шақырыңыз',
  'error.AGGREGATE_CODE': 'Бұл тауардың емес, қаптаманың (агрегаттың) коды: тауардың өзін сканерлеңіз',
  'error.NO_CIS': 'Кодта касса оқи алатын сәйкестендіргіш жоқ',
  'error.NOT_A_MARKING_CODE': 'Бұл таңбалау коды емес, кәдімгі штрихкод',
};
