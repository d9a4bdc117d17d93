import * as fs from 'node:fs';
import { seedDemo } from '../../src/demo/demo-seed';
import { startTestApp, TestApp } from '../support/test-app';

const ae = (): Record<string, unknown> & { components: { tiers: { rate: string }[] }[] } => JSON.parse(fs.readFileSync('plans/ae-2026.json', 'utf8'));

/**
 * The editor's server side on the demo (January and February closed, March open): the same validation as plans
 * validate, a new version per save (numbered by the store, never changing a stored one), never in effect in a frozen
 * period, audited with the change in words; payees on the plan then have a new document to acknowledge.
 */
describe('the plan editor', () => {
  let t: TestApp;
  let finance: string;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.app, () => undefined);
    finance = await t.tokenFor('finance');
  });
  afterAll(async () => t?.close());
  const post = (path: string, body: unknown) => t.http().post(path).set('Authorization', `Bearer ${finance}`).send(body as object);

  it('checks a draft as plans validate does, by JSON path, and says what changed in words', async () => {
    const bad = ae();
    bad.components[0].tiers[0].rate = '-1';
    const r1 = (await post('/plans/validate', { plan: bad }).expect(200)).body;
    expect(r1.valid).toBe(false);
    expect(r1.problems.map((p: { path: string }) => p.path)).toContain('components[0].tiers[0].rate');
    const good = ae();
    good.components[0].tiers[0].rate = '0.6';
    const r2 = (await post('/plans/validate', { plan: good }).expect(200)).body;
    expect([r2.valid, r2.against, r2.changes.map((c: { text: string }) => c.text)]).toEqual([true, { planId: 'ae-2026', version: 1 }, ['Quota commission (marginal tiers, YTD), tier "below 50%", rate: 0.5 → 0.6']]);
  });

  it('saves a new version in effect from an open period only; numbers it; audits the change; refuses an unchanged one', async () => {
    const draft = ae();
    draft.components[0].tiers[0].rate = '0.6';
    const frozen = await post('/plans/ae-2026/versions', { plan: draft, effectiveFrom: '2026-02-15' });
    expect(frozen.status).toBe(409);
    expect(frozen.body.message).toBe('a new version cannot take effect on 2026-02-15: 2026-02 is approved or closed, and closed periods never change; take effect from 2026-03-01 or later');

    const saved = (await post('/plans/ae-2026/versions', { plan: { ...draft, version: 99 }, effectiveFrom: '2026-03-01' }).expect(201)).body;
    expect([saved.version, saved.effectiveFrom, saved.changes.map((c: { text: string }) => c.text)]).toEqual([
      2,
      '2026-03-01',
      ['Quota commission (marginal tiers, YTD), tier "below 50%", rate: 0.5 → 0.6', 'effectiveFrom: 2026-01-01 → 2026-03-01'],
    ]);
    const [v1] = await t.query<{ document: { components: { tiers: { rate: string }[] }[] } }>(`SELECT document FROM plan_versions WHERE plan_id = 'ae-2026' AND version = 1`);
    expect(v1.document.components[0].tiers[0].rate).toBe('0.5');
    const audit = await t.query<{ entity_id: string; after: { changes: string[] } }>(`SELECT entity_id, after FROM audit_events WHERE action = 'plan.version.create'`);
    expect(audit.map((a) => [a.entity_id, a.after.changes.length])).toEqual([['ae-2026@v2', 2]]);

    const again = await post('/plans/ae-2026/versions', { plan: { ...draft, effectiveFrom: '2026-03-01' } });
    expect([again.status, again.body.message]).toEqual([409, 'nothing changed against ae-2026 v2: no version saved']);
  });

  it('payees on the plan get the new version as their current document, pending a new acknowledgment', async () => {
    const rows = (await t.http().get('/acknowledgments').set('Authorization', `Bearer ${finance}`).expect(200)).body as { repId: string; planVersion: number; status: string; from: string }[];
    expect(rows.filter((r) => ['A1', 'N1'].includes(r.repId)).map((r) => [r.repId, r.planVersion, r.from, r.status])).toEqual([
      ['A1', 2, '2026-03-01', 'pending'],
      ['N1', 2, '2026-03-01', 'pending'],
    ]);
  });
});
