import { CalendarWindow, IsoDate } from '../../calendar/dates';
import { Decimal, ZERO, max } from '../../money/decimal';
import { TeamPoolComponentSpec } from '../../plans/plan-types';
import { RepFacts } from '../calculation-types';
import { clawedOn, creditTrace } from '../crediting';
import { Segment } from '../shared-facts';
import { TeamPoolTrace } from '../trace';
import { Attribution, ComponentEvaluator, EvaluationContext, WindowEvaluation } from './component-evaluator';

/**
 * Team bonus pools: pool = rate × max(0, team credit − team quota) for the window, where the team credit is the
 * window credit of the component's measure (credited from the team by a rule with `from` "team"). The payee's share
 * is pool / members (members employed on the window's last day, or the day calculated if earlier) or, by
 * contribution, pool × the payee's own part of the team credit / team credit. The share is attributed to the team's
 * bookings in proportion to their credit (reference "booking/member").
 */
export const teamPoolEvaluator: ComponentEvaluator<TeamPoolComponentSpec> = {
  async evaluate(ctx: EvaluationContext, rep: RepFacts, segments: Segment[], c: TeamPoolComponentSpec, w: CalendarWindow, asOf: IsoDate): Promise<WindowEvaluation> {
    const items = await ctx.windowItems(rep.repId, segments, c.measure, w, asOf);
    const teamCredit = items.reduce((s, i) => s.plus(i.credit), ZERO);
    const ownCredit = items.filter((i) => i.memberId === rep.repId).reduce((s, i) => s.plus(i.credit), ZERO);
    const quota = new Decimal(c.teamQuota);
    const pool = max(teamCredit.minus(quota), ZERO).times(c.rate);
    const day = asOf < w.end ? asOf : w.end;
    const members = ctx.facts.membersOf(rep.repId, 'team').filter((id) => {
      const m = ctx.facts.reps.get(id);
      return !!m && m.hireDate <= day && (m.terminationDate === null || m.terminationDate >= day);
    });
    const employed = members.includes(rep.repId);
    let share = ZERO;
    if (employed && pool.greaterThan(0)) {
      share = c.division === 'equal' ? pool.dividedBy(members.length) : teamCredit.greaterThan(0) ? pool.times(ownCredit).dividedBy(teamCredit) : ZERO;
    }
    const head: Omit<TeamPoolTrace, keyof ReturnType<typeof creditTrace>> = {
      kind: 'teamPool',
      division: c.division,
      teamCredit: teamCredit.toFixed(),
      teamQuota: quota.toFixed(),
      poolRate: new Decimal(c.rate).toFixed(),
      pool: pool.toFixed(),
      members: members.length,
      ownCredit: ownCredit.toFixed(),
      poolShare: share.toFixed(),
    };
    const attributions = new Map<string, Attribution>();
    for (const i of items) {
      const amount = share.isZero() || teamCredit.isZero() ? ZERO : share.times(i.credit).dividedBy(teamCredit);
      const ref = `${i.booking.bookingId}/${i.memberId}`;
      const a: Attribution = { amount, bookingId: i.booking.bookingId, booking: i.booking, trace: () => ({ ...head, ...creditTrace(i), share: amount.toFixed() }) };
      const taken = clawedOn(i);
      if (taken) a.clawedOn = taken;
      const existing = attributions.get(ref);
      attributions.set(ref, existing ? { ...existing, amount: existing.amount.plus(amount) } : a);
    }
    return {
      total: share,
      attributions,
      summary: { quota, credit: teamCredit, attainment: quota.isZero() ? null : teamCredit.dividedBy(quota), trace: { kind: 'teamPool', pool: pool.toFixed(), factor: share.toFixed() } },
    };
  },
};
