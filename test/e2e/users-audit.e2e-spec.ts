import { hashToken } from '../../src/auth/auth.service';
import { Db } from '../../src/infra/db.service';
import { startTestApp, TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('users and audit API', () => {
  let t: TestApp;
  let admin: string;
  let auditor: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(Db).tx((em) =>
      em.query(`INSERT INTO reps (rep_id, name, email, manager_id, role, hire_date, termination_date, currency) VALUES ('UA_R1', 'Ua Rep', 'ua.rep@example.test', NULL, 'AE', '2025-03-01', NULL, 'EUR')`),
    );
    admin = await t.tokenFor('admin');
    auditor = await t.tokenFor('auditor');
  });
  afterAll(async () => t?.close());

  describe('POST /users', () => {
    it('creates a user and returns its token once; the token works', async () => {
      const res = await t.http().post('/users').set(bearer(admin)).send({ role: 'rep', repId: 'UA_R1', name: 'Una Rep' }).expect(201);
      expect(res.body).toEqual({ id: expect.stringMatching(UUID), name: 'Una Rep', role: 'rep', repId: 'UA_R1', token: expect.stringMatching(/^ce_[0-9a-f]{8}_/) });
      // Authenticated (a rep may not list users: 403, not 401).
      await t.http().get('/users').set(bearer(res.body.token)).expect(403);
    });

    it('names a user after its role when no name is given', async () => {
      const res = await t.http().post('/users').set(bearer(admin)).send({ role: 'finance' }).expect(201);
      expect(res.body.name).toBe('finance');
      expect(res.body.repId).toBeNull();
    });

    it.each([
      ['an unknown role', { role: 'boss' }, 400],
      ['no role', { name: 'x' }, 400],
      ['a field that is not part of the DTO', { role: 'auditor', admin: true }, 400],
      ['a non-string repId', { role: 'rep', repId: 42 }, 400],
      ['an empty name', { role: 'auditor', name: '' }, 400],
      ['a rep without repId', { role: 'rep' }, 400],
      ['a manager without repId', { role: 'manager' }, 400],
      ['an unknown repId', { role: 'rep', repId: 'NOPE' }, 404],
    ])('rejects %s', async (_what, body, status) => {
      const before = (await t.http().get('/users').set(bearer(admin)).expect(200)).body.length;
      const res = await t.http().post('/users').set(bearer(admin)).send(body).expect(status);
      expect(res.body.error).toEqual(status === 400 ? 'INVALID_INPUT' : 'NOT_FOUND');
      expect((await t.http().get('/users').set(bearer(admin)).expect(200)).body.length).toBe(before);
    });
  });

  describe('GET /users', () => {
    it('lists users without tokens or token hashes', async () => {
      const created = (await t.http().post('/users').set(bearer(admin)).send({ role: 'manager', repId: 'UA_R1' }).expect(201)).body;
      const res = await t.http().get('/users').set(bearer(auditor)).expect(200);
      const mine = res.body.find((u: { id: string }) => u.id === created.id);
      expect(mine).toEqual({
        id: created.id,
        name: 'manager:UA_R1',
        role: 'manager',
        repId: 'UA_R1',
        tokenPrefix: created.token.split('_')[1],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        revokedAt: null,
      });
      for (const u of res.body) expect(Object.keys(u).sort()).toEqual(['createdAt', 'id', 'name', 'repId', 'revokedAt', 'role', 'tokenPrefix']);
      expect(res.text).not.toContain(hashToken(created.token));
      expect(res.text).not.toContain(hashToken(admin));
      expect(res.text).not.toContain(created.token);
      expect(res.text).not.toMatch(/hash/i);
    });
  });

  describe('POST /users/:id/revoke', () => {
    it('revokes a token: it gets 401 from then on; revoking again changes nothing', async () => {
      const victim = (await t.http().post('/users').set(bearer(admin)).send({ role: 'auditor', name: 'leaver' }).expect(201)).body;
      await t.http().get('/users').set(bearer(victim.token)).expect(200);

      const revoked = await t.http().post(`/users/${victim.id}/revoke`).set(bearer(admin)).expect(200);
      expect(revoked.body).toMatchObject({ id: victim.id, name: 'leaver', role: 'auditor', revokedAt: expect.stringMatching(/^\d{4}-/) });
      const denied = await t.http().get('/users').set(bearer(victim.token)).expect(401);
      expect(denied.body.error).toBe('UNAUTHENTICATED');
      await t.http().get('/audit-events').set(bearer(victim.token)).expect(401);

      const again = await t.http().post(`/users/${victim.id}/revoke`).set(bearer(admin)).expect(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);

      const listed = (await t.http().get('/users').set(bearer(admin)).expect(200)).body.find((u: { id: string }) => u.id === victim.id);
      expect(listed.revokedAt).toBe(revoked.body.revokedAt);

      const events = await t.http().get('/audit-events').query({ entityType: 'user', entityId: victim.id }).set(bearer(auditor)).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['user.revoke', 'user.create']);
      expect(events.body.items[0]).toMatchObject({
        entityType: 'user',
        entityId: victim.id,
        actor: expect.stringContaining('(admin)'),
        before: { revokedAt: null },
        after: { revokedAt: revoked.body.revokedAt },
      });
    });

    it('answers 404 for an unknown or malformed id', async () => {
      await t.http().post('/users/00000000-0000-4000-8000-000000000000/revoke').set(bearer(admin)).expect(404);
      await t.http().post('/users/not-a-uuid/revoke').set(bearer(admin)).expect(404);
    });
  });

  describe('GET /audit-events', () => {
    it('records who did what, with the request id', async () => {
      const created = (await t.http().post('/users').set(bearer(admin)).set('X-Request-Id', 'req-ua-1').send({ role: 'finance', name: 'Fin' }).expect(201)).body;
      const res = await t.http().get(`/audit-events?entityType=user&entityId=${created.id}`).set(bearer(admin)).expect(200);
      expect(res.body).toEqual({
        items: [
          {
            id: expect.stringMatching(/^\d+$/),
            occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
            actor: expect.stringContaining('(admin)'),
            action: 'user.create',
            actionText: 'created an API user',
            entityType: 'user',
            entityId: created.id,
            before: null,
            after: { name: 'Fin', role: 'finance', repId: null, tokenPrefix: created.token.split('_')[1] },
            requestId: 'req-ua-1',
          },
        ],
        nextCursor: null,
      });
      expect(res.text).not.toContain(created.token);
    });

    it('pages newest first by id cursor without gaps or repeats', async () => {
      for (let i = 0; i < 5; i++) await t.http().post('/users').set(bearer(admin)).send({ role: 'auditor', name: `pager-${i}` }).expect(201);
      const all = (await t.http().get('/audit-events').query({ entityType: 'user', limit: 500 }).set(bearer(auditor)).expect(200)).body;
      expect(all.nextCursor).toBeNull();
      const allIds: string[] = all.items.map((e: { id: string }) => e.id);
      expect(allIds.length).toBeGreaterThanOrEqual(7);
      expect([...allIds].sort((a, b) => Number(b) - Number(a))).toEqual(allIds);
      expect(all.items.every((e: { entityType: string }) => e.entityType === 'user')).toBe(true);

      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = { entityType: 'user', limit: 2 };
        if (cursor) query.cursor = cursor;
        const page = (await t.http().get('/audit-events').query(query).set(bearer(auditor)).expect(200)).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items.map((e: { id: string }) => e.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(paged).toEqual(allIds);
      expect(pages).toBe(Math.ceil(allIds.length / 2));
    });

    it('filters by who (part of the actor, any case), what (an action or its first part) and period; exports CSV', async () => {
      await t.http().post('/users').set(bearer(admin)).send({ role: 'finance', name: 'Csv, "quoted"' }).expect(201);
      const byWho = (await t.http().get('/audit-events').query({ actor: 'ADMIN)', action: 'user', limit: 500 }).set(bearer(auditor)).expect(200)).body;
      expect(byWho.items.length).toBeGreaterThan(0);
      expect(byWho.items.every((e: { actor: string; action: string }) => e.actor.endsWith('(admin)') && e.action.startsWith('user.'))).toBe(true);
      const exact = (await t.http().get('/audit-events').query({ action: 'user.revoke', limit: 500 }).set(bearer(auditor)).expect(200)).body;
      expect(exact.items.every((e: { action: string }) => e.action === 'user.revoke')).toBe(true);
      // no event of this suite is about a period; a LIKE wildcard in "who" is taken literally
      expect((await t.http().get('/audit-events').query({ period: '2026-02' }).set(bearer(auditor)).expect(200)).body.items).toEqual([]);
      expect((await t.http().get('/audit-events').query({ actor: '%' }).set(bearer(auditor)).expect(200)).body.items).toEqual([]);
      await t.http().get('/audit-events').query({ action: 'user.create; drop' }).set(bearer(auditor)).expect(400);
      await t.http().get('/audit-events').query({ period: '2026-13' }).set(bearer(auditor)).expect(400);

      const csv = await t.http().get('/audit-events/export.csv').query({ action: 'user.create' }).set(bearer(auditor)).expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toBe('attachment; filename="audit-events.csv"');
      const lines = csv.text.trimEnd().split('\n');
      expect(lines[0]).toBe('id,occurred_at,actor,action,action_text,entity_type,entity_id,before,after,request_id');
      const all = (await t.http().get('/audit-events').query({ action: 'user.create', limit: 500 }).set(bearer(auditor)).expect(200)).body.items;
      expect(lines.length - 1).toBe(all.length);
      // a JSON cell is quoted with its quotes doubled: a name with a comma and quotes stays inside one cell
      expect(csv.text).toContain('"{""name"":""Csv, \\""quoted\\"""",');
    });

    it('filters by entity type alone and returns an empty page for unknown entities', async () => {
      const none = await t.http().get('/audit-events').query({ entityType: 'nothing-here' }).set(bearer(admin)).expect(200);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['limit=0', { limit: 0 }],
      ['limit=501', { limit: 501 }],
      ['limit=abc', { limit: 'abc' }],
      ['cursor=abc', { cursor: 'abc' }],
      ['cursor=-1', { cursor: '-1' }],
      ['an unknown parameter', { sort: 'asc' }],
    ])('rejects %s with 400', async (_what, query) => {
      const res = await t.http().get('/audit-events').query(query).set(bearer(admin)).expect(400);
      expect(res.body.error).toBe('INVALID_INPUT');
    });
  });
});
