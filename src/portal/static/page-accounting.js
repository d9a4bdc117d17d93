// @ts-check
// Commission expense accounting (ASC 340-40 / IFRS 15): the roll-forward of capitalised commission costs for a
// closed period with its checks, the journal as CSV, and the schedules behind the asset. Read-only: closes write the
// schedules; finance, auditors and admins read them (the API refuses everyone else).
import { api, download } from './api.js';
import { announce, badge, errorBox, fill, h, kv, money, pageError, section, select, table } from './ui.js';

const enc = encodeURIComponent;

export async function accountingPage(root) {
  root.append(h('h1', {}, 'Commission accounting'));
  let periods;
  try {
    periods = await api('/periods');
  } catch (e) {
    root.append(pageError(e));
    return;
  }
  const closed = periods.filter((p) => p.status === 'closed').map((p) => p.period);

  const rf = section(
    root,
    'roll-forward',
    'Capitalised commission costs',
    'Commissions tied to a booking whose period of benefit is longer than 12 months are capitalised and amortised straight-line by month over the contract term (or the product’s expected customer life); shorter ones are expensed when incurred (the practical expedient). Clawbacks reduce the asset; a cancellation writes off what is left. Each close writes the schedules from its closed figures; nothing here is edited by hand.',
  );
  const out = h('div', { id: 'roll-forward-out' });
  if (!closed.length) {
    rf.body.append(h('p', {}, 'No period is closed yet: the accounting starts with the first close.'));
    return;
  }
  const form = h(
    'form',
    { class: 'inline', id: 'accounting-form' },
    h('div', {}, select('accounting-period', 'Closed period', closed.map((p) => ({ value: p, label: p })), closed[closed.length - 1])),
    h('button', { type: 'submit' }, 'Show'),
    h('button', { type: 'button', class: 'secondary', id: 'journal-csv' }, 'Journal (CSV)'),
  );
  const periodOf = () => /** @type {HTMLSelectElement} */ (form.querySelector('select')).value;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void show(periodOf());
  });
  form.querySelector('#journal-csv')?.addEventListener('click', async () => {
    try {
      const { name } = await download(`/accounting/periods/${enc(periodOf())}/journal?format=csv`, `journal-${periodOf()}.csv`);
      announce(`Downloaded ${name}`);
    } catch (e) {
      fill(out, errorBox(e, 'Journal: '));
    }
  });
  rf.body.append(form, out);

  const show = async (period) => {
    try {
      const [v, schedules] = await Promise.all([api(`/accounting/periods/${enc(period)}`), api(`/accounting/schedules?period=${enc(period)}`)]);
      const rows = [...v.byCurrency.map((r) => ({ ...r, label: r.currency })), { ...v.reporting, label: `${v.reporting.currency} (reporting)` }];
      const amount = (key) => (r) => money(r[key], r.currency);
      fill(
        out,
        table(
          `Roll-forward ${period}`,
          [
            { label: 'Currency', cell: (r) => r.label },
            { label: 'Opening', num: true, cell: amount('opening') },
            { label: 'Additions', num: true, cell: amount('additions') },
            { label: 'Clawbacks', num: true, cell: amount('reductions') },
            { label: 'Amortisation', num: true, cell: amount('amortisation') },
            { label: 'Write-offs', num: true, cell: amount('writeOffs') },
            { label: 'Closing', num: true, cell: amount('closing') },
            { label: 'Current', num: true, cell: amount('current') },
            { label: 'Non-current', num: true, cell: amount('nonCurrent') },
          ],
          rows,
          { id: 'roll-forward-table' },
        ),
        kv([
          ['Current', 'the amortisation the schedules take in the next 12 months; the rest of the closing asset is non-current'],
          ['Reporting currency', `each figure converted at rates of ${v.reporting.ratesAsOf}${v.reporting.rates.length ? ` (${v.reporting.rates.map((r) => `${r.from} ${r.rate}`).join(', ')})` : ''}, rounded once`],
          ['Policy', `${v.policyHash.slice(0, 12)} (practical expedient ${v.policy.practicalExpedient ? 'on' : 'off'})`],
          ['Checks', h('ul', { id: 'accounting-checks' }, v.checks.map((c) => h('li', {}, badge(c.ok ? 'ties' : 'does not tie', c.ok ? 'ok' : 'bad'), ` ${c.name}: ${c.detail}`)))],
        ]),
        table(
          `Schedules the ${period} close produced`,
          [
            { label: '#', cell: (s) => s.id },
            { label: 'Payee', cell: (s) => s.repId },
            { label: 'Booking', cell: (s) => s.bookingId },
            { label: 'Line', cell: (s) => `${s.lineKind} (line ${s.lineNo})` },
            { label: 'Cost', num: true, cell: (s) => money(s.cost, s.currency) },
            { label: 'Months', num: true, cell: (s) => `${s.months} from ${s.startPeriod}` },
            { label: 'Monthly', num: true, cell: (s) => money(s.monthly, s.currency) },
            { label: `Left after ${schedules[0]?.remainingAfter ?? period}`, num: true, cell: (s) => money(s.remaining, s.currency) },
            { label: 'Write-off', cell: (s) => (s.writtenOffIn ? `${money(s.writeOff, s.currency)} in ${s.writtenOffIn}` : '') },
            { label: 'Why', cell: (s) => s.note },
          ],
          schedules,
          { id: 'schedules-table', empty: 'This close capitalised nothing: every cost was expensed when incurred.' },
        ),
      );
    } catch (e) {
      fill(out, errorBox(e));
    }
  };
  await show(closed[closed.length - 1]);
}
