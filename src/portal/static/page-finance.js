// @ts-check
// Finance: the period lifecycle (calculate, approve, close; progress shown while a step runs), what changed since the
// last calculation, imports with their row-level error report, and payroll reconciliation. Back office only: the
// API refuses the reads this page needs to any other role (403), and the page then shows nothing.
import { api, download } from './api.js';
import { announce, badge, errorBox, errorMoney, fill, group, h, jobDone, kv, money, nextPeriod, pageError, pct, runJob, section, select, statusTone, table, totals } from './ui.js';

const enc = encodeURIComponent;
const KINDS = ['payroll', 'bookings', 'reps', 'assignments', 'fx'];

export async function financePage(root) {
  root.append(h('h1', {}, 'Close and imports'));
  let periods;
  let summary;
  try {
    [periods, summary] = await Promise.all([api('/periods'), api('/reconciliation')]);
  } catch (e) {
    root.append(pageError(e));
    return;
  }

  const lifecycle = section(root, 'lifecycle', 'Period lifecycle', 'open → calculated → approved → closed. Calculating may run again until approval; closing locks a period for good, in order.');
  const review = section(root, 'review', 'Changes since the last calculation');
  const imports = section(root, 'imports', 'Imports', 'A file with any bad row is rejected whole and nothing is written; every bad row is listed with its line and column.');
  const recon = section(root, 'reconciliation', 'Payroll reconciliation', 'Closed payouts against what payroll paid, per payee.');

  const job = h('div', { id: 'lifecycle-job' });
  const periodsOut = h('div', { id: 'lifecycle-table' });
  const reviewOut = h('div', { id: 'review-out' }, h('p', {}, 'Calculate a period, or choose “Changes” on one, to see what changed.'));
  review.body.append(reviewOut);
  const reconOut = h('div', { id: 'reconciliation-summary' });
  const reconDetail = h('div', { id: 'reconciliation-detail' });
  recon.body.append(reconOut, reconDetail);

  const reloadPeriods = async () => {
    try {
      periods = await api('/periods');
    } catch (e) {
      fill(periodsOut, errorBox(e));
      return;
    }
    renderPeriods();
  };

  const reloadSummary = async () => {
    try {
      summary = await api('/reconciliation');
    } catch (e) {
      fill(reconOut, errorBox(e));
      return;
    }
    renderSummary();
  };

  // --- lifecycle ------------------------------------------------------------------------------------------------
  const step = async (period, action, button) => {
    const label = { calculate: `Calculating ${period}`, approve: `Approving ${period}`, close: `Closing ${period}` }[action];
    const buttons = [...root.querySelectorAll('#lifecycle button'), button].filter(Boolean);
    const outcome = await runJob(job, label, () => api(`/periods/${period}/${action}`, { method: 'POST' }), buttons);
    jobDone(job, outcome, (r) => {
      if (action === 'calculate') {
        const last = r.runs[r.runs.length - 1];
        const before = r.runs.slice(0, -1).map((x) => x.period);
        return `Calculated ${last.period}: run ${last.runId}, ${last.payees} payees, payouts ${totals(last.totals)}${before.length ? ` (first recalculated ${before.join(', ')})` : ''}`;
      }
      return `${r.message}${r.warnings?.length ? `. Warning: ${r.warnings.join('; ')}` : ''}`;
    });
    announce(outcome.ok ? `${label}: done.` : `${label}: failed. ${outcome.error.message}`);
    await reloadPeriods();
    // The table was rebuilt under the keyboard user's feet: give focus to the outcome instead of the page body.
    const said = job.firstElementChild;
    if (said) {
      said.setAttribute('tabindex', '-1');
      said.focus();
    }
    if (outcome.ok) {
      if (action === 'calculate') await showReview(period);
      if (action === 'close') await reloadSummary();
    }
  };

  const confirmClose = (period, button) => {
    const yes = h('button', { type: 'button', class: 'danger', id: 'confirm-close' }, `Yes, close ${period}`);
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    fill(job, h('div', { class: 'card', role: 'group', 'aria-labelledby': 'confirm-close-text' }, h('p', { id: 'confirm-close-text' }, `Close ${period} for good? A closed period never changes; later corrections go into the next open period.`), h('div', { class: 'actions' }, yes, no)));
    yes.addEventListener('click', () => void step(period, 'close', button));
    no.addEventListener('click', () => {
      fill(job);
      button.focus();
    });
    yes.focus();
  };

  const renderPeriods = () => {
    const next = periods.length ? nextPeriod(periods[periods.length - 1].period) : '';
    // Periods approve and close in order: only the first period not closed may close, and only the first neither
    // approved nor closed may be approved. A disabled button says why in its title.
    const firstOpen = periods.find((p) => p.status !== 'closed')?.period ?? null;
    const firstUnapproved = periods.find((p) => p.status !== 'closed' && p.status !== 'approved')?.period ?? null;
    const action = (p, name, label, enabled, onclick, why = '') =>
      h('button', { type: 'button', class: name === 'close' ? 'danger' : 'secondary', disabled: !enabled, 'data-action': name, 'aria-label': `${label} ${p.period}`, title: enabled ? null : why || null, onclick }, label);
    fill(periodsOut, 
      table(
        'Periods',
        [
          { label: 'Period', cell: (p) => p.period },
          { label: 'Status', cell: (p) => [badge(p.status, statusTone(p.status)), p.stale ? ' stale: recalculate' : ''] },
          { label: 'Run', num: true, cell: (p) => p.runId ?? '–' },
          { label: 'Payees', num: true, cell: (p) => (p.payees ?? '–').toString() },
          { label: 'Payouts by currency', num: true, cell: (p) => (p.payoutTotals ? totals(p.payoutTotals) : '–') },
          { label: 'Closed', cell: (p) => (p.closedAt ? `${String(p.closedAt).slice(0, 10)} by ${p.closedBy}` : '') },
          {
            label: 'Actions',
            cell: (p) =>
              h(
                'div',
                { class: 'actions' },
                action(p, 'calculate', 'Calculate', p.status === 'open' || p.status === 'calculated', (ev) => void step(p.period, 'calculate', ev.currentTarget), `${p.period} is ${p.status}: frozen`),
                action(
                  p,
                  'approve',
                  'Approve',
                  p.period === firstUnapproved && p.status === 'calculated' && !p.stale,
                  (ev) => void step(p.period, 'approve', ev.currentTarget),
                  p.period !== firstUnapproved && firstUnapproved && p.period > firstUnapproved ? `periods are approved in order: ${firstUnapproved} first` : p.stale ? 'stale: recalculate first' : `${p.period} is ${p.status}`,
                ),
                action(
                  p,
                  'close',
                  'Close',
                  p.period === firstOpen,
                  (ev) => confirmClose(p.period, ev.currentTarget),
                  p.status === 'closed' ? `${p.period} is closed` : `periods close in order: ${firstOpen} first`,
                ),
                action(p, 'changes', 'Changes', Boolean(p.runId), () => void showReview(p.period)),
              ),
          },
        ],
        periods,
        { id: 'periods-table', empty: 'No periods yet: import data and calculate one.' },
      ),
    );
    const input = lifecycle.el.querySelector('#calc-period');
    if (input && document.activeElement !== input) input.value = next;
  };

  const calcForm = h(
    'form',
    { class: 'inline', id: 'calc-form' },
    h('div', {}, h('label', { for: 'calc-period' }, 'Calculate another period (YYYY-MM)'), h('input', { id: 'calc-period', type: 'text', pattern: '\\d{4}-(0[1-9]|1[0-2])', autocomplete: 'off', inputmode: 'numeric' })),
    h('button', { type: 'submit' }, 'Calculate'),
  );
  calcForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = calcForm.querySelector('#calc-period').value.trim();
    if (p) void step(p, 'calculate', calcForm.querySelector('button'));
  });
  lifecycle.body.append(periodsOut, calcForm, job);
  renderPeriods();

  // --- review: diff, adjustments, payouts -----------------------------------------------------------------------
  const showReview = async (period) => {
    fill(reviewOut, h('p', {}, `Loading ${period}…`));
    try {
      const [diff, adjustments] = await Promise.all([api(`/periods/${period}/diff`), api(`/periods/${period}/adjustments`)]);
      fill(reviewOut, 
        h('h3', { id: 'diff-title' }, `${period}: run ${diff.fromRunId ?? '(none)'} → run ${diff.toRunId}`),
        diff.fromRunId ? null : h('p', {}, 'First calculation of this period: every payout is new.'),
        table(
          `Payouts that changed in ${period}`,
          [
            { label: 'Payee', cell: (r) => h('a', { href: `#/pay/${enc(r.repId)}/${period}` }, r.repId) },
            { label: 'Before', num: true, cell: (r) => money(r.before, r.currency) },
            { label: 'After', num: true, cell: (r) => money(r.after, r.currency) },
            { label: 'Change', num: true, cell: (r) => money(r.change, r.currency) },
          ],
          diff.payees,
          { id: 'diff-payees', empty: 'No payout changed.' },
        ),
        table(
          `Lines that changed in ${period}`,
          [
            { label: 'Payee', cell: (r) => r.repId },
            { label: 'Kind', cell: (r) => r.kind.replaceAll('_', ' ') },
            { label: 'Line', cell: (r) => h('span', { title: r.key }, r.description) },
            { label: 'Before', num: true, cell: (r) => money(r.before, r.currency) },
            { label: 'After', num: true, cell: (r) => money(r.after, r.currency) },
            { label: 'Change', num: true, cell: (r) => money(r.change, r.currency) },
          ],
          diff.lines,
          { id: 'diff-lines', empty: 'No line changed.' },
        ),
        table(
          `Adjustments paid in ${period}`,
          [
            { label: '#', cell: (a) => a.id },
            { label: 'Payee', cell: (a) => a.repId },
            { label: 'Amount', num: true, cell: (a) => group(a.amount) },
            { label: 'Reason', cell: (a) => a.reasonCode },
            { label: 'For', cell: (a) => [a.originPeriod ?? '', a.originRef ? ` (${a.originRef})` : ''] },
            { label: 'Note', cell: (a) => a.note },
            { label: 'By', cell: (a) => a.createdBy },
          ],
          adjustments,
          { id: 'adjustments-table', empty: 'No adjustments in this period.' },
        ),
      );
    } catch (e) {
      fill(reviewOut, errorBox(e));
    }
  };

  // --- imports --------------------------------------------------------------------------------------------------
  const importResult = h('div', { id: 'import-result' });
  const importForm = h(
    'form',
    { id: 'import-form' },
    h('div', { class: 'inline' }, h('div', {}, select('import-kind', 'File type', KINDS.map((k) => ({ value: k, label: `${k}.csv` })), 'payroll')), h('div', {}, h('label', { for: 'import-file' }, 'CSV file'), h('input', { id: 'import-file', type: 'file', accept: '.csv,text/csv', required: true })), h('button', { type: 'submit' }, 'Import')),
  );
  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const kind = importForm.querySelector('#import-kind').value;
    const file = importForm.querySelector('#import-file').files[0];
    if (!file) {
      fill(importResult, h('div', { class: 'error', role: 'alert' }, 'Choose a CSV file first.'));
      return;
    }
    const outcome = await runJob(importResult, `Importing ${file.name}`, () => api(`/imports/${kind}?filename=${enc(file.name)}`, { method: 'POST', body: file, contentType: 'text/csv' }), [importForm.querySelector('button')]);
    if (outcome.ok) {
      const s = outcome.result;
      fill(importResult, h('div', { class: 'notice', role: 'status' }, `Imported ${s.file} (${s.kind}): ${s.text} (batch ${s.batchId}).`));
      announce(`Imported ${s.file}.`);
      if (kind === 'payroll') await reloadSummary();
      else await reloadPeriods();
    } else {
      const err = outcome.error;
      const rows = Array.isArray(err.details) ? err.details : [];
      fill(importResult, 
        errorBox(err),
        rows.length
          ? table(
              `Row-level errors in ${file.name}`,
              [
                { label: 'Line', num: true, cell: (r) => String(r.line) },
                { label: 'Column', cell: (r) => r.column ?? '(row)' },
                { label: 'Problem', cell: (r) => r.message },
              ],
              rows,
              { id: 'import-errors' },
            )
          : null,
      );
      announce(`Import rejected: ${rows.length} problems.`);
    }
  });
  imports.body.append(importForm, importResult);

  // --- reconciliation -------------------------------------------------------------------------------------------
  const showReconciliation = async (period) => {
    try {
      const r = await api(`/periods/${period}/reconciliation`);
      fill(reconDetail, 
        h('h3', {}, `Reconciliation ${period}`),
        kv([
          ['Matched / mismatched / missing / unexpected', `${r.counts.matched} / ${r.counts.mismatched} / ${r.counts.missing} / ${r.counts.unexpected}`],
          ['Accuracy (count)', `${pct(r.accuracy.countRatePct)} (${r.accuracy.errorFreePayouts} of ${r.accuracy.totalPayouts} payouts error-free)`],
          ['Accuracy (amount)', `${pct(r.accuracy.dollarRatePct)} (errors ${money(r.accuracy.sumAbsError, r.accuracy.reportingCurrency)} of ${money(r.accuracy.sumAbsClosedPayout, r.accuracy.reportingCurrency)}, at rates of ${r.accuracy.ratesAsOf})`],
          ['Later corrections', money(r.accuracy.sumAbsCorrections, r.accuracy.reportingCurrency)],
          ['By currency', r.accuracy.byCurrency.map((c) => `${c.currency}: errors ${money(c.sumAbsError, c.currency)} of ${money(c.sumAbsClosedPayout, c.currency)}`).join('; ') || '–'],
        ]),
        table(
          `Payees in ${period}`,
          [
            { label: 'Payee', cell: (x) => x.repId },
            { label: 'Status', cell: (x) => [badge(x.status, statusTone(x.status)), x.errorFree ? '' : ' error'] },
            { label: 'Computed', num: true, cell: (x) => money(x.computed, x.currency) },
            { label: 'Paid', num: true, cell: (x) => money(x.paid, x.currency) },
            { label: 'Difference', num: true, cell: (x) => (x.difference ? group(x.difference) : '') },
            { label: 'Error', num: true, cell: (x) => errorMoney(x, r.accuracy.reportingCurrency) },
            { label: 'Reference', cell: (x) => x.reference ?? '' },
            { label: 'Notes', cell: (x) => x.reasons.join('; ') },
          ],
          r.rows,
          { id: 'reconciliation-rows', empty: 'Nothing was paid or due.' },
        ),
      );
    } catch (e) {
      fill(reconDetail, errorBox(e));
    }
  };

  const renderSummary = () => {
    fill(reconOut, 
      table(
        'Closed periods',
        [
          { label: 'Period', cell: (s) => s.period },
          { label: 'Payroll records', num: true, cell: (s) => String(s.payrollRecords) },
          { label: 'Matched', num: true, cell: (s) => String(s.counts.matched) },
          { label: 'Mismatched', num: true, cell: (s) => String(s.counts.mismatched) },
          { label: 'Missing', num: true, cell: (s) => String(s.counts.missing) },
          { label: 'Unexpected', num: true, cell: (s) => String(s.counts.unexpected) },
          { label: 'Accuracy (count)', num: true, cell: (s) => pct(s.accuracy.countRatePct) },
          {
            label: 'Actions',
            cell: (s) =>
              h(
                'div',
                { class: 'actions' },
                h('button', { type: 'button', class: 'secondary', 'aria-label': `Reconciliation of ${s.period}`, onclick: () => void showReconciliation(s.period) }, 'Reconciliation'),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    'aria-label': `Download the payroll file of ${s.period}`,
                    onclick: async () => {
                      try {
                        const f = await download(`/periods/${s.period}/payroll-export`, `payroll-${s.period}.csv`);
                        announce(`Downloaded ${f.name}.`);
                      } catch (e) {
                        fill(reconDetail, errorBox(e));
                      }
                    },
                  },
                  'Payroll file',
                ),
              ),
          },
        ],
        summary,
        { id: 'reconciliation-table', empty: 'No closed period yet.' },
      ),
    );
  };
  renderSummary();
}
