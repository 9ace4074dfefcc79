/**
 * Issue 15, item 1: one report per run that agrees wherever it is produced. Each example stage is synthesized the way
 * `npm run synth` does (CDK app with the validation plugin, CDKTF app with the aspect, then the inventory over both
 * outputs), and `keyless report` runs over the same outputs: the CDK plugin's, the cdktf aspect's and the combined
 * reports must tell the same story.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES, runStage } from '../../examples/synth-all';
import { main } from '../../lib/cli/main';
import { loadPath } from '../../lib/guardrails/normalize/load';
import { InventoryReport, renderReportMarkdown, ReportIdentity } from '../../lib/guardrails/report';
import { NOW, readJson, tempDir } from './support';

jest.setTimeout(180_000);

interface Produced {
  readonly label: string;
  readonly cdk?: InventoryReport;
  readonly cdktf?: InventoryReport;
  readonly combined: InventoryReport;
  readonly cli: InventoryReport;
  /** Address -> construct path of every resource of the outputs that has one. */
  readonly constructPaths: Map<string, string>;
}

const STAGES: Array<[string, string]> = [['lambda-snowflake-entra', ''], ['migration', 'legacy'], ['migration', 'federated']];

async function cliReport(cwd: string, paths: string[], exemptionsFile?: string): Promise<InventoryReport> {
  let out = '';
  let err = '';
  const status = await main(['report', ...paths, '--format', 'json', ...(exemptionsFile ? ['--exemptions', exemptionsFile] : [])], {
    stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, cwd, env: { KEYLESS_NOW: NOW }, stderrIsTty: false,
  });
  expect([status, err]).toEqual([0, '']);
  return JSON.parse(out);
}

/** The trust a row is about, whichever side it was read from. */
const trustKey = (t: ReportIdentity) => JSON.stringify([t.targetKind, t.subject, t.audience]);

describe('the CDK plugin, the cdktf aspect and the combined inventory agree', () => {
  const root = tempDir('agreement');
  const produced: Produced[] = [];

  beforeAll(async () => {
    const baselines = new Map<string, InventoryReport>();
    for (const [name, dir] of STAGES) {
      const example = EXAMPLES.find((e) => e.name === name)!;
      const stage = example.stages.find((s) => s.dir === dir)!;
      const result = await runStage(example, stage, root, new Date(NOW), baselines);
      const read = (out: string) => (fs.existsSync(path.join(result.dir, out, 'keyless-report.json')) ? readJson(path.join(result.dir, out, 'keyless-report.json')) : undefined);
      const outputs = ['cdk.out', 'cdktf.out'].filter((o) => fs.existsSync(path.join(result.dir, o)));
      const constructPaths = new Map<string, string>();
      for (const set of (await Promise.all(outputs.map((o) => loadPath(path.join(result.dir, o))))).flat()) {
        for (const r of set.resources) if (r.constructPath) constructPaths.set(r.address, r.constructPath.replace(/^\//, ''));
      }
      produced.push({
        label: `${name}${dir ? `/${dir}` : ''}`, cdk: read('cdk.out'), cdktf: read('cdktf.out'), combined: result.report,
        cli: await cliReport(result.dir, outputs, stage.exemptionsFile), constructPaths,
      });
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('every stage produced all of its reports', () => {
    expect(produced.map((p) => [p.label, p.cdk !== undefined, p.cdktf !== undefined])).toEqual([
      ['lambda-snowflake-entra', true, true], ['migration/legacy', true, true], ['migration/federated', true, true],
    ]);
    expect(produced.map((p) => [p.cdk?.run?.producer, p.cdktf?.run?.producer, p.combined.run?.producer, p.cli.run?.producer]))
      .toEqual(STAGES.map(() => ['cdk-plugin', 'cdktf-aspect', 'library', 'cli']));
    expect(produced[0].combined.run?.inputs).toEqual(['cdk.out', 'cdktf.out']);
  });

  test('lambda-snowflake-entra: both trusts, with issuer, subject, audience and algorithm, in all four reports', () => {
    const { cdk, cdktf, combined, cli } = produced[0];
    const ARN = 'arn:aws:iam::111122223333:role/workloads/orders-etl';
    const ISSUER = 'https://4d2c6f1e-8b3a-4c5d-9e7f-1a2b3c4d5e6f.tokens.sts.global.api.aws';
    const facts = (r: InventoryReport) => r.identities.map((t) => [t.targetKind, t.issuer, t.subject, t.audience, t.algorithm]).sort();
    const expected = [['entra', ISSUER, ARN, 'api://AzureADTokenExchange', 'RS256'], ['snowflake', ISSUER, ARN, 'snowflakecomputing.com', 'ES384']];
    for (const report of [cdk!, cdktf!, combined, cli]) expect(facts(report)).toEqual(expected);
    // the CDK side names the role by its construct path; the combined row merges it into the relying party's row
    expect(cdk!.identities.map((t) => t.workload)).toEqual(['OrdersEtl/Role/Resource', 'OrdersEtl/Role/Resource']);
    expect(combined.identities.map((t) => [t.workload, t.resource]).sort()).toEqual([
      ['OrdersEtl/Role/Resource', expect.stringMatching(/^azuread_application_federated_identity_credential\./)],
      ['OrdersEtl/Role/Resource', expect.stringMatching(/^snowflake_execute\./)],
    ]);
    expect(combined.identities.map((t) => t.target).sort()).toEqual(['orders-etl-trust/Graph/Application (orders-etl-graph)', 'orders-etl-trust/Warehouse/User (ORDERS_ETL_SVC)']);
    expect(renderReportMarkdown(cdk!)).toContain(`| OrdersEtl/Role/Resource | snowflakecomputing.com | snowflake | ${ISSUER} | ${ARN} | snowflakecomputing.com | ES384 | \`Role1ABCC5F0\``);
  });

  test('every trust row of the plugin\'s and the aspect\'s report is in the combined report with the same facts', () => {
    for (const p of produced) {
      for (const combinedLike of [p.combined, p.cli]) {
        const byKey = new Map(combinedLike.identities.map((t) => [trustKey(t), t]));
        for (const side of [p.cdk!, p.cdktf!]) {
          for (const row of side.identities) {
            const merged = byKey.get(trustKey(row));
            expect([p.label, merged && { issuer: merged.issuer, subject: merged.subject, audience: merged.audience, algorithm: merged.algorithm }])
              .toEqual([p.label, { issuer: row.issuer, subject: row.subject, audience: row.audience, algorithm: row.algorithm }]);
            // the same workload name; a report that sees only the relying party knows the role by its ARN (the subject)
            if (row.workload !== row.subject) expect([p.label, merged!.workload]).toEqual([p.label, row.workload]);
          }
        }
        expect(combinedLike.identities.length).toBe(byKey.size); // one row per trust
      }
    }
  });

  test('no contradictory value anywhere: a trust has one issuer and algorithm in every report and every federation pair', () => {
    for (const p of produced) {
      const seen = new Map<string, string>();
      const rows = [p.cdk!, p.cdktf!, p.combined, p.cli].flatMap((r) => r.identities);
      for (const t of rows) {
        for (const [field, value] of [['issuer', t.issuer], ['algorithm', t.algorithm]] as const) {
          if (value === undefined) continue;
          const key = `${trustKey(t)} ${field}`;
          expect([p.label, key, value]).toEqual([p.label, key, seen.get(key) ?? value]);
          seen.set(key, value);
        }
      }
      for (const pair of [...(p.combined.federation ?? []), ...(p.cli.federation ?? [])]) {
        const key = `${JSON.stringify([pair.targetKind, pair.workload, pair.audience])} algorithm`;
        expect([p.label, pair.algorithm]).toEqual([p.label, seen.get(key) ?? pair.algorithm]);
      }
      expect(p.cli.identities).toEqual(p.combined.identities);
      expect(p.cli.findings.map((f) => [f.ruleId, f.resource, f.name, f.severity])).toEqual(p.combined.findings.map((f) => [f.ruleId, f.resource, f.name, f.severity]));
    }
  });

  test('readable names: a resource with a construct path is never named by its logical id or address', () => {
    for (const p of produced) {
      const hashed = new Set(p.constructPaths.keys());
      for (const report of [p.cdk!, p.cdktf!, p.combined, p.cli]) {
        for (const f of report.findings) {
          expect([p.label, f.resource, f.name]).toEqual([p.label, f.resource, p.constructPaths.get(f.resource) ?? f.resource]);
        }
        for (const t of report.identities) {
          expect([p.label, hashed.has(t.workload), [...hashed].some((a) => t.target.includes(a))]).toEqual([p.label, false, false]);
        }
        const labels = [...report.mermaid.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
        for (const label of labels) expect([p.label, label, [...hashed].some((a) => label.includes(a))]).toEqual([p.label, label, false]);
      }
    }
    // the legacy stage has findings: they are named by construct path
    expect(produced[1].combined.findings.map((f) => [f.ruleId, f.name])).toEqual([
      ['KL-AWS-01', 'OrdersSyncLegacy/SyncUserKey/Resource'],
      ['KL-SF-01', 'orders-sync-legacy/SyncUser'],
    ]);
  });

  test('Markdown lists only the rules that fired, then one line for the rest; the JSON keeps every rule', () => {
    for (const p of produced) {
      for (const report of [p.cdk!, p.cdktf!, p.combined]) {
        const md = renderReportMarkdown(report);
        const section = md.slice(md.indexOf('## Findings per rule'), md.indexOf('## Who trusts whom'));
        const fired = report.rules.filter((r) => r.errors + r.warnings > 0).map((r) => r.ruleId);
        expect(section.split('\n').filter((l) => l.startsWith('| KL-')).map((l) => l.split(' | ')[0].slice(2))).toEqual(fired);
        expect(section).toContain(`${report.rules.length - fired.length} ${fired.length > 0 ? 'other ' : ''}rules: no findings.`);
        expect(report.rules.length).toBeGreaterThanOrEqual(28);
      }
    }
    expect(produced[1].combined.rules.filter((r) => r.errors + r.warnings > 0).map((r) => r.ruleId)).toEqual(['KL-AWS-01', 'KL-SF-01']);
  });

  test('no Mermaid graph has an edge from a node to itself, or from a credential to the resource it is on', () => {
    for (const p of produced) {
      for (const report of [p.cdk!, p.cdktf!, p.combined, p.cli]) {
        const labels = new Map([...report.mermaid.matchAll(/^\s+(n\d+)[[(>]"([^"]*)"/gm)].map((m) => [m[1], m[2]]));
        for (const [, from, to] of report.mermaid.matchAll(/^\s+(n\d+) -[.-]*->\|"[^"]*"\| (n\d+)$/gm)) {
          expect([p.label, from === to]).toEqual([p.label, false]);
          const target = labels.get(to)!;
          expect([p.label, labels.get(from)!.endsWith(` ${target}`)]).toEqual([p.label, false]);
        }
      }
    }
    // the legacy Snowflake password is drawn on its user
    expect(produced[1].combined.mermaid).toContain('>"KL-SF-01 on orders-sync-legacy/SyncUser"]');
    // the access key points at its user, shown by the user's construct path
    expect(produced[1].combined.mermaid).toContain('["OrdersSyncLegacy/SyncUser/Resource"]');
  });

  test('the Markdown header says when, by which version and from where, once', () => {
    const md = renderReportMarkdown(produced[0].combined);
    expect(md.split('\n')[2]).toBe(`Generated ${new Date(NOW).toISOString()} by cdk-keyless ${produced[0].combined.tool.version}.`);
    expect(md.split(new Date(NOW).toISOString()).length - 1).toBe(1);
  });
});
