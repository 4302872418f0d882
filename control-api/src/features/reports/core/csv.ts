// CSV as RFC 4180 defines it, safe to open in a spreadsheet.
//
// RFC 4180 section 2: records end with CRLF; a header line first; a field holding a comma, a double
// quote, CR or LF is enclosed in double quotes, and a double quote inside it is written twice.
// Text that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR: OWASP "CSV
// Injection") gets a leading apostrophe; numbers are written as numbers.

export interface CsvColumn<Row> {
  readonly header: string;
  readonly value: (row: Row) => CsvValue;
}

type CsvValue = string | number | null;

/** Columns named after the row's own fields, in the order given: the CSV holds the JSON rows as they are. */
export function fieldColumns<Row extends Record<Field, CsvValue>, Field extends keyof Row & string>(
  fields: readonly Field[],
): CsvColumn<Row>[] {
  return fields.map((field) => ({ header: field, value: (row: Row) => row[field] }));
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderCsv<Row>(columns: readonly CsvColumn<Row>[], rows: Iterable<Row>): string {
  const lines = [columns.map((column) => csvField(column.header)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
