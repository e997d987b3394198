import { type Options, stringify } from 'csv-stringify/sync';

/**
 * RFC 4180 CSV for Excel: UTF-8 with BOM (å, ø, ß open right), CRLF rows, quoting where needed, and every text
 * cell that starts with = + - @, a tab or a carriage return neutralised with a leading apostrophe so Excel
 * does not run it as a formula; so is one whose formula sign hides behind spaces, line breaks, zero-width or
 * direction marks, or is written full-width (＝＋－＠). Number columns stay numbers; with `;` (Nordic and German Excel) they use a
 * decimal comma, as that Excel expects.
 */
export type Delimiter = ',' | ';';

export interface Column<T> {
  header: string;
  kind: 'text' | 'number';
  value: (row: T) => string | number | undefined | null;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * What can stand before a formula sign and still let a spreadsheet read it as one: blanks, control and format
 * characters, and every code point Unicode says is ignorable in display (soft hyphen, combining grapheme
 * joiner, the Hangul fillers, variation selectors, tags…), by property rather than by a list that misses some.
 */
const INVISIBLE_LEAD = /^[\s\p{Cc}\p{Cf}\p{Zs}\p{Default_Ignorable_Code_Point}]+/u;

/** The formula signs, also in their full-width and small forms (＝＋－＠, ﹦﹢﹣﹫). */
const FORMULA_SIGN = /^[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/;

export function neutralise(text: string): string {
  const risky = FORMULA_START.test(text) || FORMULA_SIGN.test(text.replace(INVISIBLE_LEAD, ''));
  return risky ? `'${text}` : text;
}

/** Strips characters that corrupt a cell in Excel without adding meaning (NUL and other C0 controls). */
function cleanText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    const control = (code < 32 && ch !== '\t' && ch !== '\n' && ch !== '\r') || code === 127;
    if (!control) out += ch;
  }
  return out;
}

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[], delimiter: Delimiter = ','): string {
  return [...csvChunks(rows, columns, delimiter)].join('');
}

/**
 * The same CSV in pieces of `rowsPerChunk` rows (the first piece is the BOM and the header), for a file written
 * as it is made: a month of 50,000 documents never sits in memory as one string.
 */
export function* csvChunks<T>(
  rows: Iterable<T>,
  columns: readonly Column<T>[],
  delimiter: Delimiter = ',',
  rowsPerChunk = 2000,
): Generator<string> {
  const options: Options = { delimiter, record_delimiter: '\r\n', quoted_match: [/^\s|\s$/, /[\r\n]/] };
  yield `\uFEFF${stringify([columns.map((c) => c.header)], options)}`;
  let records: string[][] = [];
  for (const row of rows) {
    records.push(columns.map((c) => cell(c, row, delimiter)));
    if (records.length >= rowsPerChunk) {
      yield stringify(records, options);
      records = [];
    }
  }
  if (records.length > 0) yield stringify(records, options);
}

function cell<T>(c: Column<T>, row: T, delimiter: Delimiter): string {
  const v = c.value(row);
  if (v === undefined || v === null || v === '') return '';
  if (c.kind === 'number') {
    const text = String(v);
    if (!/^-?\d+(\.\d+)?$/.test(text)) return neutralise(cleanText(text));
    return delimiter === ';' ? text.replace('.', ',') : text;
  }
  return neutralise(cleanText(String(v)));
}

/**
 * A UTC timestamp as Excel reads a date and time (`2026-11-25 14:03:07`): ISO 8601 with its `T` and `Z` stays
 * text in Excel. The column's name says UTC.
 */
export function excelTime(iso: string | undefined): string | undefined {
  if (!iso) return iso;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
