import { Decimal } from '../money/decimal';
import type { BandPortion, ClawbackTrace, ConditionTrace, HoldbackTrace, LineTrace, Movement } from '../calculation/trace';
import { formatMoney, formatRate } from './format';

/**
 * The one place where a payout line's trace becomes words: the description stored with each line, and the
 * explanation the statement PDF prints and the API serves to the portal. The engine never writes words, and the
 * payee hash never covers them, so rewording a template here changes no result and no closed period's `verify`.
 *
 * Traces of runs made before the trace was typed (no `kind`, booking type as `type`) are read too.
 */

/** A line as the wording needs it. */
export interface WordedLine {
  kind: string;
  bookingId: string | null;
  originPeriod: string | null;
  trace: LineTrace | Record<string, unknown>;
}

type Loose = Record<string, unknown> & Partial<Record<'bands', BandPortion[]>> & { movedBy?: Movement };

const s = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Description templates, one per line kind. */
export const LINE_WORDS = {
  commission: (t: Loose, l: WordedLine) => `${s(t.component) || 'commission'}${l.bookingId ? `: booking ${l.bookingId}` : ''}${movedNote(t)}`,
  spiff: (t: Loose, l: WordedLine) => `${s(t.component) || 'SPIF'}${l.bookingId ? `: booking ${l.bookingId}` : ''}${movedNote(t)}`,
  override: (t: Loose, l: WordedLine) => `${s(t.component) || 'override'}${l.bookingId ? `: booking ${l.bookingId}` : ''}${t.report ? ` by ${s(t.report)}` : ''}${movedNote(t)}`,
  clawback: (t: Loose, l: WordedLine) => {
    const c = t.clawback as ClawbackTrace | undefined;
    const pay = t.payment as { reversedBy?: string; reversedKind?: string; reversedOn?: string; reversed?: string } | undefined;
    if (!c && pay?.reversedBy) {
      return `clawback: booking ${s(l.bookingId)}: ${pay.reversedKind === 'refund' ? 'refund' : 'credit note'} ${pay.reversedBy} of ${s(pay.reversedOn)} takes back ${formatRate(String(pay.reversed))} of the booking's credit earned on payment (${s(t.component)})`;
    }
    if (!c) return `clawback: booking ${s(l.bookingId)} cancelled ${s(t.cancelledDate)} within the clawback window (${s(t.component)})`;
    const why = c.reason === 'termination' ? `the payee left on ${c.on}, ${c.days} days after booking` : `booking cancelled ${c.on}, ${c.days} days after booking`;
    return `clawback: booking ${s(l.bookingId)}: ${why}; ${clawbackShare(c)} (${s(t.component)})`;
  },
  prior_period_adjustment: (t: Loose, l: WordedLine, cur: string) =>
    `prior-period adjustment for ${s(l.originPeriod)}: ${s(t.component)}${l.bookingId ? `, booking ${l.bookingId}` : ''} (recorded ${money(t.recorded, cur)}, now ${money(t.recalculated, cur)})`,
  rounding: (t: Loose, _l: WordedLine, cur: string) => `rounding: ${s(t.component)} is rounded once per window (window total ${money(t.windowTotalRounded, cur)})`,
  adjustment: (t: Loose) =>
    `adjustment ${s(t.adjustmentId)} (${s(t.reasonCode)})${t.originPeriod ? ` for ${s(t.originPeriod)}` : ''}${t.originRef ? `, ${s(t.originRef)}` : ''}: ${s(t.note)}`,
  balance_recovery: (t: Loose, _l: WordedLine, cur: string) => `recovery of outstanding balance ${money(t.balanceBefore, cur)} (draws and clawbacks not yet earned back)`,
  draw: (t: Loose, _l: WordedLine, cur: string) =>
    `${t.drawKind === 'nonRecoverable' ? 'non-recoverable' : 'recoverable'} draw: guaranteed ${money(t.guaranteed, cur)} for tenure month ${s(t.tenureMonth)}${t.scheduled ? ' (by the draw schedule)' : ''}${
      t.recoveryFromTenureMonth !== undefined ? `; earnings pay it back from tenure month ${s(t.recoveryFromTenureMonth)}` : ''
    }`,
  negative_carried_forward: (t: Loose, _l: WordedLine, cur: string) => `net ${money(t.earnedNet, cur)} carried forward as balance owed`,
};

function money(v: unknown, cur: string): string {
  return v === undefined || v === null || v === '' ? '-' : formatMoney(String(v), cur);
}

/** The line's one-line description. */
export function describeLine(line: WordedLine, currency: string): string {
  const words = LINE_WORDS[line.kind as keyof typeof LINE_WORDS];
  return words ? words(line.trace as Loose, line, currency) : line.kind;
}

/** Tiers in words; on a count measure a tier's rate is an amount per deal. */
function tierWords(t: { tier?: unknown; tierLabel?: unknown; rate?: unknown; bands?: BandPortion[] }, cur: string, count = false): string | null {
  const rate = (r: string) => (count ? `${formatMoney(r, cur)} per deal` : formatRate(r));
  if (Array.isArray(t.bands) && t.bands.length) {
    return t.bands.map((b) => `tier ${b.tier}${b.label ? ` (${b.label})` : ''}: ${count ? `${new Decimal(b.portion).toFixed()} deals` : formatMoney(b.portion, cur)} at ${rate(b.rate)}`).join(', ');
  }
  if (t.tier !== undefined && t.tier !== null && t.rate) return `tier ${s(t.tier)}${t.tierLabel ? ` (${s(t.tierLabel)})` : ''} at ${rate(String(t.rate))}`;
  return null;
}

/** A gate on another window's attainment, in words. */
export function conditionWords(c: ConditionTrace, cur: string): string {
  const what = c.pace !== undefined ? `on pace (${formatRate(c.pace)} of the window elapsed)` : `at ${formatRate(String(c.minAttainment ?? '0'))} attainment`;
  const got = `${money(c.credit, cur)} of ${money(c.quota, cur)}${c.attainment !== null ? ` (${formatRate(c.attainment)})` : ''}, needs ${money(c.needed, cur)}`;
  return `requires ${c.window} ${what}: ${got}: ${c.met ? 'met' : 'not met, pays nothing'}`;
}

/** A team pool: how big, how divided, and the payee's share. */
export function poolWords(t: Loose, cur: string): string {
  const how = t.division === 'equal' ? `divided equally among ${s(t.members)} members` : `divided by contribution (own ${money(t.ownCredit, cur)} of ${money(t.teamCredit, cur)})`;
  return `team pool ${formatRate(String(t.poolRate))} of team credit ${money(t.teamCredit, cur)} above the team quota ${money(t.teamQuota, cur)} = ${money(t.pool, cur)}, ${how}: share ${money(t.poolShare, cur)}, by credit`;
}

/** A kicker or modifier: which component it multiplies, the basis window's attainment and the factor reached. */
export function modifierWords(t: Loose, cur: string): string {
  const b = t.basis as ConditionTrace;
  const step = t.step ? `step ${s(t.step)}${t.stepLabel ? ` (${s(t.stepLabel)})` : ''}` : 'no step';
  return `${s(t.of)} share ${money(t.baseShare, cur)} x ${s(t.factor)}: ${b.window} attainment ${b.attainment !== null ? formatRate(b.attainment) : 'n/a'} (${money(b.credit, cur)} of ${money(b.quota, cur)}) reached ${step}`;
}

/** What share of a booking's credit a clawback takes back, in words. */
export function clawbackShare(c: ClawbackTrace): string {
  const pct = new Decimal(c.percent).toDecimalPlaces(4).toFixed();
  const prorated = c.termMonths !== undefined ? ` x ${c.termMonths - (c.servedMonths ?? 0)}/${c.termMonths} of the term unserved` : '';
  return `${pct}%${prorated} of its credit clawed back, ${new Decimal(c.retained).times(100).toDecimalPlaces(4).toFixed()}% still counts`;
}

/** Where a window's attainment sits on a payout curve, and what the window pays there. */
export function curveWords(t: Loose, cur: string): string {
  const p = (t.point ?? {}) as { where?: string; from?: number | null; to?: number | null; fromLabel?: string; toLabel?: string };
  const name = (n: unknown, label: unknown) => `point ${s(n)}${label ? ` (${s(label)})` : ''}`;
  const where =
    p.where === 'below'
      ? `below ${name(p.to, p.toLabel)}: the curve pays nothing`
      : p.where === 'at'
        ? `at ${name(p.from, p.fromLabel)}`
        : p.where === 'above'
          ? `above the last ${name(p.from, p.fromLabel)}: its payout holds`
          : `between ${name(p.from, p.fromLabel)} and ${name(p.to, p.toLabel)} (${s(t.interpolation)})`;
  const attained = t.noQuota
    ? 'no quota in this window: the curve pays nothing'
    : t.pointsOn === 'credit'
      ? `window credit ${new Decimal(String(t.windowCredit)).toFixed()}, ${where}`
      : `window attainment ${t.attainment ? formatRate(String(t.attainment)) : 'n/a'} (${money(t.windowCredit, cur)} of ${money(t.windowQuota, cur)}), ${where}`;
  const pays =
    t.payoutPct !== null && t.payoutPct !== undefined
      ? `pays ${new Decimal(String(t.payoutPct)).toDecimalPlaces(4).toFixed()}% of target variable ${money(t.windowTarget, cur)} = ${money(t.windowPayout, cur)}`
      : `pays ${money(t.windowPayout, cur)}`;
  return `${attained}; the window ${pays}, shared by credit`;
}

/** The short cause in a line's description when another booking moved it ("(moved: booking B1 cancelled)"). */
function movedNote(t: Loose): string {
  if (!t.movedBy) return '';
  const why = movementCauses(t.movedBy);
  return why.length ? ` (moved: ${why.join('; ')})` : ' (moved: the window changed)';
}

/** The other bookings that moved a line: "booking B1 cancelled", "bookings B7, B9 added". */
function movementCauses(m: Movement): string[] {
  const list = (ids: string[], what: string) => (ids.length ? [`${ids.length === 1 ? 'booking' : 'bookings'} ${ids.join(', ')} ${what}`] : []);
  return [...list(m.cancelled, 'cancelled'), ...list(m.added, 'added'), ...list(m.changed, 'changed')];
}

/** Why a booking's line moved although the booking did not change. */
export function movementWords(m: Movement, now: Loose, cur: string): string {
  const why = movementCauses(m);
  const before = tierWords(m.before, cur);
  const after = tierWords(now, cur);
  const moved = before && after && before !== after ? `: was ${before}, now ${after}` : '';
  if (!why.length && now.lookupMeasure) return `moved because the ${s(now.lookupMeasure)} credit its tier is looked up on changed${moved}`;
  return `moved because ${why.length ? why.join('; ') : 'the window changed'} in the same window${moved}`;
}

/** The trace in words: booking, rule, base, split, credit %, FX, credit, tier and rate, caps, cause. */
export function explainTrace(trace: LineTrace | Record<string, unknown>, currency: string): string {
  const t = trace as Loose;
  const parts: string[] = [];
  const bookingType = t.bookingType ?? t.type;
  if (t.bookingId) parts.push(`booking ${s(t.bookingId)} v${s(t.bookingVersion ?? 1)} (${s(bookingType)} ${s(t.product)}, booked ${s(t.bookedDate)})`);
  if (t.creditedTo) parts.push(`credited to ${s(t.creditedTo)}`);
  if (t.splitType === 'overlay') parts.push('overlay credit (on top of the revenue splits)');
  const up = t.uplift as { renews: string; priorBase: string | null; fullBase: string } | undefined;
  if (up) {
    parts.push(
      up.priorBase === null
        ? `renews ${up.renews}, which is not in the store: credited in full`
        : `renewal uplift over ${up.renews}: ${money(up.fullBase, s(t.bookingCurrency))} − ${money(up.priorBase, s(t.bookingCurrency))}`,
    );
  }
  if (t.report) parts.push(`report ${s(t.report)}`);
  if (t.rule) parts.push(`rule ${s(t.rule)}`);
  const count = t.baseKind === 'count';
  if (count) parts.push(`counts ${s(t.credit)} deal${t.credit === '1' ? '' : 's'} (count measure ${s(t.measure)})`);
  else {
    if (t.base) parts.push(`${s(t.baseKind || 'base').toUpperCase()} ${formatMoney(String(t.base), s(t.bookingCurrency) || currency)}`);
    if (t.splitPct) parts.push(`split ${s(t.splitPct)}%`);
    if (t.creditPct) parts.push(`credit ${s(t.creditPct)}%`);
    if (t.fxRate && t.fxRate !== '1') parts.push(`FX ${s(t.fxRate)} (${s(t.fxDate)})`);
    if (t.credit) parts.push(`credit ${formatMoney(String(t.credit), currency)}`);
  }
  if (t.noQuota) parts.push('no quota in this window: attainment tiers pay nothing');
  if (t.gateMet === false) parts.push('gate not met');
  const tiers = tierWords(t, currency, count);
  if (tiers) parts.push(tiers);
  else if (t.rate && t.kind !== 'override') parts.push(`rate ${formatRate(String(t.rate))}${t.rateRule ? ` (override ${s(t.rateRule)})` : ''}`);
  if (t.overrideRate) parts.push(`override ${formatRate(String(t.overrideRate))}`);
  if (t.spiff && t.spiffAmount) parts.push(`SPIF ${s(t.spiffAmount)}${t.splitAdjusted ? ' x split' : ''}`);
  if (t.spiff && t.threshold) parts.push(`SPIF ${s(t.spiff)}: attainment ${t.attainment ? formatRate(String(t.attainment)) : 'n/a'} reached the ${formatRate(String(t.threshold))} threshold`);
  if (t.kind === 'curve') parts.push(curveWords(t, currency));
  if (t.kind === 'modifier') parts.push(modifierWords(t, currency));
  if (t.kind === 'teamPool') parts.push(poolWords(t, currency));
  if (t.kind === 'activity') parts.push(`${s(t.activityKind)} ${s(t.activityId)} on ${s(t.date)}: ${s(t.quantity)} x ${money(t.amountPer, currency)}`);
  if (t.kind === 'targetBonus') {
    parts.push(
      `objective ${s(t.objective)} for ${s(t.window)}: score ${s(t.score)}${new Decimal(String(t.score)).greaterThan(String(t.maxScore)) ? ` (counted at the ${s(t.maxScore)} maximum)` : ''} x target ${money(t.target, currency)} x ${s(t.activeDays)}/${s(t.daysInWindow)} days on the plan`,
    );
  }
  if (t.taxRate) parts.push(`tax ${formatRate(String(t.taxRate))} taken out of the amount`);
  const pay = t.payment as { paymentId: string; amount: string; paidDate: string; fraction: string; reversedBy?: string; reversedKind?: string; reversed?: string } | undefined;
  if (pay) {
    parts.push(`earned on payment ${pay.paymentId} of ${pay.paidDate} (${money(pay.amount, String(t.bookingCurrency ?? currency))}): ${formatRate(pay.fraction)} of the booking's credit`);
    if (pay.reversedBy) parts.push(`${formatRate(String(pay.reversed))} of it taken back (last by ${pay.reversedKind === 'refund' ? 'refund' : 'credit note'} ${pay.reversedBy})`);
  }
  if (t.lookupMeasure) parts.push(`tier looked up on ${s(t.lookupMeasure)} credit ${money(t.lookupCredit, currency)}`);
  if (t.requires) parts.push(conditionWords(t.requires as ConditionTrace, currency));
  if (t.clawback) parts.push(clawbackShare(t.clawback as ClawbackTrace));
  const h = t.holdback as HoldbackTrace | undefined;
  if (h) parts.push(h.released ? `${h.percent}% holdback released on ${h.releaseOn}` : `${h.percent}% held back (${money(h.held, currency)}) until ${h.releaseOn}`);
  if (t.capHit === true) parts.push('attainment cap reached');
  if (t.payoutCapHit === true) parts.push(`payout cap applied (x ${new Decimal(String(t.capFactor ?? 1)).toDecimalPlaces(6).toFixed()})`);
  if (t.movedBy) parts.push(movementWords(t.movedBy, t, currency));
  if (t.cause) parts.push(`cause: ${s(t.cause)}`);
  if (t.reasonCode) parts.push(`reason ${s(t.reasonCode)}`);
  if (t.originRef) parts.push(`origin ${s(t.originRef)}`);
  if (t.drawKind) parts.push(`${s(t.drawKind)} draw ${s(t.guaranteed)} (tenure month ${s(t.tenureMonth)})`);
  return parts.join('; ');
}
