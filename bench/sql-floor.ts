/**
 * The floor: December's year-to-date earned figure E(2026-12) for every payee of the three golden plans, in one plain
 * SQL statement, as the contract defines it, without traces or writes. A second implementation of the contract: the
 * benchmark checks it equals the engine's figure for every payee to the cent (and fails if not), then compares times.
 *
 * It covers what the golden plans and the generated data use: FX at the latest direct rate on or before the booked
 * date, ACV, splits, crediting by type, the 90-day clawback counted as of the period's end, active days (assignment ∩
 * employment ∩ plan), ramp by tenure month and day proration (ae-2026, monthly allocation), window allocation
 * (am-2026), marginal tiers on the base rate V/Q with an attainment cap (ae-2026), retroactive tiers with a gate and
 * a payout cap per quarter (am-2026), the renewal flat rate and the Q1 per-deal SPIF (ae-2026), the override on direct
 * reports' quota credit in the manager's currency (mgr-2026); one rounding to cents per component window, summed.
 * The planner cannot estimate the rows of these CTEs and would join them in nested loops: the benchmark runs the
 * statement with enable_nestloop off for its transaction (FLOOR_SETTINGS).
 * It assumes what `demo generate` produces: one assignment per payee, within 2026. Divisions run at 40 decimals
 * (numeric(60,40)), like the engine's 40 significant digits; tier bounds are rounded to 30 decimals as the engine does.
 */
export const FLOOR_SQL = `
WITH
seg AS (
  SELECT a.rep_id, a.plan_id, a.annual_quota AS q, a.target_variable AS v, r.currency, r.hire_date, r.manager_id,
         greatest(a.start_date, r.hire_date, DATE '2026-01-01') AS s_from,
         least(coalesce(a.end_date, DATE '2026-12-31'), coalesce(r.termination_date, DATE '2026-12-31'), DATE '2026-12-31') AS s_to
    FROM plan_assignments a JOIN reps r ON r.rep_id = a.rep_id
   WHERE a.plan_id IN ('ae-2026', 'am-2026', 'mgr-2026')),
segv AS MATERIALIZED (SELECT * FROM seg WHERE s_from <= s_to),
cr AS (
  SELECT c.rep_id, v.booking_id, v.type, v.product, v.currency AS bccy, v.booked_date, c.split_pct,
         CASE WHEN v.term_months > 12 THEN v.amount::numeric(60,40) * 12 / v.term_months ELSE v.amount END AS acv,
         (v.cancelled_date IS NULL OR v.cancelled_date > DATE '2026-12-31' OR v.cancelled_date - v.booked_date > 90) AS counts
    FROM booking_versions v JOIN booking_credits c ON c.booking_version_id = v.id
   WHERE v.superseded_by IS NULL AND v.booked_date <= DATE '2026-12-31'),
item AS MATERIALIZED (
  SELECT s.rep_id, s.plan_id, s.currency, s.manager_id, cr.booking_id, cr.type, cr.product, cr.bccy, cr.booked_date, cr.split_pct, cr.acv, cr.counts,
         CASE WHEN s.plan_id = 'ae-2026' AND cr.type IN ('new', 'expansion') THEN 'quota'
              WHEN s.plan_id = 'ae-2026' AND cr.type = 'renewal' THEN 'renewal'
              WHEN s.plan_id = 'am-2026' AND cr.type IN ('renewal', 'expansion') THEN 'quota' END AS measure,
         cr.acv * cr.split_pct / 100 AS cb
    FROM segv s JOIN cr ON cr.rep_id = s.rep_id AND cr.booked_date BETWEEN s.s_from AND s.s_to),
-- FX: the latest direct rate on or before each booked date, looked up once per (from, to, date) needed
need AS (
  SELECT DISTINCT i.bccy AS f, i.currency AS t, i.booked_date AS d FROM item i WHERE i.measure IS NOT NULL AND i.bccy <> i.currency
  UNION
  SELECT DISTINCT i.bccy, m.currency, i.booked_date FROM item i JOIN segv m ON m.rep_id = i.manager_id AND m.plan_id = 'mgr-2026'
   WHERE i.measure = 'quota' AND i.bccy <> m.currency),
rate AS (
  SELECT n.f, n.t, n.d,
         (SELECT r.rate FROM fx_rates r WHERE r.from_currency = n.f AND r.to_currency = n.t AND r.rate_date <= n.d ORDER BY r.rate_date DESC LIMIT 1) AS rate
    FROM need n),
credited AS MATERIALIZED (
  SELECT i.*, i.cb * CASE WHEN i.bccy = i.currency THEN 1 ELSE r.rate END AS credit
    FROM item i LEFT JOIN rate r ON r.f = i.bccy AND r.t = i.currency AND r.d = i.booked_date
   WHERE i.measure IS NOT NULL),
-- ae-2026: the year's quota, month by month: Q/12 x ramp(tenure month) x active days / days in month
ae_quota AS (
  SELECT s.rep_id, s.q, s.v,
         sum(s.q::numeric(60,40) / 12 * CASE (2026 * 12 + m.m) - (extract(year FROM s.hire_date)::int * 12 + extract(month FROM s.hire_date)::int) + 1
                                            WHEN 1 THEN 0.25 WHEN 2 THEN 0.50 WHEN 3 THEN 0.75 ELSE 1 END
             * (least(m.me, s.s_to) - greatest(m.ms, s.s_from) + 1) / (m.me - m.ms + 1)) AS eq
    FROM segv s
    CROSS JOIN LATERAL (SELECT k AS m, make_date(2026, k, 1) AS ms, (make_date(2026, k, 1) + interval '1 month' - interval '1 day')::date AS me FROM generate_series(1, 12) k) m
   WHERE s.plan_id = 'ae-2026' AND greatest(m.ms, s.s_from) <= least(m.me, s.s_to)
   GROUP BY s.rep_id, s.q, s.v),
ae_credit AS (
  SELECT rep_id, coalesce(sum(credit) FILTER (WHERE measure = 'quota' AND counts), 0) AS y, coalesce(sum(credit) FILTER (WHERE measure = 'renewal' AND counts), 0) AS renewal
    FROM credited WHERE plan_id = 'ae-2026' GROUP BY rep_id),
ae_spif AS (
  SELECT rep_id, sum(500 * split_pct / 100) AS spif
    FROM credited
   WHERE plan_id = 'ae-2026' AND counts AND type = 'new' AND product = 'PLATFORM' AND booked_date BETWEEN DATE '2026-01-01' AND DATE '2026-03-31'
     AND acv >= 50000 AND measure = 'quota'
   GROUP BY rep_id),
ae_bounds AS (
  SELECT q.rep_id, q.v / q.q AS unit, c.y, c.renewal, round(0.5 * q.eq, 30) AS b05, round(1.0 * q.eq, 30) AS b10, round(1.5 * q.eq, 30) AS b15, round(2.5 * q.eq, 30) AS b25, q.eq
    FROM ae_quota q LEFT JOIN ae_credit c ON c.rep_id = q.rep_id),
ae AS (
  SELECT b.rep_id,
         CASE WHEN b.eq <= 0 OR coalesce(b.y, 0) <= 0 THEN 0
              ELSE round((0.5 * greatest(least(b.y, b.b25, b.b05), 0)
                        + 1.0 * greatest(least(b.y, b.b25, b.b10) - b.b05, 0)
                        + 1.5 * greatest(least(b.y, b.b25, b.b15) - b.b10, 0)
                        + 2.0 * greatest(least(b.y, b.b25) - b.b15, 0)) * b.unit, 2) END
         + round(0.02 * coalesce(b.renewal, 0), 2)
         + round(coalesce(s.spif, 0), 2) AS earned
    FROM ae_bounds b LEFT JOIN ae_spif s ON s.rep_id = b.rep_id),
-- am-2026: each quarter's quota (Q x 3/12 x active days / days in the quarter), retroactive tiers, gate 50%, cap 30,000
am_window AS (
  SELECT s.rep_id, w.k, w.qs, w.qe,
         s.q::numeric(60,40) * 3 / 12 * (least(w.qe, s.s_to) - greatest(w.qs, s.s_from) + 1) / (w.qe - w.qs + 1) AS eq
    FROM segv s
    CROSS JOIN LATERAL (SELECT k, make_date(2026, 3 * k - 2, 1) AS qs, (make_date(2026, 3 * k - 2, 1) + interval '3 months' - interval '1 day')::date AS qe FROM generate_series(1, 4) k) w
   WHERE s.plan_id = 'am-2026' AND greatest(w.qs, s.s_from) <= least(w.qe, s.s_to)),
am_quarter AS (
  SELECT rep_id, extract(quarter FROM booked_date)::int AS k, sum(credit) AS y
    FROM credited WHERE plan_id = 'am-2026' AND measure = 'quota' AND counts GROUP BY 1, 2),
am_credit AS (
  SELECT w.rep_id, w.k, w.eq, coalesce(c.y, 0) AS y FROM am_window w LEFT JOIN am_quarter c ON c.rep_id = w.rep_id AND c.k = w.k),
am AS (
  SELECT rep_id,
         sum(CASE WHEN eq <= 0 OR y < round(0.5 * eq, 30) OR y <= 0 THEN 0
                  ELSE round(least(y * CASE WHEN y >= round(1.0 * eq, 30) THEN 0.07 WHEN y >= round(0.8 * eq, 30) THEN 0.05 ELSE 0.03 END, 30000), 2) END) AS earned
    FROM am_credit GROUP BY rep_id),
-- mgr-2026: 1.5% of the direct reports' quota credit, in the manager's currency at the booked date, on the manager's active days
team AS (
  SELECT m.rep_id, sum(i.cb * CASE WHEN i.bccy = m.currency THEN 1 ELSE r.rate END) AS credit
    FROM item i
    JOIN segv m ON m.rep_id = i.manager_id AND m.plan_id = 'mgr-2026' AND i.booked_date BETWEEN m.s_from AND m.s_to
    LEFT JOIN rate r ON r.f = i.bccy AND r.t = m.currency AND r.d = i.booked_date
   WHERE i.measure = 'quota' AND i.counts
   GROUP BY m.rep_id),
mgr AS (
  SELECT m.rep_id, round(0.015 * coalesce(t.credit, 0), 2) AS earned FROM segv m LEFT JOIN team t ON t.rep_id = m.rep_id WHERE m.plan_id = 'mgr-2026')
SELECT rep_id, earned::text AS earned FROM ae
UNION ALL SELECT rep_id, earned::text FROM am
UNION ALL SELECT rep_id, earned::text FROM mgr
ORDER BY 1`;

/** Session settings for the statement's transaction (see above). */
export const FLOOR_SETTINGS = `SET LOCAL enable_nestloop = off`;
