/**
 * "Knowing the truth" strings (issue 16): causes of a link's failure, consent purposes and the virtual printer, in the three languages; spread into each
 * language's table, so a missing translation is still a compile error.
 */
export const truthEn = {
  'failure.refused': 'Connection refused: the service is not running or the address is wrong',
  'failure.timeout': 'No answer in time',
  'failure.dns': 'Server name not found (DNS)',
  'failure.tls': 'Secure connection failed (TLS certificate)',
  'failure.reset': 'Connection dropped',
  'failure.unreachable': 'Network unreachable',
  'failure.http': 'The server answered with an error (HTTP {status})',
  'failure.auth': 'Access denied (HTTP {status}): check the token',
  'failure.ofdResult': 'The OFD refused the document (result {code})',
  'failure.serverBlock': 'The OFD blocked the register (result 15)',
  'failure.waiting': 'Offline: waiting for the next reconnect attempt',
  'failure.other': 'Failure (details below)',
  'purpose.e-receipt': 'Sending the e-receipt',
  'devices.printer.virtualTo': 'the virtual printer, pictures in {dir}',
} as const;

/** The keys above, each language must give all of them. */
type TruthTable = Record<keyof typeof truthEn, string>;

export const truthRu: TruthTable = {
  'failure.refused': 'Соединение отклонено: сервис не запущен или неверный адрес',
  'failure.timeout': 'Нет ответа за отведённое время',
  'failure.dns': 'Имя сервера не найдено (DNS)',
  'failure.tls': 'Ошибка защищённого соединения (сертификат TLS)',
  'failure.reset': 'Соединение оборвалось',
  'failure.unreachable': 'Сеть недоступна',
  'failure.http': 'Сервер ответил ошибкой (HTTP {status})',
  'failure.auth': 'Доступ запрещён (HTTP {status}): проверьте токен',
  'failure.ofdResult': 'ОФД отклонил документ (код {code})',
  'failure.serverBlock': 'ОФД заблокировал кассу (код 15)',
  'failure.waiting': 'Офлайн: ожидание следующей попытки связи',
  'failure.other': 'Сбой (подробности ниже)',
  'purpose.e-receipt': 'Отправка электронного чека',
  'devices.printer.virtualTo': 'виртуальный принтер, изображения в {dir}',
};

export const truthKk: TruthTable = {
  'failure.refused': 'Қосылу қабылданбады: қызмет іске қосылмаған немесе мекенжай қате',
  'failure.timeout': 'Белгіленген уақытта жауап жоқ',
  'failure.dns': 'Сервер атауы табылмады (DNS)',
  'failure.tls': 'Қорғалған байланыс қатесі (TLS сертификаты)',
  'failure.reset': 'Байланыс үзілді',
  'failure.unreachable': 'Желі қолжетімсіз',
  'failure.http': 'Сервер қатемен жауап берді (HTTP {status})',
  'failure.auth': 'Кіруге тыйым салынды (HTTP {status}): токенді тексеріңіз',
  'failure.ofdResult': 'ОФД құжатты қабылдамады (код {code})',
  'failure.serverBlock': 'ОФД кассаны бұғаттады (код 15)',
  'failure.waiting': 'Желіден тыс: келесі қосылу әрекеті күтілуде',
  'failure.other': 'Ақау (толығы төменде)',
  'purpose.e-receipt': 'Электрондық чекті жіберу',
  'devices.printer.virtualTo': 'виртуалды принтер, суреттер: {dir}',
};
