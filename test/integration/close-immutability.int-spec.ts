import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { Db } from '../../src/infra/db.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A closed period never changes, and the database itself says so: raw SQL through the app's DataSource, past every
 * service, is refused by the triggers of the period-close migration, with their message, and leaves every row as it was.
 * Demo data; 2026-01 is closed, 2026-02 is calculated (open) with one manual adjustment.
 */
describe('a closed period is immutable in the database', () => {
  let t: TestApp;
  let ds: DataSource;
  const actor = cliActor();
  let closedRun: string;
  let openRun: string;

  /** Everything that makes up the closed period, as text, row by row. */
  const closedState = async (): Promise<string[]> =>
    (
      await ds.query(
        `SELECT 'payout ' || row_to_json(p)::text AS r FROM payouts p WHERE p.period = '2026-01'
         UNION ALL SELECT 'line ' || row_to_json(l)::text FROM payout_lines l WHERE l.period = '2026-01'
         UNION ALL SELECT 'run ' || row_to_json(r)::text FROM calculation_runs r WHERE r.period = '2026-01'
         UNION ALL SELECT 'period ' || row_to_json(x)::text FROM periods x WHERE x.period = '2026-01'
         UNION ALL SELECT 'adjustment ' || row_to_json(a)::text FROM adjustments a
         UNION ALL SELECT 'booking ' || row_to_json(b)::text FROM booking_versions b
         UNION ALL SELECT 'credit ' || row_to_json(c)::text FROM booking_credits c
         ORDER BY 1`,
      )
    ).map((r: { r: string }) => r.r);

  beforeAll(async () => {
    // As the tables' owner (DATABASE_ROLE=none): the triggers are what stop even the owner. The service's own role
    // is refused these statements before any trigger runs (app-role.int-spec.ts).
    t = await startTestApp({ databaseRole: undefined });
    ds = t.app.get(Db).dataSource;
    for (const kind of ['reps', 'assignments', 'fx', 'bookings'] as IntakeKind[]) {
      await t.app.get(ImportsService).importFile(kind, `${kind}.csv`, fs.readFileSync(`demo/${kind}.csv`), actor);
    }
    closedRun = (await t.app.get(PeriodsService).close('2026-01', actor)).runId as string;
    await t.app.get(PeriodsService).addAdjustment(actor, { repId: 'M1', period: '2026-02', amount: '-25.00', reasonCode: 'other', note: 'test adjustment' });
    openRun = (await t.app.get(CalculationService).calculate('2026-02', actor))[0].runId;
    // The refusals below are expected; keep TypeORM from printing each one as a failed query.
    ds.logger.logQueryError = () => undefined;
  });
  afterAll(async () => t?.close());

  it('the closed period has payouts, lines with traces, one run and a closed periods row', async () => {
    const [c] = await ds.query(
      `SELECT (SELECT count(*)::int FROM payouts WHERE period = '2026-01') AS payouts, (SELECT count(*)::int FROM payout_lines WHERE period = '2026-01') AS lines,
              (SELECT count(*)::int FROM calculation_runs WHERE period = '2026-01') AS runs, (SELECT status FROM periods WHERE period = '2026-01') AS status,
              (SELECT count(*)::int FROM payout_lines WHERE period = '2026-01' AND trace <> '{}'::jsonb) AS traced`,
    );
    expect(c).toEqual({ payouts: 3, lines: 4, runs: 1, status: 'closed', traced: 4 });
  });

  const refused: [string, string, RegExp][] = [
    ['UPDATE payouts', `UPDATE payouts SET payout = payout + 1 WHERE period = '2026-01'`, /^payouts is append-only: UPDATE refused$/],
    ['UPDATE payouts (one column of one row)', `UPDATE payouts SET windows = '[]'::jsonb WHERE period = '2026-01' AND rep_id = 'A1'`, /^payouts is append-only: UPDATE refused$/],
    ['DELETE payouts', `DELETE FROM payouts WHERE period = '2026-01'`, /^payouts is append-only: DELETE refused$/],
    ['TRUNCATE payouts CASCADE', `TRUNCATE payouts CASCADE`, /^(payouts|payout_lines) is append-only: TRUNCATE refused$/],
    ['UPDATE payout_lines (amount)', `UPDATE payout_lines SET amount = amount * 2 WHERE period = '2026-01'`, /^payout_lines is append-only: UPDATE refused$/],
    ['UPDATE payout_lines (trace)', `UPDATE payout_lines SET trace = '{}'::jsonb WHERE period = '2026-01'`, /^payout_lines is append-only: UPDATE refused$/],
    ['DELETE payout_lines', `DELETE FROM payout_lines WHERE period = '2026-01'`, /^payout_lines is append-only: DELETE refused$/],
    ['TRUNCATE payout_lines', `TRUNCATE payout_lines`, /^payout_lines is append-only: TRUNCATE refused$/],
    ['UPDATE adjustments', `UPDATE adjustments SET amount = 1000`, /^adjustments is append-only: UPDATE refused$/],
    ['DELETE adjustments', `DELETE FROM adjustments`, /^adjustments is append-only: DELETE refused$/],
    ['TRUNCATE adjustments CASCADE', `TRUNCATE adjustments CASCADE`, /^adjustments is append-only: TRUNCATE refused$/],
    ['UPDATE calculation_runs (result hash)', `UPDATE calculation_runs SET result_hash = repeat('0', 64) WHERE period = '2026-01'`, /^period 2026-01 is closed: its calculation runs never change$/],
    ['UPDATE calculation_runs (stale)', `UPDATE calculation_runs SET stale = true WHERE period = '2026-01'`, /^period 2026-01 is closed: its calculation runs never change$/],
    ['UPDATE calculation_runs (supersede)', `UPDATE calculation_runs SET superseded_by = id WHERE period = '2026-01'`, /^period 2026-01 is closed: its calculation runs never change$/],
    ['UPDATE calculation_runs (move to another period)', `UPDATE calculation_runs SET period = '2025-12' WHERE period = '2026-01'`, /^period 2026-01 is closed: its calculation runs never change$/],
    ['DELETE calculation_runs', `DELETE FROM calculation_runs WHERE period = '2026-01'`, /^calculation_runs: DELETE refused$/],
    ['TRUNCATE calculation_runs CASCADE', `TRUNCATE calculation_runs CASCADE`, /^((payouts|payout_lines|adjustments) is append-only|calculation_runs|periods): TRUNCATE refused$/],
    ['UPDATE periods (reopen)', `UPDATE periods SET status = 'open' WHERE period = '2026-01'`, /^period 2026-01 is closed: it never changes$/],
    ['UPDATE periods (closed_by)', `UPDATE periods SET closed_by = 'mallory' WHERE period = '2026-01'`, /^period 2026-01 is closed: it never changes$/],
    ['UPDATE periods (point at another run)', `UPDATE periods SET current_run_id = ${'$RUN'} WHERE period = '2026-01'`, /^period 2026-01 is closed: it never changes$/],
    ['DELETE periods', `DELETE FROM periods WHERE period = '2026-01'`, /^period 2026-01 is closed: it never changes$/],
    ['TRUNCATE periods', `TRUNCATE periods`, /^periods: TRUNCATE refused$/],
    // the rest of the ledger (issue 14, finding 6)
    ['UPDATE booking_versions (amount)', `UPDATE booking_versions SET amount = amount * 2 WHERE booking_id = 'B2'`, /^booking_versions is append-only: only marking a version superseded is allowed$/],
    ['UPDATE booking_versions (clear superseded_by)', `UPDATE booking_versions SET superseded_by = NULL WHERE booking_id = 'B2'`, /^booking_versions is append-only: only marking a version superseded is allowed$/],
    ['DELETE booking_versions', `DELETE FROM booking_versions WHERE booking_id = 'B2'`, /^booking_versions is append-only: DELETE refused$/],
    ['TRUNCATE booking_versions CASCADE', `TRUNCATE booking_versions CASCADE`, /^booking_(versions|credits)( is append-only)?: TRUNCATE refused$/],
    ['UPDATE booking_credits', `UPDATE booking_credits SET split_pct = 50`, /^booking_credits is append-only: UPDATE refused$/],
    ['DELETE booking_credits', `DELETE FROM booking_credits`, /^booking_credits is append-only: DELETE refused$/],
    [
      'INSERT an adjustment into the closed period',
      `INSERT INTO adjustments (rep_id, period, amount, reason_code, note, source, created_by) VALUES ('A1', '2026-01', 1000, 'other', 'sneaked in', 'manual', 'mallory')`,
      /^period 2026-01 is closed: no new adjustment$/,
    ],
    [
      'INSERT a payout line into the closed run',
      `INSERT INTO payout_lines (run_id, rep_id, line_no, period, kind, amount, amount_precise, description, trace)
       VALUES (${'$CLOSED'}, 'A1', 99, '2026-01', 'adjustment', 1000, 1000, 'sneaked in', '{}')`,
      /^run \d+ of period 2026-01 is closed: payout_lines cannot be added$/,
    ],
    [
      'INSERT a payout into the closed run',
      `INSERT INTO payouts (run_id, rep_id, period, currency, earned_to_date, earned_before, earned, balance_before, draw, payout, balance, plans, windows)
       VALUES (${'$CLOSED'}, 'N1', '2026-01', 'USD', 0, 0, 0, 0, 0, 1000, 0, '[]', '[]')`,
      /^run \d+ of period 2026-01 is closed: payouts cannot be added$/,
    ],
  ];

  it.each(refused)('refuses raw %s and leaves the closed period as it was', async (_name, sql, message) => {
    const before = await closedState();
    const stmt = sql.replace('$RUN', openRun).replace('$CLOSED', closedRun);
    await expect(ds.query(stmt)).rejects.toThrow(message);
    expect(await closedState()).toEqual(before);
  });

  it('a refused change inside a transaction takes the whole transaction back', async () => {
    const before = await closedState();
    await expect(
      ds.transaction(async (em) => {
        await em.query(`INSERT INTO adjustments (rep_id, period, amount, reason_code, note, created_by) VALUES ('A1', '2026-02', 5, 'other', 'x', 'test')`);
        await em.query(`UPDATE payouts SET payout = 0 WHERE period = '2026-01'`);
      }),
    ).rejects.toThrow('payouts is append-only: UPDATE refused');
    expect(await closedState()).toEqual(before);
  });

  it('the protection is specific: the open period’s run metadata may still change (stale flag), its money rows may not', async () => {
    await ds.query(`UPDATE calculation_runs SET stale = stale WHERE period = '2026-02'`);
    await expect(ds.query(`UPDATE payouts SET payout = payout WHERE period = '2026-02'`)).rejects.toThrow('payouts is append-only: UPDATE refused');
  });

  it('the services refuse to recalculate, re-approve or adjust the closed period; calculating February leaves January alone', async () => {
    const before = await closedState();
    await expect(t.app.get(CalculationService).calculate('2026-01', actor)).rejects.toMatchObject({
      code: 'PERIOD_LOCKED',
      message: 'period 2026-01 is closed and never changes; late facts flow into the first open period as prior-period adjustments',
    });
    await expect(t.app.get(PeriodsService).addAdjustment(actor, { repId: 'A1', period: '2026-01', amount: '1.00', reasonCode: 'other', note: 'x' })).rejects.toMatchObject({
      code: 'PERIOD_LOCKED',
    });
    expect(await t.app.get(PeriodsService).approve('2026-01', actor)).toMatchObject({ changed: false, status: 'closed', runId: closedRun });
    expect(await t.app.get(PeriodsService).close('2026-01', actor)).toMatchObject({ changed: false, status: 'closed', runId: closedRun });
    await t.app.get(CalculationService).calculate('2026-02', actor);
    expect(await closedState()).toEqual(before);
    expect((await t.app.get(PeriodsService).verify('2026-01')).matches).toBe(true);
  });
});
