import type { Period } from '../calendar/dates';
import type { PayeeResult } from '../calculation/calculation-types';
import { ConversionRate, ReportingConverter } from '../money/currency-totals';
import { Decimal, HUNDRED, ZERO } from '../money/decimal';
import type { PlanDocument } from './plan-types';

/**
 * Plan modeling: what a draft plan version would have paid over a past range next to what the current version paid,
 * payee by payee and in total. Pure: the engine's results under both versions in, the comparison out. Figures per
 * payee are in the payee's currency, exact to the cent the engine rounded to; totals, bands and the distribution are
 * in the reporting currency (each payee's figures converted at the rates of the range's last day, then added up).
 */
export interface ModelFigures {
  earned: string;
  payout: string;
}

export interface ModelPayee {
  repId: string;
  currency: string;
  current: ModelFigures;
  draft: ModelFigures;
  /** draft payout − current payout, in the payee's currency. */
  change: string;
  /** change / current payout × 100 (2 decimals); null when the current plan paid nothing. */
  changePct: string | null;
  /** In the reporting currency. */
  changeConverted: string;
  /** The quota credit of the range's windows and its attainment under the current plan (null without a quota). */
  credit: string;
  attainmentPct: string | null;
}

export interface ModelTotals {
  current: string;
  draft: string;
  change: string;
  changePct: string | null;
  /** Cost of sales: payout / credited quota bookings × 100 under each version (null without credit). */
  costOfSalesPct: { current: string | null; draft: string | null };
}

export interface ModelBand {
  band: string;
  payees: number;
  current: string;
  draft: string;
}

export interface ModelReport {
  planId: string;
  draft: { version: number; hash: string };
  from: Period;
  to: Period;
  reportingCurrency: string;
  /** "in USD at rates of 2026-03-31" */
  converted: string;
  rates: ConversionRate[];
  payees: ModelPayee[];
  /** Payouts of the range in the reporting currency (the payees' payouts converted and added). */
  totals: ModelTotals;
  /** Payees by how their payout changes. */
  distribution: { bucket: string; payees: number }[];
  /** Payees by attainment under the current plan, with both versions' payouts. */
  attainmentBands: ModelBand[];
  /** The five who gain most and the five who lose most (in the reporting currency). */
  gainers: ModelPayee[];
  losers: ModelPayee[];
}

const BUCKETS: [string, (pct: Decimal | null, change: Decimal) => boolean][] = [
  ['down more than 10%', (p) => p !== null && p.lessThan(-10)],
  ['down up to 10%', (p, c) => c.isNegative() && (p === null || p.greaterThanOrEqualTo(-10))],
  ['unchanged', (_p, c) => c.isZero()],
  ['up up to 10%', (p, c) => c.isPositive() && !c.isZero() && p !== null && p.lessThanOrEqualTo(10)],
  ['up more than 10%', (p, c) => c.isPositive() && !c.isZero() && (p === null || p.greaterThan(10))],
];

const BANDS: [string, Decimal, Decimal | null][] = [
  ['below 50%', new Decimal(0), new Decimal('0.5')],
  ['50% to 100%', new Decimal('0.5'), new Decimal(1)],
  ['100% to 150%', new Decimal(1), new Decimal('1.5')],
  ['150% and above', new Decimal('1.5'), null],
];

/** What a comparison reads of a payee's result for one period (the engine's, or a stored run's). */
export type ModelResult = Pick<PayeeResult, 'currency' | 'earned' | 'payout'> & { windows: Pick<PayeeResult['windows'][number], 'planId' | 'componentId' | 'componentKey' | 'credit' | 'attainment'>[] };

const pct2 = (part: Decimal, whole: Decimal): string | null => (whole.isZero() ? null : part.times(HUNDRED).dividedBy(whole).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));

function sumOf(results: ModelResult[]): { earned: Decimal; payout: Decimal } {
  return results.reduce((s, r) => ({ earned: s.earned.plus(r.earned), payout: s.payout.plus(r.payout) }), { earned: ZERO, payout: ZERO });
}

/**
 * The quota credit of the range and the attainment at its end, from the window summaries of the plan's first component
 * that measures the quota measure: the latest figure of each of its windows in the range, added up.
 */
function quotaStanding(results: ModelResult[], plan: PlanDocument): { credit: Decimal; attainment: Decimal | null } {
  const component = plan.components.find((c) => 'measure' in c && c.measure === plan.quotaMeasure);
  if (!component) return { credit: ZERO, attainment: null };
  const latest = new Map<string, { credit: string; attainment: string | null }>();
  for (const r of results) for (const w of r.windows) if (w.planId === plan.id && w.componentId === component.id) latest.set(`${w.componentKey}`, { credit: w.credit, attainment: w.attainment });
  const windows = [...latest.values()];
  const last = windows[windows.length - 1];
  return { credit: windows.reduce((s, w) => s.plus(w.credit), ZERO), attainment: last?.attainment ? new Decimal(last.attainment) : null };
}

export function comparePlanResults(input: {
  plan: PlanDocument;
  draft: { version: number; hash: string };
  from: Period;
  to: Period;
  /** Each payee's results per period under the current plan and under the draft (same payees, same periods). */
  current: Map<string, ModelResult[]>;
  drafted: Map<string, ModelResult[]>;
  converter: ReportingConverter;
}): ModelReport {
  const { converter } = input;
  const payees: ModelPayee[] = [];
  let [current, draft, creditTotal] = [ZERO, ZERO, ZERO];
  const bands = BANDS.map(([band]) => ({ band, payees: 0, current: ZERO, draft: ZERO }));
  for (const [repId, results] of [...input.current].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const drafted = input.drafted.get(repId) ?? [];
    const currency = results[0]?.currency ?? drafted[0]?.currency;
    if (!currency) continue;
    const now = sumOf(results);
    const then = sumOf(drafted);
    const change = then.payout.minus(now.payout);
    const standing = quotaStanding(results, input.plan);
    const [nowConverted, thenConverted] = [converter.convert(now.payout, currency), converter.convert(then.payout, currency)];
    current = current.plus(nowConverted);
    draft = draft.plus(thenConverted);
    creditTotal = creditTotal.plus(converter.convert(standing.credit, currency));
    if (standing.attainment !== null) {
      const k = BANDS.findIndex(([, lo, hi]) => standing.attainment!.greaterThanOrEqualTo(lo) && (hi === null || standing.attainment!.lessThan(hi)));
      bands[k].payees++;
      bands[k].current = bands[k].current.plus(nowConverted);
      bands[k].draft = bands[k].draft.plus(thenConverted);
    }
    payees.push({
      repId,
      currency,
      current: { earned: now.earned.toFixed(2), payout: now.payout.toFixed(2) },
      draft: { earned: then.earned.toFixed(2), payout: then.payout.toFixed(2) },
      change: change.toFixed(2),
      changePct: pct2(change, now.payout),
      changeConverted: thenConverted.minus(nowConverted).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      credit: standing.credit.toFixed(2),
      attainmentPct: standing.attainment === null ? null : standing.attainment.times(HUNDRED).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
    });
  }
  const money = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
  const byChange = [...payees].sort((a, b) => new Decimal(b.changeConverted).comparedTo(a.changeConverted) || (a.repId < b.repId ? -1 : 1));
  return {
    planId: input.plan.id,
    draft: input.draft,
    from: input.from,
    to: input.to,
    reportingCurrency: converter.currency,
    converted: converter.label(),
    rates: converter.rates(),
    payees,
    totals: {
      current: money(current),
      draft: money(draft),
      change: money(draft.minus(current)),
      changePct: pct2(draft.minus(current), current),
      costOfSalesPct: { current: pct2(current, creditTotal), draft: pct2(draft, creditTotal) },
    },
    distribution: BUCKETS.map(([bucket, test]) => ({
      bucket,
      payees: payees.filter((p) => test(p.changePct === null ? null : new Decimal(p.changePct), new Decimal(p.change))).length,
    })),
    attainmentBands: bands.map((b) => ({ band: b.band, payees: b.payees, current: money(b.current), draft: money(b.draft) })),
    gainers: byChange.filter((p) => new Decimal(p.changeConverted).isPositive() && !new Decimal(p.changeConverted).isZero()).slice(0, 5),
    losers: byChange.filter((p) => new Decimal(p.changeConverted).isNegative()).reverse().slice(0, 5),
  };
}
