import { describe, expect, it } from 'vitest';
import { type Column, csvChunks, neutralise, toCsv } from '../../electron/report/csv.js';
import { parseCsv } from '../helpers/parse-csv.js';

type Row = { name: string; amount: string };
const columns: Column<Row>[] = [
  { header: 'name', kind: 'text', value: (r) => r.name },
  { header: 'amount', kind: 'number', value: (r) => r.amount },
];

describe('CSV for Excel', () => {
  it('is RFC 4180 with a UTF-8 BOM and CRLF rows', () => {
    const csv = toCsv([{ name: 'Müller & Groß, "GmbH"', amount: '12.50' }], columns);
    expect(csv).toBe('\uFEFFname,amount\r\n"Müller & Groß, ""GmbH""",12.50\r\n');
  });

  it('comes out the same in pieces: the header first, then so many rows at a time', () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ name: i % 2 ? ` =x${i}` : `line\n${i}`, amount: `-${i}.5` }));
    const pieces = [...csvChunks(rows, columns, ';', 3)];
    expect(pieces).toHaveLength(1 + 3);
    expect(pieces[0]).toBe('\uFEFFname;amount\r\n');
    expect(pieces.join('')).toBe(toCsv(rows, columns, ';'));
    expect([...csvChunks([], columns)].join('')).toBe(toCsv([], columns));
  });

  it('neutralises formula cells but leaves negative numbers as numbers', () => {
    const rows: Row[] = [
      { name: '=HYPERLINK("http://evil","x")', amount: '-31.38' },
      { name: '+1+1', amount: '0.00' },
      { name: '-2+3', amount: '1' },
      { name: '@SUM(A1)', amount: '2' },
      { name: '\tTabbed', amount: '3' },
      { name: 'Ørsted Værktøj', amount: '=1+1' },
    ];
    const lines = toCsv(rows, columns).slice(1).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil"",""x"")",-31.38`);
    expect(lines[2]).toBe(`'+1+1,0.00`);
    expect(lines[3]).toBe(`'-2+3,1`);
    expect(lines[4]).toBe(`'@SUM(A1),2`);
    expect(lines[5]).toBe(`'\tTabbed,3`);
    expect(lines[6]).toBe(`Ørsted Værktøj,'=1+1`);
    expect(neutralise('plain')).toBe('plain');
  });

  it('neutralises a formula hidden behind spaces, newlines, zero-width characters or full-width signs', () => {
    const hidden = [
      ' =1+1',
      '   @SUM(A1)',
      '\n=HYPERLINK("http://evil","x")',
      '\r\n+cmd',
      '\u200B=1+1',
      '\u200C\u200D-2+3',
      '\u2060@SUM(A1)',
      '\uFEFF=1+1',
      '\u00A0=1+1',
      '\u3000=1+1',
      '\uFF1D1+1',
      '\uFF0Bcmd',
      '\uFF0D2+3',
      '\uFF20SUM(A1)',
      ' \u200B\uFF1DHYPERLINK("http://evil")',
      // Invisible too: next line, soft hyphen, combining grapheme joiner, the Hangul fillers.
      '\u0085=1+1',
      '\u00AD=1+1',
      '\u034F=1+1',
      '\u115F=1+1',
      '\u3164=1+1',
      '\uFFA0=1+1',
      '\u00AD\u3164 \uFF1D1+1',
    ];
    for (const text of hidden) expect(neutralise(text), JSON.stringify(text)).toBe(`'${text}`);
    const csv = toCsv(
      hidden.map((name) => ({ name, amount: '1' })),
      columns,
    );
    const cells = parseCsv(csv)
      .slice(1)
      .map((row) => row[0]!);
    expect(cells).toEqual(hidden.map((text) => `'${text}`));
    // Text that only looks close stays as it is.
    for (const text of ['Ørsted', ' Storgatan 4', '\u200BAB Volvo', 'a=b', 'x@y.se', 'ＡＢ'])
      expect(neutralise(text)).toBe(text);
  });

  it('uses ; and a decimal comma for Nordic and German Excel', () => {
    const csv = toCsv([{ name: 'Åkesson; Söner', amount: '-1234.50' }], columns, ';');
    expect(csv).toBe('\uFEFFname;amount\r\n"Åkesson; Söner";-1234,50\r\n');
  });

  it('keeps multi-line text in one quoted cell and drops control characters', () => {
    const csv = toCsv([{ name: 'line one\nline two\u0000\u0007', amount: '' }], columns);
    expect(csv).toBe('\uFEFFname,amount\r\n"line one\nline two",\r\n');
  });
});
