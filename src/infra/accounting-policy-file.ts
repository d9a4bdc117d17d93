import * as fs from 'node:fs';
import { AccountingPolicy, AccountingPolicyError, DEFAULT_ACCOUNTING_POLICY, parseAccountingPolicy } from '../core/accounting/accounting-policy';
import { jsonSyntaxError } from '../core/plans/canonical-json';

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
    throw new AccountingPolicyError(`${file}: ${jsonSyntaxError(text, e)}`);
  }
  return parseAccountingPolicy(doc, file);
}
