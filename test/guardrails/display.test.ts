import fc from 'fast-check';
import { counted, fitMarkdown, JOB_SUMMARY_MAX_BYTES, someOf, withThousands } from '../../lib/guardrails/display';

describe('someOf', () => {
  test('ten names, then how many more', () => {
    const names = Array.from({ length: 12 }, (_, i) => `r${i}`);
    expect(someOf(names)).toBe('r0, r1, r2, r3, r4, r5, r6, r7, r8, r9 and 2 more');
    expect(someOf(names.slice(0, 10))).toBe(names.slice(0, 10).join(', '));
  });
});

describe('withThousands and counted', () => {
  test('thousands separators as en-US writes them', () => {
    expect([0, 7, 999, 1000, 3100, 12345, 999999, 1000000, -1234567].map(withThousands))
      .toEqual(['0', '7', '999', '1,000', '3,100', '12,345', '999,999', '1,000,000', '-1,234,567']);
    expect([counted(1, 'finding', 'findings'), counted(0, 'finding', 'findings'), counted(3100, 'finding', 'findings')])
      .toEqual(['1 finding', '0 findings', '3,100 findings']);
  });

  test('the same text as toLocaleString("en-US") for every safe integer, and for other numbers', () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => withThousands(n) === n.toLocaleString('en-US')), { numRuns: 2000 });
    fc.assert(fc.property(fc.integer({ min: -1e7, max: 1e7 }), (n) => withThousands(n) === n.toLocaleString('en-US')), { numRuns: 2000 });
    fc.assert(fc.property(fc.double({ noNaN: true }), (n) => withThousands(n) === n.toLocaleString('en-US')));
  });
});

describe('fitMarkdown (a job summary holds at most 1 MiB)', () => {
  const table = (name: string, rows: number): string[] => [
    `## ${name}`, '', '| a | b |', '|---|---:|', ...Array.from({ length: rows }, (_, i) => `| ${name} row ${i} ${'x'.repeat(80)} | ${i} |`), '',
  ];
  const doc = [
    '# Report', '', ...table('Identities', 3000), ...table('Findings', 200),
    '```mermaid', 'graph LR', '- not a list item', '```', '', '## Notes', '', ...Array.from({ length: 500 }, (_, i) => `- note ${i}`), '',
  ].join('\n');

  test('a document that fits is returned as it is', () => {
    expect(fitMarkdown(doc, 'elsewhere', 10_000_000)).toBe(doc);
    expect(JOB_SUMMARY_MAX_BYTES).toBe(1_000_000);
  });

  test('tables and lists keep the same first rows each, and say how many they left out and where they all are', () => {
    const fitted = fitMarkdown(doc, 'keyless-report.md has all of them', 100_000);
    expect(Buffer.byteLength(fitted, 'utf8')).toBeLessThanOrEqual(100_000);
    const lines = fitted.split('\n');
    const kept = lines.filter((l) => l.startsWith('| Identities row')).length;
    expect(kept).toBeGreaterThan(100);
    expect(lines.filter((l) => l.startsWith('| Findings row'))).toHaveLength(Math.min(200, kept));
    expect(lines.filter((l) => l.startsWith('- note'))).toHaveLength(Math.min(500, kept));
    expect(fitted).toContain(`_${(3000 - kept).toLocaleString('en-US')} more rows not shown (a job summary holds at most 1 MiB): keyless-report.md has all of them._`);
    for (const kept of ['# Report', '## Identities', '| a | b |', '|---|---:|', '## Findings', '```mermaid', '- not a list item', '## Notes']) expect(lines).toContain(kept);
    // the kept rows are the first ones, in order
    expect(lines.filter((l) => l.startsWith('| Identities row')).slice(0, 2)).toEqual([`| Identities row 0 ${'x'.repeat(80)} | 0 |`, `| Identities row 1 ${'x'.repeat(80)} | 1 |`]);
  });
});
