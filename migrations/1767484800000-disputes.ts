import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disputes: a payee's claim that a payout, a payout line or a (missing) booking is wrong. A dispute moves
 * open → in_review → upheld | rejected (or open → upheld | rejected directly); a resolved dispute never changes
 * again, and no dispute is ever deleted. An upheld dispute points at the adjustment it created in an open period.
 * The CHECK constraints keep every row consistent with its status; the trigger enforces the transitions and keeps
 * what the payee raised immutable, whatever path the UPDATE comes from.
 */
export class Disputes1767484800000 implements MigrationInterface {
  name = 'Disputes1767484800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE disputes (
        id                 bigserial PRIMARY KEY,
        rep_id             text NOT NULL REFERENCES reps(rep_id),
        period             char(7) NOT NULL CHECK (period ~ '^\\d{4}-(0[1-9]|1[0-2])$'),
        target_kind        text NOT NULL CHECK (target_kind IN ('payout','line','booking')),
        target_ref         text NULL,
        reason_code        text NOT NULL CHECK (reason_code IN ('missing_credit','wrong_split','wrong_rate','wrong_quota','fx','clawback','other')),
        claimed_amount     numeric(20,2) NULL,
        text               text NOT NULL CHECK (btrim(text) <> ''),
        status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_review','upheld','rejected')),
        resolution_amount  numeric(20,2) NULL CHECK (resolution_amount <> 0),
        resolution_note    text NULL,
        adjustment_id      bigint NULL UNIQUE REFERENCES adjustments(id),
        raised_by          text NOT NULL,
        raised_at          timestamptz NOT NULL DEFAULT now(),
        reviewed_by        text NULL,
        reviewed_at        timestamptz NULL,
        resolved_by        text NULL,
        resolved_at        timestamptz NULL,
        CONSTRAINT disputes_target_ref CHECK (
          (target_kind = 'payout' AND target_ref IS NULL)
          OR (target_kind = 'line' AND target_ref ~ '^[1-9][0-9]*$')
          OR (target_kind = 'booking' AND target_ref IS NOT NULL AND btrim(target_ref) <> '')),
        CONSTRAINT disputes_reviewed CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL)),
        CONSTRAINT disputes_resolved CHECK (
          CASE WHEN status IN ('upheld','rejected')
               THEN resolved_at IS NOT NULL AND resolved_by IS NOT NULL AND resolution_note IS NOT NULL AND btrim(resolution_note) <> ''
               ELSE resolved_at IS NULL AND resolved_by IS NULL AND resolution_note IS NULL END),
        CONSTRAINT disputes_upheld CHECK (
          CASE WHEN status = 'upheld'
               THEN resolution_amount IS NOT NULL AND adjustment_id IS NOT NULL
               ELSE resolution_amount IS NULL AND adjustment_id IS NULL END),
        CONSTRAINT disputes_in_review CHECK (status <> 'in_review' OR reviewed_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX disputes_rep_idx ON disputes(rep_id, period)`);
    await q.query(`CREATE INDEX disputes_period_idx ON disputes(period, status)`);
    await q.query(`
      CREATE FUNCTION disputes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'disputes: DELETE refused' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.status IN ('upheld','rejected') THEN
          RAISE EXCEPTION 'dispute % is resolved (%): it never changes', OLD.id, OLD.status USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT ((OLD.status = 'open' AND NEW.status IN ('in_review','upheld','rejected'))
             OR (OLD.status = 'in_review' AND NEW.status IN ('upheld','rejected'))) THEN
          RAISE EXCEPTION 'dispute %: % -> % is not a transition', OLD.id, OLD.status, NEW.status USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (NEW.id, NEW.rep_id, NEW.period, NEW.target_kind, NEW.target_ref, NEW.reason_code, NEW.claimed_amount, NEW.text, NEW.raised_by, NEW.raised_at)
           IS DISTINCT FROM (OLD.id, OLD.rep_id, OLD.period, OLD.target_kind, OLD.target_ref, OLD.reason_code, OLD.claimed_amount, OLD.text, OLD.raised_by, OLD.raised_at)
           OR (OLD.reviewed_at IS NOT NULL AND (NEW.reviewed_at, NEW.reviewed_by) IS DISTINCT FROM (OLD.reviewed_at, OLD.reviewed_by)) THEN
          RAISE EXCEPTION 'dispute %: what was raised (and who reviewed it) never changes', OLD.id USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER disputes_guard BEFORE UPDATE OR DELETE ON disputes FOR EACH ROW EXECUTE FUNCTION disputes_guard()`);
    await q.query(`CREATE TRIGGER disputes_no_truncate BEFORE TRUNCATE ON disputes FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disputes`);
    await q.query(`DROP FUNCTION disputes_guard()`);
  }
}
