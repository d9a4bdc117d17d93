import { isUtf8 } from 'node:buffer';
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

/** Where problems go: an array, or a RowErrors that keeps only the first few. */
export interface ErrorSink {
  push(...errors: RowError[]): unknown;
}

/** How many problems a rejected file's report lists, unless told otherwise. */
export const MAX_LISTED_ERRORS = 1000;

/**
 * The problems of one file, counted in full but kept only up to `limit`: the first ones in reading order (by line,
 * then by the column's position in the file format). A garbage file of a million rows thus costs a report of a
 * thousand lines and a count, not a million objects.
 *
 * Problems arrive mostly in line order, but not only (a header problem after the rows' problems, a check across rows
 * at the end), so up to twice the limit are held and cut back to the first `limit` whenever that fills.
 */
export class RowErrors implements ErrorSink {
  private kept: RowError[] = [];
  private total = 0;
  private sorted = true;

  constructor(
    private readonly columns: readonly string[],
    readonly limit = MAX_LISTED_ERRORS,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`error limit must be a positive whole number, got ${limit}`);
  }

  push(...errors: RowError[]): number {
    for (const e of errors) {
      this.total++;
      this.kept.push(e);
      this.sorted = false;
      if (this.kept.length >= 2 * this.limit) this.cut();
    }
    return this.total;
  }

  /** Whether the list is full: further problems are only counted. */
  get full(): boolean {
    return this.total >= this.limit;
  }

  /** Every problem seen, listed or not. */
  get length(): number {
    return this.total;
  }

  /** The first `limit` problems in reading order. */
  listed(): RowError[] {
    this.cut();
    return this.kept;
  }

  private cut(): void {
    if (!this.sorted) {
      const rank = (c: string | null) => (c === null ? -1 : this.columns.indexOf(c));
      this.kept.sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
      this.sorted = true;
    }
    if (this.kept.length > this.limit) this.kept.length = this.limit;
  }
}

export interface ReadCsvOptions {
  file: string;
  /** Where the problems with the file itself, its header or a row's shape go. Rows with such problems are not passed on. */
  errors: ErrorSink;
  /** Columns the header must contain, in any order. Other columns are ignored. */
  columns: readonly string[];
  /** Columns read when the header has them (a file without them reads as if every value were empty). */
  optionalColumns?: readonly string[];
  /** Called with the bytes parsed so far, every few thousand records. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface ReadCsvResult {
  /** Data rows seen (header and empty lines excluded). */
  rows: number;
}

const PROGRESS_EVERY = 10_000;

/** Bytes of a file the fast reader decodes at a time, cut after a line feed. Mutable for tests. */
export const csvPieces = { bytes: 8 * 1024 * 1024 };

/**
 * Reads a CSV file (UTF-8, optional BOM, RFC 4180 quoting, LF or CRLF line ends) in one pass and hands each
 * well-formed data row to `onRow`. Nothing is kept per row here, so a large file costs only what `onRow` keeps.
 *
 * The records are read by a fast reader (`fastRecords`) that understands exactly the subset of CSV that csv-parse
 * reads without error or quirk (see there). At the first record outside that subset it stops, and csv-parse reads
 * the whole text again, skipping the records already handed on: rows, line numbers and error messages are always
 * csv-parse's own.
 *
 * A file given as bytes is decoded a piece at a time (`csvPieces`, cut after a line feed, so no character and no
 * CRLF is split): the whole file never exists as one string unless csv-parse has to take over. A record that runs
 * over a piece's end (a quoted line break) is outside the fast reader's subset anyway.
 */
export function readCsv(content: Buffer | string, opts: ReadCsvOptions, onRow: (row: CsvRow) => void): ReadCsvResult {
  const { file, errors } = opts;
  const total = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (typeof content !== 'string' && !isUtf8(content)) {
    reportInvalidUtf8(content, file, errors);
    return { rows: 0 };
  }
  if (typeof content === 'string' ? content.includes('\u0000') : content.indexOf(0) >= 0) {
    linesContaining(content.toString(), '\u0000', file, 'line contains a NUL character, which cannot be stored', errors);
    return { rows: 0 };
  }

  let index: Map<string, number> | undefined;
  let headerWidth = 0;
  let rows = 0;
  let pieceStart = 0; // byte offset of the text `bytes()` counts in
  const onRecord = (fields: string[], line: number, bytes: () => number): void => {
    if (!index) {
      index = new Map();
      headerWidth = fields.length;
      checkHeader(fields, opts, index, errors, line);
      return;
    }
    rows++;
    if (opts.onProgress && rows % PROGRESS_EVERY === 0) opts.onProgress(Math.min(pieceStart + bytes(), total), total);
    if (fields.length !== headerWidth) {
      errors.push({ file, line, column: null, message: `row has ${fields.length} fields but the header has ${headerWidth}` });
      return;
    }
    onRow(new CsvRow(line, fields, index));
  };

  let fast: { records: number; done: boolean };
  if (typeof content === 'string') {
    fast = fastRecords(content, onRecord);
  } else {
    fast = { records: 0, done: true };
    let line = 1;
    for (let start = 0; start < content.length && fast.done; ) {
      let end = Math.min(start + csvPieces.bytes, content.length);
      if (end < content.length) {
        const lf = content.indexOf(0x0a, end - 1);
        end = lf < 0 ? content.length : lf + 1;
      }
      pieceStart = start;
      const piece = fastRecords(content.toString('utf8', start, end), onRecord, { line, bom: start === 0 });
      fast = { records: fast.records + piece.records, done: piece.done };
      line = piece.line;
      start = end;
    }
  }
  if (!fast.done) {
    const text = content.toString();
    pieceStart = 0;
    let skip = fast.records;
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
          if (skip > 0) skip--;
          else onRecord(fields, line, () => ctx.bytes);
          return null;
        },
      });
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      const at = (e as CsvError & { lines?: number }).lines;
      errors.push({ file, line: at || lastLine + 1, column: null, message: `malformed CSV: ${e.message}` });
    }
  }
  if (!index) errors.push({ file, line: 1, column: null, message: `the file is empty; expected a header row: ${opts.columns.join(',')}` });
  opts.onProgress?.(total, total);
  return { rows };
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Hands on the records of `text` (fields, physical first line, character offset) for as long as they lie in the
 * subset of CSV that csv-parse, with the options readCsv gives it, reads without an error and numbers by physical
 * line: records end with LF or CRLF; a carriage return appears nowhere else; a field is either unquoted (no quote)
 * or quoted from its first character to a closing quote that a comma or the record's end follows directly, with
 * doubled quotes inside (and line feeds, which count as lines). Empty lines are skipped. `done` is false when it
 * stopped at a record outside that subset; `records` counts the records handed on (the header among them).
 */
export function fastRecords(
  text: string,
  emit: (fields: string[], line: number, offset: () => number) => void,
  from: { line: number; bom: boolean } = { line: 1, bom: true },
): { records: number; done: boolean; line: number } {
  const n = text.length;
  let pos = from.bom && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = from.line;
  let records = 0;
  let nextQuote = text.indexOf('"', pos);
  if (nextQuote < 0) nextQuote = n;
  let nextCr = text.indexOf('\r', pos);
  if (nextCr < 0) nextCr = n;
  const offset = () => pos;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = n;
    if (nextQuote < eol) {
      const record = quotedRecord(text, pos);
      if (!record) return { records, done: false, line };
      emit(record.values, line, offset);
      records++;
      line += record.lines;
      pos = record.end;
      if (pos > nextQuote) {
        nextQuote = text.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = n;
      }
      if (pos > nextCr) {
        nextCr = text.indexOf('\r', pos);
        if (nextCr < 0) nextCr = n;
      }
      continue;
    }
    let end = eol;
    if (nextCr < eol) {
      // The only carriage return read here is the one of a CRLF; csv-parse counts any other as a line break.
      if (nextCr !== eol - 1 || eol === n) return { records, done: false, line };
      end = eol - 1;
      nextCr = text.indexOf('\r', eol);
      if (nextCr < 0) nextCr = n;
    }
    if (end > pos) {
      emit(text.slice(pos, end).split(','), line, offset);
      records++;
    }
    pos = eol + 1;
    line++;
  }
  return { records, done: true, line };
}

/**
 * One record starting at `start` that holds a quote somewhere: its fields, the offset after its record delimiter and
 * the lines it spans (its delimiter included). Undefined when it is outside fastRecords' subset.
 */
function quotedRecord(text: string, start: number): { values: string[]; end: number; lines: number } | undefined {
  const n = text.length;
  const values: string[] = [];
  let i = start;
  let lines = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return undefined; // never closed: csv-parse reports it
        const piece = text.slice(from, q);
        if (piece.includes('\r')) return undefined;
        for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) lines++;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += piece + '"';
          from = q + 2;
          continue;
        }
        value += piece;
        i = q + 1;
        break;
      }
      values.push(value);
    } else {
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE) return undefined; // a quote inside an unquoted field: csv-parse reports it
      }
      values.push(text.slice(i, j));
      i = j;
    }
    // After a field: a comma, the end of the record, or (anything else) outside the subset.
    if (i >= n) return { values, end: n, lines };
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c === LF) return { values, end: i + 1, lines: lines + 1 };
    if (c === CR && text.charCodeAt(i + 1) === LF) return { values, end: i + 2, lines: lines + 1 };
    return undefined;
  }
}

/** Fills `index` with the columns found once; a missing column is reported here, and its values are skipped later. */
function checkHeader(names: string[], opts: ReadCsvOptions, index: Map<string, number>, errors: ErrorSink, line: number): void {
  const optional = opts.optionalColumns ?? [];
  const wanted = new Set([...opts.columns, ...optional]);
  const positions = new Map<string, number[]>();
  names.forEach((raw, i) => {
    const name = raw.trim();
    if (!wanted.has(name)) return;
    positions.set(name, [...(positions.get(name) ?? []), i]);
  });
  for (const column of [...opts.columns, ...optional]) {
    const at = positions.get(column);
    if (!at) {
      if (!optional.includes(column)) errors.push({ file: opts.file, line, column, message: 'required column is missing from the header' });
    } else if (at.length > 1) errors.push({ file: opts.file, line, column, message: `column appears ${at.length} times in the header` });
    else index.set(column, at[0]);
  }
}

function linesContaining(text: string, needle: string, file: string, message: string, errors: ErrorSink): void {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf(needle); at >= 0; ) {
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) {
      line++;
      lineStart = nl + 1;
    }
    errors.push({ file, line, column: null, message });
    const end = text.indexOf('\n', at);
    if (end < 0) return;
    line++;
    lineStart = end + 1;
    at = text.indexOf(needle, lineStart);
  }
}

/** Strict UTF-8: a file with invalid bytes is rejected, naming every line that holds some. */
function reportInvalidUtf8(content: Buffer, file: string, errors: ErrorSink): void {
  let start = 0;
  for (let n = 1; start <= content.length; n++) {
    let end = content.indexOf(0x0a, start);
    if (end < 0) end = content.length;
    if (!isUtf8(content.subarray(start, end))) errors.push({ file, line: n, column: null, message: 'line is not valid UTF-8' });
    start = end + 1;
  }
}
