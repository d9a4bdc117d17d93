import { planRepChanges, RepFields, validateRepsCsv } from '../../src/core/intake/rep-intake';

const HEADER = 'rep_id,name,email,manager_id,role,hire_date,termination_date,currency';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const validate = (content: string, stored: Map<string, string | null> = new Map()) =>
  validateRepsCsv(content, 'reps.csv', { storedManagers: stored });
const err = (line: number, column: string | null, message: string) => ({ file: 'reps.csv', line, column, message });

describe('validateRepsCsv', () => {
  it('turns valid rows into typed records; empty optional fields become null', () => {
    const result = validate(csv('M1,Mia,mia@example.com,,Manager,2024-01-01,,USD', 'R1,"Rob, Jr.",rob@example.com,M1,AE,2024-02-29,2026-06-30,EUR'));
    expect(result).toEqual({
      rows: 2,
      errors: [],
      errorCount: 0,
      records: [
        { line: 2, repId: 'M1', name: 'Mia', email: 'mia@example.com', managerId: null, role: 'Manager', hireDate: '2024-01-01', terminationDate: null, currency: 'USD' },
        { line: 3, repId: 'R1', name: 'Rob, Jr.', email: 'rob@example.com', managerId: 'M1', role: 'AE', hireDate: '2024-02-29', terminationDate: '2026-06-30', currency: 'EUR' },
      ],
    });
  });

  it('reports every bad field of every row, by line and column', () => {
    const result = validate(
      csv(
        'R1,,r1@example.com,,AE,2024-01-01,,USD', // 2: missing name
        'R2,Ann,not-an-email,,AE,2024-13-01,,usd', // 3: email, date, currency
        'R3,Bob,b@example.com,,AE,2024-02-30,,XYZ', // 4: impossible date, unknown currency
        'R4,Cy,c@example.com,,,01/02/2024,2023-01-01,EUR', // 5: missing role, bad date format
        'R5,Di,d@example.com,,AE,2024-05-01,2024-04-30,EUR', // 6: termination before hire
        'R1,Dup,dup@example.com,,AE,2024-01-01,,USD', // 7: duplicate key
        ',NoId,x@example.com,,AE,2024-01-01,,USD', // 8: missing rep_id
      ),
    );
    expect(result.errors).toEqual([
      err(2, 'name', 'required value is missing'),
      err(3, 'email', '"not-an-email" is not an email address'),
      err(3, 'hire_date', '"2024-13-01" is not a real calendar date'),
      err(3, 'currency', '"usd" is not an uppercase ISO 4217 currency code'),
      err(4, 'hire_date', '"2024-02-30" is not a real calendar date'),
      err(4, 'currency', '"XYZ" is not an uppercase ISO 4217 currency code'),
      err(5, 'role', 'required value is missing'),
      err(5, 'hire_date', '"01/02/2024" is not a date in the form YYYY-MM-DD'),
      err(6, 'termination_date', '"2024-04-30" is before hire_date 2024-05-01'),
      err(7, 'rep_id', 'duplicate rep_id "R1" (first on line 2)'),
      err(8, 'rep_id', 'required value is missing'),
    ]);
  });

  it('accepts a manager from the same file (in any order) or from the database; rejects unknown ones', () => {
    const stored = new Map<string, string | null>([['DB1', null]]);
    const result = validate(
      csv('R1,A,a@example.com,M1,AE,2024-01-01,,USD', 'M1,M,m@example.com,DB1,Manager,2024-01-01,,USD', 'R2,B,b@example.com,GHOST,AE,2024-01-01,,USD'),
      stored,
    );
    expect(result.errors).toEqual([err(4, 'manager_id', 'manager "GHOST" is neither in this file nor in the database')]);
  });

  it('rejects manager loops inside the file, through the database, and self-management', () => {
    const stored = new Map<string, string | null>([
      ['D1', null],
      ['D2', 'D1'],
    ]);
    const result = validate(
      csv(
        'A,A,a@example.com,B,AE,2024-01-01,,USD', // 2: A → B → C → A
        'B,B,b@example.com,C,AE,2024-01-01,,USD', // 3
        'C,C,c@example.com,A,AE,2024-01-01,,USD', // 4
        'D1,D1,d1@example.com,D2,AE,2024-01-01,,USD', // 5: D1 → D2 (stored) → D1
        'S,S,s@example.com,S,AE,2024-01-01,,USD', // 6: own manager
        'OK,OK,ok@example.com,A,AE,2024-01-01,,USD', // 7: reports into the loop but is not part of it
      ),
      stored,
    );
    expect(result.errors).toEqual([
      err(2, 'manager_id', 'managers form a loop: A → B → C → A'),
      err(3, 'manager_id', 'managers form a loop: B → C → A → B'),
      err(4, 'manager_id', 'managers form a loop: C → A → B → C'),
      err(5, 'manager_id', 'managers form a loop: D1 → D2 → D1'),
      err(6, 'manager_id', 'rep "S" cannot be their own manager'),
    ]);
  });

  it('a file may re-parent a stored rep so that an old loop path is broken', () => {
    const stored = new Map<string, string | null>([
      ['X', null],
      ['Y', 'X'],
    ]);
    // X now reports to Y; Y (stored) reports to X: a loop unless Y is re-parented in the same file.
    expect(validate(csv('X,X,x@example.com,Y,AE,2024-01-01,,USD'), stored).errors).toEqual([err(2, 'manager_id', 'managers form a loop: X → Y → X')]);
    expect(validate(csv('X,X,x@example.com,Y,AE,2024-01-01,,USD', 'Y,Y,y@example.com,,AE,2024-01-01,,USD'), stored).errors).toEqual([]);
  });
});

describe('planRepChanges', () => {
  const stored: RepFields = { repId: 'R1', name: 'Rob', email: 'rob@example.com', managerId: null, role: 'AE', hireDate: '2024-01-01', terminationDate: null, currency: 'USD' };

  it('creates new reps, updates changed ones with the changed fields, and counts the rest', () => {
    const same = { ...stored, line: 2 };
    const moved = { ...stored, repId: 'R2', line: 3, managerId: 'R1', terminationDate: '2026-01-31' };
    const fresh = { ...stored, repId: 'R3', line: 4 };
    const plan = planRepChanges([same, moved, fresh], new Map([
      ['R1', stored],
      ['R2', { ...stored, repId: 'R2' }],
    ]));
    expect(plan).toEqual({
      create: [fresh],
      update: [{ record: moved, before: { ...stored, repId: 'R2' }, changed: ['managerId', 'terminationDate'] }],
      unchanged: 1,
    });
  });
});
