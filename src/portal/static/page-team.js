// @ts-check
// A manager's team: attainment and payouts per report, and the dispute queue with its evidence (booking, plan rule,
// trace), to uphold with an amount or reject with a reason. The API scopes everything to the manager's reports and
// refuses reps (403); finance and admin see everyone.
import { api } from './api.js';
import { reasonLabel, resolutionText, targetText } from './page-pay.js';
import { announce, badge, errorBox, fill, h, json, kv, money, pageError, pct, rateAsPct, section, select, statusTone, table, traceDetails } from './ui.js';

const enc = encodeURIComponent;

export async function teamPage(root, { me }) {
  root.append(h('h1', {}, 'My team'));
  let stats;
  let periods;
  let reps;
  try {
    // the dispute figures are for managers and the back office: a rep is refused here (403), and sees nothing
    [stats, periods, reps] = await Promise.all([api('/disputes/stats'), api('/periods'), api('/reps')]);
  } catch (e) {
    root.append(pageError(e));
    return;
  }
  const names = new Map(reps.map((r) => [r.repId, r.name]));
  const who = (repId) => `${names.get(repId) ?? repId} (${repId})`;
  root.append(
    h(
      'p',
      { class: 'hint', id: 'team-stats' },
      `Disputes ${stats.scope === 'team' ? 'in your team' : 'overall'}: ${stats.overall.count} raised, ${stats.overall.open} open, ${stats.overall.inReview} in review, ${stats.overall.resolved} resolved` +
        (stats.overall.medianHoursToResolve ? `; median ${stats.overall.medianHoursToResolve} h to resolve.` : '.'),
    ),
  );

  // --- attainment and payouts -----------------------------------------------------------------------------------
  const calculated = periods.filter((p) => p.status !== 'open').map((p) => p.period);
  const att = section(root, 'attainment', 'Attainment and payouts', 'Quota attainment in the plan’s measurement window to date, against the pace of the window, and the period’s payout.');
  if (!calculated.length) {
    att.body.append(h('p', {}, 'No period has been calculated yet.'));
  } else {
    const chosen = calculated[calculated.length - 1];
    const out = h('div', { id: 'attainment-result' });
    const form = h(
      'form',
      { class: 'inline', id: 'attainment-form' },
      h('div', {}, select('attainment-period', 'Period', calculated.map((p) => ({ value: p, label: p })), chosen)),
      h('button', { type: 'submit' }, 'Show'),
    );
    const load = async (period) => {
      try {
        const data = await api(`/kpis/attainment?period=${period}`);
        fill(out, 
          table(
            `Attainment and payouts, ${period}`,
            [
              { label: 'Payee', cell: (r) => h('a', { href: `#/pay/${enc(r.repId)}` }, `${r.name} (${r.repId})`) },
              { label: 'Plan', cell: (r) => r.plan ?? '–' },
              { label: 'Window', cell: (r) => r.window ?? '–' },
              { label: 'Credit', num: true, cell: (r) => money(r.credit, r.currency) },
              { label: 'Quota', num: true, cell: (r) => money(r.quota, r.currency) },
              { label: 'Attainment', num: true, cell: (r) => (r.attainmentPct === null ? (r.note ?? 'n/a') : pct(r.attainmentPct)) },
              { label: 'Pace', num: true, cell: (r) => pct(r.pacePct) },
              { label: 'Status', cell: (r) => badge(r.status.replace('_', ' '), statusTone(r.status)) },
              { label: 'Payout', num: true, cell: (r) => money(r.payout, r.currency) },
            ],
            data.payees,
            { id: 'attainment-table', empty: 'No payees in this period.' },
          ),
        );
      } catch (e) {
        fill(out, errorBox(e));
      }
    };
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void load(form.querySelector('select').value);
    });
    att.body.append(form, out);
    await load(chosen);
  }

  // --- the dispute queue ----------------------------------------------------------------------------------------
  const queue = section(root, 'queue', 'Dispute queue', 'Open and in-review disputes of your reports. Look at the evidence, then uphold with the amount to pay (it is paid as an adjustment in the first open period) or reject with a reason.');
  const resolved = section(root, 'resolved', 'Resolved disputes');
  const refresh = async () => {
    let list;
    try {
      list = await api('/disputes');
    } catch (e) {
      fill(queue.body, errorBox(e));
      return;
    }
    const pending = list.filter((d) => d.status === 'open' || d.status === 'in_review');
    fill(queue.body, ...(pending.length ? pending.map((d) => disputeCard(d, me, who, refresh)) : [h('p', {}, 'Nothing waiting.')]));
    fill(resolved.body, 
      table(
        'Resolved disputes',
        [
          { label: '#', cell: (d) => d.id },
          { label: 'Payee', cell: (d) => who(d.repId) },
          { label: 'Period', cell: (d) => d.period },
          { label: 'About', cell: targetText },
          { label: 'Status', cell: (d) => badge(d.status, statusTone(d.status)) },
          { label: 'Resolution', cell: resolutionText },
          { label: 'By', cell: (d) => d.resolvedBy ?? '' },
        ],
        list.filter((d) => d.status === 'upheld' || d.status === 'rejected'),
        { id: 'resolved-table', empty: 'None yet.' },
      ),
    );
  };
  await refresh();
}

function disputeCard(d, me, who, refresh) {
  const id = `dispute-${d.id}`;
  const result = h('div', { class: 'dispute-result' });
  const evidence = h('div', { class: 'evidence', id: `${id}-evidence` });
  const evidenceButton = h('button', { type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': `${id}-evidence` }, 'Show evidence');
  evidenceButton.addEventListener('click', async () => {
    if (evidenceButton.getAttribute('aria-expanded') === 'true') {
      fill(evidence);
      evidenceButton.setAttribute('aria-expanded', 'false');
      evidenceButton.textContent = 'Show evidence';
      return;
    }
    try {
      fill(evidence, renderEvidence(await api(`/disputes/${d.id}/evidence`), d));
      evidenceButton.setAttribute('aria-expanded', 'true');
      evidenceButton.textContent = 'Hide evidence';
    } catch (e) {
      fill(evidence, errorBox(e));
    }
  });

  const act = async (label, path, body) => {
    // One decision at a time: the card's buttons stay disabled until the answer is back (the server refuses a second
    // decision anyway; this keeps a double click from showing a needless error).
    const buttons = [.../** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll(`#${id} button`))];
    for (const b of buttons) b.disabled = true;
    try {
      const after = await api(`/disputes/${d.id}/${path}`, { method: 'POST', json: body });
      const msg =
        after.status === 'upheld'
          ? `Dispute #${d.id} upheld: ${money(after.resolutionAmount, null)} will be paid as an adjustment in ${after.adjustment?.period ?? 'the next open period'}.`
          : after.status === 'rejected'
            ? `Dispute #${d.id} rejected.`
            : `Dispute #${d.id} is now in review.`;
      announce(msg);
      await refresh();
      const notice = h('div', { class: 'notice', id: 'queue-result', tabindex: '-1' }, msg); // announced above, so no second live region
      document.getElementById('queue-body')?.prepend(notice);
      notice.focus();
    } catch (e) {
      fill(result, errorBox(e, `${label} failed`));
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  };

  const review = d.status === 'open' ? h('button', { type: 'button', class: 'secondary', onclick: () => act('Review', 'review') }, 'Start review') : null;

  const upholdForm = h(
    'form',
    { class: 'inline', id: `${id}-uphold` },
    h('div', {}, h('label', { for: `${id}-amount` }, 'Amount to pay'), h('input', { id: `${id}-amount`, type: 'text', inputmode: 'decimal', autocomplete: 'off', value: d.claimedAmount ?? '', 'aria-describedby': `${id}-amount-hint` })),
    h('div', {}, h('label', { for: `${id}-note` }, 'Note'), h('input', { id: `${id}-note`, type: 'text', autocomplete: 'off', required: true })),
    h('button', { type: 'submit' }, 'Uphold'),
    h('p', { id: `${id}-amount-hint`, class: 'hint' }, 'Decimal with at most 2 decimals; negative to take money back.'),
  );
  upholdForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act('Uphold', 'uphold', { amount: upholdForm.querySelector(`#${id}-amount`).value.trim(), note: upholdForm.querySelector(`#${id}-note`).value });
  });
  const rejectForm = h(
    'form',
    { class: 'inline', id: `${id}-reject` },
    h('div', {}, h('label', { for: `${id}-reason` }, 'Reason for rejecting'), h('input', { id: `${id}-reason`, type: 'text', autocomplete: 'off' })),
    h('button', { type: 'submit', class: 'danger' }, 'Reject'),
  );
  rejectForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act('Reject', 'reject', { reason: rejectForm.querySelector(`#${id}-reason`).value });
  });

  return h(
    'article',
    { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, `Dispute #${d.id}: ${who(d.repId)}, ${d.period}, ${targetText(d)}`),
    kv([
      ['Status', badge(d.status.replace('_', ' '), statusTone(d.status))],
      ['Reason', reasonLabel(d.reasonCode)],
      ['Claimed', money(d.claimedAmount, null)],
      ['What the payee says', d.text],
      ['Raised', `${d.raisedAt.slice(0, 16).replace('T', ' ')} by ${d.raisedBy}`],
    ]),
    h('div', { class: 'actions' }, evidenceButton, review),
    evidence,
    upholdForm,
    rejectForm,
    result,
  );
}

function renderEvidence(ev, d) {
  const parts = [];
  if (ev.line) {
    const l = ev.line;
    parts.push(
      h('h4', {}, `Trace of line ${l.lineNo}`),
      kv([
        ['Line', `${l.lineNo}: ${l.kind.replaceAll('_', ' ')}`],
        ['Description', l.description],
        ['Amount', money(l.amount, ev.payout?.currency)],
        ['How it was made', l.explanation],
      ]),
      traceDetails(l.trace),
    );
  } else if (d.targetKind === 'line') {
    parts.push(h('p', {}, `Line ${d.targetRef} is not in the period’s current calculation any more.`));
  }
  if (ev.payout) {
    parts.push(
      h('h4', {}, `Payout ${d.period}`),
      kv([
        ['Earned', money(ev.payout.earned, ev.payout.currency)],
        ['Payout', money(ev.payout.payout, ev.payout.currency)],
        ['Balance carried forward', money(ev.payout.balance, ev.payout.currency)],
      ]),
    );
  }
  if (ev.raisedOn) parts.push(h('details', {}, h('summary', {}, 'What it pointed at when raised'), json(ev.raisedOn)));
  if (ev.booking) {
    parts.push(h('h4', {}, `Booking ${ev.booking.bookingId}`));
    if (!ev.booking.versions) parts.push(h('p', {}, `Booking ${ev.booking.bookingId} is not in the imported bookings.`));
    else
      parts.push(
        table(
          `Versions of booking ${ev.booking.bookingId}`,
          [
            { label: 'Version', cell: (v) => String(v.version) },
            { label: 'Customer', cell: (v) => v.customerId },
            { label: 'Type', cell: (v) => v.type },
            { label: 'Product', cell: (v) => v.product },
            { label: 'Amount (TCV)', num: true, cell: (v) => money(v.amount, v.currency) },
            { label: 'Term', num: true, cell: (v) => `${v.termMonths} months` },
            { label: 'Booked', cell: (v) => v.bookedDate },
            { label: 'Cancelled', cell: (v) => v.cancelledDate ?? '–' },
            { label: 'Credits', cell: (v) => v.credits.map((c) => `${c.repId} ${c.splitPct}%`).join(', ') },
          ],
          ev.booking.versions,
        ),
      );
  }
  if (ev.plan) {
    const p = ev.plan;
    parts.push(h('h4', {}, `Plan ${p.planId} v${p.version}${p.name ? ` (${p.name})` : ''}`), kv([['Version hash', p.hash ?? '–']]));
    if (p.creditingRule) {
      const r = p.creditingRule;
      parts.push(
        h('h5', {}, `Crediting rule ${r.id}`),
        kv([
          ['Measure', r.measure],
          ['Credit', `${r.creditPct}%`],
        ]),
        h('details', {}, h('summary', {}, `Conditions of rule ${r.id}`), json(r.conditions)),
      );
    }
    if (p.component) {
      const c = p.component;
      parts.push(
        h('h5', {}, `Component ${c.id}: ${c.label ?? c.type}`),
        kv([
          ['Type', c.type],
          c.window ? ['Window', c.window] : null,
          c.method ? ['Method', c.method] : null,
          c.rate ? ['Rate', rateAsPct(c.rate)] : null,
        ]),
        Array.isArray(c.tiers)
          ? table(
              `Tiers of ${c.id}`,
              [
                { label: 'Tier', cell: (t) => t.label ?? '' },
                { label: 'From', num: true, cell: (t) => (c.tierBasis === 'attainment' ? rateAsPct(t.from) : t.from) },
                { label: 'To', num: true, cell: (t) => (t.to === undefined || t.to === null ? '–' : c.tierBasis === 'attainment' ? rateAsPct(t.to) : t.to) },
                { label: 'Rate', num: true, cell: (t) => (c.rateUnit === 'baseRate' ? `${t.rate} × base rate` : rateAsPct(t.rate)) },
              ],
              c.tiers,
            )
          : null,
      );
    }
  }
  return h('div', { class: 'evidence-body' }, parts);
}
