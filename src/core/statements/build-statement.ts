import { WindowTrace } from '../calculation/trace';
import { addMonths as addMonthsTo, inclusiveDays, monthsBetween, Period, periodEnd, periodOf, periodStart, windowContaining } from '../calendar/dates';
import { Decimal, HUNDRED, ZERO } from '../money/decimal';
import { CurveComponentSpec, PlanDocument, TieredComponentSpec } from '../plans/plan-types';
import { canonicalJson, sha256Hex } from '../plans/canonical-json';
import { formatMoney, formatPct, minorDigits } from '../explain/format';
import { explainTrace } from '../explain/line-words';

/** Everything a statement shows, loaded by the service from one closed (or draft) period. Plain data. */
export interface StatementInput {
  period: Period;
  status: 'draft' | 'final';
  /**
   * Set when the run shown is stale (its inputs changed since), to when it was calculated: a reader who may not
   * calculate is shown the last calculation, said to be out of date, rather than a recalculation in their name.
   */
  staleSince?: string | null;
  rep: { repId: string; name: string; currency: string; hireDate: string; managerId: string | null; managerName: string | null };
  runId: string;
  plans: { planId: string; version: number; hash: string; name: string; document: PlanDocument }[];
  assignment: { planId: string; annualQuota: string; targetVariable: string; baseSalary: string; startDate: string; endDate: string | null } | null;
  windows: StatementWindow[];
  /** The same payee's windows in the previous period's run (for this month's credit). */
  previousWindows: StatementWindow[];
  /** ... and in the run of the last month of the previous quarter (for quarter-to-date on year windows). */
  quarterBaseWindows: StatementWindow[];
  payout: { earnedToDate: string; earnedBefore: string; earned: string; draw: string; payout: string; balanceBefore: string; balance: string };
  lines: { lineNo: number; kind: string; componentKey: string | null; bookingId: string | null; originPeriod: string | null; amount: string; description: string; trace: Record<string, unknown> }[];
  /** A manager's direct reports in the quota window containing the period, per currency (absent: no reports). */
  team?: { currency: string; reports: number; credit: string; quota: string }[];
  /** paid: the engine's computed payouts of the year (never what payroll paid); paidByPayroll: payroll's records. */
  ytd: { paid: string; earned: string; months: number; paidByPayroll?: { amount: string; currency: string }[] };
  payroll: { amount: string; currency: string; reference: string; paidDate: string }[];
  reconciliation: { status: string; difference: string | null; reasons: string[] } | null;
  openDisputes: { id: string; reasonCode: string; status: string; raisedAt: string; target: string }[];
}

export interface StatementWindow {
  componentKey: string;
  componentId: string;
  componentType: string;
  window: string;
  windowStart: string;
  windowEnd: string;
  quota: string | null;
  credit: string;
  attainment: string | null;
  commission: string;
  trace: WindowTrace;
}

export interface TierBand {
  label: string;
  from: string;
  to: string | null;
  rate: string;
  reached: boolean;
}

export interface StatementLineView {
  no: number;
  kind: string;
  description: string;
  /** The trace in words: credit %, split, FX, base, tier, rate. */
  detail: string;
  amount: string;
  amountText: string;
}

/** The view model the PDF renderer draws, and the tests read. Amounts are exact decimal strings plus their display text. */
export interface StatementView {
  statementId: string;
  title: string;
  status: 'DRAFT' | 'FINAL';
  header: [string, string][];
  quota: [string, string][];
  rampSchedule: string[];
  /** Credit and quota formatted for reading, and as decimal strings (exact) with their currency for a program. */
  attainment: { label: string; credit: string; quota: string; pct: string | null; creditAmount: string; quotaAmount: string; currency: string }[];
  /** The amounts of `quota`, `totals` and `ytd`, by their labels: exact decimal strings with the currency. */
  figures: { label: string; amount: string; currency: string }[];
  tiers: { component: string; basis: string; method: string; bands: TierBand[]; position: string | null; cap: string | null } | null;
  lines: StatementLineView[];
  totals: [string, string][];
  netPayout: string;
  netPayoutText: string;
  ytd: [string, string][];
  verification: [string, string][];
  openDisputes: string[];
  /** sha256 of the view: the PDF's document id derives from it. */
  contentHash: string;
}

const KIND_LABEL: Record<string, string> = {
  commission: 'Commission',
  spiff: 'SPIF',
  override: 'Override',
  clawback: 'Clawback',
  prior_period_adjustment: 'Prior-period adj.',
  rounding: 'Rounding',
  adjustment: 'Adjustment',
  balance_recovery: 'Balance recovered',
  draw: 'Draw',
  negative_carried_forward: 'Carried forward',
};

export { formatMoney, formatPct, minorDigits };

/** One line's trace in words (the engine's one wording module). */
export const traceText = explainTrace;

/** The component whose window quota the statement shows: the plan's attainment tiers on quota credit, else its payout curve. */
export function quotaTierComponent(doc: PlanDocument | undefined): TieredComponentSpec | CurveComponentSpec | undefined {
  return (
    doc?.components.find((c): c is TieredComponentSpec => c.type === 'tiered' && c.tierBasis === 'attainment' && c.measure === doc.quotaMeasure) ??
    doc?.components.find((c): c is CurveComponentSpec => c.type === 'curve' && c.measure === doc.quotaMeasure && c.pointsOn !== 'credit' && !!c.quota)
  );
}

/** A payout curve's points as the bands of the statement's bar: from each point to the next, what it pays there. */
function curveBands(c: CurveComponentSpec, a: Decimal | null, cur: string): TierBand[] {
  const pays = (p: CurveComponentSpec['points'][number]) => (p.payoutPct !== undefined ? `${p.payoutPct}% of target` : formatMoney(p.amount as string, cur));
  return c.points.map((p, i) => {
    const next = c.points[i + 1];
    return {
      label: p.label ?? `point ${i + 1}`,
      from: formatPct(new Decimal(p.attainment)),
      to: next ? formatPct(new Decimal(next.attainment)) : null,
      rate: next && c.interpolation === 'linear' ? `${pays(p)} rising to ${pays(next)}` : pays(p),
      reached: a !== null && a.greaterThanOrEqualTo(p.attainment),
    };
  });
}

/**
 * Builds the statement view from stored results: every number comes from the payout, its lines and its windows; the
 * builder only arranges and formats them. Pure.
 */
export function buildStatement(input: StatementInput): StatementView {
  const cur = input.rep.currency;
  const primary = input.plans[0];
  const doc = primary?.document;
  const tierComp = quotaTierComponent(doc);
  const w = tierComp ? input.windows.find((x) => x.componentId === tierComp.id && x.windowStart <= periodStart(input.period) && x.windowEnd >= periodEnd(input.period)) : undefined;

  const header: [string, string][] = [
    ['Payee', `${input.rep.name} (${input.rep.repId})`],
    ['Manager', input.rep.managerId ? `${input.rep.managerName ?? ''} (${input.rep.managerId})` : '-'],
    ['Period', input.period],
    ['Plan', input.plans.map((p) => `${p.planId} v${p.version} (${p.name})`).join('; ') || '-'],
    // two halves of 32 characters: a narrow column breaks between them, never leaving one character on a line
    ['Plan version hash', input.plans.map((p) => `${p.hash.slice(0, 32)} ${p.hash.slice(32)}`).join('; ') || '-'],
    ['Pay currency', cur],
    ['Statement', `${input.rep.repId}-${input.period}, run ${input.runId}`],
    [
      'Status',
      input.status === 'final'
        ? 'FINAL (period closed)'
        : input.staleSince
          ? `DRAFT, OUT OF DATE (calculated ${input.staleSince}; inputs changed since, figures will change when finance recalculates)`
          : 'DRAFT (period not closed; figures may change)',
    ],
  ];

  // every amount shown formatted is also kept as a decimal string with its currency, for programs
  const figures: StatementView['figures'] = [];
  const money = (label: string, amount: string): string => {
    figures.push({ label, amount: new Decimal(amount).toFixed(), currency: cur });
    return formatMoney(amount, cur);
  };
  const pair = (label: string, amount: string): [string, string] => [label, money(label, amount)];

  // --- quota and ramp
  const quota: [string, string][] = [];
  const rampSchedule: string[] = [];
  if (input.assignment) {
    const noQuota = new Decimal(input.assignment.annualQuota).isZero();
    quota.push(['Annual quota', noQuota ? (input.team?.length ? "none of their own: paid on the team's results" : 'none') : money('Annual quota', input.assignment.annualQuota)]);
    quota.push(pair('Target variable', input.assignment.targetVariable));
    quota.push(['Assignment', `${input.assignment.planId} from ${input.assignment.startDate}${input.assignment.endDate ? ` to ${input.assignment.endDate}` : ''}`]);
  }
  if (w && tierComp) {
    quota.push(['Quota window', `${tierComp.window} ${w.window} (${w.windowStart} to ${w.windowEnd})`]);
    quota.push(pair('Effective quota (after ramp and proration)', w.quota as string));
    const qt = w.trace.quota;
    const monthRuns: { from: string; to: string; firstTenure: number; lastTenure: number; rule: string; at: number }[] = [];
    for (const s of qt?.steps ?? []) {
      if (s.month) {
        const ramp = new Decimal(String(s.ramp)).times(HUNDRED).toFixed();
        const prorate = s.activeDays !== s.daysInMonth ? `, ${s.activeDays} of ${s.daysInMonth} days active` : '';
        const of = s.weight !== undefined ? `the seasonal ${new Decimal(String(s.weight)).times(HUNDRED).toDecimalPlaces(4).toFixed()}% of the annual quota` : 'full monthly quota';
        const rule = `${ramp}% of ${of}${prorate} = ${formatMoney(String(s.quota), cur)}`;
        // consecutive months under the same rule read as one line ("2026-04 to 2026-12: tenure months 4-12: ... each")
        const prev = monthRuns[monthRuns.length - 1];
        if (prev && prev.rule === rule && addMonthsTo(prev.to, 1) === s.month && prev.lastTenure + 1 === Number(s.tenureMonth)) {
          prev.to = String(s.month);
          prev.lastTenure = Number(s.tenureMonth);
        } else monthRuns.push({ from: String(s.month), to: String(s.month), firstTenure: Number(s.tenureMonth), lastTenure: Number(s.tenureMonth), rule, at: rampSchedule.push('') - 1 });
      } else if (s.window) {
        const share = s.weight !== undefined ? `a seasonal ${new Decimal(String(s.weight)).times(HUNDRED).toDecimalPlaces(4).toFixed()}%` : `${s.months} months`;
        rampSchedule.push(`${s.window}: ${share} of the annual quota, ${s.activeDays} of ${s.daysInWindow} days active = ${formatMoney(String(s.quota), cur)}`);
      }
    }
    for (const r of monthRuns) {
      rampSchedule[r.at] =
        r.from === r.to
          ? `${r.from}: tenure month ${r.firstTenure}: ${r.rule}`
          : `${r.from} to ${r.to}: tenure months ${r.firstTenure}-${r.lastTenure}: ${r.rule} each`;
    }
  }

  // --- attainment: this period, quarter to date, year to date (credit as the plan measures it)
  const attainment: StatementView['attainment'] = [];
  if (w && tierComp) {
    const steps = (w.trace.quota?.steps ?? []).filter((s) => s.month);
    const sameComponent = (list: StatementWindow[]) => list.filter((x) => x.componentId === w.componentId && x.quota !== null);
    const current = sameComponent(input.windows);
    const credit = (list: StatementWindow[]) => list.reduce((s, x) => s.plus(x.credit), ZERO);
    const quotaOf = (list: StatementWindow[]) => list.reduce((s, x) => s.plus(x.quota as string), ZERO);
    const stepQuota = (months: string[]) => steps.filter((x) => months.includes(x.month as string)).reduce((s, x) => s.plus(x.quota ?? ZERO), ZERO);
    const prorated = (x: StatementWindow, from: string, to: string) => new Decimal(x.quota as string).times(inclusiveDays(from, to)).dividedBy(inclusiveDays(x.windowStart, x.windowEnd));
    // a negative credit (a cancellation larger than the period's bookings) is a reversal, not an attainment
    const row = (label: string, c: Decimal, q: Decimal) => ({
      label,
      credit: formatMoney(c.toFixed(), cur),
      quota: formatMoney(q.toFixed(), cur),
      pct: q.isZero() ? 'n/a (a zero quota)' : c.isNegative() ? 'n/a (credit reversed)' : formatPct(c.dividedBy(q)),
      creditAmount: c.toFixed(),
      quotaAmount: q.toFixed(),
      currency: cur,
    });
    const year = input.period.slice(0, 4);
    const quarter = windowContaining('quarter', periodStart(input.period));
    const qFirst = periodOf(quarter.start);
    const quarterMonths = [0, 1, 2].map((i) => addMonthsTo(qFirst, i));
    const qStart = quarter.start;
    const qEnd = quarter.end;

    // this period: the window's credit now minus at the end of last period
    const prev = input.previousWindows.find((x) => x.componentKey === w.componentKey);
    const monthCredit = new Decimal(w.credit).minus(w.windowStart < periodStart(input.period) ? (prev?.credit ?? ZERO) : ZERO);
    const monthQuota = tierComp.quota?.allocation === 'monthly' ? stepQuota([input.period]) : prorated(w, periodStart(input.period), periodEnd(input.period));
    attainment.push(row(`Period ${input.period}`, monthCredit, monthQuota));

    if (tierComp.window === 'year') {
      const base = sameComponent(input.quarterBaseWindows).find((x) => x.componentKey === w.componentKey);
      const qCredit = new Decimal(w.credit).minus(qFirst > `${year}-01` ? (base?.credit ?? ZERO) : ZERO);
      const qQuota = tierComp.quota?.allocation === 'monthly' ? stepQuota(quarterMonths) : prorated(w, qStart, qEnd);
      attainment.push(row(`Quarter to date (${quarter.key})`, qCredit, qQuota));
      attainment.push(row(`Year to date (${w.window}, the plan's measurement window)`, new Decimal(w.credit), new Decimal(w.quota as string)));
    } else if (tierComp.window === 'quarter') {
      attainment.push(row(`Quarter to date (${w.window}, the plan's measurement window)`, new Decimal(w.credit), new Decimal(w.quota as string)));
      const ytd = current.filter((x) => x.window.startsWith(year));
      attainment.push(row(`Year to date (${ytd.length} quarter${ytd.length === 1 ? '' : 's'})`, credit(ytd), quotaOf(ytd)));
    } else {
      const qtd = current.filter((x) => x.windowStart >= qStart && x.windowEnd <= qEnd);
      const ytd = current.filter((x) => x.window.startsWith(year));
      attainment.push(row('Quarter to date', credit(qtd), quotaOf(qtd)));
      attainment.push(row('Year to date', credit(ytd), quotaOf(ytd)));
    }
  }
  // a manager's team: their direct reports' credit against their quotas, in each currency the reports are paid in
  for (const t of input.team ?? []) {
    const q = new Decimal(t.quota);
    attainment.push({
      label: `Team: ${t.reports} direct report${t.reports === 1 ? '' : 's'} paid in ${t.currency}, their quota windows`,
      credit: formatMoney(t.credit, t.currency),
      quota: formatMoney(t.quota, t.currency),
      pct: q.isZero() ? 'n/a (a zero quota)' : formatPct(new Decimal(t.credit).dividedBy(q)),
      creditAmount: new Decimal(t.credit).toFixed(),
      quotaAmount: q.toFixed(),
      currency: t.currency,
    });
  }
  let tiers: StatementView['tiers'] = null;
  if (w && tierComp?.type === 'curve') {
    const a = w.attainment === null ? null : new Decimal(w.attainment);
    tiers = {
      component: tierComp.label ?? tierComp.id,
      basis: `payout curve (${tierComp.interpolation}) on attainment of the window quota`,
      method: tierComp.interpolation,
      bands: curveBands(tierComp, a, cur),
      position: a === null ? null : formatPct(a),
      cap: null,
    };
  } else if (w && tierComp?.type === 'tiered') {
    const a = w.attainment === null ? null : new Decimal(w.attainment);
    tiers = {
      component: tierComp.label ?? tierComp.id,
      basis: `${tierComp.method} tiers on ${tierComp.measurement === 'perDeal' ? 'each deal' : 'attainment of the window quota'}${tierComp.rateUnit === 'baseRate' ? ', rates x base rate V/Q' : ''}`,
      method: tierComp.method,
      bands: tierComp.tiers.map((t) => ({
        label: t.label ?? '',
        from: formatPct(new Decimal(t.from)),
        to: t.to === null ? null : formatPct(new Decimal(t.to)),
        rate: tierComp.rateUnit === 'baseRate' ? `${t.rate} x base rate` : `${new Decimal(t.rate).times(HUNDRED).toFixed()}%`,
        reached: a !== null && a.greaterThanOrEqualTo(t.from),
      })),
      position: a === null ? null : formatPct(a),
      cap: tierComp.attainmentCap ? formatPct(new Decimal(tierComp.attainmentCap)) : null,
    };
  }

  // --- lines
  const lines: StatementLineView[] = input.lines.map((l) => {
    let description = l.description;
    if (l.kind === 'prior_period_adjustment' || (l.kind === 'clawback' && l.originPeriod)) description = `${description} [origin ${l.originPeriod}${l.bookingId ? `, booking ${l.bookingId}` : ''}]`;
    return {
      no: l.lineNo,
      kind: KIND_LABEL[l.kind] ?? l.kind,
      description,
      detail: explainTrace(l.trace, cur),
      amount: new Decimal(l.amount).toFixed(minorDigits(cur)),
      amountText: formatMoney(l.amount, cur),
    };
  });
  const sumLines = input.lines.reduce((s, l) => s.plus(l.amount), ZERO);
  const drawAdvanced = input.lines.filter((l) => l.kind === 'draw').reduce((s, l) => s.plus(l.amount), ZERO);
  const recovered = input.lines.filter((l) => l.kind === 'balance_recovery').reduce((s, l) => s.plus(l.amount), ZERO);
  const totals: [string, string][] = [
    pair('Earned this period (cumulative true-up)', input.payout.earned),
    pair('Draw advanced', drawAdvanced.toFixed()),
    pair('Balance recovered', recovered.toFixed()),
    pair('Balance before this period', input.payout.balanceBefore),
    pair('Balance carried forward (owed)', input.payout.balance),
    pair('Sum of lines', sumLines.toFixed()),
  ];

  // --- year to date
  const ytd: [string, string][] = [
    pair(`Earned to date (E, all windows)`, input.payout.earnedToDate),
    pair(`Computed payable year to date (${input.ytd.months} months)`, input.ytd.paid),
    [
      'Paid by payroll year to date',
      input.ytd.paidByPayroll?.length ? input.ytd.paidByPayroll.map((p) => formatMoney(p.amount, p.currency)).join(' + ') : 'nothing reported by payroll yet',
    ],
  ];
  if (input.assignment) {
    const v = new Decimal(input.assignment.targetVariable);
    const ote = new Decimal(input.assignment.baseSalary).plus(v);
    ytd.push(pair('Target variable (annual)', v.toFixed()));
    // the target for the months the assignment covers this year (a mid-year hire earns against less than the annual)
    const year = input.period.slice(0, 4);
    const from = input.assignment.startDate > `${year}-01-01` ? input.assignment.startDate : `${year}-01-01`;
    const to = input.assignment.endDate && input.assignment.endDate < `${year}-12-31` ? input.assignment.endDate : `${year}-12-31`;
    const covered = from <= to ? inclusiveDays(from, to) : 0;
    const yearDays = inclusiveDays(`${year}-01-01`, `${year}-12-31`);
    if (covered !== yearDays) ytd.push(pair(`Target variable for ${from} to ${to}`, v.times(covered).dividedBy(yearDays).toFixed()));
    const q = new Decimal(input.assignment.annualQuota);
    ytd.push(['Base rate (V / Q)', q.isZero() ? 'n/a (no quota)' : `${formatPct(v.dividedBy(q))} of credit`]);
    ytd.push(pair('OTE (base + target variable)', ote.toFixed()));
    ytd.push(['Earnings to date vs target variable', v.isZero() ? 'n/a' : formatPct(new Decimal(input.payout.earnedToDate).dividedBy(v))]);
    ytd.push(['Earnings at risk (V / OTE)', ote.isZero() ? 'n/a' : formatPct(v.dividedBy(ote))]);
    const tenure = monthsBetween(periodOf(input.rep.hireDate), input.period) + 1;
    ytd.push(['Tenure month', String(tenure)]);
  }

  // --- verification
  const verification: [string, string][] = [];
  if (input.payroll.length) for (const p of input.payroll) verification.push([`Payroll paid (${p.reference}, ${p.paidDate})`, formatMoney(p.amount, p.currency)]);
  else verification.push(['Payroll paid', input.status === 'final' ? 'no payroll record yet' : 'not yet (period open)']);
  verification.push(['Reconciliation', input.reconciliation ? `${input.reconciliation.status}${input.reconciliation.difference ? ` (difference ${input.reconciliation.difference})` : ''}` : 'not reconciled']);
  for (const r of input.reconciliation?.reasons ?? []) verification.push(['', r]);
  const openDisputes = input.openDisputes.map((d) => `dispute ${d.id} (${d.reasonCode}, ${d.status}) on ${d.target}, raised ${d.raisedAt.slice(0, 10)}`);

  const view: Omit<StatementView, 'contentHash'> = {
    statementId: `${input.rep.repId}-${input.period}`,
    title: `Commission statement ${input.period}`,
    status: input.status === 'final' ? 'FINAL' : 'DRAFT',
    header,
    quota,
    rampSchedule,
    attainment,
    tiers,
    lines,
    totals,
    netPayout: new Decimal(input.payout.payout).toFixed(minorDigits(cur)),
    netPayoutText: formatMoney(input.payout.payout, cur),
    ytd,
    figures,
    verification,
    openDisputes,
  };
  return { ...view, contentHash: sha256Hex(canonicalJson(view)) };
}

