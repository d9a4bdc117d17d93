import { Command } from 'commander';
import * as fs from 'node:fs';
import { cliActor } from '../auth/actor';
import { CommissionError, CommissionErrorCode } from '../core/errors/commission-error';
import type { AcknowledgmentStatus, PlanDocumentsService } from '../plan-documents/plan-documents.service';
import { withApp } from './cli-context';
import { callerPath, out } from './cli-session';

function withDocuments<T>(fn: (documents: PlanDocumentsService) => Promise<T>): Promise<T> {
  return withApp(async (app) => {
    const { PlanDocumentsService: Documents } = await import('../plan-documents/plan-documents.service');
    return fn(app.get(Documents));
  });
}

/** `acknowledgments` (who has signed which plan document) and `plans document` (an assignment's written plan). */
export function registerPlanDocumentCommands(program: Command): void {
  program
    .command('acknowledgments')
    .description("each assignment's current plan document and whether the payee has acknowledged it")
    .option('--status <status>', 'pending | acknowledged (default: both)')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { status?: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table or json, got "${opts.format}"`);
      await withDocuments(async (documents) => {
        const rows = await documents.list(cliActor(), opts.status as AcknowledgmentStatus | undefined);
        if (opts.format === 'json') return out(`${JSON.stringify(rows, null, 2)}\n`);
        const lines = ['assignment\trep_id\tname\tplan\tcovers\tstatus\tacknowledged_at\tby\tdocument'];
        for (const r of rows) {
          lines.push([r.assignmentId, r.repId, r.name, `${r.planId} v${r.planVersion}`, `${r.from}..${r.to}`, r.status, r.acknowledgedAt ?? '', r.acknowledgedBy ?? '', r.documentHash.slice(0, 16)].join('\t'));
        }
        const pending = rows.filter((r) => r.status === 'pending').length;
        out(`${lines.join('\n')}\n${rows.length} document(s), ${pending} pending\n`);
      });
    });

  const plans = program.commands.find((c) => c.name() === 'plans') ?? program.command('plans').description('comp plan files');
  plans
    .command('model')
    .description('what a draft plan version would have paid over a past range, against the current version: per payee, in total, by attainment band (writes nothing)')
    .requiredOption('--plan <file>', 'the draft plan version (a plan file)')
    .requiredOption('--from <YYYY-MM>', 'first month of the range')
    .requiredOption('--to <YYYY-MM>', 'last month of the range')
    .option('--format <format>', 'table | json', 'table')
    .action(async (opts: { plan: string; from: string; to: string; format: string }) => {
      if (!['table', 'json'].includes(opts.format)) throw new CommissionError(CommissionErrorCode.INVALID_INPUT, `--format must be table or json, got "${opts.format}"`);
      const { validatePlanFile } = await import('../plans/plan-files');
      const report = validatePlanFile(callerPath(opts.plan));
      if (!report.document) throw new CommissionError(CommissionErrorCode.PLAN_INVALID, `${opts.plan}: ${report.problems.length} problem(s); nothing was modeled`, report.problems);
      const draft = report.document;
      await withApp(async (app) => {
        const { PlanModelingService } = await import('../plan-authoring/plan-modeling.service');
        const m = await app.get(PlanModelingService).model(draft.id, draft, opts.from, opts.to);
        if (opts.format === 'json') return out(`${JSON.stringify(m, null, 2)}\n`);
        const t = m.totals;
        const lines = [
          `plan ${m.planId}: draft v${m.draft.version} (${m.draft.hash.slice(0, 12)}) against the current version, ${m.from}..${m.to}, ${m.payees.length} payee(s)`,
          `total payout: current ${t.current}, draft ${t.draft}, change ${t.change} ${m.reportingCurrency} (${t.changePct ?? 'n/a'}%), ${m.converted}`,
          `cost of sales (payout / credited quota bookings): current ${t.costOfSalesPct.current ?? 'n/a'}%, draft ${t.costOfSalesPct.draft ?? 'n/a'}%`,
          `change: ${m.distribution.map((d) => `${d.bucket} ${d.payees}`).join(', ')}`,
          `by attainment: ${m.attainmentBands.map((b) => `${b.band} ${b.payees} (${b.current} -> ${b.draft})`).join('; ')}`,
          ['rep_id', 'currency', 'attainment', 'current payout', 'draft payout', 'change', 'change %'].join('\t'),
          ...m.payees.map((p) => [p.repId, p.currency, p.attainmentPct === null ? 'n/a' : `${p.attainmentPct}%`, p.current.payout, p.draft.payout, p.change, p.changePct === null ? 'n/a' : `${p.changePct}%`].join('\t')),
        ];
        if (m.gainers.length) lines.push(`gain most: ${m.gainers.map((p) => `${p.repId} +${p.changeConverted}`).join(', ')} ${m.reportingCurrency}`);
        if (m.losers.length) lines.push(`lose most: ${m.losers.map((p) => `${p.repId} ${p.changeConverted}`).join(', ')} ${m.reportingCurrency}`);
        out(`${lines.join('\n')}\n`);
      });
    });
  plans
    .command('document')
    .description("write an assignment's plan document (terms in words, the payee's figures, ramped quota, worked examples) as PDF")
    .requiredOption('--assignment <id>', 'assignment id (GET /assignments, or the acknowledgments command)')
    .requiredOption('--out <file>', 'output PDF file')
    .action(async (opts: { assignment: string; out: string }) => {
      await withDocuments(async (documents) => {
        const file = callerPath(opts.out);
        const tmp = `${file}.tmp-${process.pid}`;
        const view = await documents.render(cliActor(), opts.assignment, fs.createWriteStream(tmp));
        fs.renameSync(tmp, file);
        out(`wrote ${opts.out}: plan ${view.plan.id} v${view.plan.version} for ${view.repId}, ${view.covers.from}..${view.covers.to}, document ${view.documentHash}\n`);
      });
    });
}
