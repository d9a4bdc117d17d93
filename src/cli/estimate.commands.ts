import { Command } from 'commander';
import * as fs from 'node:fs';
import { cliActor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import { DEAL_FIELDS, DealInput } from '../core/estimates/what-if';
import { validateBookingsCsv } from '../core/intake/booking-intake';
import type { DashboardView, PayeeDashboard } from '../estimates/dashboard.service';
import type { EstimateView } from '../estimates/estimates.service';
import { withApp } from './cli-context';
import { callerPath, out } from './cli-session';

/** The fields a --deal may set (credits, a list, come from --deals files). */
const DEAL_KEYS = DEAL_FIELDS.filter((f) => f !== 'credits');

/** `--deal amount=50000,currency=USD,type=new,product=CORE,termMonths=12,bookedDate=2026-03-10` → a deal. */
function dealOf(text: string): DealInput {
  const deal: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq).trim();
    if (eq < 0 || !DEAL_KEYS.includes(key)) {
      throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--deal "${text}": "${part}" is not key=value with a key among ${DEAL_KEYS.join(', ')}`);
    }
    deal[key] = part.slice(eq + 1).trim();
  }
  return deal;
}

/** A file in the format of bookings.csv: checked as an import checks it (file:line column: message), then as deals. */
function dealsOfCsv(file: string): DealInput[] {
  const result = validateBookingsCsv(fs.readFileSync(callerPath(file)), file, { repExists: () => true });
  if (result.errors.length) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `${file}: ${result.errorCount} problem(s); nothing was estimated`, result.errors);
  return result.records.map((b) => ({
    bookingId: b.bookingId,
    customerId: b.customerId,
    type: b.type,
    product: b.product,
    amount: b.amount.toFixed(),
    currency: b.currency,
    termMonths: b.termMonths,
    bookedDate: b.bookedDate,
    cancelledDate: b.cancelledDate,
    ...(b.taxRate !== null ? { taxRate: b.taxRate } : {}),
    ...(b.renews !== null ? { renewsBookingId: b.renews } : {}),
    credits: b.credits.map((c) => ({ repId: c.repId, splitPct: c.splitPct.toFixed(), splitType: c.splitType })),
  }));
}

function table(v: EstimateView): string {
  const lines: string[] = [];
  lines.push(`estimate for ${v.repId} (${v.currency}) as of ${v.asOf}; open period ${v.openPeriod}`);
  lines.push(['period', 'basis', 'earned today', 'earned what-if', 'payout today', 'payout what-if', 'difference'].join('\t'));
  for (const p of v.periods) lines.push([p.period, p.basis, p.today.earned, p.withWhatIf.earned, p.today.payout, p.withWhatIf.payout, p.difference.payout].join('\t'));
  const y = v.year;
  lines.push(`year ${y.year}: earned ${y.today.earned} → ${y.withWhatIf.earned} (${y.difference.earned}), paid ${y.today.payout} → ${y.withWhatIf.payout} (${y.difference.payout}) ${v.currency}`);
  const line = (mark: string, l: EstimateView['periods'][number]['lines'][number]) =>
    `${mark} ${l.kind}\t${l.ref ?? ''}\t${l.amount} ${l.currency}\t${l.description}${l.explanation ? `: ${l.explanation}` : ''}`;
  for (const p of v.periods.filter((x) => x.removed.length || x.lines.some((l) => l.changed))) {
    lines.push(`lines of ${p.period} with the what-if (* = new or changed, - = today's line the what-if removes):`);
    for (const l of p.lines) lines.push(line(l.changed ? '*' : ' ', l));
    for (const l of p.removed) lines.push(line('-', l));
  }
  lines.push(v.notice);
  return lines.join('\n');
}

function standingLines(d: PayeeDashboard): string[] {
  const lines: string[] = [];
  const s = d.standing;
  if (s) {
    lines.push(`${d.repId} ${d.name}: ${s.component}, window ${s.window}: credit ${s.credit} of quota ${s.quota ?? 'none'} ${s.currency} = ${s.attainmentPct ?? 'n/a'}% (pace ${s.pacePct}%)`);
    if (s.tier) lines.push(`  tier: ${s.tier.label} (${s.tier.rate})`);
    lines.push(s.next ? `  next: ${s.next.label} from ${s.next.fromPct}% at ${s.next.atCredit} ${s.currency}: ${s.next.needed} ${s.currency} to go` : '  next: none (top tier)');
  } else lines.push(`${d.repId} ${d.name}: no quota window`);
  const e = d.earnings;
  if (e) lines.push(`  earned ${d.year} to date ${e.earnedToDate} ${d.currency} = ${e.pctOfTarget ?? 'n/a'}% of target ${e.proratedTargetVariable} (annual ${e.targetVariable}, OTE ${e.ote})`);
  lines.push(`  computed payable ${d.computedYtd} ${d.currency}; paid by payroll ${d.paidByPayrollYtd.map((p) => `${p.amount} ${p.currency}`).join(' + ') || 'nothing reported'}; owed back ${d.owedBack}`);
  return lines;
}

function dashboardTable(d: DashboardView): string {
  const lines = [`dashboard of ${d.repId} (${d.currency}) as of ${d.asOf}; open period ${d.openPeriod ?? 'none'}`, ...standingLines(d)];
  lines.push(['period', 'basis', 'earned', 'computed payout', 'paid by payroll'].join('\t'));
  for (const m of d.months) lines.push([m.period, m.basis, m.earned, m.computedPayout, m.paidByPayroll.map((p) => `${p.amount} ${p.currency}`).join(' + ')].join('\t'));
  if (d.team) {
    lines.push(`team: ${d.team.attainment.map((a) => `${a.credit} of ${a.quota} ${a.currency} = ${a.attainmentPct ?? 'n/a'}%`).join('; ')}`);
    for (const r of d.team.reports) lines.push(...standingLines(r));
  }
  lines.push(d.notice);
  return lines.join('\n');
}

export function registerEstimateCommands(program: Command): void {
  program
    .command('dashboard')
    .description("a payee's standing: attainment and pace, the next tier, earnings against target, computed vs paid by payroll (the open period estimated now)")
    .requiredOption('--rep <ID>', 'the payee')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { rep: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table or json, got "${opts.format}"`);
      await withApp(async (app) => {
        const { DashboardService } = await import('../estimates/dashboard.service');
        const d = await app.get(DashboardService).forPayee(cliActor(), opts.rep);
        out(`${opts.format === 'json' ? JSON.stringify(d, null, 2) : dashboardTable(d)}\n`);
      });
    });

  program
    .command('estimate')
    .description('what-if: the projected payout of the open period and the year with hypothetical deals or cancellations, next to today\'s figures (writes nothing)')
    .requiredOption('--rep <ID>', 'the payee')
    .option('--deals <FILE>', 'hypothetical deals in the format of bookings.csv')
    .option('--deal <key=value,...>', 'a hypothetical deal: amount=50000,currency=USD,type=new,product=CORE,termMonths=12,bookedDate=2026-03-10 (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--cancel <BOOKING@YYYY-MM-DD>', 'an imported booking cancelled on a date (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--through <YYYY-MM>', 'the last period to project (default: December)')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { rep: string; deals?: string; deal: string[]; cancel: string[]; through?: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table or json, got "${opts.format}"`);
      const deals = [...(opts.deals ? dealsOfCsv(opts.deals) : []), ...opts.deal.map(dealOf)];
      const cancellations = opts.cancel.map((c) => {
        const [bookingId, cancelledDate] = c.split('@');
        if (!bookingId || !cancelledDate) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--cancel "${c}": must be BOOKING_ID@YYYY-MM-DD`);
        return { bookingId, cancelledDate };
      });
      await withApp(async (app) => {
        const { EstimatesService } = await import('../estimates/estimates.service');
        const v = await app.get(EstimatesService).estimate(cliActor(), { repId: opts.rep, deals, cancellations, through: opts.through });
        out(`${opts.format === 'json' ? JSON.stringify(v, null, 2) : table(v)}\n`);
      });
    });
}
