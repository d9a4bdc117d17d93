// @ts-check
// The auditor's page: commission accuracy (count and amount) with every error behind it, the trend over closed
// periods, the KPI dictionary with each KPI's status against its threshold, the audit trail, and `verify` of a closed
// period. Read-only; back office only (the API refuses the reads to reps and managers).
import { api, download } from './api.js';
import { trendChart } from './chart.js';
import { announce, badge, errorBox, errorMoney, fill, group, h, json, kv, money, pageError, pct, round, runJob, section, select, statusTone, table } from './ui.js';

const enc = encodeURIComponent;

export async function auditPage(root) {
  root.append(h('h1', {}, 'Accuracy and audit'));
  let summary;
  let dictionary;
  let periods;
  try {
    [summary, dictionary, periods] = await Promise.all([api('/reconciliation'), api('/kpis/dictionary'), api('/periods')]);
  } catch (e) {
    root.append(pageError(e));
    return;
  }
  const closed = summary.map((s) => s.period);
  const calculated = periods.filter((p) => p.status !== 'open').map((p) => p.period);

  // --- accuracy -------------------------------------------------------------------------------------------------
  const acc = section(root, 'accuracy', 'Commission accuracy', 'Count: payees paid exactly once, in their currency, exactly the closed amount and never corrected later, over payees with a payout plus unexpected payroll records. Amount: 1 − Σ error / Σ |closed payout|, where a payee\'s error is what payroll paid beside the closed amount, every figure converted into the reporting currency at the period-end rate. Later corrections (upheld disputes, adjustments, prior-period adjustments) are errors in the count and shown beside the amount.');
  const accOut = h('div', { id: 'accuracy-out' });
  if (!closed.length) acc.body.append(h('p', {}, 'No period is closed yet: accuracy is measured on closed periods.'));
  else {
    const form = h('form', { class: 'inline', id: 'accuracy-form' }, h('div', {}, select('accuracy-period', 'Closed period', closed.map((p) => ({ value: p, label: p })), closed[closed.length - 1])), h('button', { type: 'submit' }, 'Show'));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void showAccuracy(form.querySelector('select').value);
    });
    acc.body.append(form, accOut);
  }
  const showAccuracy = async (period) => {
    try {
      const r = await api(`/periods/${period}/reconciliation`);
      const s = summary.find((x) => x.period === period);
      fill(accOut, 
        h('h3', {}, `Accuracy ${period}`),
        kv([
          ['Count rate', h('span', { id: 'accuracy-count' }, `${pct(r.accuracy.countRatePct)} (${r.accuracy.errorFreePayouts} of ${r.accuracy.totalPayouts} payouts error-free)`)],
          ['Amount rate', h('span', { id: 'accuracy-dollar' }, `${pct(r.accuracy.dollarRatePct)} (Σ error ${money(r.accuracy.sumAbsError, r.accuracy.reportingCurrency)} of Σ|payout| ${money(r.accuracy.sumAbsClosedPayout, r.accuracy.reportingCurrency)}, in ${r.accuracy.reportingCurrency} at rates of ${r.accuracy.ratesAsOf})`)],
          ['By currency', r.accuracy.byCurrency.map((c) => `${c.currency}: errors ${money(c.sumAbsError, c.currency)} of ${money(c.sumAbsClosedPayout, c.currency)}`).join('; ') || '–'],
          ['Later corrections', money(r.accuracy.sumAbsCorrections, r.accuracy.reportingCurrency)],
          ['Payroll records', s ? String(s.payrollRecords) : '–'],
        ]),
        table(
          `Errors behind the ${period} rates`,
          [
            { label: 'Payee', cell: (x) => x.repId },
            { label: 'Status', cell: (x) => badge(x.status, statusTone(x.status)) },
            { label: 'Computed', num: true, cell: (x) => money(x.computed, x.currency) },
            { label: 'Paid', num: true, cell: (x) => money(x.paid, x.currency) },
            { label: 'Error amount', num: true, cell: (x) => errorMoney(x, r.accuracy.reportingCurrency) },
            { label: 'Corrected by', num: true, cell: (x) => (x.correctionAmount !== '0.00' ? money(x.correctionAmount, x.currency) : '') },
            { label: 'Why', cell: (x) => x.reasons.join('; ') },
            { label: 'Team', cell: (x) => x.team ?? '' },
            { label: 'Plan', cell: (x) => x.plan ?? '' },
          ],
          r.errors,
          { id: 'accuracy-errors', empty: 'No errors: every payout was paid exactly and never corrected.' },
        ),
      );
    } catch (e) {
      fill(accOut, errorBox(e));
    }
  };
  if (closed.length) await showAccuracy(closed[closed.length - 1]);

  // --- trend ----------------------------------------------------------------------------------------------------
  const trend = section(root, 'trend', 'Accuracy trend');
  const points = summary.map((s) => ({ period: s.period, count: s.accuracy.countRatePct, dollar: s.accuracy.dollarRatePct }));
  trend.body.append(
    h('div', { class: 'legend', 'aria-hidden': 'true' }, h('span', { class: 'swatch-count' }, 'count rate (solid, circles)'), h('span', { class: 'swatch-dollar' }, 'amount rate (dashed, squares)')),
    trendChart(points),
    table(
      'Accuracy by closed period (the chart’s figures)',
      [
        { label: 'Period', cell: (s) => s.period },
        { label: 'Count rate', num: true, cell: (s) => pct(s.accuracy.countRatePct) },
        { label: 'Amount rate', num: true, cell: (s) => pct(s.accuracy.dollarRatePct) },
        { label: 'Payouts', num: true, cell: (s) => String(s.accuracy.totalPayouts) },
        { label: 'Errors', num: true, cell: (s) => String(s.errors) },
        { label: 'Payroll records', num: true, cell: (s) => String(s.payrollRecords) },
      ],
      summary,
      { id: 'trend-table', empty: 'No closed period yet.' },
    ),
  );

  // --- KPIs -----------------------------------------------------------------------------------------------------
  const kpis = section(root, 'kpis', 'KPI dictionary and status', 'Every KPI with its formula, owner, cadence, threshold, the action a breach triggers, and its value for the period.');
  const kpiOut = h('div', { id: 'kpi-out' });
  const defaultKpiPeriod = closed[closed.length - 1] ?? calculated[calculated.length - 1];
  const kpiForm = h('form', { class: 'inline', id: 'kpi-form' }, h('div', {}, select('kpi-period', 'Period', calculated.map((p) => ({ value: p, label: p })), defaultKpiPeriod)), h('button', { type: 'submit' }, 'Show'));
  kpiForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void showKpis(kpiForm.querySelector('select').value);
  });
  kpis.body.append(kpiForm, kpiOut);
  const withUnit = (v, unit) =>
    ({ '%': `${round(v, 2)}%`, amount: group(round(v, 2)), hours: `${round(v, 2)} h`, months: `${round(v, 2)} months`, ratio: round(v, 4) })[unit] ?? round(v, 2);
  const suffix = { '%': '%', hours: ' h', months: ' months' };
  const threshold = (t, unit) => (t ? `${t.direction === 'atLeast' ? '≥' : '≤'} ${t.value}${suffix[unit] ?? ''}${t.note ? ` (${t.note})` : ''}` : 'none (information)');
  const showKpis = async (period) => {
    let values = null;
    let failure = null;
    if (period) {
      try {
        values = await api(`/kpis?period=${period}`);
      } catch (e) {
        failure = e;
      }
    }
    const byCode = new Map((values?.kpis ?? []).map((k) => [k.code, k]));
    fill(kpiOut, 
      failure ? errorBox(failure) : null,
      table(
        period ? `KPIs for ${period}` : 'KPI dictionary',
        [
          { label: 'KPI', cell: (d) => [h('strong', {}, d.name), h('details', {}, h('summary', {}, 'Formula and source'), kv([['Formula', d.formula], ['Data source', d.dataSource], ['Code', d.code]]))] },
          { label: 'Value', num: true, cell: (d) => { const v = byCode.get(d.code); return v?.value === null || v?.value === undefined ? '–' : withUnit(v.value, d.unit); } },
          { label: 'Status', cell: (d) => { const v = byCode.get(d.code); const s = v?.status ?? 'no_data'; return [badge(s.replace('_', ' '), statusTone(s)), v?.note ? h('span', { class: 'hint' }, ` ${v.note}`) : '']; } },
          { label: 'Threshold', cell: (d) => threshold(d.threshold, d.unit) },
          { label: 'Owner', cell: (d) => d.ownerRole },
          { label: 'Review', cell: (d) => d.reviewCadence },
          { label: 'When breached', cell: (d) => d.breachAction },
        ],
        dictionary,
        { id: 'kpi-table' },
      ),
    );
  };
  await showKpis(defaultKpiPeriod);

  // --- audit trail ----------------------------------------------------------------------------------------------
  const trail = section(root, 'audit', 'Audit trail', 'Every change, newest first: who, what, when, before and after. The database refuses to change or delete it.');
  const trailOut = h('div', { id: 'audit-out' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'audit-more', hidden: true }, 'Older events');
  const trailForm = h(
    'form',
    { class: 'inline', id: 'audit-form' },
    h('div', {}, h('label', { for: 'audit-actor' }, 'Who (part of the name)'), h('input', { id: 'audit-actor', type: 'text', autocomplete: 'off' })),
    h('div', {}, h('label', { for: 'audit-action' }, 'What (action or its first part)'), h('input', { id: 'audit-action', type: 'text', autocomplete: 'off', 'aria-describedby': 'audit-entity-hint' })),
    h('div', {}, h('label', { for: 'audit-period' }, 'Period (YYYY-MM)'), h('input', { id: 'audit-period', type: 'text', autocomplete: 'off', inputmode: 'numeric', pattern: '\\d{4}-(0[1-9]|1[0-2])' })),
    h('div', {}, h('label', { for: 'audit-entity' }, 'Entity type'), h('input', { id: 'audit-entity', type: 'text', autocomplete: 'off' })),
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', class: 'secondary', id: 'audit-csv' }, 'Export CSV'),
    h('p', { id: 'audit-entity-hint', class: 'hint' }, 'For example dispute, period.close, import, calculation.run. Times are UTC.'),
  );
  /** The filters of the form as query parameters (the same for the page and the CSV export). */
  const filters = () => {
    const q = new URLSearchParams();
    for (const [id, param] of [['audit-actor', 'actor'], ['audit-action', 'action'], ['audit-period', 'period'], ['audit-entity', 'entityType']]) {
      const v = /** @type {HTMLInputElement} */ (trailForm.querySelector(`#${id}`)).value.trim();
      if (v) q.set(param, v);
    }
    return q;
  };
  let events = [];
  let cursor = null;
  const loadTrail = async (reset) => {
    const q = filters();
    q.set('limit', '25');
    if (!reset && cursor) q.set('cursor', cursor);
    try {
      const page = await api(`/audit-events?${q}`);
      events = reset ? page.items : [...events, ...page.items];
      cursor = page.nextCursor;
      more.hidden = !cursor;
      fill(trailOut, 
        table(
          'Audit events, newest first',
          [
            { label: 'When (UTC)', cell: (e) => h('time', { datetime: e.occurredAt }, `${e.occurredAt.replace('T', ' ').slice(0, 19)} UTC`) },
            { label: 'Who', cell: (e) => e.actor },
            { label: 'What', cell: (e) => [e.actionText, ' ', h('code', {}, e.action)] },
            { label: 'Entity', cell: (e) => `${e.entityType} ${e.entityId}` },
            { label: 'Change', cell: (e) => h('details', {}, h('summary', {}, 'Before and after'), kv([['Before', json(e.before)], ['After', json(e.after)], ['Request', e.requestId ?? '–']])) },
          ],
          events,
          { id: 'audit-table', empty: 'No events.' },
        ),
      );
    } catch (e) {
      fill(trailOut, errorBox(e));
      more.hidden = true;
    }
  };
  trailForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void loadTrail(true);
  });
  more.addEventListener('click', () => void loadTrail(false));
  trailForm.querySelector('#audit-csv').addEventListener('click', async () => {
    try {
      const { name } = await download(`/audit-events/export.csv?${filters()}`, 'audit-events.csv');
      announce(`Downloaded ${name}.`);
    } catch (e) {
      fill(trailOut, errorBox(e, 'Export failed'));
    }
  });
  trail.body.append(trailForm, trailOut, more);
  await loadTrail(true);

  // --- verify ---------------------------------------------------------------------------------------------------
  const verify = section(root, 'verify', 'Verify a closed period', 'Recalculates the period from the inputs its run stored and compares the hashes of inputs and result with the stored ones.');
  const verifyOut = h('div', { id: 'verify-out' });
  if (!closed.length) verify.body.append(h('p', {}, 'No period is closed yet.'));
  else {
    const vForm = h('form', { class: 'inline', id: 'verify-form' }, h('div', {}, select('verify-period', 'Closed period', closed.map((p) => ({ value: p, label: p })), closed[closed.length - 1])), h('button', { type: 'submit' }, 'Verify'));
    vForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const period = vForm.querySelector('select').value;
      const outcome = await runJob(verifyOut, `Verifying ${period}`, () => api(`/periods/${enc(period)}/verify`), [vForm.querySelector('button')]);
      if (!outcome.ok) {
        fill(verifyOut, errorBox(outcome.error));
        return;
      }
      const r = outcome.result;
      const verdict = r.matches ? 'MATCH' : 'MISMATCH';
      fill(verifyOut, 
        h(
          'div',
          { class: r.matches ? 'notice' : 'error', role: 'status', id: 'verify-result' },
          h('strong', {}, verdict),
          `: ${period} (run ${r.runId}) ${r.matches ? 'recalculates to the stored result' : 'does not recalculate to the stored result'} (${outcome.seconds} s).`,
        ),
        kv([
          ['Result hash (stored)', r.storedResultHash],
          ['Result hash (recalculated)', r.resultHash],
          ['Inputs hash (stored)', r.storedInputsHash],
          ['Inputs hash (recalculated)', r.inputsHash],
        ]),
      );
      announce(`Verify ${period}: ${verdict}.`);
    });
    verify.body.append(vForm, verifyOut);
  }
}
