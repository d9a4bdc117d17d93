import { AssignmentFields, planAssignmentChanges, validateAssignmentsCsv } from '../../src/core/intake/assignment-intake';
import { dec } from '../../src/core/money/decimal';

const HEADER = 'rep_id,plan_id,start_date,end_date,annual_quota,target_variable,base_salary';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const KNOWN = new Set(['R1', 'R2']);
const validate = (content: string) => validateAssignmentsCsv(content, 'assignments.csv', { repExists: (id) => KNOWN.has(id) });
const err = (line: number, column: string | null, message: string) => ({ file: 'assignments.csv', line, column, message });

describe('validateAssignmentsCsv', () => {
  it('parses amounts as exact decimals', () => {
    const result = validate(csv('R1,AE-2026,2026-01-01,,1200000.50,60000,90000.000001', 'R1,AE-2026,2026-07-01,2026-12-31,0,0,0'));
    expect(result.errors).toEqual([]);
    expect(result.records.map((r) => [r.line, r.startDate, r.endDate, r.annualQuota.toFixed(), r.targetVariable.toFixed(), r.baseSalary.toFixed()])).toEqual([
      [2, '2026-01-01', null, '1200000.5', '60000', '90000.000001'],
      [3, '2026-07-01', '2026-12-31', '0', '0', '0'],
    ]);
  });

  it('reports unknown reps, bad and negative amounts, bad dates and duplicate keys', () => {
    const result = validate(
      csv(
        'R9,AE-2026,2026-01-01,,1000,10,10', // 2: unknown rep
        'R1,AE-2026,2026-01-01,,"1,000",10,10', // 3: thousands separator
        'R2,AE-2026,2026-01-01,2025-12-31,-5,1e3,10.1234567', // 4: end before start, negative, exponent, 7 decimals
        'R1,AE-2026,2026-01-01,,1000,10,10', // 5: duplicate of line 3's key
        'R2,,2026-02-31,,1000, 10,10', // 6: missing plan, impossible date, space
        'R2,AE-2026,2026-03-01,,1234567890123456789,10,', // 7: 19 integer digits, missing base_salary
      ),
    );
    expect(result.errors).toEqual([
      err(2, 'rep_id', 'rep "R9" is not in the database'),
      err(3, 'annual_quota', '"1,000" is not a plain decimal'),
      err(4, 'end_date', '"2025-12-31" is before start_date 2026-01-01'),
      err(4, 'annual_quota', '"-5" must not be negative'),
      err(4, 'target_variable', '"1e3" is not a plain decimal'),
      err(4, 'base_salary', '"10.1234567" has more than 6 decimals'),
      err(5, 'rep_id', 'duplicate rep_id+plan_id+start_date "R1"/"AE-2026"/"2026-01-01" (first on line 3)'),
      err(6, 'plan_id', 'required value is missing'),
      err(6, 'start_date', '"2026-02-31" is not a real calendar date'),
      err(6, 'target_variable', '" 10" is not a plain decimal'),
      err(7, 'annual_quota', '"1234567890123456789" is too large (at most 18 digits before the decimal point)'),
      err(7, 'base_salary', 'required value is missing'),
    ]);
  });
});

describe('planAssignmentChanges', () => {
  it('compares amounts by value: "1000" equals stored "1000.000000"', () => {
    const stored: AssignmentFields = {
      repId: 'R1',
      planId: 'AE-2026',
      startDate: '2026-01-01',
      endDate: null,
      annualQuota: dec('1000.000000'),
      targetVariable: dec('10.000000'),
      baseSalary: dec('5.000000'),
    };
    const same = { ...stored, line: 2, annualQuota: dec('1000'), targetVariable: dec('10'), baseSalary: dec('5') };
    const raised = { ...same, line: 3, planId: 'AE-2026b' };
    const plan = planAssignmentChanges([same, raised], new Map([
      ['R1|AE-2026|2026-01-01', stored],
      ['R1|AE-2026b|2026-01-01', { ...stored, planId: 'AE-2026b', annualQuota: dec('900') }],
    ]));
    expect(plan.unchanged).toBe(1);
    expect(plan.create).toEqual([]);
    expect(plan.update.map((u) => [u.record.line, u.changed, u.before.annualQuota.toFixed(), u.record.annualQuota.toFixed()])).toEqual([[3, ['annualQuota'], '900', '1000']]);
  });
});
