// @ts-check
// The portal shell: sign-in with an API token, the navigation for the caller's role, and a hash router. Pages are
// chosen by role for convenience only; every call goes to the API, which decides (403/404) what the caller may see.
import { api, ApiError, session } from './api.js';
import { accountingPage } from './page-accounting.js';
import { auditPage } from './page-audit.js';
import { financePage } from './page-finance.js';
import { homePage } from './page-home.js';
import { payPage } from './page-pay.js';
import { plansPage } from './page-plans.js';
import { teamPage } from './page-team.js';
import { announce, h, pageError, setVocab } from './ui.js';

const PAGES = {
  home: { title: 'Where I stand', render: homePage },
  pay: { title: 'My pay', render: payPage },
  team: { title: 'My team', render: teamPage },
  finance: { title: 'Close and imports', render: financePage },
  audit: { title: 'Accuracy and audit', render: auditPage },
  plans: { title: 'Plans', render: plansPage },
  accounting: { title: 'Commission accounting', render: accountingPage },
};

const NAV = [
  { page: 'home', label: 'Where I stand', roles: ['rep', 'manager'] },
  { page: 'pay', label: 'My pay', roles: ['rep', 'manager'] },
  { page: 'team', label: 'My team', roles: ['manager', 'admin'] },
  { page: 'finance', label: 'Close and imports', roles: ['finance', 'admin'] },
  { page: 'audit', label: 'Accuracy and audit', roles: ['auditor', 'admin'] },
  { page: 'plans', label: 'Plans', roles: ['finance', 'admin', 'auditor'] },
  { page: 'accounting', label: 'Accounting', roles: ['finance', 'admin', 'auditor'] },
];

const HOME = { rep: 'home', manager: 'home', finance: 'finance', auditor: 'audit', admin: 'finance' };

const $ = (id) => document.getElementById(id);
let me = null;
let rendering = 0;

function showSignIn(message) {
  me = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  $('view').replaceChildren();
  $('signin').hidden = false;
  $('signin-error').replaceChildren(message ? h('div', { class: 'error' }, message) : '');
  document.title = 'Sign in: Commission portal';
  $('token').focus();
}

function signOut(message) {
  session.clear();
  showSignIn(message);
  if (location.hash) history.replaceState(null, '', location.pathname);
}

function renderChrome() {
  $('signin').hidden = true;
  $('signin-error').replaceChildren();
  const links = NAV.filter((n) => n.roles.includes(me.role));
  $('nav-list').replaceChildren(...links.map((n) => h('li', {}, h('a', { href: `#/${n.page}`, 'data-page': n.page }, n.label))));
  $('nav').hidden = links.length === 0;
  $('who-text').textContent = `Signed in as ${me.repName ? `${me.repName} (${me.repId})` : (me.name ?? me.label)}, ${me.role}`;
  $('who').hidden = false;
}

async function identify() {
  try {
    me = await api('/me');
    setVocab(await api('/meta')); // after /me: a refused token is reported once, by the sign-in page
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      signOut('That token was not accepted (invalid or revoked).');
    } else {
      showSignIn(`Could not sign in: ${e.message}`);
    }
    return false;
  }
  renderChrome();
  return true;
}

async function route() {
  if (!me) return;
  if (location.hash && !location.hash.startsWith('#/')) return; // an in-page anchor, not a page
  let parts;
  try {
    parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    parts = ['not-found']; // a malformed %-escape in the address
  }
  const [name, ...args] = parts;
  if (!name) {
    location.replace(`#/${HOME[me.role] ?? 'pay'}`);
    return;
  }
  for (const a of document.querySelectorAll('#nav-list a')) {
    if (/** @type {HTMLElement} */ (a).dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const page = PAGES[name];
  const view = $('view');
  const ticket = ++rendering;
  const root = h('div', { class: 'page', 'data-page': name });
  view.replaceChildren(root);
  if (!page) {
    const heading = h('h1', { tabindex: '-1' }, 'Page not found');
    root.append(heading, h('p', {}, h('a', { href: `#/${HOME[me.role]}` }, 'Go to your start page')));
    heading.focus();
    return;
  }
  document.title = `${page.title}: Commission portal`;
  try {
    await page.render(root, { me, args, isCurrent: () => ticket === rendering });
  } catch (e) {
    root.append(pageError(e));
  }
  const h1 = root.querySelector('h1');
  if (h1) {
    h1.setAttribute('tabindex', '-1');
    if (ticket === rendering) h1.focus({ preventScroll: true }); // a new page: move focus to its title
  }
}

$('signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('token'));
  const token = input.value.trim();
  if (!token) return;
  session.set(token);
  input.value = '';
  if (await identify()) {
    announce(`Signed in as ${me.role}.`);
    if (!location.hash || location.hash === '#' || location.hash === '#/') location.hash = `#/${HOME[me.role] ?? 'pay'}`;
    else await route();
  }
});

$('sign-out').addEventListener('click', () => {
  signOut();
  announce('Signed out. The token was removed from this browser tab.');
});

window.addEventListener('hashchange', () => void route());
// the skip link moves focus to the content without touching the URL (the hash holds the page)
document.querySelector('.skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  $('main').focus();
});
window.addEventListener('portal:unauthorized', () => signOut('Your session is no longer valid (the token was refused). Sign in again.'));

(async () => {
  if (!session.token) return showSignIn();
  if (await identify()) await route();
})();
