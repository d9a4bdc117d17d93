import { Inject, Injectable } from '@nestjs/common';
import { AccessService } from '../auth/access.service';
import { Actor } from '../auth/actor';
import { AuditService } from '../audit/audit.service';
import { PeriodLifecycle } from '../calculation/period-lifecycle.service';
import { calculationInputOf, ShardInput } from '../calculation/shard-compute';
import { CalcInputsRepository, reader } from '../calculation/calc-inputs.repository';
import { shardInputFrom } from '../calculation/shard-runner';
import { SharedFactsLoader } from '../calculation/shared-facts.loader';
import { calculatePeriods } from '../core/calculation/calculate-period';
import { PayeeResult } from '../core/calculation/calculation-types';
import { addMonths, isPeriod, Period, periodEnd } from '../core/calendar/dates';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import {
  comparePeriod,
  defaultDealId,
  EstimatePeriod,
  lastTouchedPeriod,
  readCancellations,
  readDeals,
  storedPeriod,
  totalOf,
} from '../core/estimates/what-if';
import { BookingRecord } from '../core/intake/booking-intake';
import { MinorUnits } from '../core/money/minor-units';
import { Db } from '../infra/db.service';
import { AppConfig } from '../infra/env';
import { APP_CONFIG } from '../infra/tokens';
import { EstimateFactsRepository } from './estimate-facts.repository';

export interface EstimateRequest {
  /** The payee the estimate is for (default: the caller's own). */
  repId?: string;
  deals?: unknown;
  cancellations?: unknown;
  /** The last period to project (default: December of the year of the first open period or of the latest deal). */
  through?: string;
}

export interface EstimateView {
  repId: string;
  currency: string;
  /** When the facts were read (UTC): an estimate is as of this moment's imports. */
  asOf: string;
  /** The first period not yet approved or closed: the period "today's earnings" are for. */
  openPeriod: Period;
  deals: { bookingId: string; bookedDate: string; amount: string; currency: string; type: string; product: string; termMonths: number; credits: { repId: string; splitPct: string }[] }[];
  cancellations: { bookingId: string; cancelledDate: string }[];
  periods: EstimatePeriod[];
  /** Σ over the year of the open period: stored periods as stored, the others as estimated. */
  year: { year: string } & ReturnType<typeof totalOf>;
  notice: string;
}

const NOTICE =
  'An estimate: the real engine on the facts imported so far plus the what-if, written nowhere. Figures of periods not yet closed change as bookings arrive; a hypothetical deal pays what it shows once it is imported with the same fields.';

/**
 * The what-if estimator and "earnings as of today": the engine run on the facts as they are now (what a calculation
 * started now would read), once as they are and once with hypothetical deals or cancellations, for one payee. It
 * writes nothing but one audit event per estimate.
 */
@Injectable()
export class EstimatesService {
  private readonly minorUnits: MinorUnits;

  constructor(
    private readonly db: Db,
    private readonly facts: EstimateFactsRepository,
    private readonly lifecycle: PeriodLifecycle,
    private readonly sharedFacts: SharedFactsLoader,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.minorUnits = new MinorUnits(cfg.currencyMinorUnits);
  }

  /** The first period that is neither approved nor closed (null: no assignment yet, nothing can be earned). */
  openPeriod(): Promise<Period | null> {
    return this.lifecycle.firstUnfrozen();
  }

  async estimate(actor: Actor, req: EstimateRequest, opts: { audit?: boolean } = {}): Promise<EstimateView> {
    const repId = req.repId ?? actor.repId;
    if (!repId) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, 'repId: required (the payee the estimate is for)');
    await this.access.assertCanSee(actor, repId);
    if (req.through !== undefined && !isPeriod(req.through)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `through: must be a period YYYY-MM, got "${req.through}"`);
    const open = await this.openPeriod();
    if (!open) throw new CommissionError(CommissionErrorCode.NOT_FOUND, 'no plan assignment yet: nothing can be earned, so there is nothing to estimate');
    const asOf = new Date().toISOString();
    const watermark = await CalcInputsRepository.of(this.db.manager).bookingWatermark();

    // Reps first (deals are checked against them), then the range (the deals may reach past the default).
    const known = await this.facts.repCurrencies(this.db.manager);
    const currency = known.get(repId);
    if (!currency) throw new CommissionError(CommissionErrorCode.NOT_FOUND, `rep ${repId} not found`);
    // the ids the deals will carry (their own, or the default one), to refuse any that an imported booking has
    const dealIds = Array.isArray(req.deals) ? req.deals.map((d: { bookingId?: unknown }, i) => (typeof d?.bookingId === 'string' ? d.bookingId : defaultDealId(i))) : [];
    const existing = dealIds.length ? await this.facts.importedBookingIds(this.db.manager, dealIds) : new Set<string>();
    const { deals, problems } = readDeals(req.deals ?? [], repId, { repExists: (id) => known.has(id), bookingExists: (id) => existing.has(id) });
    if (problems.length) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `the what-if has ${problems.length} problem(s); nothing was estimated: ${problems.join('; ')}`, { problems });

    // Cancellations name bookings the payee's results read: checked once the shard's bookings are loaded.
    const rawCancels = req.cancellations ?? [];
    const cancelDates = Array.isArray(rawCancels) ? rawCancels.map((c: { cancelledDate?: unknown }) => (typeof c?.cancelledDate === 'string' ? c.cancelledDate : '')) : [];
    const touched = [lastTouchedPeriod(deals, []), ...cancelDates.filter((d) => /^\d{4}-\d{2}/.test(d)).map((d) => d.slice(0, 7))].filter((p): p is Period => !!p);
    const latest = touched.reduce((a, b) => (b > a ? b : a), open);
    const through = req.through ?? `${latest.slice(0, 4)}-12`;
    if (through < latest) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `through: ${through} is before ${latest}, the latest period the what-if touches (or the open period)`);
    if (Number(through.slice(0, 4)) - Number(open.slice(0, 4)) > 1) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `through: ${through} is more than a year past the open period ${open}`);

    const { periods, input } = await this.inputFor([repId], through, watermark);
    const bookedOn = new Map(input.bookings.map((b) => [b[0], b[8]]));
    const { cancellations, problems: cancelProblems } = readCancellations(rawCancels, (id) => bookedOn.get(id));
    if (cancelProblems.length) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `the what-if has ${cancelProblems.length} problem(s); nothing was estimated: ${cancelProblems.join('; ')}`, { problems: cancelProblems });

    const today = await this.run(input, repId);
    const cancelOf = new Map(cancellations.map((c) => [c.bookingId, c.cancelledDate]));
    const whatIf = await this.run(
      {
        ...input,
        bookings: [...input.bookings.map((b): ShardInput['bookings'][number] => (cancelOf.has(b[0]) ? [...b.slice(0, 9), cancelOf.get(b[0]) as string, ...b.slice(10)] as ShardInput['bookings'][number] : b)), ...rowsOf(deals)],
      },
      repId,
    );
    const minor = this.minorUnits.of(currency);
    const hypothetical = new Set(deals.map((d) => d.bookingId).concat(cancellations.map((c) => c.bookingId)));
    // a period the payee has no result in (not yet hired, or gone) has nothing to show
    const estimated = periods.filter((p) => today.has(p) && whatIf.has(p)).map((p) => comparePeriod(today.get(p) as PayeeResult, whatIf.get(p) as PayeeResult, hypothetical));
    const year = open.slice(0, 4);
    const before = await this.storedPeriods(repId, `${year}-01`, addMonths(periods[0], -1), minor);
    const all = [...before, ...estimated];
    const view: EstimateView = {
      repId,
      currency,
      asOf,
      openPeriod: open,
      deals: deals.map((d: BookingRecord) => ({
        bookingId: d.bookingId,
        bookedDate: d.bookedDate,
        amount: d.amount.toFixed(),
        currency: d.currency,
        type: d.type,
        product: d.product,
        termMonths: d.termMonths,
        credits: d.credits.map((c) => ({ repId: c.repId, splitPct: c.splitPct.toFixed() })),
      })),
      cancellations,
      periods: all,
      year: { year, ...totalOf(all.filter((p) => p.period.startsWith(year)), minor) },
      notice: NOTICE,
    };
    if (opts.audit !== false && (deals.length || cancellations.length)) {
      await this.db.tx((em) =>
        this.audit.record(em, actor, {
          action: 'estimate.run',
          entityType: 'rep',
          entityId: repId,
          after: { deals: deals.length, cancellations: cancellations.length, through, difference: view.year.difference },
        }),
      );
    }
    return view;
  }

  /**
   * The engine's results of payees for the open period as of now (calculated afresh from the facts imported so far,
   * never stored): "earnings as of today". Payees without a result there (not yet hired, gone) are absent.
   */
  async today(repIds: string[]): Promise<{ period: Period; results: Map<string, PayeeResult> } | null> {
    const open = await this.openPeriod();
    if (!open || !repIds.length) return null;
    const watermark = await CalcInputsRepository.outside(this.db).bookingWatermark();
    const { input } = await this.inputFor(repIds, open, watermark);
    const results = new Map<string, PayeeResult>();
    for await (const result of calculatePeriods(calculationInputOf(input))) if (result.period === open) for (const p of result.payees) results.set(p.repId, p);
    return { period: open, results };
  }

  /** What calculations of the open periods to `through` started now would read, for some payees. */
  private async inputFor(repIds: string[], through: Period, watermark: string): Promise<{ periods: Period[]; input: ShardInput }> {
    // Every open period from the first one: what finance's calculations before each close would compute now (an
    // open period with a fresh run gives the same figures again, unless facts arrived since it was calculated).
    const open = await this.openPeriod();
    const periods: Period[] = [];
    for (let p = open ?? through; p <= through; p = addMonths(p, 1)) periods.push(p);
    const facts = await this.sharedFacts.load(this.db.manager, periodEnd(through));
    const snapshots = [];
    for (const p of periods) snapshots.push(await this.sharedFacts.snapshotFor(this.db.manager, facts, p));
    const input = await shardInputFrom(reader(this.db.manager), {
      periods,
      snapshot: snapshots[snapshots.length - 1],
      adjustments: snapshots.map((s) => s.adjustments),
      repIds: [...repIds].sort(),
      bookings: { bookingWatermark: watermark },
    });
    return { periods, input };
  }

  /** The engine over the input, for the one payee: their result per period. */
  private async run(input: ShardInput, repId: string): Promise<Map<Period, PayeeResult>> {
    const out = new Map<Period, PayeeResult>();
    for await (const result of calculatePeriods(calculationInputOf(input))) {
      const mine = result.payees.find((p) => p.repId === repId);
      if (mine) out.set(result.period, mine);
    }
    return out;
  }

  /** Periods from `from` to `to` served as stored (closed, approved, or calculated with a fresh run). */
  private async storedPeriods(repId: string, from: Period, to: Period, minor: number): Promise<EstimatePeriod[]> {
    if (to < from) return [];
    const rows = await this.facts.storedFigures(repId, from, to);
    return rows.map((r) =>
      storedPeriod(r.period, r.status === 'closed' || r.status === 'approved' ? r.status : 'calculated', { earned: r.earned, draw: r.draw, payout: r.payout, balance: r.balance }, minor),
    );
  }
}

/** Hypothetical deals as the shard's booking rows (one per credit, as the database would return them). */
function rowsOf(deals: BookingRecord[]): ShardInput['bookings'] {
  return deals.flatMap((d) =>
    d.credits.map((c): ShardInput['bookings'][number] => [
      d.bookingId,
      1,
      d.customerId,
      d.type,
      d.product,
      d.amount.toFixed(),
      d.currency,
      d.termMonths,
      d.bookedDate,
      d.cancelledDate,
      c.repId,
      c.splitPct.toFixed(),
      c.splitType,
      d.renews,
      d.taxRate,
    ]),
  );
}
