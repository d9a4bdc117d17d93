import { IsoDate } from '../calendar/dates';
import { Decimal, HUNDRED, ONE, ZERO } from '../money/decimal';
import { ClawbackSpec } from '../plans/plan-types';
import { holdbackReleaseDay } from './clawback';
import type { Attribution, WindowEvaluation } from './components';
import { EvaluationCache } from './evaluation-cache';

/**
 * Holdbacks: `clawback.holdback.percent` of each booking's share of a component window is held until the booking's
 * clawback window has passed (released the day after it closes), and is paid then by the ordinary true-up: the share
 * grows back to its full amount and the difference is that period's line. A booking clawed back before its release
 * is settled by the clawback instead: its lines end at what the clawback leaves, so the part held is never paid and a
 * clawback never takes back more than was paid.
 *
 * Applied on top of a window's evaluation as of the day being calculated (evaluations themselves are shared across
 * days). The held variant is made once per evaluation and set of held bookings, so an unchanged window stays the
 * same object from one period to the next.
 */
export function withHoldback(cache: EvaluationCache, e: WindowEvaluation, spec: ClawbackSpec, asOf: IsoDate): WindowEvaluation {
  const percent = new Decimal((spec.holdback as { percent: string }).percent);
  const held: string[] = [];
  for (const [ref, a] of e.attributions) if (a.booking && a.clawedOn === undefined && asOf < holdbackReleaseDay(spec, a.booking)) held.push(ref);
  return cache.variant(e, held.join('\n'), () => {
    const heldRefs = new Set(held);
    const kept = ONE.minus(percent.dividedBy(HUNDRED));
    const attributions = new Map<string, Attribution>();
    let heldTotal = ZERO;
    for (const [ref, a] of e.attributions) {
      if (!a.booking || a.clawedOn !== undefined) {
        attributions.set(ref, a);
        continue;
      }
      const releaseOn = holdbackReleaseDay(spec, a.booking);
      const holding = heldRefs.has(ref);
      const amount = holding ? a.amount.times(kept) : a.amount;
      const heldPart = a.amount.minus(amount);
      heldTotal = heldTotal.plus(heldPart);
      const before = a.trace;
      const holdback = { percent: percent.toFixed(), releaseOn, held: heldPart.toFixed(), released: !holding };
      attributions.set(ref, { ...a, amount, trace: () => ({ ...before(), holdback }) });
    }
    return {
      total: e.total.minus(heldTotal),
      attributions,
      summary: { ...e.summary, trace: { ...e.summary.trace, holdback: { percent: percent.toFixed(), held: heldTotal.toFixed() } } },
    };
  });
}
