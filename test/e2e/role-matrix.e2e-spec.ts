import * as fs from 'node:fs';
import { randomUUID, createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { AppModule } from '../../src/app.module';
import { cliActor } from '../../src/auth/actor';
import { AuthService } from '../../src/auth/auth.service';
import { BACK_OFFICE, OPERATORS, READERS } from '../../src/auth/roles.decorator';
import { Role } from '../../src/auth/role';
import { CalculationService } from '../../src/calculation/calculation.service';
import { DisputesService } from '../../src/disputes/disputes.service';
import { Db } from '../../src/infra/db.service';
import { returnedRows } from '../../src/infra/returned-rows';
import { PeriodsService } from '../../src/periods/periods.service';
import { loadConfig } from '../../src/infra/env';
import { controllerRoutes, httpRoutes, RouteKey } from '../support/routes';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * The role matrix: every route the app serves, and what each role gets from it.
 *
 * - A route the app registers without an entry in MATRIX fails the suite ("route inventory"), so an endpoint cannot
 *   ship without declaring who may call it.
 * - An entry whose route the app does not serve fails the suite too ("route inventory"), so a removed route cannot
 *   leave a stale entry behind.
 * - Each entry is checked for every caller: admin, finance, manager (M1), rep (R1), auditor, and no token (401).
 *
 * Adding an endpoint: add one line to MATRIX with `allow` (the roles that get 2xx; everyone else 403, no token
 * 401) and, if the path has parameters or the call needs a body, a `call` that builds it for a caller. For
 * per-rep data add `scopeCases(...)` (another rep's resource must be 404) and `scopedBody` (the body must not
 * mention reps the caller may not see; `mustInclude` what it may). If a call needs state (a calculated period, ...),
 * create it in `seed()` or in the `call` builder itself (it is async and gets the running app; see ensureCalculated).
 */

type Caller = Role | 'anonymous';
type Outcome = '2xx' | '401' | '403' | '404';
const CALLERS: Caller[] = ['admin', 'finance', 'manager', 'rep', 'auditor', 'anonymous'];

// ---------------------------------------------------------------------------------------------------------------
// Seed: an org chart to check scoping against.
//   M1 ── R1            M2 ── R4
//      └─ R2 ── R3
// The manager caller is M1 (team: M1, R1, R2, R3 transitively); the rep caller is R1.
// ---------------------------------------------------------------------------------------------------------------
const M1 = 'RM_M1';
const R1 = 'RM_R1';
const R2 = 'RM_R2';
const R3 = 'RM_R3';
const M2 = 'RM_M2';
const R4 = 'RM_R4';
const MANAGER_OF: Record<string, string | null> = { [M1]: null, [R1]: M1, [R2]: M1, [R3]: R2, [M2]: null, [R4]: M2 };
const ALL_REPS = Object.keys(MANAGER_OF);
const REP_OF: Record<Caller, string | null> = { admin: null, finance: null, auditor: null, anonymous: null, manager: M1, rep: R1 };

/** One booking per rep, credited 100% to that rep. */
const bookingOf = (repId: string): string => `BKG_${repId.slice(3)}`;
const UNKNOWN_REP = 'RM_NOBODY';
/** Each rep's plan assignment id, filled by seed() (bigserial ids: read back, never assumed). */
const ASSIGNMENT_OF: Record<string, string> = {};
const assignmentOf = (repId: string): string => ASSIGNMENT_OF[repId] ?? '999999';
const UNKNOWN_BOOKING = 'BKG_NOBODY';

function team(root: string): string[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const r of ALL_REPS) if (MANAGER_OF[r] === out[i]) out.push(r);
  return out;
}

/** The reps whose data a caller may see. */
function visibleReps(caller: Caller): string[] {
  if (caller === 'admin' || caller === 'finance' || caller === 'auditor') return ALL_REPS;
  if (caller === 'manager') return team(REP_OF.manager!);
  if (caller === 'rep') return [REP_OF.rep!];
  return [];
}

/** Rep ids that must not appear anywhere in a body the caller gets: not visible, and not the manager of a visible rep. */
function foreignReps(caller: Caller): string[] {
  const visible = visibleReps(caller);
  const mayAppear = new Set([...visible, ...visible.map((r) => MANAGER_OF[r]).filter((m): m is string => m !== null)]);
  return ALL_REPS.filter((r) => !mayAppear.has(r));
}

/** A rep the caller may see that says something about scoping: outside M1's team for the back office, a report of a report for M1. */
function aVisibleRep(caller: Caller): string {
  if (caller === 'manager') return R3;
  if (caller === 'rep') return R1;
  return R4;
}

/** The period the seeded bookings fall in. */
const PERIOD = '2026-01';

/** Payout endpoints need a calculated period; calculated once, through the service, the first time one asks. */
let calculated: Promise<unknown> | undefined;
function ensureCalculated(t: TestApp): Promise<unknown> {
  return (calculated ??= t.app.get(CalculationService).ensureCalculated(PERIOD, cliActor()));
}

/** A period before anyone's first assignment: it closes (with no payees) without touching PERIOD. */
const CLOSED_PERIOD = '2025-12';
let closed: Promise<unknown> | undefined;
function ensureClosed(t: TestApp): Promise<unknown> {
  return (closed ??= t.app.get(PeriodsService).close(CLOSED_PERIOD, cliActor()));
}
/** An open period where adjustments go. */
const ADJUST_PERIOD = '2026-06';

/** A fresh dispute on `repId`'s PERIOD payout, raised through the service by the back office (one per call that changes it). */
async function raiseDispute(t: TestApp, repId: string): Promise<string> {
  await ensureCalculated(t);
  const d = await t.app.get(DisputesService).raise(cliActor(), { repId, period: PERIOD, targetKind: 'payout', reasonCode: 'other', text: 'role matrix' });
  return d.id;
}
/** One dispute per rep, raised once, for the read endpoints. */
let disputesByRep: Promise<Record<string, string>> | undefined;
function ensureDisputes(t: TestApp): Promise<Record<string, string>> {
  return (disputesByRep ??= (async () => {
    const out: Record<string, string> = {};
    for (const r of ALL_REPS) out[r] = await raiseDispute(t, r);
    return out;
  })());
}
/** Another payee's dispute must look like it does not exist (404); the manager gets a report-of-report's. */
function disputeScopeCases(suffix = ''): ExtraCase[] {
  const c = (name: string, as: Caller, repId: string, expect: Outcome): ExtraCase => ({
    name,
    as,
    call: async ({ t }) => ({ path: `/disputes/${(await ensureDisputes(t))[repId]}${suffix}` }),
    expect,
  });
  return [
    c("rep R1 asks for teammate R2's", 'rep', R2, '404'),
    c("rep R1 asks for their manager M1's", 'rep', M1, '404'),
    c("rep R1 asks for another team's R4", 'rep', R4, '404'),
    c("manager M1 asks for another team's R4", 'manager', R4, '404'),
    c('manager M1 asks for the other manager M2', 'manager', M2, '404'),
    c('manager M1 gets report-of-report R3', 'manager', R3, '2xx'),
    { name: 'admin asks for a dispute that does not exist', as: 'admin', call: () => ({ path: `/disputes/999999${suffix}` }), expect: '404' },
  ];
}
/** Review, uphold and reject: a fresh dispute of R3 (below M1) per call; another team's is 404, the manager's own 403. */
function resolveEntry(action: 'review' | 'uphold' | 'reject', body?: object): RouteExpectation {
  const fresh = (repId: string): BuildCall => async ({ t }) => ({ path: `/disputes/${await raiseDispute(t, repId)}/${action}`, body });
  return {
    allow: ['admin', 'finance', 'manager'],
    call: fresh(R3),
    scopedBody: {},
    cases: [
      { name: "manager M1 acts on another team's R4's", as: 'manager', call: fresh(R4), expect: '404' },
      { name: 'manager M1 acts on the other manager M2\'s', as: 'manager', call: fresh(M2), expect: '404' },
      { name: 'manager M1 acts on their own', as: 'manager', call: fresh(M1), expect: '403' },
      { name: 'manager M1 acts on direct report R1\'s', as: 'manager', call: fresh(R1), expect: '2xx' },
      { name: 'admin acts on a dispute that does not exist', as: 'admin', call: () => ({ path: `/disputes/999999/${action}`, body }), expect: '404' },
    ],
  };
}

async function seed(t: TestApp): Promise<void> {
  await t.app.get(Db).tx(async (em) => {
    for (const repId of ALL_REPS) {
      await em.query(
        `INSERT INTO reps (rep_id, name, email, manager_id, role, hire_date, termination_date, currency) VALUES ($1, $2, $3, $4, $5, '2025-01-01', NULL, 'USD')`,
        [repId, `Matrix ${repId}`, `${repId.toLowerCase()}@example.test`, MANAGER_OF[repId], repId.startsWith('RM_M') ? 'Manager' : 'AE'],
      );
      await em.query(
        `INSERT INTO plan_assignments (rep_id, plan_id, start_date, end_date, annual_quota, target_variable, base_salary) VALUES ($1, $2, '2026-01-01', NULL, 1200000, 60000, 90000)`,
        [repId, repId.startsWith('RM_M') ? 'mgr-2026' : 'ae-2026'],
      );
    }
    for (const r of await em.query(`SELECT id::text AS id, rep_id FROM plan_assignments WHERE rep_id = ANY($1::text[])`, [ALL_REPS])) ASSIGNMENT_OF[r.rep_id] = r.id;
    for (const repId of ALL_REPS) {
      const bookingId = bookingOf(repId);
      const [version] = returnedRows<{ id: string }>(await em.query(
        `INSERT INTO booking_versions (booking_id, version, content_hash, customer_id, type, product, amount, currency, term_months, booked_date)
         VALUES ($1, 1, $2, $3, 'new', 'platform', 12000.00, 'USD', 12, '2026-01-15') RETURNING id::text AS id`,
        [bookingId, createHash('sha256').update(bookingId).digest('hex'), `CUST_${bookingId}`],
      ));
      await em.query(`INSERT INTO booking_credits (booking_version_id, rep_id, split_pct) VALUES ($1, $2, 100)`, [version.id, repId]);
    }
    await em.query(`INSERT INTO fx_rates (rate_date, from_currency, to_currency, rate) VALUES ('2026-01-31', 'EUR', 'USD', 1.08)`);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The matrix.
// ---------------------------------------------------------------------------------------------------------------
interface Call {
  path: string;
  body?: object;
  /** Sent as multipart/form-data with one file. */
  file?: { field: string; fileName: string; content: string };
}
interface CallContext {
  caller: Caller;
  /** The rep the caller is (manager M1, rep R1), or null. */
  repId: string | null;
  t: TestApp;
}
type BuildCall = (ctx: CallContext) => Call | Promise<Call>;

interface ExtraCase {
  name: string;
  as: Caller;
  call: BuildCall;
  expect: Outcome;
}

interface RouteExpectation {
  /** Roles that get 2xx (others 403, no token 401); 'public' = everyone gets 2xx, with or without a token. */
  allow: readonly Role[] | 'public';
  /** Builds the request for a caller; default: the route path as is (fine when it has no parameters). */
  call?: BuildCall;
  /** Per-caller exceptions to what `allow` implies. */
  outcome?: Partial<Record<Caller, Outcome>>;
  /**
   * A body scoped per rep: on every 2xx answer it must not contain the id of a rep the caller may not see.
   * `mustInclude` lists strings the caller's answer must contain (proves the scoping is not "show nothing").
   */
  scopedBody?: { mustInclude?: (caller: Caller) => string[] };
  /** Further calls, typically "another rep's resource is 404". */
  cases?: ExtraCase[];
  /** Served by the HTTP adapter directly (e.g. Swagger UI), not by a Nest controller: always expected to exist. */
  notNest?: true;
}

/** Another payee's resource must look like it does not exist (404), not like it is forbidden (403). */
function scopeCases(pathFor: (repId: string) => string, unknownPath: string): ExtraCase[] {
  const c = (name: string, as: Caller, repId: string): ExtraCase => ({ name, as, call: () => ({ path: pathFor(repId) }), expect: '404' });
  return [
    c("rep R1 asks for teammate R2's", 'rep', R2),
    c("rep R1 asks for their manager M1's", 'rep', M1),
    c("rep R1 asks for another team's R4", 'rep', R4),
    c("manager M1 asks for another team's R4", 'manager', R4),
    c('manager M1 asks for the other manager M2', 'manager', M2),
    { name: 'manager M1 gets report-of-report R3', as: 'manager', call: () => ({ path: pathFor(R3) }), expect: '2xx' },
    { name: 'admin asks for something that does not exist', as: 'admin', call: () => ({ path: unknownPath }), expect: '404' },
  ];
}

const everyone = (o: Outcome): Record<Caller, Outcome> => Object.fromEntries(CALLERS.map((c) => [c, o])) as Record<Caller, Outcome>;
const publicDoc: RouteExpectation = { allow: 'public', notNest: true };

const MATRIX: Record<RouteKey, RouteExpectation> = {
  // --- foundation ---------------------------------------------------------------------------------------------
  'GET /health': { allow: 'public' },
  'GET /docs': publicDoc,
  'GET /docs/': publicDoc,
  'GET /docs/index.html': publicDoc,
  'GET /docs/swagger-ui-init.js': publicDoc,
  'GET /docs/docs/swagger-ui-init.js': publicDoc,
  // @nestjs/swagger registers this route only to answer 404 (it hides swagger-ui's LICENSE file).
  'GET /docs/LICENSE': { ...publicDoc, outcome: everyone('404') },
  'GET /docs-json': publicDoc,
  'GET /docs-yaml': publicDoc,

  // --- users and audit ----------------------------------------------------------------------------------------
  'POST /users': {
    allow: ['admin'],
    call: () => ({ path: '/users', body: { role: 'auditor', name: 'matrix-made' } }),
  },
  'GET /users': { allow: ['admin', 'auditor'] },
  'POST /users/:id/revoke': {
    allow: ['admin'],
    // A fresh victim per call: never the tokens the matrix itself uses.
    call: async ({ t }) => ({ path: `/users/${(await t.app.get(AuthService).createUser(cliActor(), { role: 'auditor' })).id}/revoke` }),
    cases: [{ name: 'admin revokes an unknown user', as: 'admin', call: () => ({ path: `/users/${randomUUID()}/revoke` }), expect: '404' }],
  },
  'GET /audit-events': { allow: ['admin', 'auditor'] },
  'GET /audit-events/export.csv': { allow: ['admin', 'auditor'] },

  // --- imports and read endpoints ------------------------------------------------------------------------------
  'POST /imports/:kind': {
    allow: OPERATORS,
    call: () => ({
      path: '/imports/fx',
      file: { field: 'file', fileName: 'fx.csv', content: 'date,from_currency,to_currency,rate\n2026-02-28,EUR,USD,1.09\n' },
    }),
  },
  'GET /reps': { allow: READERS, scopedBody: { mustInclude: visibleReps } },
  'GET /reps/:repId': {
    allow: READERS,
    call: ({ caller }) => ({ path: `/reps/${aVisibleRep(caller)}` }),
    scopedBody: {},
    cases: scopeCases((r) => `/reps/${r}`, `/reps/${UNKNOWN_REP}`),
  },
  'GET /assignments': { allow: READERS, scopedBody: { mustInclude: visibleReps } },
  'GET /assignments/:id/document': {
    allow: READERS,
    call: ({ caller }) => ({ path: `/assignments/${assignmentOf(aVisibleRep(caller))}/document` }),
    cases: scopeCases((r) => `/assignments/${assignmentOf(r)}/document`, '/assignments/999999/document'),
  },
  'GET /assignments/:id/document/pdf': {
    allow: READERS,
    call: ({ caller }) => ({ path: `/assignments/${assignmentOf(aVisibleRep(caller))}/document/pdf` }),
    cases: scopeCases((r) => `/assignments/${assignmentOf(r)}/document/pdf`, '/assignments/999999/document/pdf'),
  },
  // only the payee acknowledges, and only their own assignment (the manager M1 their own, not a report's)
  'POST /assignments/:id/acknowledgment': {
    allow: ['rep', 'manager'],
    call: ({ caller }) => ({ path: `/assignments/${assignmentOf(REP_OF[caller] ?? R1)}/acknowledgment`, body: {} }),
    cases: [
      { name: "rep R1 acknowledges teammate R2's", as: 'rep', call: () => ({ path: `/assignments/${assignmentOf(R2)}/acknowledgment`, body: {} }), expect: '404' },
      { name: "manager M1 acknowledges report R1's", as: 'manager', call: () => ({ path: `/assignments/${assignmentOf(R1)}/acknowledgment`, body: {} }), expect: '403' },
    ],
  },
  'GET /acknowledgments': { allow: READERS, scopedBody: { mustInclude: visibleReps } },
  'GET /bookings': { allow: READERS, scopedBody: { mustInclude: (c) => visibleReps(c).map(bookingOf) } },
  'GET /bookings/:bookingId/versions': {
    allow: READERS,
    call: ({ caller }) => ({ path: `/bookings/${bookingOf(aVisibleRep(caller))}/versions` }),
    scopedBody: {},
    cases: scopeCases((r) => `/bookings/${bookingOf(r)}/versions`, `/bookings/${UNKNOWN_BOOKING}/versions`),
  },
  'GET /fx-rates': { allow: READERS, scopedBody: {} },

  // --- plans, calculation, payouts -------------------------------------------------------------------------------
  'GET /plans': { allow: READERS },
  'POST /plans/validate': {
    allow: OPERATORS,
    call: () => ({ path: '/plans/validate', body: { plan: JSON.parse(fs.readFileSync('plans/ae-2026.json', 'utf8')) } }),
  },
  // a version of a plan no assignment uses, named afresh per call (an unchanged draft is refused as "nothing changed")
  'POST /plans/:id/versions': {
    allow: OPERATORS,
    call: () => ({ path: '/plans/am-2026/versions', body: { plan: { ...JSON.parse(fs.readFileSync('plans/am-2026.json', 'utf8')), name: `matrix ${randomUUID()}` } } }),
  },
  'POST /plans/:id/model': {
    allow: OPERATORS,
    call: () => ({ path: '/plans/ae-2026/model', body: { plan: JSON.parse(fs.readFileSync('plans/ae-2026.json', 'utf8')), from: PERIOD, to: PERIOD } }),
  },
  'POST /periods/:period/calculate': { allow: OPERATORS, call: () => ({ path: `/periods/${PERIOD}/calculate` }) },
  'GET /periods/:period/payouts': {
    allow: READERS,
    call: async ({ t }) => {
      await ensureCalculated(t);
      return { path: `/periods/${PERIOD}/payouts` };
    },
    scopedBody: { mustInclude: visibleReps },
  },
  'GET /periods/:period/payouts/:repId/lines': {
    allow: READERS,
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      return { path: `/periods/${PERIOD}/payouts/${aVisibleRep(caller)}/lines` };
    },
    scopedBody: {},
    cases: scopeCases((r) => `/periods/${PERIOD}/payouts/${r}/lines`, `/periods/${PERIOD}/payouts/${UNKNOWN_REP}/lines`),
  },

  // --- period lifecycle -------------------------------------------------------------------------------------------
  'GET /periods': { allow: READERS },
  'GET /periods/:period': { allow: READERS, call: () => ({ path: `/periods/${PERIOD}` }) },
  'POST /periods/:period/approve': {
    allow: OPERATORS,
    call: async ({ t }) => {
      // before anyone's first assignment, so approving it needs no earlier closed period and freezes nothing used elsewhere
      await t.app.get(CalculationService).ensureCalculated('2025-11', cliActor());
      return { path: '/periods/2025-11/approve' };
    },
  },
  'POST /periods/:period/close': { allow: OPERATORS, call: () => ({ path: `/periods/${CLOSED_PERIOD}/close` }) },
  'GET /periods/:period/diff': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/periods/${CLOSED_PERIOD}/diff` };
    },
  },
  'GET /periods/:period/verify': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/periods/${CLOSED_PERIOD}/verify` };
    },
  },
  'GET /periods/:period/payroll-export': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/periods/${CLOSED_PERIOD}/payroll-export` };
    },
  },
  'POST /periods/:period/adjustments': {
    allow: OPERATORS,
    call: () => ({ path: `/periods/${ADJUST_PERIOD}/adjustments`, body: { repId: R4, amount: '10.00', reasonCode: 'correction', note: 'role matrix' } }),
  },
  'GET /periods/:period/adjustments': { allow: READERS, call: () => ({ path: `/periods/${ADJUST_PERIOD}/adjustments` }), scopedBody: {} },

  'GET /periods/:period/reconciliation': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/periods/${CLOSED_PERIOD}/reconciliation` };
    },
  },

  'GET /kpis': { allow: BACK_OFFICE, call: () => ({ path: `/kpis?period=${PERIOD}` }) },
  'GET /kpis/dictionary': { allow: READERS },

  // --- disputes ------------------------------------------------------------------------------------------------
  'POST /disputes': {
    allow: ['admin', 'finance', 'rep'],
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      const body = { period: PERIOD, targetKind: 'payout', reasonCode: 'wrong_rate', text: 'role matrix' };
      return { path: '/disputes', body: caller === 'rep' ? body : { ...body, repId: R4 } };
    },
    scopedBody: {},
    cases: [
      { name: "rep R1 raises on teammate R2's payout", as: 'rep', call: () => ({ path: '/disputes', body: { repId: R2, period: PERIOD, targetKind: 'payout', reasonCode: 'other', text: 'x' } }), expect: '404' },
      { name: "rep R1 raises on another team's R4's payout", as: 'rep', call: () => ({ path: '/disputes', body: { repId: R4, period: PERIOD, targetKind: 'payout', reasonCode: 'other', text: 'x' } }), expect: '404' },
      { name: 'rep R1 raises on a line that does not exist', as: 'rep', call: () => ({ path: '/disputes', body: { period: PERIOD, targetKind: 'line', targetRef: '999', reasonCode: 'other', text: 'x' } }), expect: '404' },
      { name: 'admin raises for an unknown rep', as: 'admin', call: () => ({ path: '/disputes', body: { repId: UNKNOWN_REP, period: PERIOD, targetKind: 'booking', targetRef: UNKNOWN_BOOKING, reasonCode: 'other', text: 'x' } }), expect: '404' },
    ],
  },
  'POST /estimates': {
    allow: ['admin', 'finance', 'manager', 'rep'],
    call: ({ caller }) => ({
      path: '/estimates',
      body: { repId: REP_OF[caller] ?? R4, deals: [{ amount: '1000.00', currency: 'USD', type: 'new', product: 'platform', termMonths: 12, bookedDate: '2026-01-20' }] },
    }),
    scopedBody: { mustInclude: (c) => (c === 'anonymous' || c === 'auditor' ? [] : [REP_OF[c] ?? R4]) },
    cases: [
      { name: "rep R1 estimates for teammate R2", as: 'rep', call: () => ({ path: '/estimates', body: { repId: R2, deals: [] } }), expect: '404' },
      { name: "manager M1 estimates for another team's R4", as: 'manager', call: () => ({ path: '/estimates', body: { repId: R4, deals: [] } }), expect: '404' },
    ],
  },
  'GET /disputes': {
    allow: READERS,
    call: async ({ t }) => {
      await ensureDisputes(t);
      return { path: '/disputes' };
    },
    scopedBody: { mustInclude: visibleReps },
  },
  'GET /disputes/:id': {
    allow: READERS,
    call: async ({ t, caller }) => ({ path: `/disputes/${(await ensureDisputes(t))[aVisibleRep(caller)]}` }),
    scopedBody: {},
    cases: disputeScopeCases(),
  },
  'POST /disputes/:id/review': resolveEntry('review'),
  'POST /disputes/:id/uphold': resolveEntry('uphold', { amount: '10.00', note: 'role matrix' }),
  'POST /disputes/:id/reject': resolveEntry('reject', { reason: 'role matrix' }),
  'GET /disputes/stats': { allow: ['admin', 'finance', 'auditor', 'manager'], call: () => ({ path: `/disputes/stats?period=${PERIOD}` }) },

  'GET /periods/:period/statements/:repId': {
    allow: READERS,
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      return { path: `/periods/${PERIOD}/statements/${aVisibleRep(caller)}` };
    },
    scopedBody: {},
    cases: scopeCases((r) => `/periods/${PERIOD}/statements/${r}`, `/periods/${PERIOD}/statements/${UNKNOWN_REP}`),
  },
  'GET /periods/:period/statements/:repId/pdf': {
    allow: READERS,
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      return { path: `/periods/${PERIOD}/statements/${aVisibleRep(caller)}/pdf` };
    },
    cases: scopeCases((r) => `/periods/${PERIOD}/statements/${r}/pdf`, `/periods/${PERIOD}/statements/${UNKNOWN_REP}/pdf`),
  },

  // --- web portal: static files, public (they hold no data; every figure comes from the API with the user's token) ---
  'GET /': { allow: 'public' },
  'GET /portal/:file': {
    allow: 'public',
    call: () => ({ path: '/portal/app.js' }),
    cases: [
      { name: 'a file the portal does not have', as: 'anonymous', call: () => ({ path: '/portal/nope.js' }), expect: '404' },
      { name: 'a path outside the portal folder', as: 'admin', call: () => ({ path: '/portal/..%2Fportal.controller.ts' }), expect: '404' },
    ],
  },

  // --- what the portal reads -------------------------------------------------------------------------------------
  'GET /meta': { allow: READERS },
  'GET /me': { allow: READERS, scopedBody: { mustInclude: (c) => (REP_OF[c] ? [REP_OF[c]!] : []) } },
  'GET /me/dashboard': {
    allow: ['manager', 'rep'],
    call: async ({ t }) => {
      await ensureCalculated(t);
      return { path: '/me/dashboard' };
    },
    scopedBody: { mustInclude: (c) => (REP_OF[c] ? [REP_OF[c]!] : []) },
  },
  'GET /reps/:repId/dashboard': {
    allow: READERS,
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      return { path: `/reps/${aVisibleRep(caller)}/dashboard` };
    },
    scopedBody: {},
    cases: scopeCases((r) => `/reps/${r}/dashboard`, `/reps/${UNKNOWN_REP}/dashboard`),
  },
  'GET /reps/:repId/periods': {
    allow: READERS,
    call: async ({ t, caller }) => {
      await ensureCalculated(t);
      return { path: `/reps/${aVisibleRep(caller)}/periods` };
    },
    scopedBody: { mustInclude: () => [PERIOD] },
    cases: scopeCases((r) => `/reps/${r}/periods`, `/reps/${UNKNOWN_REP}/periods`),
  },
  'GET /kpis/attainment': {
    allow: READERS,
    call: async ({ t }) => {
      await ensureCalculated(t);
      return { path: `/kpis/attainment?period=${PERIOD}` };
    },
    scopedBody: { mustInclude: visibleReps },
    cases: [{ name: 'admin asks for a period never calculated', as: 'admin', call: () => ({ path: '/kpis/attainment?period=2030-01' }), expect: '404' }],
  },
  'GET /disputes/:id/evidence': {
    allow: READERS,
    call: async ({ t, caller }) => ({ path: `/disputes/${(await ensureDisputes(t))[aVisibleRep(caller)]}/evidence` }),
    scopedBody: { mustInclude: () => ['ae-2026'] },
    cases: disputeScopeCases('/evidence'),
  },
  'GET /reconciliation': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: '/reconciliation' };
    },
  },

  // --- commission expense accounting (finance and auditors read; nobody writes) -------------------------------
  'GET /accounting/periods/:period': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/accounting/periods/${CLOSED_PERIOD}` };
    },
  },
  'GET /accounting/periods/:period/journal': {
    allow: BACK_OFFICE,
    call: async ({ t }) => {
      await ensureClosed(t);
      return { path: `/accounting/periods/${CLOSED_PERIOD}/journal?format=csv` };
    },
  },
  'GET /accounting/schedules': { allow: BACK_OFFICE, call: () => ({ path: '/accounting/schedules' }) },

  // --- add new endpoints above this line -----------------------------------------------------------------------
};

function expectedOutcome(e: RouteExpectation, caller: Caller): Outcome {
  if (e.outcome?.[caller]) return e.outcome[caller]!;
  if (e.allow === 'public') return '2xx';
  if (caller === 'anonymous') return '401';
  return e.allow.includes(caller) ? '2xx' : '403';
}

// Known at collection time, before any async setup, so that pending entries can be reported as skipped.
const STATIC_ROUTES = new Set(controllerRoutes(AppModule.forRoot(loadConfig({ DATA_DIR: ':memory:' }))));
const expectedToExist = (key: RouteKey): boolean => MATRIX[key].notNest === true || STATIC_ROUTES.has(key);

describe('role matrix', () => {
  let t: TestApp;
  const tokens = {} as Record<Role, string>;

  beforeAll(async () => {
    t = await startTestApp();
    await seed(t);
    for (const role of ['admin', 'finance', 'auditor', 'manager', 'rep'] as Role[]) {
      tokens[role] = await t.tokenFor(role, REP_OF[role] ?? undefined);
    }
  });
  afterAll(async () => t?.close());

  async function perform(key: RouteKey, caller: Caller, build: BuildCall | undefined): Promise<{ res: Response; call: Call }> {
    const method = key.slice(0, key.indexOf(' ')).toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const call = build ? await build({ caller, repId: REP_OF[caller], t }) : { path: key.slice(key.indexOf(' ') + 1) };
    let req = t.http()[method](call.path);
    if (caller !== 'anonymous') req = req.set('Authorization', `Bearer ${tokens[caller]}`);
    if (call.file) req = req.attach(call.file.field, Buffer.from(call.file.content, 'utf8'), { filename: call.file.fileName, contentType: 'text/csv' });
    else if (call.body !== undefined) req = req.send(call.body);
    return { res: await req, call };
  }

  function check(key: RouteKey, e: RouteExpectation, caller: Caller, expected: Outcome, res: Response, call: Call): void {
    const label = `${caller} ${key.split(' ')[0]} ${call.path}`;
    const ok = expected === '2xx' ? res.status >= 200 && res.status < 300 : res.status === Number(expected);
    if (!ok) throw new Error(`${label}: expected ${expected}, got ${res.status}: ${(res.text ?? '').slice(0, 500)}`);
    if (!e.scopedBody || expected !== '2xx') return;
    const body = res.text ?? '';
    const leaked = foreignReps(caller).filter((r) => body.includes(r));
    if (leaked.length) throw new Error(`${label}: the answer mentions reps the caller may not see: ${leaked.join(', ')}`);
    const missing = (e.scopedBody.mustInclude?.(caller) ?? []).filter((s) => !body.includes(s));
    if (missing.length) throw new Error(`${label}: the answer lacks what the caller may see: ${missing.join(', ')}`);
  }

  describe('route inventory', () => {
    it('every route the app registers has an entry in the matrix', () => {
      const missing = httpRoutes(t.app).filter((k) => !(k in MATRIX));
      if (missing.length) {
        throw new Error(`routes without a role-matrix entry (add them to MATRIX in ${__filename}):\n  ${missing.join('\n  ')}`);
      }
    });

    it('every entry names a route the app serves (a removed route leaves no stale entry)', () => {
      expect((Object.keys(MATRIX) as RouteKey[]).filter((k) => !expectedToExist(k))).toEqual([]);
    });

    it('the collection-time route discovery agrees with the running app', () => {
      const served = new Set(httpRoutes(t.app));
      const wrong = (Object.keys(MATRIX) as RouteKey[])
        .filter((k) => served.has(k) !== expectedToExist(k))
        .map((k) => `${k}: served=${served.has(k)}, expected=${expectedToExist(k)}${served.has(k) ? ' (not a Nest controller route? mark it notNest)' : ''}`);
      expect(wrong).toEqual([]);
    });
  });

  for (const key of Object.keys(MATRIX) as RouteKey[]) {
    const e = MATRIX[key];
    const present = expectedToExist(key);
    // an entry for a route the app does not serve fails the inventory above; its calls are not made
    (present ? describe : describe.skip)(present ? key : `${key} (not served: see the route inventory)`, () => {
      for (const caller of CALLERS) {
        const expected = expectedOutcome(e, caller);
        it(`${caller === 'anonymous' ? 'no token' : caller} -> ${expected}`, async () => {
          const { res, call } = await perform(key, caller, e.call);
          check(key, e, caller, expected, res, call);
        });
      }
      for (const c of e.cases ?? []) {
        it(`${c.name} -> ${c.expect}`, async () => {
          const { res, call } = await perform(key, c.as, c.call);
          check(key, e, c.as, c.expect, res, call);
        });
      }
    });
  }
});
