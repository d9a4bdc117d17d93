import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { CalculationService } from '../../src/calculation/calculation.service';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { PeriodsService } from '../../src/periods/periods.service';
import { StatementsService } from '../../src/statements/statements.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * What the service writes out cannot be turned against its reader (issue 14, findings 1 and 2): a rep id that is a
 * spreadsheet formula comes out of the payroll export neutralised, and a rep id that is a path cannot make the
 * statements run write outside its folder (the run fails before writing anything).
 */
describe('hostile ids in the files the service writes', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const FORMULA = "=cmd|' /C calc'!A0";
  const TRAVERSAL = '../../escaped/evil';

  beforeAll(async () => {
    t = await startTestApp();
    await imp('reps', 'reps.csv', `rep_id,name,email,manager_id,role,hire_date,termination_date,currency\n${FORMULA},F,f@example.com,,AE,2024-01-01,,USD\n${TRAVERSAL},T,t@example.com,,AE,2024-01-01,,USD\nOK1,O,o@example.com,,AE,2024-01-01,,USD\n`);
    const a = (id: string) => `${id},ae-2026,2026-01-01,2026-12-31,1200000,120000,100000`;
    await imp('assignments', 'assignments.csv', `rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary\n${[FORMULA, TRAVERSAL, 'OK1'].map(a).join('\n')}\n`);
    const b = (n: number, id: string) => `H${n},${id},100,C${n},new,CORE,100000,USD,12,2026-01-10,`;
    await imp('bookings', 'bookings.csv', `booking_id,rep_id,split_pct,customer_id,type,product,amount,currency,term_months,booked_date,cancelled_date\n${[FORMULA, TRAVERSAL, 'OK1'].map((id, i) => b(i, id)).join('\n')}\n`);
    await t.app.get(CalculationService).calculate('2026-01', actor);
  });
  afterAll(async () => t?.close());

  it('the payroll export neutralises a formula id and keeps the amounts as numbers', async () => {
    await t.app.get(PeriodsService).close('2026-01', actor);
    const csv = PeriodsService.exportCsv(await t.app.get(PeriodsService).exportRows('2026-01'));
    const lines = csv.trim().split('\n');
    expect(lines).toContain(`'${FORMULA},2026-01,USD,5000.00,CE-2026-01-${FORMULA}`);
    // read back: no cell starts a formula
    for (const cell of lines.slice(1).flatMap((l) => l.split(','))) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
  });

  it('statements refuse a rep id that leaves the folder, before writing any file', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-out-'));
    const dir = path.join(root, 'a', 'b', 'out');
    try {
      await expect(t.app.get(StatementsService).writeAll('2026-01', dir)).rejects.toThrow(/refusing to write "\.\.\/\.\.\/escaped\/evil-2026-01\.pdf": the file would not be a plain file in .*; nothing was written/);
      expect(fs.existsSync(dir)).toBe(false);
      expect(fs.existsSync(path.join(root, 'a', 'escaped'))).toBe(false);
      // one payee that is safe still gets their statement
      expect((await t.app.get(StatementsService).writeAll('2026-01', dir, { repId: 'OK1' })).map((f) => path.relative(dir, f))).toEqual(['OK1-2026-01.pdf']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
