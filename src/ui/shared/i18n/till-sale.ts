/**
 * The till's strings for the end of a sale (change, amounts short or absurd), the manager's kept
 * cash, refusals and the return dialog's receipt numbers (issue 16), in the three languages;
 * spread into each language's table, so a missing translation is still a compile error.
 */
export const tillSaleEn = {
  'sales.tenderedChange': 'tendered {tendered}, change {change}',
  'pay.problem.shortBy': 'Not enough: {missing} more is needed',
  'pay.largeChange': 'Change of {change} is more than the largest banknote ({note}): check the amount tendered, then press Confirm again',
  'pay.doneChange': 'Sale completed: {total} · change {change}',
  'change.give': 'Change: {change}',
  'change.detail': 'Sale {total} · tendered {tendered}',
  'change.none': 'Sale completed: {total}',
  'return.saleId': 'Sale ID (only if the search does not find the sale)',
  'ereceipt.phoneAs': 'Saved as {phone}',
  'ereceipt.problem.phoneKz': 'A Kazakhstan number is +7 and 10 digits, e.g. +7 701 123 45 67 or 8 701 123 45 67',
};

type TillSaleTable = Record<keyof typeof tillSaleEn, string>;

export const tillSaleRu: TillSaleTable = {
  'sales.tenderedChange': 'получено {tendered}, сдача {change}',
  'pay.problem.shortBy': 'Недостаточно: не хватает {missing}',
  'pay.largeChange': 'Сдача {change} больше самой крупной купюры ({note}): проверьте полученную сумму и нажмите «Завершить продажу» ещё раз',
  'pay.doneChange': 'Продажа завершена: {total} · сдача {change}',
  'change.give': 'Сдача: {change}',
  'change.detail': 'Продажа {total} · получено {tendered}',
  'change.none': 'Продажа завершена: {total}',
  'return.saleId': 'ID продажи (только если поиск не нашёл продажу)',
  'ereceipt.phoneAs': 'Будет сохранён как {phone}',
  'ereceipt.problem.phoneKz': 'Номер в Казахстане: +7 и 10 цифр, например +7 701 123 45 67 или 8 701 123 45 67',
};

export const tillSaleKk: TillSaleTable = {
  'sales.tenderedChange': 'алынды {tendered}, қайтарым {change}',
  'pay.problem.shortBy': 'Жеткіліксіз: тағы {missing} керек',
  'pay.largeChange': '{change} қайтарым ең ірі банкноттан ({note}) көп: алынған соманы тексеріп, «Сатуды аяқтау» батырмасын қайта басыңыз',
  'pay.doneChange': 'Сату аяқталды: {total} · қайтарым {change}',
  'change.give': 'Қайтарым: {change}',
  'change.detail': 'Сату {total} · алынды {tendered}',
  'change.none': 'Сату аяқталды: {total}',
  'return.saleId': 'Сату ID (іздеу сатуды таппаса ғана)',
  'ereceipt.phoneAs': '{phone} ретінде сақталады',
  'ereceipt.problem.phoneKz': 'Қазақстандағы нөмір: +7 және 10 цифр, мысалы +7 701 123 45 67 немесе 8 701 123 45 67',
};
