/** The date fields' strings (typed in the UI language's order, issue 16), in the three languages. */
export const datesEn = {
  'date.placeholder': 'DD/MM/YYYY',
  'date.invalid': 'Type the date as day/month/year, like {example}',
} as const;

type DatesTable = Record<keyof typeof datesEn, string>;

export const datesRu: DatesTable = {
  'date.placeholder': 'ДД.ММ.ГГГГ',
  'date.invalid': 'Введите дату как день.месяц.год, например {example}',
};

export const datesKk: DatesTable = {
  'date.placeholder': 'КК.АА.ЖЖЖЖ',
  'date.invalid': 'Күнді күн.ай.жыл түрінде енгізіңіз, мысалы {example}',
};
