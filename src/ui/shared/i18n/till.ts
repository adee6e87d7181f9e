/**
 * The till's returns, shift cash and e-receipt strings (issue 16), in the three languages; spread
 * into each language's table, so a missing translation is still a compile error.
 */
export const tillEn = {
  'return.find': 'Find the sale: scan an item, or type the receipt number, fiscal sign or sale ID',
  'return.findHint': 'Press Enter to search',
  'return.today': 'Today\'s sales',
  'return.noneFound': 'No sale found',
  'return.saleSummary': 'Receipt {n} · {time} · {total}',
  'return.ticket': 'fiscal sign {ticket}',
  'return.lines': 'Items of the sale: tick what the customer brings back',
  'return.returned': 'already returned',
  'return.refund': 'Refund',
  'return.refundAuto': 'As paid',
  'return.refundCash': 'Cash',
  'return.refundCard': 'Card',
  'return.approval': 'This store needs a manager\'s approval for returns',
  'return.manager': 'Manager\'s name',
  'return.pin': 'Manager\'s PIN',
  'return.needManager': 'Enter the manager\'s name and PIN',
  'return.selected': 'To return: {n} · {total}',
  'error.APPROVAL_REQUIRED': 'A manager must approve this return (name and PIN)',
  'error.NOT_ENOUGH_CASH': 'The drawer does not hold that much cash by the shift\'s records',
} as const;

/** The keys above, each language must give all of them. */
type TillTable = Record<keyof typeof tillEn, string>;

export const tillRu: TillTable = {
  'return.find': 'Найдите продажу: отсканируйте товар или введите номер чека, фискальный признак или ID продажи',
  'return.findHint': 'Нажмите Enter для поиска',
  'return.today': 'Продажи за сегодня',
  'return.noneFound': 'Продажа не найдена',
  'return.saleSummary': 'Чек {n} · {time} · {total}',
  'return.ticket': 'фискальный признак {ticket}',
  'return.lines': 'Товары продажи: отметьте, что возвращает покупатель',
  'return.returned': 'уже возвращён',
  'return.refund': 'Возврат денег',
  'return.refundAuto': 'Как оплачено',
  'return.refundCash': 'Наличными',
  'return.refundCard': 'На карту',
  'return.approval': 'В этом магазине возврат подтверждает менеджер',
  'return.manager': 'Имя менеджера',
  'return.pin': 'PIN менеджера',
  'return.needManager': 'Введите имя и PIN менеджера',
  'return.selected': 'К возврату: {n} · {total}',
  'error.APPROVAL_REQUIRED': 'Этот возврат должен подтвердить менеджер (имя и PIN)',
  'error.NOT_ENOUGH_CASH': 'По данным смены в кассе нет столько наличных',
};

export const tillKk: TillTable = {
  'return.find': 'Сатуды табыңыз: тауарды сканерлеңіз немесе чек нөмірін, фискалдық белгіні не сату ID-ін енгізіңіз',
  'return.findHint': 'Іздеу үшін Enter басыңыз',
  'return.today': 'Бүгінгі сатулар',
  'return.noneFound': 'Сату табылмады',
  'return.saleSummary': 'Чек {n} · {time} · {total}',
  'return.ticket': 'фискалдық белгі {ticket}',
  'return.lines': 'Сатудағы тауарлар: сатып алушы қайтаратынын белгілеңіз',
  'return.returned': 'қайтарылған',
  'return.refund': 'Ақшаны қайтару',
  'return.refundAuto': 'Төленгендей',
  'return.refundCash': 'Қолма-қол',
  'return.refundCard': 'Картаға',
  'return.approval': 'Бұл дүкенде қайтаруды менеджер растайды',
  'return.manager': 'Менеджердің аты',
  'return.pin': 'Менеджердің PIN-і',
  'return.needManager': 'Менеджердің аты мен PIN-ін енгізіңіз',
  'return.selected': 'Қайтаруға: {n} · {total}',
  'error.APPROVAL_REQUIRED': 'Бұл қайтаруды менеджер растауы керек (аты мен PIN)',
  'error.NOT_ENOUGH_CASH': 'Ауысым деректері бойынша кассада мұнша қолма-қол жоқ',
};
