// @ts-check
// A rep's or manager's home: where they stand in the quota window (a gauge with the pace mark, and the same in words),
// earnings by month (bars, and a table), computed vs paid by payroll, the next tier, and a what-if form that runs the
// real engine on a hypothetical deal (POST /estimates; nothing is stored). A manager also sees each report.
// Figures are decimal strings from the API; they become numbers only to place marks on a drawing.
import { api } from './api.js';
import { badge, errorBox, h, money, pct, section, table, vocab } from './ui.js';

/** @typedef {{ component: string, window: string, windowStart: string, windowEnd: string, currency: string, quota: string | null, credit: string, attainmentPct: string | null, pacePct: string, tier: { label: string, rate: string } | null, next: { label: string, fromPct: string, atCredit: string, needed: string } | null }} Standing */
/** @typedef {{ period: string, basis: string, earned: string, computedPayout: string, paidByPayroll: { amount: string, currency: string }[] }} Month */
/** @typedef {{ repId: string, name: string, currency: string, year: string, openPeriod: string | null, asOf: string, standing: Standing | null, earnings: { earnedToDate: string, targetVariable: string, proratedTargetVariable: string, ote: string, pctOfTarget: string | null } | null, months: Month[], computedYtd: string, paidByPayrollYtd: { amount: string, currency: string }[], owedBack: string, lastStatement: { period: string } | null, openDisputes: { id: string, period: string, reasonCode: string, status: string, target: string }[] }} PayeeDashboard */
/** @typedef {PayeeDashboard & { team?: { reports: PayeeDashboard[], attainment: { currency: string, quota: string, credit: string, attainmentPct: string | null }[] }, notice: string }} Dashboard */

const enc = encodeURIComponent;

/**
 * The attainment gauge: a bar from 0 to max(150%, attainment), the attainment filled, the pace as a mark.
 * @param {Standing} s
 * @param {string} id
 */
export function gauge(s, id) {
  const W = 320;
  const H = 56;
  const a = Number(s.attainmentPct ?? 0);
  const p = Number(s.pacePct);
  const top = Math.max(150, Math.ceil(Math.max(a, p) / 50) * 50);
  const x = (/** @type {number} */ v) => 8 + (Math.max(0, Math.min(v, top)) / top) * (W - 16);
  const text = `${s.attainmentPct === null ? 'No quota in this window' : `Attainment ${pct(s.attainmentPct)}`}; a steady pace would be at ${pct(s.pacePct)} on this date.`;
  return h(
    'svg',
    { id, class: 'gauge', viewBox: `0 0 ${W} ${H}`, width: '100%', height: H, role: 'img', 'aria-label': text },
    h('rect', { x: 8, y: 12, width: W - 16, height: 18, fill: '#e6ebf1', rx: 3 }),
    h('rect', { x: 8, y: 12, width: x(a) - 8, height: 18, fill: a >= p ? '#1a7f37' : '#b35900', rx: 3 }),
    h('line', { x1: x(p), x2: x(p), y1: 6, y2: 36, stroke: '#1a1a1a', 'stroke-width': 2, 'stroke-dasharray': '3 2' }),
    h('line', { x1: x(100), x2: x(100), y1: 30, y2: 36, stroke: '#1a1a1a' }),
    h('text', { x: 8, y: 50, 'font-size': 11, fill: '#1a1a1a' }, '0%'),
    h('text', { x: x(100), y: 50, 'font-size': 11, 'text-anchor': 'middle', fill: '#1a1a1a' }, '100%'),
    h('text', { x: W - 8, y: 50, 'font-size': 11, 'text-anchor': 'end', fill: '#1a1a1a' }, `${top}%`),
  );
}

/**
 * Earnings by month as bars (negative months below the line), labelled; the table next to it holds the figures.
 * @param {Month[]} months
 * @param {string} currency
 */
export function monthBars(months, currency) {
  const W = 360;
  const H = 140;
  const values = months.map((m) => Number(m.earned));
  const hi = Math.max(1, ...values.map(Math.abs));
  const zero = H / 2;
  const bw = Math.max(8, Math.min(24, (W - 20) / Math.max(months.length, 1) - 6));
  const text = months.map((m) => `${m.period}: ${money(m.earned, currency)}${m.basis === 'estimate' ? ' (estimate)' : ''}`).join('; ') || 'No month yet.';
  return h(
    'svg',
    { class: 'bars', viewBox: `0 0 ${W} ${H}`, width: '100%', height: H, role: 'img', 'aria-label': `Earned by month: ${text}` },
    h('line', { x1: 0, x2: W, y1: zero, y2: zero, stroke: '#1a1a1a' }),
    months.map((m, i) => {
      const v = Number(m.earned);
      const hgt = (Math.abs(v) / hi) * (H / 2 - 18);
      const xx = 10 + i * (bw + 6);
      return h(
        'g',
        {},
        h('rect', { x: xx, y: v >= 0 ? zero - hgt : zero, width: bw, height: Math.max(hgt, 1), fill: m.basis === 'estimate' ? '#9bb7d9' : '#0b4f9c' }),
        h('text', { x: xx + bw / 2, y: H - 2, 'font-size': 10, 'text-anchor': 'middle', fill: '#1a1a1a' }, m.period.slice(5)),
      );
    }),
  );
}

/**
 * The standing in words: attainment, pace, tier and the credit the next tier needs.
 * @param {Standing | null} s
 */
function standingWords(s) {
  if (!s) return h('p', {}, 'The plan has no quota window to measure attainment in.');
  return h(
    'ul',
    { class: 'facts' },
    h('li', {}, `${s.component}, window ${s.window} (${s.windowStart} to ${s.windowEnd}): credit ${money(s.credit, s.currency)} of a quota of ${money(s.quota, s.currency)}, ${pct(s.attainmentPct)} attained.`),
    h('li', {}, `A steady pace would be at ${pct(s.pacePct)} of the quota by now.`),
    s.tier ? h('li', {}, `Current tier: ${s.tier.label} (${s.tier.rate}).`) : null,
    s.next ? h('li', {}, `Next tier: ${s.next.label} from ${pct(s.next.fromPct)}, at ${money(s.next.atCredit, s.currency)} of credit: ${money(s.next.needed, s.currency)} to go.`) : h('li', {}, 'You are in the top tier.'),
  );
}

/**
 * One payee's figures.
 * @param {HTMLElement} parent
 * @param {PayeeDashboard} d
 * @param {string} idPrefix
 */
function payeeBlock(parent, d, idPrefix) {
  const c = d.currency;
  const e = d.earnings;
  const s = d.standing;
  parent.append(
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('h3', {}, 'Attainment'), s ? gauge(s, `${idPrefix}-gauge`) : null, standingWords(s)),
      h('div', { class: 'card' },
        h('h3', {}, `Earnings ${d.year}`),
        e
          ? h('ul', { class: 'facts' },
              h('li', {}, `Earned to date: ${money(e.earnedToDate, c)} (${pct(e.pctOfTarget)} of target).`),
              h('li', {}, `Target variable: ${money(e.targetVariable, c)} a year${e.proratedTargetVariable !== e.targetVariable ? `, ${money(e.proratedTargetVariable, c)} for your months this year` : ''}; on-target earnings ${money(e.ote, c)}.`),
              h('li', {}, `Computed payable this year: ${money(d.computedYtd, c)}. Paid by payroll: ${d.paidByPayrollYtd.length ? d.paidByPayrollYtd.map((p) => money(p.amount, p.currency)).join(' + ') : 'nothing reported yet'}.`),
              /^0*(\.0*)?$/.test(d.owedBack) ? null : h('li', {}, `Owed back from earlier months (recovered from later earnings before anything is paid): ${money(d.owedBack, c)}.`),
            )
          : h('p', {}, 'No plan assignment this year.'),
      ),
    ),
    monthBars(d.months, c),
    table(
      `Earned and computed payout by month, ${d.name} (${d.repId})`,
      [
        { label: 'Period', cell: (/** @type {Month} */ m) => m.period },
        { label: 'Basis', cell: (/** @type {Month} */ m) => (m.basis === 'estimate' ? badge('estimate (open)', 'warn') : badge(m.basis, m.basis === 'closed' ? 'ok' : 'info')) },
        { label: 'Earned', num: true, cell: (/** @type {Month} */ m) => money(m.earned, c) },
        { label: 'Computed payout', num: true, cell: (/** @type {Month} */ m) => money(m.computedPayout, c) },
        { label: 'Paid by payroll', num: true, cell: (/** @type {Month} */ m) => (m.paidByPayroll.length ? m.paidByPayroll.map((p) => money(p.amount, p.currency)).join(' + ') : '–') },
      ],
      d.months,
      { id: `${idPrefix}-months` },
    ),
    h('p', {}, d.lastStatement ? h('a', { href: `#/pay/${enc(d.repId)}` }, `Last final statement: ${d.lastStatement.period}`) : 'No final statement yet.', d.openDisputes.length ? ` · ${d.openDisputes.length} open dispute(s)` : ''),
  );
}

/**
 * The what-if form: one hypothetical deal, the engine's answer line by line next to today's figures.
 * @param {HTMLElement} parent
 * @param {Dashboard} d
 */
function estimator(parent, d) {
  const { body } = section(parent, 'what-if', 'What would a deal pay?', 'The real engine on your imported bookings plus this deal (or minus a cancelled booking). Nothing is saved.');
  const field = (/** @type {string} */ id, /** @type {string} */ label, /** @type {Record<string, string>} */ props) => h('p', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name: id, ...props }));
  const out = h('div', { id: 'what-if-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { id: 'what-if-form', class: 'grid-form' },
    field('wi-amount', 'Deal amount', { inputmode: 'decimal', pattern: '-?\\d+(\\.\\d+)?', placeholder: '50000.00' }),
    field('wi-currency', "Deal's currency", { required: 'required', value: d.currency, pattern: '[A-Z]{3}', maxlength: '3' }),
    h('p', { class: 'field' }, h('label', { for: 'wi-type' }, 'Type'), h('select', { id: 'wi-type' }, ['new', 'expansion', 'renewal'].map((t) => h('option', { value: t }, t)))),
    field('wi-product', 'Product', { placeholder: 'CORE' }),
    field('wi-term', 'Term (months)', { value: '12', inputmode: 'numeric', pattern: '\\d+' }),
    field('wi-date', 'Booked on', { type: 'date', value: d.openPeriod ? `${d.openPeriod}-15` : '' }),
    // a manager's deals are their reports' (their override follows); a rep's are their own
    d.team ? h('p', { class: 'field' }, h('label', { for: 'wi-rep' }, 'Credited to'), h('select', { id: 'wi-rep' }, [d, ...d.team.reports].map((r) => h('option', { value: r.repId }, `${r.name} (${r.repId})`)))) : null,
    field('wi-split', d.team ? 'Split (%)' : 'Your split (%)', { value: '100', inputmode: 'decimal' }),
    field('wi-cancel', 'And/or cancel booking (id)', { placeholder: 'B1' }),
    field('wi-cancel-date', 'Cancelled on', { type: 'date' }),
    h('p', {}, h('button', { type: 'submit' }, 'Estimate')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const v = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id)).value.trim();
    const creditedTo = d.team ? v('wi-rep') : d.repId;
    const deal = { amount: v('wi-amount'), currency: v('wi-currency'), type: v('wi-type'), product: v('wi-product'), termMonths: v('wi-term'), bookedDate: v('wi-date'), credits: [{ repId: creditedTo, splitPct: v('wi-split') }] };
    const deals = v('wi-amount') ? [deal] : [];
    const cancellations = v('wi-cancel') ? [{ bookingId: v('wi-cancel'), cancelledDate: v('wi-cancel-date') }] : [];
    if (!deals.length && !cancellations.length) {
      out.replaceChildren(h('p', { role: 'alert' }, 'Enter a deal (an amount at least), or a booking to cancel, or both.'));
      return;
    }
    out.replaceChildren(h('p', {}, 'Calculating…'));
    try {
      const r = await api('/estimates', { method: 'POST', json: { repId: d.repId, deals, cancellations } });
      // periods whose earnings, payout or lines change; a month where only the balance carried moves is not news
      const zero = (/** @type {string} */ x) => /^-?0*(\.0*)?$/.test(x);
      const changed = r.periods.filter(
        (/** @type {any} */ p) =>
          p.basis === 'estimate' &&
          (!zero(p.difference.earned) || !zero(p.difference.payout) || p.removed.length || p.lines.some((/** @type {any} */ l) => l.changed && !vocab.systemLines.has(l.kind))),
      );
      const what = [deals.length ? 'the deal' : '', cancellations.length ? `${cancellations[0].bookingId} cancelled` : ''].filter(Boolean).join(' and ');
      out.replaceChildren(
        h('p', { class: 'outcome' }, `This year: earned ${money(r.year.today.earned, r.currency)} today, ${money(r.year.withWhatIf.earned, r.currency)} with ${what} (${money(r.year.difference.earned, r.currency)}); payout ${r.year.difference.payout.startsWith('-') ? `${money(r.year.difference.payout.slice(1), r.currency)} less` : `${money(r.year.difference.payout, r.currency)} more`}.`),
        ...changed.map((/** @type {any} */ p) =>
          table(
            `${p.period}: today ${money(p.today.earned, r.currency)} earned, with ${what} ${money(p.withWhatIf.earned, r.currency)}`,
            [
              { label: 'Line', cell: (/** @type {any} */ l) => [l.gone ? badge('removed', 'bad') : l.changed ? badge('changed', 'warn') : '', ' ', l.gone ? h('s', {}, l.description) : l.description] },
              { label: 'Amount', num: true, cell: (/** @type {any} */ l) => (l.gone ? h('s', {}, money(l.amount, l.currency)) : money(l.amount, l.currency)) },
              { label: 'How', cell: (/** @type {any} */ l) => l.explanation },
            ],
            [...p.lines, ...p.removed.map((/** @type {any} */ l) => ({ ...l, gone: true }))],
          ),
        ),
        h('p', { class: 'hint' }, r.notice),
      );
    } catch (e) {
      out.replaceChildren(errorBox(e, 'Could not estimate'));
    }
  });
  body.append(form, out);
}

/** @param {HTMLElement} root @param {{ me: { repId: string | null } }} ctx */
export async function homePage(root, { me }) {
  const title = h('h1', {}, 'Where I stand');
  root.append(title);
  if (!me.repId) {
    root.append(h('p', {}, 'This user is not linked to a payee.'));
    return;
  }
  /** @type {Dashboard} */
  let d;
  try {
    d = await api('/me/dashboard');
  } catch (e) {
    root.append(errorBox(e, 'Could not load the dashboard'));
    return;
  }
  title.textContent = `Where I stand: ${d.name} (${d.repId})`;
  root.append(h('p', { class: 'hint' }, d.openPeriod ? `Figures to ${d.asOf}. ${d.notice}` : d.notice));
  const mine = section(root, 'standing', `${d.year} so far`);
  payeeBlock(mine.body, d, 'me');
  if (d.team) {
    const team = section(root, 'team-standing', 'My team', d.team.attainment.map((a) => `Team attainment (${a.currency}): ${money(a.credit, a.currency)} of ${money(a.quota, a.currency)}, ${pct(a.attainmentPct)}.`).join(' '));
    team.body.append(
      table(
        'Each report: attainment, pace and earnings to date',
        [
          { label: 'Payee', cell: (/** @type {PayeeDashboard} */ r) => h('a', { href: `#/pay/${enc(r.repId)}` }, `${r.name} (${r.repId})`) },
          { label: 'Attainment', num: true, cell: (/** @type {PayeeDashboard} */ r) => (r.standing ? pct(r.standing.attainmentPct) : 'n/a') },
          { label: 'Pace', num: true, cell: (/** @type {PayeeDashboard} */ r) => (r.standing ? pct(r.standing.pacePct) : 'n/a') },
          { label: 'Tier', cell: (/** @type {PayeeDashboard} */ r) => r.standing?.tier?.label ?? '–' },
          { label: 'Earned to date', num: true, cell: (/** @type {PayeeDashboard} */ r) => (r.earnings ? money(r.earnings.earnedToDate, r.currency) : '–') },
          { label: 'Of target', num: true, cell: (/** @type {PayeeDashboard} */ r) => (r.earnings ? pct(r.earnings.pctOfTarget) : 'n/a') },
        ],
        d.team.reports,
        { id: 'team-standing-table' },
      ),
    );
  }
  estimator(root, d);
}
