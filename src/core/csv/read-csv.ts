import { CsvError, parse } from 'csv-parse/sync';

/** One problem in an input file, at a physical line (header = line 1) and, when it concerns one field, a column. */
export interface RowError {
  file: string;
  line: number;
  column: string | null;
  message: string;
}

/** A data row: its physical start line and its fields, addressed by header name. */
export class CsvRow {
  constructor(
    readonly line: number,
    private readonly fields: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  /** The field under `column`; undefined when the header lacks that column. */
  get(column: string): string | undefined {
    const i = this.index.get(column);
    return i === undefined ? undefined : this.fields[i];
  }
}

export interface ReadCsvOptions {
  file: string;
  /** Columns the header must contain, in any order. Other columns are ignored. */
  columns: readonly string[];
  /** Called with the bytes parsed so far, every few thousand records. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface ReadCsvResult {
  /** Data rows seen (header and empty lines excluded). */
  rows: number;
  /** Problems with the file itself, its header or a row's shape. Rows with such problems are not passed on. */
  errors: RowError[];
}

const PROGRESS_EVERY = 10_000;

/**
 * Reads a CSV file (UTF-8, optional BOM, RFC 4180 quoting, LF or CRLF line ends) in one pass and hands each
 * well-formed data row to `onRow`. Nothing is kept per row here, so a large file costs only what `onRow` keeps.
 */
export function readCsv(content: Buffer | string, opts: ReadCsvOptions, onRow: (row: CsvRow) => void): ReadCsvResult {
  const { file } = opts;
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    const decoded = decodeUtf8(content, file);
    if (typeof decoded !== 'string') return { rows: 0, errors: decoded };
    text = decoded;
  }
  const total = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (text.includes('\u0000')) return { rows: 0, errors: linesContaining(text, '\u0000', file, 'line contains a NUL character, which cannot be stored') };

  const errors: RowError[] = [];
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
        // ctx.lines is the line on which the record ends; a quoted field may span lines.
        const line = lastLine + 1 + (ctx.empty_lines - lastEmpty);
        lastLine = ctx.lines;
        lastEmpty = ctx.empty_lines;
        if (!index) {
          index = new Map();
          headerWidth = fields.length;
          checkHeader(fields, opts, index, errors, line);
          return null;
        }
        rows++;
        if (opts.onProgress && rows % PROGRESS_EVERY === 0) opts.onProgress(ctx.bytes, total);
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
  opts.onProgress?.(total, total);
  return { rows, errors };
}

/** Fills `index` with the columns found once; a missing column is reported here, and its values are skipped later. */
function checkHeader(names: string[], opts: ReadCsvOptions, index: Map<string, number>, errors: RowError[], line: number): void {
  const wanted = new Set(opts.columns);
  const positions = new Map<string, number[]>();
  names.forEach((raw, i) => {
    const name = raw.trim();
    if (!wanted.has(name)) return;
    positions.set(name, [...(positions.get(name) ?? []), i]);
  });
  for (const column of opts.columns) {
    const at = positions.get(column);
    if (!at) errors.push({ file: opts.file, line, column, message: 'required column is missing from the header' });
    else if (at.length > 1) errors.push({ file: opts.file, line, column, message: `column appears ${at.length} times in the header` });
    else index.set(column, at[0]);
  }
}

function linesContaining(text: string, needle: string, file: string, message: string): RowError[] {
  const errors: RowError[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.includes(needle)) errors.push({ file, line: i + 1, column: null, message });
  });
  return errors;
}

/** Strict UTF-8: a file with invalid bytes is rejected, naming every line that holds some. */
function decodeUtf8(content: Buffer, file: string): string | RowError[] {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const errors: RowError[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    for (let n = 1; start <= content.length; n++) {
      let end = content.indexOf(0x0a, start);
      if (end < 0) end = content.length;
      try {
        decoder.decode(content.subarray(start, end));
      } catch {
        errors.push({ file, line: n, column: null, message: 'line is not valid UTF-8' });
      }
      start = end + 1;
    }
    return errors;
  }
}
