import * as fs from 'node:fs';
import { AccountingPolicy, AccountingPolicyError, DEFAULT_ACCOUNTING_POLICY, parseAccountingPolicy } from '../core/accounting/accounting-policy';
import { lineColumn } from '../core/plans/canonical-json';

/**
 * The policy file (ACCOUNTING_POLICY), read once with the rest of the configuration: a bad file stops the start with
 * its JSON path (or, for a syntax error, the line and column where the parser says it is).
 */
export function readAccountingPolicy(file: string | undefined): AccountingPolicy {
  if (!file) return DEFAULT_ACCOUNTING_POLICY;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AccountingPolicyError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const where = m ? lineColumn(text, Number(m[1])) : null;
    throw new AccountingPolicyError(`${file}: ${where ? `line ${where.line}, column ${where.column}: ` : ''}invalid JSON: ${(e as Error).message}`);
  }
  return parseAccountingPolicy(doc, file);
}
