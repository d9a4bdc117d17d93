import { csvCell, csvLine } from '../../src/core/csv/write-csv';

describe('CSV cells the service writes', () => {
  it('neutralises what a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(["=cmd|' /C calc'!A0", '+SUM(1+1)', '@SUM(1)', '-2+3', '=HYPERLINK("http://x")', '\tx', '\rx'].map(csvCell)).toEqual([
      "'=cmd|' /C calc'!A0",
      "'+SUM(1+1)",
      "'@SUM(1)",
      "'-2+3",
      '"\'=HYPERLINK(""http://x"")"',
      "'\tx",
      '"\'\rx"',
    ]);
    expect(['-10500.00', '+5', '0.00', '12', 'A1', 'CE-2026-01-A1', ''].map(csvCell)).toEqual(['-10500.00', '+5', '0.00', '12', 'A1', 'CE-2026-01-A1', '']);
  });

  it('quotes commas, quotes and line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', null])).toBe('"a,b","say ""hi""","two\nlines",');
  });
});
