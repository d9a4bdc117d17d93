import { DataSource } from 'typeorm';
import { AuditEventsRepository } from '../../src/audit/audit-events.repository';
import { AuditService } from '../../src/audit/audit.service';
import { AppConfig } from '../../src/infra/env';
import { Db } from '../../src/infra/db.service';
import { openDataSource } from '../../src/infra/database';
import { freshStoreConfig } from '../support/test-config';

/** The audit trail is append-only in the database itself, not just by convention in the services. */
describe('audit_events is append-only', () => {
  let ds: DataSource;
  let cfg: AppConfig;
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const store = await freshStoreConfig();
    drop = store.drop;
    // As the tables' owner (DATABASE_ROLE=none): the triggers are what stop even the owner.
    cfg = { ...store.cfg, databaseRole: undefined };
    ds = await openDataSource(cfg);
    // The refusals below are expected; keep TypeORM from printing each one as a failed query.
    ds.logger.logQueryError = () => undefined;
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop();
  });

  const count = async (): Promise<number> => Number((await ds.query(`SELECT count(*)::int AS n FROM audit_events`))[0].n);
  const snapshot = async (): Promise<unknown[]> => ds.query(`SELECT id::text, actor, action, entity_type, entity_id, after FROM audit_events ORDER BY id`);

  it('accepts inserts, raw and through AuditService', async () => {
    const before = await count();
    await ds.query(
      `INSERT INTO audit_events (actor, action, entity_type, entity_id, after) VALUES ('test', 'thing.create', 'thing', 't-1', '{"amount":"10.00"}'::jsonb)`,
    );
    await ds.transaction((em) =>
      new AuditService(new AuditEventsRepository(new Db(ds, cfg))).record(em, { userId: null, role: 'admin', repId: null, label: 'test:service' }, {
        action: 'thing.update',
        entityType: 'thing',
        entityId: 't-1',
        before: { amount: '10.00' },
        after: { amount: '12.50' },
      }),
    );
    expect(await count()).toBe(before + 2);
    const rows = await ds.query(`SELECT actor, action, after FROM audit_events WHERE entity_id = 't-1' ORDER BY id`);
    expect(rows).toEqual([
      { actor: 'test', action: 'thing.create', after: { amount: '10.00' } },
      { actor: 'test:service', action: 'thing.update', after: { amount: '12.50' } },
    ]);
  });

  it.each([
    ['UPDATE', `UPDATE audit_events SET actor = 'mallory' WHERE entity_id = 't-1'`],
    ['UPDATE (all rows)', `UPDATE audit_events SET after = NULL`],
    ['DELETE', `DELETE FROM audit_events WHERE entity_id = 't-1'`],
    ['DELETE (all rows)', `DELETE FROM audit_events`],
    ['TRUNCATE', `TRUNCATE audit_events`],
    ['TRUNCATE ... CASCADE', `TRUNCATE audit_events RESTART IDENTITY CASCADE`],
  ])('refuses a raw %s through the data source', async (_name, sql) => {
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);
    await expect(ds.query(sql)).rejects.toThrow(/audit_events is append-only: (UPDATE|DELETE|TRUNCATE) refused/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses updates and deletes through TypeORM\'s query builder too (no entity needed: the database decides)', async () => {
    const before = await snapshot();
    await expect(ds.createQueryBuilder().update('audit_events').set({ actor: 'mallory' }).where('entity_id = :id', { id: 't-1' }).execute()).rejects.toThrow(/append-only/);
    await expect(ds.createQueryBuilder().delete().from('audit_events').where('entity_id = :id', { id: 't-1' }).execute()).rejects.toThrow(/append-only/);
    expect(await snapshot()).toEqual(before);
  });

  it('a refused change inside a transaction rolls the whole transaction back', async () => {
    const before = await snapshot();
    await expect(
      ds.transaction(async (em) => {
        await em.query(`INSERT INTO audit_events (actor, action, entity_type, entity_id) VALUES ('test', 'thing.delete', 'thing', 't-2')`);
        await em.query(`DELETE FROM audit_events WHERE entity_id = 't-1'`);
      }),
    ).rejects.toThrow(/append-only/);
    expect(await snapshot()).toEqual(before);
  });
});
