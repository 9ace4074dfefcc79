/**
 * Whether `keyless check` stays linear in the shapes an organization's configuration takes, where one index key
 * holds every entry (diagnostic; not part of `npm run bench`):
 *   npx ts-node -P bench/tsconfig.json bench/diagnostics/org-scale.ts [N]
 * For N and 4N roles (default N = 4,000) it checks, in-process as B4 does (the CLI's `main`, after one warm-up run):
 * - one managed policy attached to every role (`aws_iam_role_policy_attachment`), all roles in one account;
 * - a plan naming every role, and a configuration whose roles have no account (`--plan` gives them one), each
 *   minting for an audience no trust is given for (one note, naming ten of them).
 * Linear is about 4x from N to 4N; an index copied on every add was N²/2 (32,000 roles on one policy took 38 s).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';
import { SigningAlgorithm } from '../../lib/core/token';
import { plannedTokenStatementParts } from '../../lib/core/token-statement';

const ACCOUNT = '111122223333';
const ISSUER = 'https://0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d.tokens.sts.global.api.aws';
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
// the library's own strict grant, as FederatedWorkloadRole writes it
const grant = plannedTokenStatementParts({ audience: 'snowflakecomputing.com', signingAlgorithm: SigningAlgorithm.ES384, durationSeconds: 300 });
const mint = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: grant.actions, Resource: '*', Condition: grant.conditions }] });

interface Shape {
  readonly name: string;
  /** Writes the input for n roles under dir; returns the CLI arguments after `check`. */
  readonly write: (dir: string, n: number) => string[];
}

function roles(n: number, extra: (i: number) => object = () => ({})): { [name: string]: object } {
  const out: { [name: string]: object } = {};
  for (let i = 0; i < n; i++) out[`r${i}`] = { name: `app-${i}`, path: '/workloads/', assume_role_policy: trust, ...extra(i) };
  return out;
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

const SHAPES: Shape[] = [
  {
    name: 'one managed policy attached to every role',
    write: (dir, n) => {
      const attachments: { [name: string]: object } = {};
      for (let i = 0; i < n; i++) attachments[`a${i}`] = { role: `\${aws_iam_role.r${i}.name}`, policy_arn: '${aws_iam_policy.mint.arn}' };
      writeJson(path.join(dir, 'main.tf.json'), {
        provider: { aws: [{ allowed_account_ids: [ACCOUNT] }] },
        resource: { aws_iam_role: roles(n), aws_iam_role_policy_attachment: attachments, aws_iam_policy: { mint: { name: 'mint', policy: mint } } },
      });
      return [dir];
    },
  },
  {
    name: 'a plan naming every role of a configuration without an account',
    write: (dir, n) => {
      const workloads = Array.from({ length: n }, (_, i) => ({
        name: `wl-${i}`, roleName: `app-${i}`, rolePath: '/workloads/', compute: 'lambda',
        targets: [{ name: 'warehouse', kind: 'snowflake', snowflakeUser: `SVC_${i}` }],
      }));
      writeJson(path.join(dir, 'plan.json'), { account: ACCOUNT, issuerUrl: ISSUER, workloads });
      writeJson(path.join(dir, 'tf', 'main.tf.json'), { resource: { aws_iam_role: roles(n, () => ({ inline_policy: [{ name: 'mint', policy: mint }] })) } });
      return [path.join(dir, 'tf'), '--plan', path.join(dir, 'plan.json')];
    },
  },
];

async function check(args: string[]): Promise<number> {
  const c0 = process.cpuUsage();
  await main(['check', ...args, '--format', 'json'], { stdout: () => undefined, stderr: () => undefined, cwd: process.cwd(), env: {}, stderrIsTty: false });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

async function run(): Promise<void> {
  const n = Number(process.argv[2] ?? 4000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-org-scale-'));
  try {
    for (const [i, shape] of SHAPES.entries()) {
      await check(shape.write(path.join(root, `${i}-warmup`), 100));
      const small = await check(shape.write(path.join(root, `${i}-${n}`), n));
      const large = await check(shape.write(path.join(root, `${i}-${4 * n}`), 4 * n));
      console.log(`${shape.name.padEnd(64)} ${n}: ${small.toFixed(0).padStart(6)} ms  ${4 * n}: ${large.toFixed(0).padStart(6)} ms  ${(large / small).toFixed(2)}x`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
