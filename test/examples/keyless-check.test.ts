/**
 * `keyless check` as CI runs it (a subprocess, `node bin/keyless`) over what the paved-road examples synthesize:
 * the federated apps pass with no finding at all; the legacy migration stage fails without its exemptions,
 * passes with them while they last, and fails again once they have expired.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildCdkApp as buildEtlCdkApp } from '../../examples/lambda-snowflake-entra/cdk-app';
import { buildTerraformApp as buildEtlTerraformApp } from '../../examples/lambda-snowflake-entra/terraform-app';
import { buildCdkApp as buildLegacyCdkApp } from '../../examples/migration/legacy/cdk-app';
import { buildTerraformApp as buildLegacyTerraformApp } from '../../examples/migration/legacy/terraform-app';
import { NOW, tempDir } from './support';

const ROOT = path.join(__dirname, '..', '..');
const EXEMPTIONS = path.join(ROOT, 'examples', 'migration', 'exemptions.json');

function keyless(args: string[], now: string): { code: number | null; json: any; stderr: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'test', 'support', 'keyless-from-source.js'), ...args], {
    // the CLI from the sources: bin/keyless runs the same entry point compiled (the consumer test runs that)
    env: { ...process.env, KEYLESS_NOW: now },
    encoding: 'utf8',
  });
  return { code: run.status, json: run.stdout ? JSON.parse(run.stdout) : undefined, stderr: run.stderr };
}

describe('keyless check over the examples\' cdk.out and cdktf.out', () => {
  let dir: string;

  beforeAll(() => {
    dir = tempDir('check');
    jest.spyOn(console, 'error').mockImplementation(() => undefined); // the legacy synth prints its exempted warnings
    buildEtlCdkApp(path.join(dir, 'etl', 'cdk.out'), { now: NOW }).synth();
    buildEtlTerraformApp(path.join(dir, 'etl', 'cdktf.out'), { now: NOW }).synth();
    buildLegacyCdkApp(path.join(dir, 'legacy', 'cdk.out'), { now: NOW }).synth();
    buildLegacyTerraformApp(path.join(dir, 'legacy', 'cdktf.out'), { now: NOW }).synth();
  });
  afterAll(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the federated example: exit 0, no finding, its federated trusts counted', () => {
    const run = keyless(['check', path.join(dir, 'etl', 'cdk.out'), path.join(dir, 'etl', 'cdktf.out'), '--format', 'json'], NOW);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json.findings).toEqual([]);
    expect(run.json.summary).toMatchObject({ errors: 0, warnings: 0, exempted: 0 });
    expect(run.json.summary.federatedIdentities).toBeGreaterThanOrEqual(2);
  });

  const legacy = () => [path.join(dir, 'legacy', 'cdk.out'), path.join(dir, 'legacy', 'cdktf.out')];

  test('the legacy stage without exemptions: exit 1 on the access key and the Snowflake password', () => {
    const run = keyless(['check', ...legacy(), '--format', 'json'], NOW);
    expect(run.code).toBe(1);
    expect(run.json.findings.map((f: any) => [f.ruleId, f.severity, f.resource])).toEqual(expect.arrayContaining([
      ['KL-AWS-01', 'error', 'SyncUserKeyD048EAFF'],
      ['KL-SF-01', 'error', 'snowflake_user.SyncUser'],
    ]));
    expect(run.json.summary.errors).toBe(2);
  });

  test('with its exemptions: exit 0 while they last, both findings reported as exempted warnings', () => {
    const run = keyless(['check', ...legacy(), '--format', 'json', '--exemptions', EXEMPTIONS], NOW);
    expect(run.code).toBe(0);
    expect(run.json.findings.map((f: any) => [f.ruleId, f.severity])).toEqual(expect.arrayContaining([
      ['KL-AWS-01', 'warning'],
      ['KL-SF-01', 'warning'],
    ]));
    expect(run.json.summary).toMatchObject({ errors: 0, exempted: 2 });
  });

  test('the day after the exemptions expire: exit 1 again', () => {
    const run = keyless(['check', ...legacy(), '--format', 'json', '--exemptions', EXEMPTIONS], '2027-04-01');
    expect(run.code).toBe(1);
    expect(run.json.summary.errors).toBe(2);
    expect(run.json.findings.every((f: any) => /expired on 2027-03-31/.test(f.message))).toBe(true);
  });
});
