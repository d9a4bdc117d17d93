// @ts-check
// Plans, for finance: who has acknowledged their written plan, and the plan editor. The editor shows a plan version
// as a form (one field per value: rates, tiers, gates, caps, SPIF dates, ramp, draw, clawback; conditions as JSON)
// and as JSON, kept in step; every change is checked by the API with the validation `plans validate` and the engine
// use (problems by JSON path), with the change against the stored version in words. Saving stores a new version
// (stored versions never change) in effect from a date in an open period.
import { api, ApiError } from './api.js';
import { announce, badge, errorBox, fill, h, jobDone, pageError, runJob, section, table, totals } from './ui.js';

const enc = encodeURIComponent;

/** The words for a path in the plan, as the API's change list names it: component label, tier label, field. */
function nameOf(path, doc) {
  const words = [];
  let node = doc;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    node = node === undefined || node === null ? undefined : node[key];
    if (typeof key === 'number') {
      const container = path[i - 1];
      const label = node && typeof node === 'object' ? (node.label ?? node.id) : undefined;
      if (container === 'components') words.push(label ?? `component ${key + 1}`);
      else if (container === 'tiers') words.push(`tier ${label ? `"${label}"` : key + 1}`);
      else if (container === 'rules') words.push(`crediting rule "${label ?? key + 1}"`);
      else words.push(`${container} ${key + 1}`);
    } else if (key !== 'components' && key !== 'tiers' && !(key === 'rules' && path[i - 1] === 'crediting') && !(key === 'crediting' && path[i + 1] === 'rules')) {
      words.push(key);
    }
  }
  return words.join(', ');
}

/** The order a person reads a plan in (the database returns a document's keys in its own order). */
const ORDER = ['$schema', 'id', 'version', 'name', 'description', 'effectiveFrom', 'effectiveTo', 'quotaMeasure', 'earnOn', 'crediting', 'components', 'ramp', 'seasonality', 'clawback', 'draw'];

/** The plan with its top-level keys in reading order. */
function ordered(doc) {
  const rank = (k) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return Object.fromEntries(Object.entries(doc).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Fields the form does not offer: what a version is, and what it is named by. */
const FIXED = new Set(['$schema', 'id', 'version']);
/** Objects edited as JSON in the form: condition trees. */
const AS_JSON = new Set(['conditions']);

/** One input per value of the plan, grouped by component; `onChange(path, value)` writes it back. */
function planForm(doc, onChange) {
  const fields = [];
  const field = (path, value) => {
    const id = `f-${path.join('-')}`;
    const full = nameOf(path, doc);
    const group = path[0] === 'components' ? nameOf(path.slice(0, 2), doc) : String(path[0]);
    // the legend names the group: the visible label says the rest, the accessible name the whole
    const label = full.startsWith(`${group}, `) ? [h('span', { class: 'visually-hidden' }, `${group}, `), full.slice(group.length + 2)] : full;
    const kind = typeof value;
    if (AS_JSON.has(String(path[path.length - 1]))) {
      return h('div', { class: 'field' }, h('label', { for: id }, label), h('textarea', { id, rows: 3, spellcheck: 'false', value: JSON.stringify(value), onchange: (ev) => {
        try {
          onChange(path, JSON.parse(ev.currentTarget.value));
        } catch {
          ev.currentTarget.setCustomValidity('not JSON');
          ev.currentTarget.reportValidity();
        }
      } }));
    }
    if (kind === 'boolean') {
      return h('div', { class: 'field' }, h('input', { id, type: 'checkbox', checked: value, onchange: (ev) => onChange(path, ev.currentTarget.checked) }), ' ', h('label', { for: id }, label));
    }
    return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, type: 'text', value: String(value), onchange: (ev) => onChange(path, kind === 'number' ? Number(ev.currentTarget.value) : ev.currentTarget.value) }));
  };
  const walk = (value, path) => {
    if (path.length === 1 && FIXED.has(String(path[0]))) return;
    if (value !== null && typeof value === 'object' && !AS_JSON.has(String(path[path.length - 1]))) {
      if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
        value.forEach((v, i) => fields.push(field([...path, i], v)));
        return;
      }
      for (const [k, v] of Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    fields.push(field(path, value));
  };
  const groups = [];
  for (const [key, value] of Object.entries(doc)) {
    fields.length = 0;
    if (key === 'components') {
      value.forEach((c, i) => {
        fields.length = 0;
        walk(c, ['components', i]);
        groups.push(h('fieldset', {}, h('legend', {}, `Component: ${c.label ?? c.id}`), ...fields));
      });
      continue;
    }
    walk(value, [key]);
    if (fields.length) groups.push(h('fieldset', {}, h('legend', {}, key), ...fields));
  }
  return h('div', { class: 'plan-form' }, groups);
}

function setAt(doc, path, value) {
  let node = doc;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1]] = value;
}

export async function plansPage(root, { me }) {
  root.append(h('h1', {}, 'Plans'));
  let plans;
  let periods;
  try {
    [plans, periods] = await Promise.all([api('/plans'), api('/periods')]);
  } catch (e) {
    root.append(pageError(e));
    return;
  }

  // --- acknowledgments ------------------------------------------------------------------------------------------
  const acks = section(root, 'acks', 'Plan acknowledgments', 'Each assignment\'s current written plan and whether the payee has acknowledged it. A changed plan version or assignment needs a new acknowledgment.');
  try {
    const rows = await api('/acknowledgments');
    const pending = rows.filter((r) => r.status === 'pending');
    acks.body.append(
      h('p', { id: 'acks-summary' }, `${rows.length - pending.length} of ${rows.length} acknowledged${pending.length ? `; pending: ${pending.map((r) => r.repId).join(', ')}` : ''}.`),
      table(
        'Plan documents and acknowledgments',
        [
          { label: 'Payee', cell: (r) => `${r.name} (${r.repId})` },
          { label: 'Plan', cell: (r) => `${r.planId} v${r.planVersion}` },
          { label: 'Covers', cell: (r) => `${r.from} to ${r.to}` },
          { label: 'Status', cell: (r) => badge(r.status, r.status === 'pending' ? 'warn' : 'ok') },
          { label: 'Acknowledged (UTC)', cell: (r) => (r.acknowledgedAt ? `${r.acknowledgedAt} by ${r.acknowledgedBy}` : '') },
        ],
        [...pending, ...rows.filter((r) => r.status !== 'pending')],
        { id: 'acks-table', empty: 'No assignments.' },
      ),
    );
  } catch (e) {
    acks.body.append(errorBox(e));
  }

  if (!['admin', 'finance'].includes(me.role)) return;

  // --- editor ---------------------------------------------------------------------------------------------------
  const latest = new Map();
  for (const p of plans) if (!latest.has(p.planId) || latest.get(p.planId).version < p.version) latest.set(p.planId, p);
  const frozen = periods.filter((p) => p.status === 'approved' || p.status === 'closed').map((p) => p.period).sort();
  const open = periods.map((p) => p.period).filter((p) => !frozen.includes(p) && (!frozen.length || p > frozen[frozen.length - 1])).sort()[0];
  const editor = section(root, 'editor', 'Edit a plan', 'Change values in the form or the JSON; the check below runs on every change. Saving stores a new version; the stored ones never change.');
  const choose = h('select', { id: 'plan-choice' }, [...latest.values()].map((p) => h('option', { value: p.planId }, `${p.name} (${p.planId}, v${p.version})`)));
  const from = h('input', { id: 'effective-from', type: 'text', value: open ? `${open}-01` : '', placeholder: 'YYYY-MM-DD', 'aria-describedby': 'effective-hint' });
  const formBox = h('div', { id: 'plan-form-box' });
  const jsonBox = h('textarea', { id: 'plan-json', rows: 18, spellcheck: 'false', 'aria-label': 'The plan as JSON' });
  const checkOut = h('div', { id: 'plan-check', role: 'status', 'aria-live': 'polite' });
  const saveButton = h('button', { type: 'button', id: 'save-version' }, 'Save as a new version');
  const saveOut = h('div', { id: 'save-result' });
  let doc = null;
  let timer = 0;

  const check = async () => {
    try {
      const c = await api('/plans/validate', { method: 'POST', json: { plan: doc } });
      fill(
        checkOut,
        c.valid ? h('p', { class: 'notice' }, `Valid (content hash ${c.hash.slice(0, 12)}).`) : h('div', { class: 'error' }, h('p', {}, `${c.problems.length} problem(s):`), h('ul', { id: 'plan-problems' }, c.problems.map((p) => h('li', {}, `${p.path}: ${p.message}`)))),
        c.warnings?.length ? h('div', { class: 'warning' }, h('p', {}, `${c.warnings.length} warning(s): valid, but cannot pay`), h('ul', { id: 'plan-warnings' }, c.warnings.map((p) => h('li', {}, `${p.path}: ${p.message}`)))) : null,
        c.changes.length ? [h('p', {}, `Changes against ${c.against.planId} v${c.against.version}:`), h('ul', { id: 'plan-changes' }, c.changes.map((x) => h('li', {}, x.text)))] : h('p', {}, 'No change against the stored version.'),
      );
      saveButton.disabled = !c.valid || !c.changes.length;
    } catch (e) {
      fill(checkOut, errorBox(e));
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void check(), 250);
  };
  const showForm = () => fill(formBox, planForm(doc, (path, value) => {
    setAt(doc, path, value);
    jsonBox.value = JSON.stringify(doc, null, 2);
    later();
  }));
  const load = () => {
    doc = ordered(structuredClone(latest.get(choose.value).document));
    jsonBox.value = JSON.stringify(doc, null, 2);
    showForm();
    fill(saveOut);
    void check();
  };
  jsonBox.addEventListener('input', () => {
    try {
      doc = JSON.parse(jsonBox.value);
    } catch (e) {
      fill(checkOut, h('div', { class: 'error' }, `Not JSON: ${e.message}`));
      saveButton.disabled = true;
      return;
    }
    showForm();
    later();
  });
  choose.addEventListener('change', load);
  saveButton.addEventListener('click', async () => {
    const planId = choose.value;
    const outcome = await runJob(saveOut, `Saving ${planId}`, () => api(`/plans/${enc(planId)}/versions`, { method: 'POST', json: { plan: doc, effectiveFrom: from.value || undefined } }), [saveButton]);
    if (!outcome.ok) {
      jobDone(saveOut, outcome, () => '');
      return;
    }
    const v = outcome.result;
    announce(`Saved ${v.planId} v${v.version}.`);
    const recalc = open ? h('button', { type: 'button', id: 'recalculate' }, `Recalculate ${open}`) : null;
    const recalcOut = h('div', { id: 'recalc-result' });
    fill(
      saveOut,
      h('p', { class: 'notice', id: 'saved' }, `Saved ${v.planId} v${v.version} (${v.hash.slice(0, 12)}), in effect ${v.effectiveFrom} to ${v.effectiveTo}.`),
      h('ul', {}, v.changes.map((x) => h('li', {}, x.text))),
      recalc,
      recalcOut,
    );
    recalc?.addEventListener('click', async () => {
      const r = await runJob(recalcOut, `Calculating ${open}`, () => api(`/periods/${open}/calculate`, { method: 'POST' }), [recalc]);
      jobDone(recalcOut, r, (x) => {
        const last = x.runs[x.runs.length - 1];
        return `Calculated ${last.period}: run ${last.runId}, ${last.payees} payees, payouts ${totals(last.totals)}`;
      });
    });
    try {
      plans = await api('/plans');
      for (const p of plans) if (p.planId === planId && latest.get(planId).version < p.version) latest.set(planId, p);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  });

  editor.body.append(
    h('div', { class: 'grid-form' }, h('label', { for: 'plan-choice' }, 'Plan'), choose, h('label', { for: 'effective-from' }, 'In effect from'), from),
    h('p', { class: 'hint', id: 'effective-hint' }, `The first day of an open period or later${open ? ` (${open} is the first open period)` : ''}: approved and closed periods never change. A version that starts inside a window (a year window from March) counts that window's quota from its own first day; model the change first (POST /plans/:id/model or npm run cli -- plans model).`),
    h('div', { class: 'editor' }, h('div', {}, h('h3', {}, 'Form'), formBox), h('div', {}, h('h3', {}, 'JSON'), jsonBox)),
    checkOut,
    saveButton,
    saveOut,
  );
  if (latest.size) load();
}
