import { CsvError, parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvRow, csvPieces, readCsv, RowError } from '../../src/core/csv/read-csv';

const COLUMNS = ['id', 'name', 'amount'];

function read(content: string | Buffer): { rows: { line: number; id?: string; name?: string; amount?: string }[]; count: number; errors: RowError[] } {
  const rows: { line: number; id?: string; name?: string; amount?: string }[] = [];
  const errors: RowError[] = [];
  const { rows: count } = readCsv(content, { file: 'x.csv', columns: COLUMNS, errors }, (r: CsvRow) =>
    rows.push({ line: r.line, id: r.get('id'), name: r.get('name'), amount: r.get('amount') }),
  );
  return { rows, count, errors };
}

describe('readCsv', () => {
  it('strips a UTF-8 BOM, ignores extra columns, accepts any column order, CRLF and LF, and RFC 4180 quoting', () => {
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('extra,amount,name,id\r\nx,1.50,"Smith, Jane",A\r\ny,-2,"say ""hi""",B\nz,3,Zoë,C\n', 'utf8'),
    ]);
    expect(read(file)).toEqual({
      count: 3,
      errors: [],
      rows: [
        { line: 2, id: 'A', name: 'Smith, Jane', amount: '1.50' },
        { line: 3, id: 'B', name: 'say "hi"', amount: '-2' },
        { line: 4, id: 'C', name: 'Zoë', amount: '3' },
      ],
    });
  });

  it('numbers rows by their physical first line, across quoted line breaks and empty lines', () => {
    const { rows } = read('id,name,amount\nA,"two\nlines",1\n\nB,b,2\n"C","three\n\nlines",3\nD,d,4');
    expect(rows.map((r) => [r.line, r.id])).toEqual([
      [2, 'A'],
      [5, 'B'],
      [6, 'C'],
      [9, 'D'],
    ]);
    expect(rows[2].name).toBe('three\n\nlines');
  });

  it('reports missing and repeated header columns at line 1 and still reads the other columns of each row', () => {
    const { rows, errors } = read('id,amount,amount\nA,1,2\n');
    expect(errors).toEqual([
      { file: 'x.csv', line: 1, column: 'name', message: 'required column is missing from the header' },
      { file: 'x.csv', line: 1, column: 'amount', message: 'column appears 2 times in the header' },
    ]);
    expect(rows).toEqual([{ line: 2, id: 'A', name: undefined, amount: undefined }]);
  });

  it('rejects rows whose field count differs from the header, and does not pass them on', () => {
    const { rows, errors } = read('id,name,amount\nA,a,1\nB,b,12,50\nC,c\n');
    expect(errors).toEqual([
      { file: 'x.csv', line: 3, column: null, message: 'row has 4 fields but the header has 3' },
      { file: 'x.csv', line: 4, column: null, message: 'row has 2 fields but the header has 3' },
    ]);
    expect(rows.map((r) => r.id)).toEqual(['A']);
  });

  it('reports malformed quoting with its line', () => {
    const { errors } = read('id,name,amount\nA,a,1\nB,b"x,2\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'x.csv', line: 3, column: null });
    expect(errors[0].message).toMatch(/^malformed CSV: Invalid Opening Quote/);
  });

  it('rejects invalid UTF-8, naming every line that holds bad bytes', () => {
    const bad = Buffer.concat([Buffer.from('id,name,amount\nA,'), Buffer.from([0xff]), Buffer.from(',1\nB,b,2\nC,'), Buffer.from([0xc3]), Buffer.from(',3\n')]);
    expect(read(bad)).toEqual({
      count: 0,
      rows: [],
      errors: [
        { file: 'x.csv', line: 2, column: null, message: 'line is not valid UTF-8' },
        { file: 'x.csv', line: 4, column: null, message: 'line is not valid UTF-8' },
      ],
    });
  });

  it('rejects NUL characters, which PostgreSQL text cannot hold, naming their lines', () => {
    expect(read('id,name,amount\nA,a\u0000b,1\nB,b,2\n').errors).toEqual([
      { file: 'x.csv', line: 2, column: null, message: 'line contains a NUL character, which cannot be stored' },
    ]);
  });

  it('rejects an empty file; a header alone is a valid file with no rows', () => {
    expect(read('').errors).toEqual([{ file: 'x.csv', line: 1, column: null, message: 'the file is empty; expected a header row: id,name,amount' }]);
    expect(read('id,name,amount\n')).toEqual({ count: 0, rows: [], errors: [] });
  });

  it('reads exactly as csv-parse does, row for row, line for line, error for error, whatever the quoting and line ends', () => {
    // The fast reader handles the common subset and hands the rest of the file to csv-parse: the two together must be
    // indistinguishable from csv-parse alone (the reference below is readCsv as it was before the fast reader).
    const piece = fc.constantFrom('a', 'b', 'é', ' ', ',', ',', '"', '"', '""', '\n', '\n', '\r\n', '\r', 'x,y', '\ufeff', '😀');
    const text = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 40 })).map(([header, parts]) => (header ? 'id,name,amount\n' : '') + parts.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(observe(readCsv, t)).toEqual(observe(csvParseOnly, t));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads bytes a piece at a time exactly as csv-parse reads the whole text, wherever the pieces are cut', () => {
    // Pieces of a few bytes put cuts inside quoted fields, between CR and LF's neighbours, right after a BOM...
    const piece = fc.constantFrom('a', 'é', ' ', ',', '"', '""', '\n', '\n', '\r\n', '\r', 'x,y', '\ufeff', '😀');
    const text = fc.tuple(fc.boolean(), fc.array(piece, { maxLength: 40 })).map(([header, parts]) => (header ? 'id,name\n' : '') + parts.join(''));
    const size = csvPieces.bytes;
    try {
      fc.assert(
        fc.property(text, fc.integer({ min: 1, max: 24 }), (t, bytes) => {
          csvPieces.bytes = bytes;
          const asBytes = (content: string, opts: Parameters<Reader>[1], onRow: Parameters<Reader>[2]) => readCsv(Buffer.from(content, 'utf8'), opts, onRow);
          expect(observe(asBytes, t)).toEqual(observe(csvParseOnly, t));
        }),
        { numRuns: 3000 },
      );
    } finally {
      csvPieces.bytes = size;
    }
  });
});

type Reader = (content: string, opts: { file: string; columns: readonly string[]; errors: RowError[] }, onRow: (row: CsvRow) => void) => { rows: number };

function observe(reader: Reader, text: string) {
  const rows: unknown[] = [];
  const errors: RowError[] = [];
  const result = reader(text, { file: 'x.csv', columns: ['id', 'name'], errors }, (r) => rows.push([r.line, r.get('id'), r.get('name')]));
  return { rows, count: result.rows, errors };
}

/** readCsv with csv-parse reading every record (the implementation before the fast reader). */
function csvParseOnly(content: Buffer | string, opts: { file: string; columns: readonly string[]; errors: RowError[] }, onRow: (row: CsvRow) => void) {
  const { file, errors } = opts;
  const text = content.toString();
  let index: Map<string, number> | undefined;
  let headerWidth = 0;
  let rows = 0;
  let lastLine = 0;
  let lastEmpty = 0;
  try {
    parse(text, {
      bom: true,
      record_delimiter: ['\r\n', '\n'],
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (fields: string[], ctx) => {
        const line = lastLine + 1 + (ctx.empty_lines - lastEmpty);
        lastLine = ctx.lines;
        lastEmpty = ctx.empty_lines;
        if (!index) {
          index = new Map();
          headerWidth = fields.length;
          const wanted = new Set(opts.columns);
          const positions = new Map<string, number[]>();
          fields.forEach((raw, i) => {
            const name = raw.trim();
            if (wanted.has(name)) positions.set(name, [...(positions.get(name) ?? []), i]);
          });
          for (const column of opts.columns) {
            const at = positions.get(column);
            if (!at) errors.push({ file, line, column, message: 'required column is missing from the header' });
            else if (at.length > 1) errors.push({ file, line, column, message: `column appears ${at.length} times in the header` });
            else index.set(column, at[0]);
          }
          return null;
        }
        rows++;
        if (fields.length !== headerWidth) {
          errors.push({ file, line, column: null, message: `row has ${fields.length} fields but the header has ${headerWidth}` });
          return null;
        }
        onRow(new CsvRow(line, fields, index));
        return null;
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const at = (e as CsvError & { lines?: number }).lines;
    errors.push({ file, line: at || lastLine + 1, column: null, message: `malformed CSV: ${e.message}` });
  }
  if (!index) errors.push({ file, line: 1, column: null, message: `the file is empty; expected a header row: ${opts.columns.join(',')}` });
  return { rows };
}

