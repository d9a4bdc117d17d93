import { addDays, IsoDate, minDate } from '../calendar/dates';
import type { PlanDocument } from './plan-types';

/**
 * When each version of one plan is in effect. Versions are never changed, so a change from a date is a new version
 * that takes over from its `effectiveFrom`: a version is in effect from its own `effectiveFrom` to its `effectiveTo`,
 * or to the day before a later version (a higher number) takes effect, whichever comes first. A version that a later
 * one starts on or before is never in effect (null). Without this, two versions whose dates overlap would both pay.
 */
export function inEffect(versions: { version: number; document: Pick<PlanDocument, 'effectiveFrom' | 'effectiveTo'> }[]): Map<number, { from: IsoDate; to: IsoDate } | null> {
  const out = new Map<number, { from: IsoDate; to: IsoDate } | null>();
  for (const v of versions) {
    let to: IsoDate = v.document.effectiveTo;
    let superseded = false;
    for (const later of versions) {
      if (later.version <= v.version) continue;
      if (later.document.effectiveFrom <= v.document.effectiveFrom) superseded = true;
      else to = minDate(to, addDays(later.document.effectiveFrom, -1));
    }
    out.set(v.version, superseded || to < v.document.effectiveFrom ? null : { from: v.document.effectiveFrom, to });
  }
  return out;
}
