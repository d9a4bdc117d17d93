import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { ImportsService } from '../../src/imports/imports.service';
import { KpisService } from '../../src/kpis/kpis.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { seedDemo } from '../../src/demo/demo-seed';
import { decodePng } from '../support/browser';
import { pdfText } from '../support/pdf-text';
import { startTestApp, TestApp } from '../support/test-app';

interface Ack {
  assignmentId: string;
  repId: string;
  status: string;
  documentHash: string;
  acknowledgedBy: string | null;
  client: string | null;
  created?: boolean;
}

/**
 * Written plans and their signed receipts on the demo (both stores): A1 and G1 acknowledged in the demo, M1 and N1
 * have not. Only the payee acknowledges, once per document; a changed assignment is a new document; the KPI and the
 * close read the same list.
 */
describe('plan documents and acknowledgments', () => {
  let t: TestApp;
  const assignmentOf = async (repId: string) => (await t.query<{ id: string }>(`SELECT id::text AS id FROM plan_assignments WHERE rep_id = $1`, [repId]))[0].id;
  const pending = async (token: string) => ((await t.http().get('/acknowledgments?status=pending').set('Authorization', `Bearer ${token}`).expect(200)).body as Ack[]).map((a) => a.repId);

  beforeAll(async () => {
    t = await startTestApp({ ackRequired: true });
    await seedDemo(t.app, () => undefined);
  });
  afterAll(async () => t?.close());

  it('lists who has not acknowledged: M1 and N1 (A1 and G1 did in the demo)', async () => {
    const finance = await t.tokenFor('finance');
    expect(await pending(finance)).toEqual(['M1', 'N1']);
    const all = (await t.http().get('/acknowledgments').set('Authorization', `Bearer ${finance}`).expect(200)).body as Ack[];
    expect(all.map((a) => [a.repId, a.status, a.acknowledgedBy])).toEqual([
      ['A1', 'acknowledged', 'demo-rep'],
      ['G1', 'acknowledged', 'demo-manager'],
      ['M1', 'pending', null],
      ['N1', 'pending', null],
    ]);
    // a rep sees only their own
    const n1 = await t.tokenFor('rep', 'N1');
    expect(await pending(n1)).toEqual(['N1']);
  });

  it('the payee acknowledges their own document once: who, when, which document, from which client; audited', async () => {
    const n1 = await t.tokenFor('rep', 'N1');
    const id = await assignmentOf('N1');
    const doc = (await t.http().get(`/assignments/${id}/document`).set('Authorization', `Bearer ${n1}`).expect(200)).body as { documentHash: string; plan: { hash: string } };
    const first = (await t.http().post(`/assignments/${id}/acknowledgment`).set('Authorization', `Bearer ${n1}`).set('User-Agent', 'plan-test/1.0').send({ documentHash: doc.documentHash }).expect(200)).body as Ack;
    expect(first).toMatchObject({ repId: 'N1', status: 'acknowledged', documentHash: doc.documentHash, created: true });
    expect(first.client).toMatch(/; plan-test\/1\.0$/);
    const again = (await t.http().post(`/assignments/${id}/acknowledgment`).set('Authorization', `Bearer ${n1}`).send({}).expect(200)).body as Ack;
    expect(again.created).toBe(false);
    expect(await t.query(`SELECT 1 FROM plan_acknowledgments WHERE assignment_id = $1`, [id])).toHaveLength(1);
    const audit = await t.query<{ after: { documentHash: string; planHash: string } }>(`SELECT after FROM audit_events WHERE action = 'plan.acknowledge' AND entity_id = $1`, [id]);
    expect(audit.map((a) => [a.after.documentHash, a.after.planHash])).toEqual([[doc.documentHash, doc.plan.hash]]);

    // a document read before it changed is refused; another payee's assignment does not exist for a rep;
    // a manager may read a report's document but not sign it
    const stale = await t.http().post(`/assignments/${id}/acknowledgment`).set('Authorization', `Bearer ${n1}`).send({ documentHash: 'a'.repeat(64) });
    expect(stale.status).toBe(409);
    const m1Assignment = await assignmentOf('M1');
    expect((await t.http().post(`/assignments/${m1Assignment}/acknowledgment`).set('Authorization', `Bearer ${n1}`).send({})).status).toBe(404);
    const g1 = await t.tokenFor('manager', 'G1');
    await t.http().get(`/assignments/${m1Assignment}/document`).set('Authorization', `Bearer ${g1}`).expect(200);
    expect((await t.http().post(`/assignments/${m1Assignment}/acknowledgment`).set('Authorization', `Bearer ${g1}`).send({})).status).toBe(403);
    expect((await t.http().post(`/assignments/${m1Assignment}/acknowledgment`).set('Authorization', `Bearer ${await t.tokenFor('finance')}`).send({})).status).toBe(403);

    // append-only in the database itself: the service's role may not change a row, and a trigger refuses even the owner
    await expect(t.query(`UPDATE plan_acknowledgments SET client = 'x' WHERE assignment_id = $1`, [id])).rejects.toThrow(/permission denied|append-only/);
    await expect(t.query(`DELETE FROM plan_acknowledgments WHERE assignment_id = $1`, [id])).rejects.toThrow(/permission denied|append-only/);
    const [trigger] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_trigger WHERE tgname = 'plan_acknowledgments_guard'`);
    expect(trigger.n).toBe(1);
  });

  it('renders the document as PDF with the acknowledgment drawn in, a page that is not blank', async () => {
    const n1 = await t.tokenFor('rep', 'N1');
    const id = await assignmentOf('N1');
    const res = await t.http().get(`/assignments/${id}/document/pdf`).set('Authorization', `Bearer ${n1}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const pdf = res.body as Buffer;
    const { text } = await pdfText(pdf);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Commission plan: Account Executive 2026');
    expect(flat).toContain('for Ned Newhire (N1), 2026-02-16 to 2026-12-31');
    expect(flat).toContain('On-target earnings (OTE) 220,000.00 USD');
    expect(flat).toContain('Total earned 23,415.18 USD 70,245.54 USD 140,491.07 USD');
    expect(flat).toContain('Acknowledged by Ned Newhire (N1), signed in as rep:N1');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-plandoc-'));
    try {
      fs.writeFileSync(path.join(dir, 'n1.pdf'), pdf);
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', path.join(dir, 'n1.pdf'), path.join(dir, 'page')]);
      const png = decodePng(fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.png')) as string)));
      let ink = 0;
      for (let i = 0; i < png.pixels.length; i += 4) if (png.pixels[i] < 128 && png.pixels[i + 1] < 128 && png.pixels[i + 2] < 128) ink++;
      // A4 at 50 dpi is 414 × 585 pixels; a page of text inks a few percent of them, a blank page none
      expect(png.width).toBe(414);
      expect(ink).toBeGreaterThan(2000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a changed assignment is a new document, pending again; the earlier acknowledgment is kept', async () => {
    const finance = await t.tokenFor('finance');
    const id = await assignmentOf('N1');
    const before = ((await t.http().get('/acknowledgments').set('Authorization', `Bearer ${finance}`)).body as Ack[]).find((a) => a.repId === 'N1')!;
    expect(before.status).toBe('acknowledged');
    const csv = fs.readFileSync('demo/assignments.csv', 'utf8').replace('N1,ae-2026,2026-02-16,2026-12-31,1200000,', 'N1,ae-2026,2026-02-16,2026-12-31,1320000,');
    await t.app.get(ImportsService).importFile('assignments', 'assignments.csv', Buffer.from(csv), cliActor());
    const after = ((await t.http().get('/acknowledgments').set('Authorization', `Bearer ${finance}`)).body as Ack[]).find((a) => a.repId === 'N1')!;
    expect(after.status).toBe('pending');
    expect(after.documentHash).not.toBe(before.documentHash);
    expect(await t.query(`SELECT document_hash FROM plan_acknowledgments WHERE assignment_id = $1`, [id])).toEqual([{ document_hash: before.documentHash }]);
  });

  it('the KPI and the close read the same list: ACK_REQUIRED refuses the close until every payee has acknowledged', async () => {
    // March: A1, G1 acknowledged; M1 never; N1's changed assignment not yet: 2 of 4
    const kpi = (await t.app.get(KpisService).compute('2026-03')).kpis.find((k) => k.code === 'plan_acknowledgment_rate')!;
    expect([kpi.value, kpi.status, kpi.breakdown.map((b) => b.key)]).toEqual(['50.00', 'breach', ['M1', 'N1']]);

    const periods = t.app.get(PeriodsService);
    await expect(periods.close('2026-03', cliActor())).rejects.toThrow(/period 2026-03 not closed: 2 of 4 assignment\(s\) in effect have an unacknowledged plan document: M1 \(am-2026 v1, assignment \d+\), N1/);
    expect(await t.query(`SELECT status FROM periods WHERE period = '2026-03'`)).toEqual([{ status: 'calculated' }]);

    for (const repId of ['M1', 'N1']) {
      const token = await t.tokenFor('rep', repId);
      await t.http().post(`/assignments/${await assignmentOf(repId)}/acknowledgment`).set('Authorization', `Bearer ${token}`).send({}).expect(200);
    }
    const closed = await periods.close('2026-03', cliActor());
    expect([closed.status, closed.warnings]).toEqual(['closed', []]);
    const rate = (await t.app.get(KpisService).compute('2026-03')).kpis.find((k) => k.code === 'plan_acknowledgment_rate')!;
    expect([rate.value, rate.status]).toEqual(['100.00', 'ok']);
  });
});
