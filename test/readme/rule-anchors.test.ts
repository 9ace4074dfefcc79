/**
 * `keyless check --format sarif` links every rule to its row in README.md's rule catalog: `helpUri` is
 * `${INFORMATION_URI}#<rule id in lower case>`. For every rule of the code's catalog this checks that the SARIF
 * the real formatter emits (descriptors and results) points at an anchor README.md has, that the catalog table
 * has exactly one row per rule with an explicit anchor and the rule's severity, and that every in-page link of
 * the README lands on an anchor.
 */
import * as fs from 'fs';
import * as path from 'path';
import { INFORMATION_URI, toSarif } from '../../lib/guardrails/format/sarif';
import { Evaluation, Finding } from '../../lib/guardrails/model';
import { CATALOG } from '../../lib/guardrails/rules';
import { anchors, readReadme, REPO_ROOT } from './readme';

const readme = readReadme();
const readmeAnchors = anchors(readme);

/** The rows of the table under "### Rule catalog": rule id -> cells. */
function catalogRows(): { id: string; cells: string[] }[] {
  const lines = readme.split('\n');
  const heading = lines.findIndex((l) => /^#{2,4}\s+Rule catalog\s*$/.test(l));
  expect(heading).toBeGreaterThanOrEqual(0);
  const header = lines.findIndex((l, i) => i > heading && /^\|\s*id\s*\|/.test(l));
  const rows: { id: string; cells: string[] }[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.push({ id: cells[0].replace(/<a\s[^>]*><\/a>/g, '').trim(), cells });
  }
  return rows;
}

/** One finding per catalog rule, as the evaluator would report them. */
function evaluationWithEveryRule(): Evaluation {
  const findings: Finding[] = CATALOG.map((rule, i) => ({
    ruleId: rule.id,
    severity: rule.severity,
    file: path.join(REPO_ROOT, 'cdk.out', 'Stack.template.json'),
    resource: `Resource${i}`,
    resourceType: 'AWS::IAM::AccessKey',
    engine: 'cloudformation',
    message: `${rule.title} (test finding)`,
  }));
  return { findings, trusts: [], resourceCount: findings.length, notes: [] };
}

describe('README.md rule catalog anchors', () => {
  const sarif = toSarif(evaluationWithEveryRule(), { cwd: REPO_ROOT, version: '0.0.0', readFile: () => undefined }) as any;
  const driver = sarif.runs[0].tool.driver;

  test('INFORMATION_URI is where README.md is rendered', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const repository = String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
    expect(driver.informationUri).toBe(INFORMATION_URI);
    // GitHub renders README.md on the repository's home page, and a fragment there reaches the README's
    // `id="..."` anchors (GitHub prefixes them with user-content- and resolves the bare fragment), as it does
    // on the README.md file page itself.
    expect([repository, `${repository}/blob/main/README.md`, `${repository}#readme`]).toContain(INFORMATION_URI);
  });

  test('SARIF has one descriptor per catalog rule', () => {
    expect(driver.rules.map((r: any) => r.id)).toEqual(CATALOG.map((r) => r.id));
  });

  test.each(CATALOG.map((r) => [r.id]))('%s: helpUri points at an anchor of README.md', (id) => {
    const descriptor = driver.rules.find((r: any) => r.id === id);
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === id);
    expect(driver.rules[result.ruleIndex]).toBe(descriptor);
    const [base, fragment] = String(descriptor.helpUri).split('#');
    expect(base).toBe(INFORMATION_URI);
    expect(fragment).toBe(id.toLowerCase());
    expect(readmeAnchors.has(fragment)).toBe(true);
  });

  test('the catalog table has one row per rule of the code, in catalog order, each with its explicit anchor and severity', () => {
    const rows = catalogRows();
    expect(rows.map((r) => r.id)).toEqual(CATALOG.map((r) => r.id));
    for (const rule of CATALOG) {
      const row = rows.find((r) => r.id === rule.id)!;
      expect(row.cells[0]).toBe(`<a id="${rule.id.toLowerCase()}"></a>${rule.id}`);
      expect(row.cells[1].split(/\s*\/\s*/)).toContain(rule.severity);
    }
  });

  test('every in-page link of README.md lands on an anchor', () => {
    const links = [...readme.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !readmeAnchors.has(l))).toEqual([]);
  });
});
