// @ts-check
// Small DOM and formatting helpers. Text always goes in as text (never as HTML), and amounts stay decimal strings:
// they are grouped and rounded as strings, never turned into JavaScript numbers.

/** h('p', { class: 'x', onclick: fn }, 'text', child, [more]) */
export function h(tag, props = {}, ...children) {
  const svg = ['svg', 'g', 'line', 'polyline', 'circle', 'rect', 'text', 'title', 'desc', 'path'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  let value;
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'value') value = v;
    else if (k === 'checked' || k === 'selected') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

/** Replaces an element's children (null, undefined and false are skipped, arrays flattened). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Decimal strings
// ---------------------------------------------------------------------------------------------------------------

/** Rounds a decimal string half-up (away from zero) to `dp` places, as a string. */
export function round(s, dp = 2) {
  if (s === null || s === undefined || s === '') return s;
  let str = String(s).trim();
  const neg = str.startsWith('-');
  if (neg || str.startsWith('+')) str = str.slice(1);
  if (!/^\d*(\.\d*)?$/.test(str)) return String(s);
  let [int, frac = ''] = str.split('.');
  int = int || '0';
  let digits;
  if (frac.length <= dp) {
    digits = int + frac.padEnd(dp, '0');
  } else {
    const arr = (int + frac.slice(0, dp)).split('').map(Number);
    if (frac[dp] >= '5') {
      let k = arr.length - 1;
      while (k >= 0 && arr[k] === 9) arr[k--] = 0;
      if (k < 0) arr.unshift(1);
      else arr[k]++;
    }
    digits = arr.join('');
  }
  const i = digits.slice(0, digits.length - dp).replace(/^0+(?=\d)/, '') || '0';
  const f = digits.slice(digits.length - dp);
  const sign = neg && /[1-9]/.test(i + f) ? '-' : '';
  return sign + i + (dp > 0 ? `.${f}` : '');
}

/**
 * One number format for the whole portal, the browser's locale: Intl.NumberFormat formats the decimal *string* (exact,
 * never through a binary number; ECMA-402 formats strings as decimals) with the digits it already has.
 * @param {string | null | undefined} s an already rounded decimal string ("1234567.50")
 * @returns {string} "1,234,567.50" in English, "1.234.567,50" in German
 */
export function group(s) {
  if (s === null || s === undefined) return '';
  const str = String(s);
  const digits = (str.split('.')[1] ?? '').length;
  try {
    return numberFormat(digits).format(/** @type {any} */ (str));
  } catch {
    return str; // an engine without string formatting: the plain decimal, never a rounded float
  }
}

/** @type {Map<number, Intl.NumberFormat>} */
const formats = new Map();
/** @param {number} digits */
function numberFormat(digits) {
  let f = formats.get(digits);
  if (!f) formats.set(digits, (f = new Intl.NumberFormat(typeof navigator === 'undefined' ? undefined : navigator.language, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: true })));
  return f;
}

/** An amount with its currency: "48,855.00 USD"; '–' when absent. */
/**
 * ISO 4217 minor units other than 2, the same table as src/core/money/minor-units.ts (a test keeps the two equal):
 * amounts show in their currency's own decimals (JPY whole, BHD three).
 */
const MINOR_UNITS = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

export function money(amount, currency) {
  if (amount === null || amount === undefined) return '–';
  return `${group(round(amount, currency ? (MINOR_UNITS[currency] ?? 2) : 2))}${currency ? ` ${currency}` : ''}`;
}

/** Amounts per currency, never added across currencies: "6,500.00 USD + 2,160.00 EUR". */
export function totals(list) {
  if (!list || !list.length) return '–';
  return list.map((t) => money(t.amount, t.currency)).join(' + ');
}

/** A row's error: the amount in its own currency, other currencies paid, and the reporting-currency figure. */
export function errorMoney(x, reporting) {
  const parts = [money(x.errorAmount, x.currency), ...(x.otherCurrencies ?? []).map((o) => money(o.amount, o.currency))];
  const own = parts.join(' + ');
  const converted = /^-?0*(\.0*)?$/.test(x.errorConverted) ? null : money(x.errorConverted, reporting); // zero, tested as text
  return converted === null || (x.currency === reporting && !(x.otherCurrencies ?? []).length) ? own : `${own} (${converted})`;
}

/** A percentage the API gives as a decimal string of percent: "97.1131..." -> "97.11%". */
export function pct(value) {
  return value === null || value === undefined ? 'n/a' : `${round(value, 2)}%`;
}

/** A rate as a fraction ("0.05") in percent ("5%"), by moving the decimal point. */
export function rateAsPct(rate) {
  if (rate === null || rate === undefined) return '';
  let s = String(rate);
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  const [int, frac = ''] = s.split('.');
  const f = frac.padEnd(2, '0');
  const i = `${int}${f.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  const rest = f.slice(2).replace(/0+$/, '');
  return `${neg ? '-' : ''}${i}${rest ? `.${rest}` : ''}%`;
}

// ---------------------------------------------------------------------------------------------------------------
// Page building blocks
// ---------------------------------------------------------------------------------------------------------------

/** Announces a short message in the page's polite live region. */
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // a fresh text node after clearing makes screen readers announce a repeated message again
  requestAnimationFrame(() => (status.textContent = text));
}

/** An error from the API, shown where it happened (role=alert). */
export function errorBox(err, prefix) {
  const title = err?.title ?? 'Error';
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, title), ': ', prefix ? `${prefix}: ` : '', err?.message ?? String(err));
}

/**
 * The page-level answer when the server refuses what a page is for: 403 (this role may not) or 404 (not yours, or
 * not there). No data is shown.
 */
export function pageError(err) {
  const why =
    err?.status === 403
      ? 'Your role may not use this page. Nothing is shown.'
      : err?.status === 404
        ? 'There is nothing here that you may see.'
        : err?.status === 401
          ? 'Sign in again.'
          : 'The page could not be loaded.';
  return h(
    'div',
    { class: 'page-error', role: 'alert', id: 'page-error' },
    h('p', {}, h('strong', {}, err?.title ?? 'Error'), ` ${why}`),
    h('p', {}, `The server answered ${err?.method ?? 'GET'} ${err?.path ?? ''}: ${err?.message ?? String(err)}`),
  );
}

/** A titled section of a page; returns the section (already appended to `parent`) and its body. */
export function section(parent, id, title, ...intro) {
  const heading = h('h2', { id: `${id}-title` }, title);
  const body = h('div', { id: `${id}-body` });
  const el = h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` }, heading, intro.length ? h('p', { class: 'hint' }, ...intro) : null, body);
  parent.append(el);
  return { el, body };
}

/**
 * A table: columns = [{ label, num, cell(row) }]. A caption names it for assistive technology; an empty list says so.
 * @param {string} caption
 * @param {{ label: string, num?: boolean, rowHeader?: boolean, cell: (row: any) => any }[]} columns
 * @param {any[]} rows
 * @param {{ id?: string, empty?: string }} [options]
 */
export function table(caption, columns, rows, { id, empty = 'None.' } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label))));
  const body = h(
    'tbody',
    {},
    rows.length
      ? rows.map((r) =>
          h(
            'tr',
            {},
            columns.map((c, i) => {
              const v = c.cell(r);
              return i === 0 && c.rowHeader !== false ? h('th', { scope: 'row', class: c.num ? 'num' : null }, v) : h('td', { class: c.num ? 'num' : null }, v);
            }),
          ),
        )
      : h('tr', {}, h('td', { colspan: columns.length }, empty)),
  );
  return h('div', { class: 'scroll' }, h('table', { id }, h('caption', {}, caption), head, body));
}

/** A status word as a badge: text first (never colour alone). */
export function badge(text, tone = 'info') {
  return h('span', { class: `badge ${tone}` }, text);
}

/** Key/value list. */
export function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.filter(Boolean).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '–')]));
}

/**
 * Runs a long request with visible progress: an indeterminate <progress> and the elapsed time while it runs, then the
 * outcome, in a live region. Buttons passed in are disabled meanwhile.
 */
export async function runJob(container, label, fn, buttons = []) {
  const progress = h('progress', { 'aria-label': label });
  const elapsed = h('span', { class: 'elapsed', 'aria-hidden': 'true' }, '0.0 s');
  const text = h('span', {}, `${label}…`);
  container.replaceChildren(h('div', { class: 'job', role: 'status', 'aria-live': 'polite', 'aria-busy': 'true' }, progress, text, elapsed));
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const timer = setInterval(() => (elapsed.textContent = `${seconds()} s`), 100);
  // Each button gets back the state it had: one disabled on purpose (say, Approve on a stale period) stays so.
  const before = buttons.map((b) => b.disabled);
  for (const b of buttons) b.disabled = true;
  try {
    const result = await fn();
    return { ok: true, result, seconds: seconds() };
  } catch (err) {
    return { ok: false, error: err, seconds: seconds() };
  } finally {
    clearInterval(timer);
    buttons.forEach((b, i) => (b.disabled = before[i]));
  }
}

/** Shows a job's outcome where its progress was. */
export function jobDone(container, outcome, describe) {
  if (outcome.ok) container.replaceChildren(h('div', { class: 'notice job-result', role: 'status' }, `${describe(outcome.result)} (${outcome.seconds} s)`));
  else container.replaceChildren(errorBox(outcome.error));
}

/** A <select> with a visible label. options: [{ value, label }]. */
export function select(id, label, options, value, props = {}) {
  return [
    h('label', { for: id }, label),
    h('select', { id, name: id, value, ...props }, options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label))),
  ];
}

/** A JSON value, readable. */
export function json(value) {
  return h('pre', {}, JSON.stringify(value, null, 2));
}

/** A line's full trace: every structured field (the words come from the API's `explanation`, never from the portal). */
export function traceDetails(trace, label = 'Full trace') {
  if (!trace || typeof trace !== 'object') return null;
  return h(
    'details',
    {},
    h('summary', {}, label),
    kv(Object.entries(trace).map(([k, v]) => [k, typeof v === 'object' && v !== null ? json(v) : String(v)])),
  );
}

/**
 * The API's vocabulary (GET /meta): reason codes with their labels, role capabilities, system line kinds. Loaded once
 * after sign-in (app.js), so the browser keeps no copies that could drift from what the API enforces.
 * @type {{ reasons: [string, string][], raisers: Set<string>, resolvers: Set<string>, estimators: Set<string>, systemLines: Set<string> }}
 */
export const vocab = { reasons: [], raisers: new Set(), resolvers: new Set(), estimators: new Set(), systemLines: new Set() };

/** @param {{ disputeReasons: { code: string, label: string }[], capabilities: Record<string, string[]>, systemLineKinds: string[] }} meta */
export function setVocab(meta) {
  vocab.reasons = meta.disputeReasons.map((r) => /** @type {[string, string]} */ ([r.code, r.label]));
  vocab.raisers = new Set(meta.capabilities.raiseDisputes);
  vocab.resolvers = new Set(meta.capabilities.resolveDisputes);
  vocab.estimators = new Set(meta.capabilities.estimate);
  vocab.systemLines = new Set(meta.systemLineKinds);
}

export function statusTone(status) {
  return (
    {
      ok: 'ok',
      matched: 'ok',
      closed: 'ok',
      upheld: 'ok',
      breach: 'bad',
      mismatched: 'bad',
      missing: 'bad',
      unexpected: 'bad',
      rejected: 'warn',
      open: 'warn',
      in_review: 'warn',
      calculated: 'info',
      approved: 'info',
    }[status] ?? 'info'
  );
}

/** The period after "YYYY-MM". */
export function nextPeriod(p) {
  const [y, m] = p.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
