import { analysisContext } from '../../../lib/guardrails/analysis';
import { workloadsOf } from '../../../lib/guardrails/federation/workloads';
import { NestingError } from '../../../lib/guardrails/nesting';
import { tokenGrants, tokenGrantsOfSet } from '../../../lib/guardrails/policy/token-grants';
import { findTrusts } from '../../../lib/guardrails/trusts';
import { doc, setOf, strictMint, tf } from '../rules/helpers';

const readPolicy = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
const deep = (levels: number): string => `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetWebIdentityToken","Resource":"*","Condition":${'['.repeat(levels)}${']'.repeat(levels)}}]}`;

const role = tf('aws_iam_role', 'etl', {
  name: 'etl', path: '/workloads/',
  inline_policy: [{ name: 'tokens', policy: JSON.stringify(doc(strictMint('snowflakecomputing.com'))) }, { name: 'read', policy: JSON.stringify(readPolicy) }],
});
const managed = tf('aws_iam_policy', 'entra', { name: 'entra', policy: JSON.stringify(doc({ ...strictMint('api://AzureADTokenExchange'), Sid: 'MintEntra' })) });
const attachment = tf('aws_iam_role_policy_attachment', 'entra', { role: '${aws_iam_role.etl.name}', policy_arn: '${aws_iam_policy.entra.arn}' });
const plain = tf('aws_iam_role_policy', 'read', { role: '${aws_iam_role.etl.id}', policy: JSON.stringify(readPolicy) });

describe('tokenGrants: the minting statements of a set and who holds them, read once per set', () => {
  test('each minting statement with its policy, in resource order; policies that cannot mint have none', () => {
    const context = analysisContext(setOf(role, plain, managed, attachment));
    const grants = tokenGrantsOfSet(context).map((g) => ({
      resource: g.resource.address, label: g.label, sid: g.minting.statement.sid, binding: g.minting.binding,
      principals: g.principals.map((p) => [p.kind, p.address, p.name]),
    }));
    expect(grants).toEqual([
      { resource: 'aws_iam_role.etl', label: 'inline_policy "tokens"', sid: 'MintSnowflake', binding: { kind: 'strict', audiences: ['snowflakecomputing.com'] }, principals: [['role', 'aws_iam_role.etl', 'etl']] },
      { resource: 'aws_iam_policy.entra', label: 'policy', sid: 'MintEntra', binding: { kind: 'strict', audiences: ['api://AzureADTokenExchange'] }, principals: [['role', 'aws_iam_role.etl', 'etl']] },
    ]);
    expect(tokenGrants(plain, context)).toEqual([]);
    expect(tokenGrants(attachment, context)).toEqual([]);
  });

  test('the inventory and the federation graph read the same grants: worked out once per set, afresh in another check', () => {
    const set = setOf(role, managed, attachment);
    const context = analysisContext(set);
    const first = tokenGrants(role, context);
    expect(findTrusts(context).map((t) => [t.workload, t.audience, t.resource])).toEqual([
      ['etl', 'snowflakecomputing.com', 'aws_iam_role.etl'],
      ['etl', 'api://AzureADTokenExchange', 'aws_iam_policy.entra'],
    ]);
    expect(workloadsOf(context, []).map((w) => [w.address, w.tokens.map((t) => t.audience)])).toEqual([['aws_iam_role.etl', ['snowflakecomputing.com', 'api://AzureADTokenExchange']]]);
    expect(tokenGrants(role, context)).toBe(first);
    const other = analysisContext(set);
    expect(tokenGrants(role, other)).not.toBe(first);
    expect(tokenGrants(role, other)).toEqual(first);
  });

  test('a policy nested too deeply throws NestingError every time it is asked; the other resources are still read', () => {
    const tooDeep = tf('aws_iam_role_policy', 'deep', { role: '${aws_iam_role.etl.id}', policy: deep(600) });
    const context = analysisContext(setOf(role, tooDeep));
    expect(() => tokenGrants(tooDeep, context)).toThrow(NestingError);
    expect(() => tokenGrants(tooDeep, context)).toThrow(NestingError);
    expect(tokenGrantsOfSet(context).map((g) => g.resource.address)).toEqual(['aws_iam_role.etl']);
    // The inventory lists none of the unreadable policy's trusts, the graph none of its tokens; neither throws.
    expect(findTrusts(context).map((t) => t.resource)).toEqual(['aws_iam_role.etl']);
    expect(workloadsOf(context, []).map((w) => w.tokens.map((t) => t.resource))).toEqual([['aws_iam_role.etl']]);
  });
});
