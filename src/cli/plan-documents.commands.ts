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
