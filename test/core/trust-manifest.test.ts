import { errorOf } from '../support/validation-error';
import { FederationPlan, FederationPlanProps, PlannedTarget, WorkloadCompute } from '../../lib/core/plan';
import { TargetKind } from '../../lib/core/target';
import { SigningAlgorithm } from '../../lib/core/token';
import { TrustManifest, TRUST_MANIFEST_SCHEMA } from '../../lib/core/trust-manifest';

const ISSUER = 'https://a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d.tokens.sts.global.api.aws';
const ROLE = 'arn:aws:iam::111122223333:role/ai/assistant';

const plan = new FederationPlan({
  account: '111122223333',
  issuerUrl: ISSUER,
  workloads: [
    {
      name: 'etl',
      roleName: 'etl-job',
      compute: WorkloadCompute.LAMBDA,
      targets: [{ name: 'warehouse', kind: TargetKind.SNOWFLAKE, snowflakeUser: 'ETL_SVC' }],
    },
    {
      name: 'assistant',
      roleName: 'assistant',
      rolePath: '/ai/',
      compute: WorkloadCompute.ECS_TASK,
      targets: [
        { name: 'openai', kind: TargetKind.OPENAI, lifetimeSeconds: 600 },
        { name: 'claude_api', kind: TargetKind.ANTHROPIC },
      ],
    },
  ],
});

const thrown = errorOf;

function field(m: TrustManifest, step: number, name: string): string | undefined {
  return m.steps[step].fields.find((f) => f.name === name)?.value;
}

describe('TrustManifest.fromPlan', () => {
  const manifests = TrustManifest.fromPlan(plan);
  const [openai, anthropic] = manifests;

  test('one manifest per OpenAI / Anthropic target, in plan order; Snowflake and Entra targets have none', () => {
    expect(manifests.map((m) => [m.kind, m.workloadName, m.targetName, m.fileBaseName])).toEqual([
      [TargetKind.OPENAI, 'assistant', 'openai', 'assistant-openai'],
      [TargetKind.ANTHROPIC, 'assistant', 'claude_api', 'assistant-claude_api'],
    ]);
  });

  test('carries the exact issuer, discovery and JWKS URLs, subject, audience, algorithm and lifetime', () => {
    expect(openai).toMatchObject({
      account: '111122223333',
      issuerUrl: ISSUER,
      discoveryUrl: `${ISSUER}/.well-known/openid-configuration`,
      jwksUrl: `${ISSUER}/.well-known/jwks.json`,
      subject: ROLE,
      audience: 'https://api.openai.com/v1',
      signingAlgorithm: 'RS256',
      tokenLifetimeSeconds: 600,
      providerName: 'aws-111122223333',
      ruleName: 'assistant-openai',
    });
    expect(anthropic).toMatchObject({
      subject: ROLE,
      audience: 'https://api.anthropic.com',
      signingAlgorithm: 'RS256',
      tokenLifetimeSeconds: 300,
      providerName: 'aws-111122223333',
      ruleName: 'assistant-claude-api',
    });
  });

  test('OpenAI: a provider with issuer + audience + discovery, and a mapping of sub to the exact role ARN', () => {
    expect(openai.steps.map((s) => s.title)).toEqual([
      'Register the AWS account as a Workload Identity Provider',
      'Choose the project service account the workload acts as',
      'Add a service account mapping for this role',
    ]);
    expect(field(openai, 0, 'Issuer')).toBe(ISSUER);
    expect(field(openai, 0, 'Audience')).toBe('https://api.openai.com/v1');
    expect(field(openai, 0, 'Key source: OIDC discovery URL')).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(field(anthropic, 0, 'JWKS source: discovery')).toBe(`${ISSUER}/.well-known/openid-configuration`);
    expect(field(openai, 2, 'Attribute matcher: sub')).toBe(ROLE);
    expect(openai.steps[0].notes).toContain('An OpenAI organization holds at most 50 Workload Identity Providers.');
    expect(openai.steps[2].notes).toContain('A Workload Identity Provider holds at most 50 service account mappings.');
    expect(openai.exchange).toMatchObject({
      endpoint: 'https://auth.openai.com/oauth/token',
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
    });
    expect(openai.exchange.parameters.map((p) => p.name)).toEqual(['subject_token_type', 'subject_token', 'identity_provider_id', 'service_account_id']);
  });

  test('Anthropic: a federation rule whose subject is the full role ARN without "*", and a prefix warning', () => {
    expect(field(anthropic, 0, 'Issuer URL')).toBe(ISSUER);
    expect(field(anthropic, 2, 'Subject')).toBe(ROLE);
    expect(field(anthropic, 2, 'Subject')).not.toContain('*');
    expect(field(anthropic, 2, 'Audience')).toBe('https://api.anthropic.com');
    expect(field(anthropic, 2, 'Name')).toMatch(/^[a-z0-9-]+$/);
    expect(anthropic.warnings[0]).toContain(`"${ROLE}*" also matches "${ROLE}-admin"`);
    expect(anthropic.warnings[0]).toContain('"arn:aws:iam::111122223333:role/*" matches every role in the account');
    expect(anthropic.steps[2].notes[0]).toContain('with a 300 s STS token, at most 600 s');
    expect(anthropic.exchange).toMatchObject({
      endpoint: 'https://api.anthropic.com/v1/oauth/token',
      grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    });
    expect(anthropic.exchange.sdkEnvironment.map((e) => e.name)).toEqual([
      'ANTHROPIC_FEDERATION_RULE_ID', 'ANTHROPIC_ORGANIZATION_ID', 'ANTHROPIC_SERVICE_ACCOUNT_ID', 'ANTHROPIC_IDENTITY_TOKEN_FILE',
    ]);
  });

  test('every manifest warns about the exact issuer and the regional STS endpoint', () => {
    for (const m of manifests) {
      expect(m.warnings.join('\n')).toContain(`enter ${ISSUER} exactly, without a trailing slash`);
      expect(m.warnings.join('\n')).toContain('regional endpoints only');
    }
  });

  test('JSON: schema id, fixed key order, the token request the IAM policy allows, trailing newline', () => {
    const json = openai.toJson();
    expect(json.endsWith('}\n')).toBe(true);
    const doc = JSON.parse(json);
    expect(Object.keys(doc)).toEqual([
      'schema', 'vendor', 'workload', 'target', 'account', 'issuer', 'subject', 'audience', 'signingAlgorithm',
      'tokenLifetimeSeconds', 'steps', 'tokenRequest', 'exchange', 'warnings',
    ]);
    expect(doc.schema).toBe(TRUST_MANIFEST_SCHEMA);
    expect(doc.issuer).toEqual({ url: ISSUER, discoveryUrl: `${ISSUER}/.well-known/openid-configuration`, jwksUrl: `${ISSUER}/.well-known/jwks.json` });
    expect(doc.tokenRequest).toEqual({
      api: 'sts:GetWebIdentityToken',
      endpoint: 'regional STS endpoint, e.g. https://sts.<region>.amazonaws.com',
      Audience: ['https://api.openai.com/v1'],
      SigningAlgorithm: 'RS256',
      DurationSeconds: 600,
    });
    expect(openai.toJson()).toBe(json);
  });

  test('Markdown: a value table with the exact strings, numbered console steps and the runtime call', () => {
    const md = anthropic.toMarkdown();
    expect(md.startsWith('# Anthropic trust for `assistant` / `claude_api`\n')).toBe(true);
    expect(md).toContain(`| Issuer URL | \`${ISSUER}\` |`);
    expect(md).toContain(`| Subject (\`sub\`) | \`${ROLE}\` |`);
    expect(md).toContain('| Audience (`aud`) | `https://api.anthropic.com` |');
    expect(md).toContain('| Token lifetime | 300 s |');
    expect(md).toContain('### 3. Create a federation rule for this role');
    expect(md).toContain(`| Subject | \`${ROLE}\` | the full role ARN, no trailing "*": an exact match |`);
    expect(md).toContain('`Audience=["https://api.anthropic.com"]`, `SigningAlgorithm=RS256`, `DurationSeconds=300`');
    expect(md).toContain('| `ANTHROPIC_FEDERATION_RULE_ID` | `<rule ID from step 3>` |');
    expect(md.endsWith('\n')).toBe(true);
  });

  test('Markdown keeps a table intact when an audience contains "|" or a backtick', () => {
    const odd = new FederationPlan({
      account: '111122223333',
      issuerUrl: ISSUER,
      workloads: [{ name: 'w', roleName: 'w', targets: [{ name: 'o', kind: TargetKind.OPENAI, audience: 'aud|x`y' }] }],
    });
    const md = TrustManifest.fromPlan(odd)[0].toMarkdown();
    expect(md).toContain('| Audience (`aud`) | `` aud\\|x`y `` |');
  });
});

describe('TrustManifest provider grouping and OpenAI limits', () => {
  function openAiPlan(count: number, audienceOf: (i: number) => string | undefined): FederationPlanProps {
    return {
      account: '111122223333',
      issuerUrl: ISSUER,
      workloads: Array.from({ length: count }, (_, i) => ({
        name: `w${i}`,
        roleName: `role-${i}`,
        targets: [{ name: 'openai', kind: TargetKind.OPENAI, audience: audienceOf(i) }],
      })),
    };
  }

  test('a non-default audience gets its own provider name (a provider holds one audience)', () => {
    const m = TrustManifest.fromPlan(new FederationPlan(openAiPlan(1, () => 'https://Custom.Example/v1')))[0];
    expect(m.providerName).toBe('aws-111122223333-https-custom-example-v1');
  });

  test(`refuses a plan with 51 mappings on one provider [rule openai.mappings-per-provider]`, () => {
    const e = thrown(() => TrustManifest.fromPlan(new FederationPlan(openAiPlan(51, () => undefined))));
    expect(e.rule).toBe('openai.mappings-per-provider');
    expect(e.path).toBe('FederationPlan');
    expect(e.message).toContain('51 OpenAI targets map through Workload Identity Provider "aws-111122223333"');
  });

  test('accepts exactly 50 mappings, and 51 targets split over two audiences', () => {
    expect(TrustManifest.fromPlan(new FederationPlan(openAiPlan(50, () => undefined)))).toHaveLength(50);
    const split = TrustManifest.fromPlan(new FederationPlan(openAiPlan(51, (i) => (i % 2 === 0 ? undefined : 'https://api.openai.com/v1/alt'))));
    expect(new Set(split.map((m) => m.providerName))).toEqual(new Set(['aws-111122223333', 'aws-111122223333-https-api-openai-com-v1-alt']));
  });
});

describe('TrustManifest.forTarget input checks', () => {
  const good = plan.target('assistant', 'openai');

  test('refuses a Snowflake target, naming the target [rule manifest.kind]', () => {
    const e = thrown(() => TrustManifest.forTarget(plan.target('etl', 'warehouse')));
    expect(e.rule).toBe('manifest.kind');
    expect(e.path).toBe('TrustManifest(etl/warehouse)');
    expect(e.property).toBe('kind');
    expect(e.value).toBe('"snowflake"');
  });

  test('re-validates a hand-built target: trailing-slash issuer, session ARN, wildcard audience, lifetime', () => {
    const cases: Array<[Partial<PlannedTarget>, string, string]> = [
      [{ issuerUrl: `${ISSUER}/` }, 'issuerUrl', 'issuer.trailing-slash'],
      [{ subject: 'arn:aws:sts::111122223333:assumed-role/assistant/session' }, 'subject', 'role-arn.format'],
      [{ tokenRequest: { ...good.tokenRequest, audience: 'https://api.openai.com/*' } }, 'tokenRequest.audience', 'audience.wildcard'],
      [{ tokenRequest: { ...good.tokenRequest, durationSeconds: 7200 } }, 'tokenRequest.durationSeconds', 'lifetime.range'],
      [{ tokenRequest: { ...good.tokenRequest, signingAlgorithm: 'HS256' as SigningAlgorithm } }, 'tokenRequest.signingAlgorithm', 'signing-algorithm.known'],
    ];
    for (const [override, property, rule] of cases) {
      const e = thrown(() => TrustManifest.forTarget({ ...good, ...override }));
      expect([e.property, e.rule]).toEqual([property, rule]);
      expect(e.path).toBe('TrustManifest(assistant/openai)');
    }
  });
});
