// @ts-check
// A payee's pay: periods with payout, status and reconciliation; the statement PDF; the lines with their traces; and
// disputes (raise one on a line, the payout or a missing booking; see one's own). A rep sees only themself, a
// manager their reports: the API answers 404 for anyone else, and the page says so.
import { api, download } from './api.js';
import { announce, badge, errorBox, fill, h, jobDone, kv, money, pageError, runJob, vocab, section, statusTone, table, traceDetails } from './ui.js';

const enc = encodeURIComponent;
const isZero = (s) => s === null || s === undefined || /^-?0*(\.0*)?$/.test(String(s));

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function payPage(root, { me, args }) {
  const repId = args[0] ?? me.repId;
  const period = args[1] ?? null;
  const title = h('h1', {}, 'Pay');
  root.append(title);
  if (period !== null && !PERIOD.test(period)) {
    // A period from the address goes into API paths: anything but YYYY-MM is refused here, never sent.
    root.append(h('p', { role: 'alert' }, `"${period}" is not a period (YYYY-MM).`));
    return;
  }
  if (!repId) {
    root.append(h('p', {}, 'This user is not linked to a payee, so it has no pay of its own. Open a payee from the team page.'));
    return;
  }
  let rep;
  let history;
  try {
    [rep, history] = await Promise.all([api(`/reps/${enc(repId)}`), api(`/reps/${enc(repId)}/periods`)]);
  } catch (e) {
    root.append(pageError(e));
    return;
  }
  title.textContent = repId === me.repId ? `My pay: ${rep.name} (${rep.repId})` : `Pay of ${rep.name} (${rep.repId})`;

  // --- periods --------------------------------------------------------------------------------------------------
  const periods = section(root, 'periods', 'Periods', 'Each month: what the engine computed, what payroll paid, and whether the two agree (closed months only).');
  const downloadStatus = h('div', { id: 'download-status' });
  periods.body.append(
    table(
      `Payout, status and reconciliation per period for ${rep.repId}`,
      [
        { label: 'Period', cell: (r) => r.period },
        { label: 'Status', cell: (r) => [badge(r.status, statusTone(r.status)), r.stale ? ' (recalculation pending)' : ''] },
        { label: 'Payout', num: true, cell: (r) => money(r.payout, r.currency) },
        { label: 'Paid by payroll', num: true, cell: (r) => (r.paid.length ? r.paid.map((p) => `${money(p.amount, p.currency)} on ${p.paidDate}`).join('; ') : '–') },
        { label: 'Reconciliation', cell: reconciliationCell },
        {
          label: 'Statement',
          cell: (r) =>
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Download the ${r.period} statement (PDF)`,
                'data-period': r.period,
                onclick: (ev) => downloadStatement(repId, r.period, downloadStatus, ev.currentTarget),
              },
              'Download PDF',
            ),
        },
        { label: 'Lines', cell: (r) => h('a', { href: `#/pay/${enc(repId)}/${r.period}`, 'aria-label': `Lines and traces for ${r.period}` }, 'Lines and traces') },
      ],
      history,
      { id: 'periods-table', empty: 'No calculated periods yet.' },
    ),
    downloadStatus,
  );

  // --- the written plan and its acknowledgment ------------------------------------------------------------------
  await planSection(root, me, repId);

  // --- lines of one period, and the dispute form ---------------------------------------------------------------
  const disputesArea = { refresh: async () => undefined };
  if (period) await linesSection(root, me, rep, period, () => disputesArea.refresh());

  // --- disputes -------------------------------------------------------------------------------------------------
  const disputes = section(root, 'disputes', repId === me.repId ? 'My disputes' : `Disputes of ${rep.repId}`);
  disputesArea.refresh = async () => {
    try {
      const list = (await api('/disputes')).filter((d) => d.repId === repId);
      fill(disputes.body, 
        table(
          'Disputes, oldest first',
          [
            { label: '#', cell: (d) => d.id },
            { label: 'Period', cell: (d) => d.period },
            { label: 'About', cell: targetText },
            { label: 'Reason', cell: (d) => reasonLabel(d.reasonCode) },
            { label: 'Claimed', num: true, cell: (d) => money(d.claimedAmount, null) },
            { label: 'Status', cell: (d) => badge(d.status.replace('_', ' '), statusTone(d.status)) },
            { label: 'Resolution', cell: resolutionText },
          ],
          list,
          { id: 'disputes-table', empty: 'No disputes.' },
        ),
      );
    } catch (e) {
      fill(disputes.body, errorBox(e));
    }
  };
  await disputesArea.refresh();
}

function reconciliationCell(r) {
  if (r.status !== 'closed') return 'not reconciled (period not closed)';
  if (!r.reconciliation) return isZero(r.payout) ? 'nothing to pay' : 'not reconciled';
  const rec = r.reconciliation;
  return [
    badge(rec.status, statusTone(rec.status)),
    rec.difference ? ` difference ${money(rec.difference, r.currency)}` : '',
    !rec.errorFree && rec.status === 'matched' ? ' (corrected later)' : '',
  ];
}

async function downloadStatement(repId, period, out, button) {
  const outcome = await runJob(out, `Preparing the ${period} statement`, () => download(`/periods/${enc(period)}/statements/${enc(repId)}/pdf`, `${repId}-${period}.pdf`), [button]);
  jobDone(out, outcome, (r) => `Downloaded ${r.name}: ${r.headers.get('x-statement-status') ?? 'statement'}, ${r.size} bytes`);
  if (outcome.ok) announce(`Statement ${period} downloaded.`);
}

export function targetText(d) {
  if (d.targetKind === 'line') return `line ${d.targetRef}`;
  if (d.targetKind === 'booking') return `missing booking ${d.targetRef}`;
  return 'whole payout';
}

export function reasonLabel(code) {
  return vocab.reasons.find(([c]) => c === code)?.[1] ?? code;
}

export function resolutionText(d) {
  if (d.status === 'upheld') return `upheld: ${money(d.resolutionAmount, null)}${d.resolutionNote ? `: ${d.resolutionNote}` : ''}`;
  if (d.status === 'rejected') return `rejected: ${d.resolutionNote ?? ''}`;
  if (d.status === 'in_review') return `in review since ${d.reviewedAt?.slice(0, 10) ?? ''}`;
  return 'waiting for review';
}

async function linesSection(root, me, rep, period, refreshDisputes) {
  const s = section(root, 'lines', `Lines and traces: ${period}`, 'Every line says how it was made: booking, crediting rule, base, split, FX, tier and rate.');
  let data;
  try {
    data = await api(`/periods/${enc(period)}/payouts/${enc(rep.repId)}/lines`);
  } catch (e) {
    s.body.append(errorBox(e));
    return;
  }
  const p = data.payout;
  s.body.append(
    kv([
      ['Earned this period', money(p.earned, p.currency)],
      ['Draw', money(p.draw, p.currency)],
      ['Balance before', money(p.balanceBefore, p.currency)],
      ['Payout', money(p.payout, p.currency)],
      ['Balance carried forward', money(p.balance, p.currency)],
      ['Plans', (p.plans ?? []).map((x) => `${x.planId} v${x.version}`).join(', ')],
    ]),
  );

  // Raising a dispute is for the payee and the back office (POST /disputes); a manager resolves them instead.
  const form = vocab.raisers.has(me.role) ? disputeForm(me, rep, period, data.lines, refreshDisputes) : null;
  s.body.append(
    table(
      `Lines of ${rep.repId} in ${period}`,
      [
        { label: 'Line', cell: (l) => String(l.lineNo) },
        { label: 'Kind', cell: (l) => l.kind.replaceAll('_', ' ') },
        { label: 'Description', cell: (l) => [l.description, l.originPeriod ? ` (belongs to ${l.originPeriod})` : ''] },
        { label: 'Trace', cell: (l) => [h('span', {}, l.explanation), traceDetails(l.trace, `Full trace of line ${l.lineNo}`)] },
        { label: 'Amount', num: true, cell: (l) => money(l.amount, p.currency) },
        ...(form ? [{
          label: 'Dispute',
          // lines the system writes for bookkeeping (a balance carried forward, cent rounding) are disputed through
          // the lines that made them, or the payout; they get no button of their own
          cell: (l) =>
            vocab.systemLines.has(l.kind) ? '' : h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                'aria-label': `Dispute line ${l.lineNo}`,
                onclick: () => {
                  form.target.value = `line:${l.lineNo}`;
                  form.target.dispatchEvent(new Event('change'));
                  form.target.focus();
                },
              },
              'Dispute',
            ),
        }] : []),
      ],
      data.lines,
      { id: 'lines-table', empty: 'No lines.' },
    ),
    ...(form ? [form.el] : []),
  );
}

function disputeForm(me, rep, period, lines, refreshDisputes) {
  const target = h(
    'select',
    { id: 'dispute-target', name: 'target' },
    h('option', { value: 'payout' }, 'The whole payout'),
    lines.map((l) => h('option', { value: `line:${l.lineNo}` }, `Line ${l.lineNo}: ${l.description} (${money(l.amount, null)})`)),
    h('option', { value: 'booking' }, 'A booking that is missing from this period'),
  );
  const bookingWrap = h(
    'div',
    { hidden: true },
    h('label', { for: 'dispute-booking' }, 'Missing booking id'),
    h('input', { id: 'dispute-booking', name: 'booking', type: 'text', autocomplete: 'off' }),
  );
  target.addEventListener('change', () => (bookingWrap.hidden = target.value !== 'booking'));
  const result = h('div', { id: 'dispute-result' });
  const submit = h('button', { type: 'submit' }, 'Raise dispute');
  const el = h(
    'form',
    { id: 'dispute-form', novalidate: true },
    h(
      'fieldset',
      {},
      h('legend', {}, `Raise a dispute on ${period}`),
      h('label', { for: 'dispute-target' }, 'What is wrong?'),
      target,
      bookingWrap,
      h('label', { for: 'dispute-reason' }, 'Reason'),
      h('select', { id: 'dispute-reason', name: 'reason' }, vocab.reasons.map(([code, label]) => h('option', { value: code }, label))),
      h('label', { for: 'dispute-amount' }, 'Amount you think is owed (optional)'),
      h('input', { id: 'dispute-amount', name: 'amount', type: 'text', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': 'dispute-amount-hint' }),
      h('p', { id: 'dispute-amount-hint', class: 'hint' }, 'A decimal with at most 2 decimals, such as 250.00.'),
      h('label', { for: 'dispute-text' }, 'Explain what is wrong'),
      h('textarea', { id: 'dispute-text', name: 'text', required: true }),
      h('p', {}, submit),
    ),
    result,
  );
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const [kind, ref] = target.value.split(':');
    const body = {
      repId: rep.repId,
      period,
      targetKind: kind,
      reasonCode: el.querySelector('#dispute-reason').value,
      text: el.querySelector('#dispute-text').value,
    };
    if (kind === 'line') body.targetRef = ref;
    if (kind === 'booking') body.targetRef = el.querySelector('#dispute-booking').value.trim();
    const amount = el.querySelector('#dispute-amount').value.trim();
    if (amount) body.claimedAmount = amount;
    submit.disabled = true;
    try {
      const d = await api('/disputes', { method: 'POST', json: body });
      fill(result, h('div', { class: 'notice', role: 'status' }, `Dispute #${d.id} raised on ${targetText(d)} of ${d.period} (status ${d.status}).`));
      announce(`Dispute ${d.id} raised.`);
      el.querySelector('#dispute-text').value = '';
      el.querySelector('#dispute-amount').value = '';
      await refreshDisputes();
    } catch (e) {
      fill(result, errorBox(e, 'The dispute was not raised'));
    } finally {
      submit.disabled = false;
    }
  });
  return { el, target };
}

/** The payee's written plan(s): download, and (the payee only) acknowledge the current document. */
async function planSection(root, me, repId) {
  const own = repId === me.repId;
  const s = section(root, 'plan', own ? 'My plan' : `Plan of ${repId}`, 'The plan in writing: its terms in words, your quota month by month, and worked examples. A changed plan or assignment needs a new acknowledgment.');
  let docs;
  try {
    docs = (await api('/acknowledgments')).filter((d) => d.repId === repId);
  } catch (e) {
    s.body.append(errorBox(e));
    return;
  }
  const out = h('div', { id: 'plan-status' });
  const rows = docs.map((d) => {
    const get = h('button', { type: 'button' }, `Download the ${d.planId} v${d.planVersion} plan (PDF)`);
    get.addEventListener('click', () => void download(`/assignments/${enc(d.assignmentId)}/document/pdf`, `plan-${d.planId}.pdf`).catch((e) => fill(out, errorBox(e))));
    const ack = own && d.status === 'pending' ? h('button', { type: 'button', id: `acknowledge-${d.assignmentId}` }, 'I have read this plan: acknowledge') : null;
    ack?.addEventListener('click', async () => {
      const r = await runJob(out, 'Recording your acknowledgment', () => api(`/assignments/${enc(d.assignmentId)}/acknowledgment`, { method: 'POST', json: { documentHash: d.documentHash } }), [ack]);
      jobDone(out, r, (x) => `Acknowledged ${x.planId} v${x.planVersion} at ${x.acknowledgedAt} (UTC), document ${x.documentHash.slice(0, 12)}`);
      if (r.ok) ack.remove();
    });
    return h(
      'li',
      {},
      `${d.planId} v${d.planVersion}, ${d.from} to ${d.to}: `,
      badge(d.status, d.status === 'pending' ? 'warn' : 'ok'),
      d.acknowledgedAt ? ` on ${d.acknowledgedAt} (UTC)` : '',
      ' ',
      get,
      ' ',
      ack,
    );
  });
  s.body.append(docs.length ? h('ul', { id: 'plan-documents' }, rows) : h('p', {}, 'No plan assignment.'), out);
}
