/**
 * Rows in PostgreSQL's COPY text format (tab-separated columns, `\N` for NULL, one row a line), built in pieces of
 * about a megabyte so a shard's lines never become one string near V8's length limit. Pure: the calculation thread
 * builds the text, the main thread only streams it (see shard-runner.ts), which is why no row arrays are cloned
 * between threads or bound as query parameters.
 */
export type CopyValue = string | number | null;

const PIECE = 1 << 20;
const SPECIAL = /[\\\t\n\r]/;

/** One value in COPY text: backslash, tab, newline and carriage return escaped (JSON text has only the first). */
export function copyValue(v: CopyValue): string {
  if (v === null) return '\\N';
  const s = typeof v === 'number' ? String(v) : v;
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

export class CopyText {
  readonly pieces: string[] = [];
  rows = 0;
  private current = '';

  add(values: CopyValue[]): void {
    let line = copyValue(values[0]);
    for (let i = 1; i < values.length; i++) line += '\t' + copyValue(values[i]);
    this.current += line + '\n';
    this.rows++;
    if (this.current.length >= PIECE) {
      this.pieces.push(this.current);
      this.current = '';
    }
  }

  /** The text's pieces, in order; the builder is done after this. */
  done(): string[] {
    if (this.current) this.pieces.push(this.current);
    this.current = '';
    return this.pieces;
  }
}
