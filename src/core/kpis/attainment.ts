import { inclusiveDays, Period, periodEnd, periodStart } from '../calendar/dates';
import { Decimal, HUNDRED } from '../money/decimal';

/** What the attainment KPI reads of a stored payout window. */
export interface WindowRow {
  componentType: string;
  componentId: string;
  window: string;
  windowStart: string;
  windowEnd: string;
  quota: string | null;
  credit: string;
}

/** Why a payee of the period has no attainment: said, so a payee with nothing to attain is listed, not left out. */
export function noAttainmentReason(p: Period, row: { hireDate: string; windows: WindowRow[] }): string {
  if (row.hireDate > periodEnd(p)) return `n/a: not yet hired (hired ${row.hireDate})`;
  const w = row.windows.find((x) => x.componentType === 'tiered' && x.quota !== null && x.windowStart <= periodStart(p) && x.windowEnd >= periodEnd(p));
  if (!w) return 'n/a: no quota-based component covers this period';
  return `n/a: the ${w.window} window's quota is 0 (a ramp factor of 0 in this tenure month, or no quota assigned)`;
}

/** Attainment of each payee with a quota'd tiered window covering the period: credit / quota × 100, and the pace (share of the window elapsed). */
export function attainmentOf(p: Period, payees: { repId: string; managerId: string | null; plan: string | null; windows: WindowRow[] }[]) {
  const att: { repId: string; team: string | null; plan: string | null; pct: Decimal; pace: Decimal; window: string; credit: string; quota: string }[] = [];
  for (const row of payees) {
    const w = row.windows.find((x) => x.componentType === 'tiered' && x.quota !== null && x.windowStart <= periodStart(p) && x.windowEnd >= periodEnd(p));
    if (!w || new Decimal(w.quota as string).isZero()) continue;
    const pace = new Decimal(inclusiveDays(w.windowStart, periodEnd(p))).dividedBy(inclusiveDays(w.windowStart, w.windowEnd));
    att.push({
      repId: row.repId,
      team: row.managerId,
      plan: row.plan,
      pct: new Decimal(w.credit).dividedBy(w.quota as string).times(HUNDRED),
      pace,
      window: w.window,
      credit: new Decimal(w.credit).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      quota: new Decimal(w.quota as string).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    });
  }
  return att;
}

