import { createHash } from 'node:crypto';

/** JSON with object keys sorted: the identity of a plan does not depend on formatting or key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return `${out}]`;
  }
  // one pass, no intermediate arrays of strings: this runs for every payout line's trace (the payee hash)
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Content hash of a plan document (the "$schema" editor hint is not part of the plan). */
export function planHash(doc: Record<string, unknown>): string {
  const { $schema: _ignored, ...rest } = doc;
  return sha256Hex(canonicalJson(rest));
}

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A JSON.parse failure in words, with the line and column when the parser gives a position. */
export function jsonSyntaxError(text: string, e: unknown): string {
  const m = /position (\d+)/.exec((e as Error).message);
  const where = m ? lineColumn(text, Number(m[1])) : null;
  return `${where ? `line ${where.line}, column ${where.column}: ` : ''}invalid JSON: ${(e as Error).message}`;
}
