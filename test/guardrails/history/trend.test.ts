import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  buildTrend, readSnapshotFiles, renderTrendMarkdown, Snapshot, trendChart, TREND_SCHEMA, UNOWNED,
} from '../../../lib/guardrails/history';
import { FindingSpec, report } from './reports';

const NOW = new Date('2026-06-01T00:00:00Z');

function snapshot(label: string, generatedAt: string, findings: readonly FindingSpec[], trusts = 0): Snapshot {
  return { origin: { label, source: `${label}.json`, date: generatedAt }, report: report(generatedAt, findings, trusts) };
}

const KEY = { ruleId: 'KL-AWS-01', resource: 'DeployKey' };
const PASSWORD = { ruleId: 'KL-SF-01', resource: 'snowflake_user.etl', file: 'cdktf.out/stacks/etl/cdk.tf.json' };
const SECRET = { ruleId: 'KL-AZ-01', resource: 'azuread_application_password.ci', file: 'cdktf.out/stacks/ci/cdk.tf.json' };
const LOOSE_TRUST = { ruleId: 'KL-TR-02', resource: 'DeployRole' };

describe('buildTrend', () => {
  const series = [
    snapshot('a', '2026-01-01T00:00:00Z', [
      { ...KEY, owner: '@acme/payments' },
      { ...PASSWORD, exemption: { owner: 'data@acme.example', expires: '2026-06-20' } },
      { ...SECRET },
      LOOSE_TRUST,
    ]),
    snapshot('b', '2026-02-01T00:00:00Z', [
      { ...KEY, owner: '@acme/payments' },
      { ...PASSWORD, exemption: { owner: 'data@acme.example', expires: '2026-06-20' } },
      { ruleId: 'KL-AWS-01', resource: 'ReportKey', owner: '@acme/payments' },
    ], 1),
    snapshot('c', '2026-03-01T00:00:00Z', [
      { ...KEY, owner: '@acme/payments' },
      { ruleId: 'KL-AWS-01', resource: 'ReportKey', owner: '@acme/payments' },
      { ...PASSWORD, exemption: { owner: 'data@acme.example', expires: '2026-05-30' } },
    ], 3),
  ];
  const trend = buildTrend(series, NOW);

  test('per point: credentials (trust findings not counted), federated trusts, errors, exempted', () => {
    expect(trend.points.map((p) => [p.label, p.credentials, p.federatedTrusts, p.errors, p.exempted])).toEqual([
      ['a', 3, 0, 3, 1], ['b', 3, 1, 2, 1], ['c', 3, 3, 2, 1],
    ]);
  });

  test('per kind: rows in kind order, one count per point; the kind comes from the rule when the report has none', () => {
    expect(trend.kinds.map((k) => [k.kind, k.label, k.counts])).toEqual([
      ['iam-access-key', 'IAM access key', [1, 2, 2]],
      ['snowflake-password', 'Snowflake password', [1, 1, 1]],
      ['entra-secret', 'Entra client secret', [1, 0, 0]],
    ]);
  });

  test('per owner: the finding\'s owner, else the exemption\'s, else (unowned); lagging owners first', () => {
    expect(trend.owners).toEqual([
      { owner: '@acme/payments', counts: [1, 2, 2], change: 1 },
      { owner: 'data@acme.example', counts: [1, 1, 1], change: 0 },
      { owner: UNOWNED, counts: [1, 0, 0], change: -1 },
    ]);
  });

  test('per step: retired and added, matched as the baseline scoreboard matches (rule, resource, file)', () => {
    expect(trend.steps.map((s) => [s.from, s.to, s.retired.map((f) => `${f.ruleId} ${f.resource}`), s.added.map((f) => `${f.ruleId} ${f.resource}`), s.retiredCredentials, s.addedCredentials])).toEqual([
      ['a', 'b', ['KL-AZ-01 azuread_application_password.ci', 'KL-TR-02 DeployRole'], ['KL-AWS-01 ReportKey'], 1, 1],
      ['b', 'c', [], [], 0, 0],
    ]);
    expect(trend.steps[0].retired[1]).toMatchObject({ category: 'trust', owner: UNOWNED });
    expect(trend.steps[0].retired[1].kind).toBeUndefined();
    expect(trend.steps[0].added[0]).toMatchObject({ category: 'credential', kind: 'iam-access-key', owner: '@acme/payments' });
  });

  test('a finding that moved to another output directory is no churn', () => {
    const moved = buildTrend([
      snapshot('a', '2026-01-01T00:00:00Z', [{ ...KEY, file: 'old/cdk.out/App.template.json' }]),
      snapshot('b', '2026-02-01T00:00:00Z', [{ ...KEY, file: 'build/cdk.out/App.template.json' }]),
    ], NOW);
    expect(moved.steps[0]).toMatchObject({ retired: [], added: [] });
  });

  test('the last point\'s exemptions: expired ones and those lapsing within 30 days of the clock', () => {
    expect(trend.expiredExemptions.map((e) => [e.ruleId, e.resource, e.expires])).toEqual([['KL-SF-01', 'snowflake_user.etl', '2026-05-30']]);
    expect(trend.expiringExemptions).toEqual([]);
    const later = buildTrend(series.slice(0, 2), NOW);
    expect(later.expiringExemptions.map((e) => [e.ruleId, e.owner, e.daysLeft])).toEqual([['KL-SF-01', 'data@acme.example', 19]]);
    expect(buildTrend(series.slice(0, 2), new Date('2026-05-01T00:00:00Z')).expiringExemptions).toEqual([]);
  });

  test('fewer than two snapshots is no trend', () => {
    expect(() => buildTrend(series.slice(0, 1), NOW)).toThrow('a trend needs at least 2 report snapshots, got 1');
  });

  test('JSON shape: schema, clock, points, kinds, owners, steps, exemptions', () => {
    const json = JSON.parse(JSON.stringify(trend));
    expect(Object.keys(json)).toEqual(['schema', 'generatedAt', 'points', 'kinds', 'owners', 'steps', 'expiringExemptions', 'expiredExemptions']);
    expect(json.schema).toBe(TREND_SCHEMA);
    expect(json.generatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(json.points[0]).toEqual({
      label: 'a', source: 'a.json', date: '2026-01-01T00:00:00Z', generatedAt: '2026-01-01T00:00:00Z', credentials: 3,
      byKind: { 'iam-access-key': 1, 'snowflake-password': 1, 'entra-secret': 1 },
      byOwner: { '@acme/payments': 1, 'data@acme.example': 1, [UNOWNED]: 1 },
      federatedTrusts: 0, errors: 3, exempted: 1,
    });
    expect(Object.keys(json.steps[0])).toEqual(['from', 'to', 'retired', 'added', 'retiredCredentials', 'addedCredentials']);
  });

  test('Markdown: headline, chart with caption, per-kind and per-owner tables, steps, expired exemptions', () => {
    const md = renderTrendMarkdown(trend);
    expect(md).toContain('**Long-lived credentials: 3 -> 3 over 3 snapshots; federated trusts 0 -> 3**');
    expect(md).toContain('```mermaid\nxychart-beta\n  title "Long-lived credentials and federated trusts"\n  x-axis ["a", "b", "c"]\n'
      + '  y-axis "count" 0 --> 3\n  bar [3, 3, 3]\n  line [0, 1, 3]\n```\n\n_Bars: long-lived credentials left at each snapshot. Line: federated trusts._');
    expect(md).toContain('| kind | a | b | c |\n|---|---:|---:|---:|\n| IAM access key | 1 | 2 | 2 |\n| Snowflake password | 1 | 1 | 1 |\n| Entra client secret | 1 | 0 | 0 |');
    expect(md).toContain('| owner | a | b | c | change |\n|---|---:|---:|---:|---:|\n| @acme/payments | 1 | 2 | 2 | +1 |\n| data@acme.example | 1 | 1 | 1 | 0 |\n| (unowned) | 1 | 0 | 0 | -1 |');
    expect(md).toContain('### a -> b: 2 retired, 1 added\n\n- retired **KL-AZ-01** `azuread_application_password.ci`: Entra client secret, (unowned)\n'
      + '- retired **KL-TR-02** `DeployRole`: trust finding, (unowned)\n- added **KL-AWS-01** `ReportKey`: IAM access key, @acme/payments');
    expect(md).toContain('### b -> c: 0 retired, 0 added\n\nNo finding retired or added.');
    expect(md).toContain('### Expired\n\nThese exemptions of the last snapshot had lapsed by 2026-06-01: their findings fail the build.\n\n'
      + '| rule | resource | owner | expires | days left |\n|---|---|---|---|---:|\n| KL-SF-01 | `snowflake_user.etl` | data@acme.example | 2026-05-30 | -2 |');
  });

  test('no credentials at any point: the tables say so, the chart still has an axis', () => {
    const clean = buildTrend([snapshot('a', '2026-01-01T00:00:00Z', [], 1), snapshot('b', '2026-02-01T00:00:00Z', [], 2)], NOW);
    expect(trendChart(clean).slice(3)).toEqual(['  y-axis "count" 0 --> 2', '  bar [0, 0]', '  line [1, 2]']);
    expect(renderTrendMarkdown(clean)).toContain('## Long-lived credentials by kind\n\nNo long-lived credentials at any snapshot.');
  });
});

describe('adversarial report contents', () => {
  test('owner and kind names such as __proto__ and constructor are plain keys, never the prototype', () => {
    const trend = buildTrend([
      snapshot('a', '2026-01-01T00:00:00Z', [
        { ...KEY, owner: '__proto__', kind: '__proto__' },
        { ruleId: 'KL-AWS-01', resource: 'K2', owner: 'constructor' },
      ]),
      snapshot('b', '2026-02-01T00:00:00Z', [{ ruleId: 'KL-AWS-01', resource: 'K3', owner: 'toString' }]),
    ], NOW);
    expect(trend.owners).toEqual([
      { owner: 'toString', counts: [0, 1], change: 1 },
      { owner: '__proto__', counts: [1, 0], change: -1 },
      { owner: 'constructor', counts: [1, 0], change: -1 },
    ]);
    // an unknown kind falls back to the rule's kind
    expect(trend.kinds).toEqual([{ kind: 'iam-access-key', label: 'IAM access key', counts: [2, 1] }]);
    expect(Object.getPrototypeOf(trend.points[0].byOwner)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(trend.points[0].byOwner, '__proto__')).toBe(true);
    expect(({} as any).polluted).toBeUndefined();
  });

  test('an owner that is not a string falls back to the exemption\'s owner; a blank one to (unowned)', () => {
    const r = report('2026-01-01T00:00:00Z', [{ ...KEY, exemption: { owner: 'data@acme.example', expires: '2027-01-01' } }, { ruleId: 'KL-AWS-01', resource: 'K2', owner: '  ' }]);
    r.findings[0].owner = { name: 42 };
    const trend = buildTrend([{ origin: { label: 'a', source: 'a', date: r.generatedAt }, report: r }, snapshot('b', '2026-02-01T00:00:00Z', [])], NOW);
    expect(trend.owners.map((o) => o.owner)).toEqual([UNOWNED, 'data@acme.example']);
  });

  test('labels, owners and resources cannot break the chart or the tables', () => {
    const evil = 'x"]\n  line [99';
    const trend = buildTrend([
      { origin: { label: evil, source: 'a', date: '2026-01-01T00:00:00Z' }, report: report('2026-01-01T00:00:00Z', [{ ...KEY, resource: 'a|b\n# c', owner: 't|eam\n| x |' }]) },
      snapshot('b', '2026-02-01T00:00:00Z', []),
    ], NOW);
    const chart = trendChart(trend);
    expect(chart[2]).toBe('  x-axis ["x___  line _99", "b"]');
    expect(chart).toHaveLength(6);
    const md = renderTrendMarkdown(trend);
    expect(md).toContain('| t\\|eam \\| x \\| | 1 | 0 | -1 |');
    expect(md).toContain('- retired **KL-AWS-01** `a\\|b # c`: IAM access key, t\\|eam \\| x \\|');
    expect(md.split('\n').filter((l) => l.startsWith('  line '))).toEqual(['  line [0, 0]']);
  });
});

/** A report whose one finding has these fields replaced. */
function withFinding(fields: object): string {
  const r = report('2026-01-01T00:00:00Z', [KEY]);
  r.findings[0] = { ...r.findings[0], ...fields };
  return JSON.stringify(r);
}

describe('readSnapshotFiles', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-history-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, doc: unknown) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(doc));
    return name;
  };

  test('ordered by generatedAt whatever the order given; labelled by short commit, else date', () => {
    write('new.json', report('2026-03-01T10:00:00Z', [], 0, '0123456789abcdef0123456789abcdef01234567'));
    write('old.json', report('2026-01-01T10:00:00Z', [KEY]));
    write('mid.json', report('2026-02-01T10:00:00Z', [KEY, PASSWORD]));
    const read = readSnapshotFiles(['new.json', 'old.json', 'mid.json'], dir);
    expect(read.map((s) => [s.origin.label, s.origin.source, s.origin.commit])).toEqual([
      ['2026-01-01', 'old.json', undefined], ['2026-02-01', 'mid.json', undefined], ['0123456', 'new.json', '0123456789abcdef0123456789abcdef01234567'],
    ]);
  });

  test('a directory: its *.json snapshots and */keyless-report.json by name, keyless-trend.json skipped; equal times keep that order', () => {
    write('series/2-bridged.json', report('2026-01-01T00:00:00Z', [KEY]));
    write('series/1-legacy.json', report('2026-01-01T00:00:00Z', [KEY, PASSWORD]));
    write('series/3-done/keyless-report.json', report('2026-01-01T00:00:00Z', []));
    write('series/keyless-trend.json', { schema: TREND_SCHEMA });
    fs.writeFileSync(path.join(dir, 'series', 'notes.md'), '# not a snapshot');
    const read = readSnapshotFiles(['series'], dir);
    // all three share a date: the points are named by file (or directory) instead
    expect(read.map((s) => [s.origin.label, s.origin.source])).toEqual([
      ['1-legacy', 'series/1-legacy.json'], ['2-bridged', 'series/2-bridged.json'], ['3-done', 'series/3-done/keyless-report.json'],
    ]);
  });

  test('a directory holding keyless-report.json is one snapshot (cdk.out reports below it are not read)', () => {
    write('stage/keyless-report.json', report('2026-01-01T00:00:00Z', [KEY]));
    write('stage/cdk.out/keyless-report.json', report('2026-01-01T00:00:00Z', []));
    expect(readSnapshotFiles(['stage'], dir).map((s) => s.origin.source)).toEqual(['stage/keyless-report.json']);
  });

  test('a date label is the UTC day of the run time, whatever offset the report was written with', () => {
    write('a.json', report('2026-01-05T23:30:00-05:00', []));
    write('b.json', report('2026-01-05T12:00:00Z', []));
    expect(readSnapshotFiles(['a.json', 'b.json'], dir).map((s) => s.origin.label)).toEqual(['2026-01-05', '2026-01-06']);
  });

  test('labels still shared after naming get a counter', () => {
    write('a/keyless-report.json', report('2026-01-01T00:00:00Z', []));
    write('b/a/keyless-report.json', report('2026-01-01T00:00:00Z', []));
    expect(readSnapshotFiles(['a', 'b/a'], dir).map((s) => s.origin.label)).toEqual(['a', 'a (2)']);
  });

  test.each([
    ['not JSON', '{"schema": ', /^x\.json: malformed JSON: /],
    ['not a report', '{"hello": 1}', /^x\.json: not a keyless report: "schema" is undefined, expected "cdk-keyless\/report@1"/],
    ['a newer schema', JSON.stringify({ ...report('2026-01-01T00:00:00Z', []), schema: 'cdk-keyless/report@2' }),
      /^x\.json: report schema "cdk-keyless\/report@2" is newer than this keyless reads \("cdk-keyless\/report@1"\); upgrade cdk-keyless$/],
    ['a generatedAt that is no date', JSON.stringify({ ...report('2026-01-01T00:00:00Z', []), generatedAt: 'yesterday' }),
      /^x\.json: not a keyless report: "generatedAt" "yesterday" is not an ISO date-time$/],
    ['a run.commit that is no string', JSON.stringify({ ...report('2026-01-01T00:00:00Z', []), run: { commit: 7 } }),
      /^x\.json: not a keyless report: "run" must be an object whose "commit" is a string$/],
    ['a finding without a resource', JSON.stringify({ ...report('2026-01-01T00:00:00Z', []), findings: [{ ruleId: 'KL-AWS-01', file: 'f' }] }),
      /^x\.json: not a keyless report: findings\[0\] needs ruleId, resource and file strings$/],
    ['a trend, not a report', JSON.stringify({ schema: TREND_SCHEMA }), /^x\.json: not a keyless report: "schema" is "cdk-keyless\/trend@1"/],
    ['an exemption that is not an object', withFinding({ exemption: 'until 2027' }),
      /^x\.json: not a keyless report: findings\[0\]\.exemption must be an object with "owner", "status" and "expires" \(YYYY-MM-DD\) strings$/],
    ['an exemption without an expiry date', withFinding({ exemption: { owner: 'a', status: 'active', expires: 'soon' } }), /findings\[0\]\.exemption must be/],
    ['an owner without a name', withFinding({ owner: 'team-a' }), /^x\.json: not a keyless report: findings\[0\]\.owner must be an object with a "name" string$/],
    ['an unknown severity', withFinding({ severity: 'fatal' }), /^x\.json: not a keyless report: findings\[0\]\.severity "fatal" is not "error" or "warning"$/],
  ])('%s: an error naming the file', (_what, text, message) => {
    fs.writeFileSync(path.join(dir, 'x.json'), text);
    expect(() => readSnapshotFiles(['x.json'], dir)).toThrow(message);
  });

  test('a missing path and an empty directory are named', () => {
    expect(() => readSnapshotFiles(['nope.json'], dir)).toThrow(/^nope\.json: no such file or directory$/);
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(() => readSnapshotFiles(['empty'], dir)).toThrow(/^empty: no report snapshots found/);
  });
});
