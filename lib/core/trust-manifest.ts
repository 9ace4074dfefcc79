import { fail, ValidationSite } from './errors';
import { validateIssuerUrl } from './issuer';
import { FederationPlan, PlannedTarget } from './plan';
import { validateRoleArn } from './role-arn';
import { TARGET_DEFAULTS, TargetKind } from './target';
import { validateAudience, validateSigningAlgorithm, validateTokenLifetime } from './token';

/**
 * OpenAI limits (developers.openai.com, workload identity federation): an organization registers at most
 * 50 Workload Identity Providers, and each provider holds at most 50 service account mappings.
 */
export const OPENAI_MAX_PROVIDERS_PER_ORGANIZATION = 50;
/** See {@link OPENAI_MAX_PROVIDERS_PER_ORGANIZATION}. */
export const OPENAI_MAX_MAPPINGS_PER_PROVIDER = 50;

/** Identifies the document format; bumped only on an incompatible change. */
export const TRUST_MANIFEST_SCHEMA = 'cdk-keyless/trust-manifest@1';

/** One value to enter in a vendor console or send at runtime. */
export interface TrustManifestField {
  /** The field as the vendor names it, e.g. `Issuer URL` or `identity_provider_id`. */
  readonly name: string;
  /** The exact value, or `<...>` for a value the vendor assigns (an id you copy from its console). */
  readonly value: string;
  /** Why this value, or what to watch for. */
  readonly note?: string;
}

/** One step in a vendor console. */
export interface TrustManifestStep {
  /** What the step does. */
  readonly title: string;
  /** Where in the vendor's console (or API) it is done. */
  readonly where: string;
  /** The values to enter, in the order the console asks for them. */
  readonly fields: TrustManifestField[];
  /** Limits and caveats of this step. */
  readonly notes: string[];
}

/** How the workload trades its STS token for the vendor's access token. */
export interface TrustManifestExchange {
  /** The vendor's token endpoint. */
  readonly endpoint: string;
  /** OAuth grant type of the exchange. */
  readonly grantType: string;
  /** Request parameters; `<...>` values are ids from the console steps, never secrets. */
  readonly parameters: TrustManifestField[];
  /** Environment variables the vendor's SDK reads to run the exchange itself (empty when it has none). */
  readonly sdkEnvironment: TrustManifestField[];
}

/** Where the relying party fetches the issuer's keys. */
const DISCOVERY_PATH = '/.well-known/openid-configuration';
const JWKS_PATH = '/.well-known/jwks.json';

const OPENAI_CONSOLE = 'OpenAI Platform > Organization settings > Security > Workload Identity Provider (organization owner)';
const ANTHROPIC_CONSOLE = 'Claude Console, organization settings (organization admin), or the Admin API under /v1/organizations';

/**
 * The exact values to register in a vendor console so that an OpenAI or Anthropic organization trusts
 * one workload of a {@link FederationPlan}: the account's issuer, the role ARN as subject, the audience,
 * the signing algorithm and the token lifetime, as console steps, with the vendor's limits and pitfalls.
 *
 * Neither vendor has a Terraform provider for this, so the manifest is the hand-off from the platform
 * team (who owns the plan) to whoever administers the vendor organization. Render it with
 * {@link TrustManifest.toJson} or {@link TrustManifest.toMarkdown}.
 */
export class TrustManifest {
  /**
   * One manifest per OpenAI or Anthropic target of the plan, in plan order.
   * Throws when the plan needs more OpenAI providers or mappings than OpenAI allows.
   */
  public static fromPlan(plan: FederationPlan): TrustManifest[] {
    const manifests = plan.workloads.flatMap((w) => w.targets)
      .filter((t) => t.kind === TargetKind.OPENAI || t.kind === TargetKind.ANTHROPIC)
      .map((t) => TrustManifest.forTarget(t));
    const mappingsPerProvider = new Map<string, number>();
    for (const m of manifests.filter((x) => x.kind === TargetKind.OPENAI)) {
      mappingsPerProvider.set(m.providerName, (mappingsPerProvider.get(m.providerName) ?? 0) + 1);
    }
    const site: ValidationSite = { path: 'FederationPlan', property: 'workloads[*].targets[kind=openai]' };
    if (mappingsPerProvider.size > OPENAI_MAX_PROVIDERS_PER_ORGANIZATION) {
      fail(site, [...mappingsPerProvider.keys()], 'openai.providers-per-organization',
        `these OpenAI targets need ${mappingsPerProvider.size} Workload Identity Providers (one per issuer and audience); an OpenAI organization holds at most ${OPENAI_MAX_PROVIDERS_PER_ORGANIZATION}`);
    }
    for (const [provider, count] of mappingsPerProvider) {
      if (count > OPENAI_MAX_MAPPINGS_PER_PROVIDER) {
        fail(site, provider, 'openai.mappings-per-provider',
          `${count} OpenAI targets map through Workload Identity Provider "${provider}"; a provider holds at most ${OPENAI_MAX_MAPPINGS_PER_PROVIDER} service account mappings (split the audiences or the account)`);
      }
    }
    return manifests;
  }

  /** The manifest of one OpenAI or Anthropic target. Throws for any other kind. */
  public static forTarget(target: PlannedTarget): TrustManifest {
    return new TrustManifest(target);
  }

  /** `openai` or `anthropic`. */
  public readonly kind: TargetKind;
  /** Workload that mints the token. */
  public readonly workloadName: string;
  /** Target name in the plan. */
  public readonly targetName: string;
  /** AWS account that signs the token. */
  public readonly account: string;
  /** Issuer to register: the token's `iss`, exactly (no trailing slash). */
  public readonly issuerUrl: string;
  /** OIDC discovery document of the issuer. */
  public readonly discoveryUrl: string;
  /** Signing keys of the issuer. */
  public readonly jwksUrl: string;
  /** Subject to trust: the workload's role ARN (path included), the token's `sub`, exactly. */
  public readonly subject: string;
  /** Audience the workload requests and the vendor must expect. */
  public readonly audience: string;
  /** Algorithm STS signs the token with. */
  public readonly signingAlgorithm: string;
  /** Lifetime in seconds the workload requests; its IAM policy allows no more. */
  public readonly tokenLifetimeSeconds: number;
  /** Suggested name of the vendor-side issuer registration (OpenAI provider / Anthropic federation issuer). */
  public readonly providerName: string;
  /** Suggested name of the OpenAI mapping or Anthropic federation rule (lowercase, `[a-z0-9-]`). */
  public readonly ruleName: string;
  /** The console steps, in order. */
  public readonly steps: TrustManifestStep[];
  /** The runtime exchange. */
  public readonly exchange: TrustManifestExchange;
  /** Mistakes that silently widen or break the trust. */
  public readonly warnings: string[];

  private constructor(target: PlannedTarget) {
    const base = `TrustManifest(${target?.workloadName}/${target?.name})`;
    const site = (property: string): ValidationSite => ({ path: base, property });
    if (target === null || typeof target !== 'object') {
      fail({ path: 'TrustManifest', property: 'target' }, target, 'manifest.kind', 'a trust manifest is built from a planned target (FederationPlan.target(...))');
    }
    if (target.kind !== TargetKind.OPENAI && target.kind !== TargetKind.ANTHROPIC) {
      fail(site('kind'), target.kind, 'manifest.kind',
        'trust manifests are for OpenAI and Anthropic targets; Snowflake and Entra trusts are built by SnowflakeWorkloadUser and EntraWorkloadApplication');
    }
    this.kind = target.kind;
    this.workloadName = target.workloadName;
    this.targetName = target.name;
    this.account = target.account;
    this.issuerUrl = validateIssuerUrl(target.issuerUrl, site('issuerUrl'));
    this.subject = validateRoleArn(target.subject, site('subject'));
    this.audience = validateAudience(target.tokenRequest?.audience, site('tokenRequest.audience'));
    this.signingAlgorithm = validateSigningAlgorithm(target.tokenRequest?.signingAlgorithm, site('tokenRequest.signingAlgorithm'));
    this.tokenLifetimeSeconds = validateTokenLifetime(target.tokenRequest?.durationSeconds, site('tokenRequest.durationSeconds'));
    this.discoveryUrl = `${this.issuerUrl}${DISCOVERY_PATH}`;
    this.jwksUrl = `${this.issuerUrl}${JWKS_PATH}`;
    this.ruleName = slug(`${this.workloadName}-${this.targetName}`);
    const defaultAudience = TARGET_DEFAULTS[this.kind].audience;
    this.providerName = this.audience === defaultAudience ? `aws-${this.account}` : slug(`aws-${this.account}-${this.audience}`);

    const common = [
      `The issuer is compared character for character with the token's iss claim: enter ${this.issuerUrl} exactly, without a trailing slash.`,
      `The subject is the role ARN including its path (${this.subject}); a token never carries the assumed-role session ARN.`,
      'STS serves GetWebIdentityToken on regional endpoints only (e.g. sts.eu-west-1.amazonaws.com); the global endpoint refuses it.',
      'Outbound identity federation must be enabled in the AWS account before the workload can mint tokens (OutboundWebIdentityFederation).',
    ];
    if (this.kind === TargetKind.OPENAI) {
      this.steps = this.openAiSteps();
      this.exchange = this.openAiExchange();
      this.warnings = [
        'Map the sub claim with an exact match on the full role ARN. Any broader matcher lets every other role of the account that can mint a token for this audience act as the service account.',
        ...common,
      ];
    } else {
      this.steps = this.anthropicSteps();
      this.exchange = this.anthropicExchange();
      this.warnings = [
        `Anthropic's subject field is a prefix match when it ends with "*", and then trusts every role whose ARN starts with it: "${this.subject}*" also matches "${this.subject}-admin", and a prefix shorter than the full role ARN such as "arn:aws:iam::${this.account}:role/*" matches every role in the account. Enter the full role ARN, without "*".`,
        ...common,
      ];
    }
  }

  /** Base file name for this manifest: `<workload>-<target>`. */
  public get fileBaseName(): string {
    return `${this.workloadName}-${this.targetName}`;
  }

  /** The manifest as plain data, in a fixed key order. */
  public toDocument(): { [key: string]: any } {
    return {
      schema: TRUST_MANIFEST_SCHEMA,
      vendor: this.kind,
      workload: this.workloadName,
      target: this.targetName,
      account: this.account,
      issuer: {
        url: this.issuerUrl,
        discoveryUrl: this.discoveryUrl,
        jwksUrl: this.jwksUrl,
      },
      subject: this.subject,
      audience: this.audience,
      signingAlgorithm: this.signingAlgorithm,
      tokenLifetimeSeconds: this.tokenLifetimeSeconds,
      steps: this.steps,
      tokenRequest: {
        api: 'sts:GetWebIdentityToken',
        endpoint: 'regional STS endpoint, e.g. https://sts.<region>.amazonaws.com',
        Audience: [this.audience],
        SigningAlgorithm: this.signingAlgorithm,
        DurationSeconds: this.tokenLifetimeSeconds,
      },
      exchange: this.exchange,
      warnings: this.warnings,
    };
  }

  /** JSON, two-space indented, with a trailing newline. */
  public toJson(): string {
    return `${JSON.stringify(this.toDocument(), null, 2)}\n`;
  }

  /** Markdown for the person who administers the vendor organization. */
  public toMarkdown(): string {
    const vendor = this.kind === TargetKind.OPENAI ? 'OpenAI' : 'Anthropic';
    const lines: string[] = [
      `# ${vendor} trust for \`${this.workloadName}\` / \`${this.targetName}\``,
      '',
      `Generated by cdk-keyless from the federation plan of AWS account \`${this.account}\`. Enter these values exactly; every one is compared character for character.`,
      '',
      '| Value | Exact text |',
      '|---|---|',
      `| Issuer URL | ${code(this.issuerUrl)} |`,
      `| OIDC discovery | ${code(this.discoveryUrl)} |`,
      `| JWKS | ${code(this.jwksUrl)} |`,
      `| Subject (\`sub\`) | ${code(this.subject)} |`,
      `| Audience (\`aud\`) | ${code(this.audience)} |`,
      `| Signing algorithm | ${code(this.signingAlgorithm)} |`,
      `| Token lifetime | ${this.tokenLifetimeSeconds} s |`,
      '',
      '## Console steps',
      '',
    ];
    this.steps.forEach((step, i) => {
      lines.push(`### ${i + 1}. ${step.title}`, '', `Where: ${step.where}`, '');
      if (step.fields.length > 0) {
        lines.push('| Field | Value | Note |', '|---|---|---|');
        for (const f of step.fields) {
          lines.push(`| ${cell(f.name)} | ${code(f.value)} | ${cell(f.note ?? '')} |`);
        }
        lines.push('');
      }
      for (const n of step.notes) {
        lines.push(`- ${n}`);
      }
      if (step.notes.length > 0) {
        lines.push('');
      }
    });
    lines.push(
      '## Runtime',
      '',
      `The workload calls \`sts:GetWebIdentityToken\` on a regional STS endpoint with ${code(`Audience=["${this.audience}"]`, false)}, \`SigningAlgorithm=${this.signingAlgorithm}\`, \`DurationSeconds=${this.tokenLifetimeSeconds}\`, then posts the token to \`${this.exchange.endpoint}\` (grant \`${this.exchange.grantType}\`):`,
      '',
      '| Parameter | Value |',
      '|---|---|',
      ...this.exchange.parameters.map((p) => `| ${code(p.name)} | ${code(p.value)} |`),
      '',
    );
    if (this.exchange.sdkEnvironment.length > 0) {
      lines.push(`The ${vendor} SDK runs the exchange itself when these are set:`, '', '| Variable | Value |', '|---|---|',
        ...this.exchange.sdkEnvironment.map((p) => `| ${code(p.name)} | ${code(p.value)} |`), '');
    }
    lines.push('## Warnings', '', ...this.warnings.map((w) => `- ${w}`), '');
    return lines.join('\n');
  }

  private openAiSteps(): TrustManifestStep[] {
    return [
      {
        title: 'Register the AWS account as a Workload Identity Provider',
        where: OPENAI_CONSOLE,
        fields: [
          { name: 'Name', value: this.providerName, note: 'suggested; any name works' },
          { name: 'Issuer', value: this.issuerUrl, note: 'the AWS account issuer, exactly' },
          { name: 'Audience', value: this.audience, note: 'must equal the Audience the workload requests' },
          { name: 'Key source: OIDC discovery URL', value: this.discoveryUrl, note: `keys at ${this.jwksUrl}, signed ${this.signingAlgorithm}` },
        ],
        notes: [
          'One provider per issuer and audience serves every workload of this account: create it once and reuse it.',
          `An OpenAI organization holds at most ${OPENAI_MAX_PROVIDERS_PER_ORGANIZATION} Workload Identity Providers.`,
          'Copy the provider ID: the workload sends it as identity_provider_id.',
        ],
      },
      {
        title: 'Choose the project service account the workload acts as',
        where: 'OpenAI Platform > project settings > Service accounts',
        fields: [
          { name: 'Project', value: '<your project>' },
          { name: 'Service account', value: '<service account>', note: 'create one without an API key if none exists' },
        ],
        notes: ['Copy the service account ID: the workload sends it as service_account_id.'],
      },
      {
        title: 'Add a service account mapping for this role',
        where: `${OPENAI_CONSOLE} > ${this.providerName} > Service account mappings`,
        fields: [
          { name: 'Name', value: this.ruleName, note: 'suggested' },
          { name: 'Attribute matcher: sub', value: this.subject, note: 'exact match on the full role ARN' },
          { name: 'Project', value: '<your project>' },
          { name: 'Service account', value: '<service account>' },
          { name: 'Permissions', value: 'restricted: the scopes the workload needs', note: 'or the service account defaults' },
        ],
        notes: [`A Workload Identity Provider holds at most ${OPENAI_MAX_MAPPINGS_PER_PROVIDER} service account mappings.`],
      },
    ];
  }

  private openAiExchange(): TrustManifestExchange {
    return {
      endpoint: 'https://auth.openai.com/oauth/token',
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      parameters: [
        { name: 'subject_token_type', value: 'urn:ietf:params:oauth:token-type:jwt' },
        { name: 'subject_token', value: '<the STS token>' },
        { name: 'identity_provider_id', value: '<provider ID from step 1>' },
        { name: 'service_account_id', value: '<service account ID from step 2>' },
      ],
      sdkEnvironment: [],
    };
  }

  private anthropicSteps(): TrustManifestStep[] {
    return [
      {
        title: 'Register the AWS account as a federation issuer',
        where: `${ANTHROPIC_CONSOLE} (federation_issuers)`,
        fields: [
          { name: 'Name', value: this.providerName, note: 'lowercase letters, digits and "-"' },
          { name: 'Issuer URL', value: this.issuerUrl, note: 'the AWS account issuer, exactly' },
          { name: 'JWKS source: discovery', value: this.discoveryUrl, note: `keys at ${this.jwksUrl}, signed ${this.signingAlgorithm}` },
        ],
        notes: ['One federation issuer serves every workload of this account: create it once and reuse it.'],
      },
      {
        title: 'Choose the service account the workload acts as',
        where: `${ANTHROPIC_CONSOLE} (service_accounts)`,
        fields: [
          { name: 'Service account', value: '<service account>', note: 'add it to the workspace the workload uses' },
        ],
        notes: ['Copy the service account ID (svac_...): the workload sends it as service_account_id.'],
      },
      {
        title: 'Create a federation rule for this role',
        where: `${ANTHROPIC_CONSOLE} (federation_rules)`,
        fields: [
          { name: 'Name', value: this.ruleName, note: 'lowercase letters, digits and "-"' },
          { name: 'Issuer', value: this.providerName },
          { name: 'Subject', value: this.subject, note: 'the full role ARN, no trailing "*": an exact match' },
          { name: 'Audience', value: this.audience, note: 'exact match on aud' },
          { name: 'Target', value: 'service account <service account>' },
          { name: 'Workspace', value: '<workspace>' },
          { name: 'Scope', value: 'workspace:inference', note: 'least privilege for a workload that calls the API' },
        ],
        notes: [
          `Anthropic caps each access token at twice the remaining validity of the assertion (and at least 60 s): with a ${this.tokenLifetimeSeconds} s STS token, at most ${2 * this.tokenLifetimeSeconds} s, whatever lifetime the rule sets.`,
          'Copy the rule ID (fdrl_...) and your organization ID: the workload sends both.',
        ],
      },
    ];
  }

  private anthropicExchange(): TrustManifestExchange {
    return {
      endpoint: 'https://api.anthropic.com/v1/oauth/token',
      grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      parameters: [
        { name: 'assertion', value: '<the STS token>' },
        { name: 'federation_rule_id', value: '<rule ID from step 3>' },
        { name: 'organization_id', value: '<organization ID>' },
        { name: 'service_account_id', value: '<service account ID from step 2>' },
      ],
      sdkEnvironment: [
        { name: 'ANTHROPIC_FEDERATION_RULE_ID', value: '<rule ID from step 3>' },
        { name: 'ANTHROPIC_ORGANIZATION_ID', value: '<organization ID>' },
        { name: 'ANTHROPIC_SERVICE_ACCOUNT_ID', value: '<service account ID from step 2>' },
        { name: 'ANTHROPIC_IDENTITY_TOKEN_FILE', value: '<file the workload writes the STS token to>', note: 'or ANTHROPIC_IDENTITY_TOKEN with the token itself' },
      ],
    };
  }
}

/** `[a-z0-9-]` only, as Anthropic requires for names; collapses runs and trims dashes. */
function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 255);
}

/** Inline code that survives backticks and pipes in the value (audiences may contain both). */
function code(value: string, inTable = true): string {
  const text = inTable ? cell(value) : value;
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** Escapes a table cell: pipes and newlines would break the row. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
