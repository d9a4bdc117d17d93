import Ajv, { ErrorObject } from 'ajv';
import { canonicalJson, sha256Hex } from '../plans/canonical-json';

/**
 * Which commission costs are capitalised as contract costs (ASC 340-40 / IFRS 15.91-104), over how long, and the
 * accounts the journal posts to. Read from ACCOUNTING_POLICY (a JSON file) or these defaults; a close records the
 * policy it applied (and its hash) with the schedules it produced, so a schedule always says which policy made it.
 */
export interface AccountingPolicy {
  /**
   * The practical expedient (ASC 340-40-25-4, IFRS 15.94): a cost whose amortisation period is 12 months or less is
   * expensed when incurred. On by default; false capitalises those too.
   */
  practicalExpedient: boolean;
  /** Costs that would have been paid anyway: expensed whatever their period. */
  expense: {
    /** Component types (plan `type`, e.g. "override", "spiff") whose lines are expensed. */
    componentTypes: string[];
    /** Components as "planId/componentId" whose lines are expensed. */
    components: string[];
  };
  /**
   * Expected customer life in months by product, for products whose renewal commission is not commensurate with the
   * initial one: a new or expansion booking's cost is amortised over this many months instead of its contract term.
   * A renewal's cost is always amortised over its own term.
   */
  expectedLifeMonths: Record<string, number>;
  /**
   * Lines that move a payee's balance rather than pay for a contract: recoverable draw top-ups, balances carried
   * forward (a payee owing back more than they earned) and their recovery. "expense" (the default): commission expense
   * as paid and recovered, so the expense equals what payroll pays. "advance": posted to the advances account (a
   * receivable from payees), for companies that book recoverable draws as advances. Non-recoverable draws are
   * commission expense either way.
   */
  balanceLines: 'expense' | 'advance';
  /** The general-ledger accounts of the journal. */
  accounts: Record<AccountRole, { code: string; name: string }>;
}

export type AccountRole = 'asset' | 'payable' | 'commissionExpense' | 'amortisationExpense' | 'writeOffExpense' | 'advances';

export const ACCOUNT_ROLES: AccountRole[] = ['asset', 'payable', 'commissionExpense', 'amortisationExpense', 'writeOffExpense', 'advances'];

export const DEFAULT_ACCOUNTING_POLICY: AccountingPolicy = {
  practicalExpedient: true,
  expense: { componentTypes: [], components: [] },
  expectedLifeMonths: {},
  balanceLines: 'expense',
  accounts: {
    asset: { code: '1460', name: 'Capitalised contract costs' },
    payable: { code: '2150', name: 'Commissions payable' },
    commissionExpense: { code: '6150', name: 'Commission expense' },
    amortisationExpense: { code: '6160', name: 'Amortisation of contract costs' },
    writeOffExpense: { code: '6170', name: 'Write-off of contract costs' },
    advances: { code: '1250', name: 'Commission advances to payees' },
  },
};

const account = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name'],
  properties: { code: { type: 'string', minLength: 1, maxLength: 40 }, name: { type: 'string', minLength: 1, maxLength: 200 } },
};

const POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    practicalExpedient: { type: 'boolean' },
    expense: {
      type: 'object',
      additionalProperties: false,
      properties: {
        componentTypes: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        components: { type: 'array', items: { type: 'string', pattern: '^[^/]+/[^/]+$' }, uniqueItems: true },
      },
    },
    expectedLifeMonths: { type: 'object', additionalProperties: { type: 'integer', minimum: 1, maximum: 600 } },
    balanceLines: { enum: ['expense', 'advance'] },
    accounts: { type: 'object', additionalProperties: false, properties: Object.fromEntries(ACCOUNT_ROLES.map((r) => [r, account])) },
  },
};

const validate = new Ajv({ allErrors: true, strict: false }).compile(POLICY_SCHEMA);

export class AccountingPolicyError extends Error {}

function where(e: ErrorObject): string {
  const path = e.instancePath.replace(/\//g, '.').replace(/^\./, '');
  return path ? `$.${path}` : '$';
}

/** Reads a policy document over the defaults; every problem names its JSON path and what would be valid. */
export function parseAccountingPolicy(doc: unknown, source: string): AccountingPolicy {
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map((e) => {
      if (e.keyword === 'additionalProperties') return `${where(e)}: "${(e.params as { additionalProperty: string }).additionalProperty}" is not a policy setting`;
      if (e.keyword === 'pattern') return `${where(e)}: write a component as "planId/componentId"`;
      if (e.keyword === 'enum') return `${where(e)}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      return `${where(e)}: ${e.message}`;
    });
    throw new AccountingPolicyError(`${source}: ${problems.join('; ')}`);
  }
  const d = doc as Partial<AccountingPolicy> & { expense?: Partial<AccountingPolicy['expense']>; accounts?: Partial<AccountingPolicy['accounts']> };
  const base = DEFAULT_ACCOUNTING_POLICY;
  return {
    practicalExpedient: d.practicalExpedient ?? base.practicalExpedient,
    expense: { componentTypes: d.expense?.componentTypes ?? [], components: d.expense?.components ?? [] },
    expectedLifeMonths: d.expectedLifeMonths ?? {},
    balanceLines: d.balanceLines ?? base.balanceLines,
    accounts: { ...base.accounts, ...(d.accounts ?? {}) },
  };
}

/** sha256 of the policy's canonical JSON: what a schedule names as the policy that made it. */
export function policyHash(p: AccountingPolicy): string {
  return sha256Hex(canonicalJson(p));
}
