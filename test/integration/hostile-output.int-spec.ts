import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliActor } from '../../src/auth/actor';
import { IntakeKind } from '../../src/core/intake/intake';
import { ImportsService } from '../../src/imports/imports.service';
import { fileInside } from '../../src/statements/statements.service';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * What the service writes out cannot be turned against its reader (issue 14, findings 1 and 2). Since the identifier
 * rule (finding 8), a rep id that is a spreadsheet formula or a path never gets into the store: the import refuses
 * it. The writers keep their own guards for ids stored before the rule (its CHECK constraints are NOT VALID): the
 * payroll export's cells go through csvCell (test/core/write-csv.spec.ts), and a statement file name must stay in
 * its folder (fileInside, below).
 */
describe('hostile ids in the files the service writes', () => {
  let t: TestApp;
  const actor = cliActor();
  const imp = (kind: IntakeKind, name: string, csv: string) => t.app.get(ImportsService).importFile(kind, name, Buffer.from(csv), actor);
  const FORMULA = "=cmd|' /C calc'!A0";
  const TRAVERSAL = '../../escaped/evil';

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('the import refuses a formula id and a path id, naming line and column, and writes nothing', async () => {
    await expect(
      imp('reps', 'reps.csv', `rep_id,name,email,manager_id,role,hire_date,termination_date,currency\n"${FORMULA.replace(/"/g, '""')}",F,f@example.com,,AE,2024-01-01,,USD\n${TRAVERSAL},T,t@example.com,,AE,2024-01-01,,USD\n`),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ line: 2, column: 'rep_id' }), expect.objectContaining({ line: 3, column: 'rep_id' })] });
    expect(await t.query(`SELECT rep_id FROM reps`)).toEqual([]);
  });

  it('a statement file name that would leave the folder is refused, whatever the id', () => {
    const dir = path.join(os.tmpdir(), 'hostile-out', 'out');
    expect(() => fileInside(dir, `${TRAVERSAL}-2026-01.pdf`)).toThrow(/refusing to write "\.\.\/\.\.\/escaped\/evil-2026-01\.pdf": the file would not be a plain file in .*; nothing was written/);
    expect(fileInside(dir, 'OK1-2026-01.pdf')).toBe(path.join(dir, 'OK1-2026-01.pdf'));
    expect(fs.existsSync(dir)).toBe(false);
  });
});
