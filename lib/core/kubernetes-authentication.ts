import { stringify } from 'yaml';
import { child, fail, ValidationSite } from './errors';
import { validateIssuerUrl } from './issuer';
import { FederationPlan } from './plan';
import { validateRoleArn } from './role-arn';
import { TargetKind } from './target';
import { validateAudience } from './token';

/**
 * Version of kube-apiserver's structured authentication configuration (`--authentication-config`). The JWT
 * authenticator fields are the same in both.
 */
export enum KubernetesAuthenticationApiVersion {
  /** `apiserver.config.k8s.io/v1`: Kubernetes 1.34 and later (the feature's GA version). */
  V1 = 'apiserver.config.k8s.io/v1',
  /** `apiserver.config.k8s.io/v1beta1`: Kubernetes 1.30 to 1.33. */
  V1BETA1 = 'apiserver.config.k8s.io/v1beta1',
}

/** Options of {@link KubernetesAuthentication.fromPlan}. */
export interface KubernetesAuthenticationOptions {
  /**
   * Prefix of the Kubernetes username mapped from the token's `sub`: the workload's user is `<prefix><role ARN>`.
   * It keeps AWS roles apart from users of other authenticators; it must not start with `system:`.
   * @default "aws:"
   */
  readonly usernamePrefix?: string;
  /**
   * `apiVersion` of the configuration file.
   * @default KubernetesAuthenticationApiVersion.V1
   */
  readonly apiVersion?: KubernetesAuthenticationApiVersion;
}

/** One RBAC binding of a workload's user. */
export interface KubernetesUserBinding {
  /** Workload name in the plan. */
  readonly workloadName: string;
  /** Target name in the plan. */
  readonly targetName: string;
  /** `ClusterRoleBinding` (cluster-wide) or `RoleBinding` (in {@link namespace}). */
  readonly kind: string;
  /** Name of the binding object (`keyless-<workload>-<target>`). */
  readonly name: string;
  /** Namespace of a RoleBinding. */
  readonly namespace?: string;
  /** The ClusterRole the user is bound to. */
  readonly clusterRole: string;
  /** The Kubernetes username: `<prefix><role ARN>`. */
  readonly username: string;
  /** The role ARN (the token's `sub`). */
  readonly roleArn: string;
}

const PREFIX = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,62}$/;
const MAX_AUTHENTICATOR_AUDIENCES = 10;

/**
 * A kube-apiserver structured authentication configuration (`AuthenticationConfiguration`, one JWT authenticator)
 * that trusts the AWS account's outbound issuer for the plan's Kubernetes targets, and the RBAC bindings of the
 * users it creates:
 *
 * - `issuer.url` = the account issuer (https, no trailing slash), `issuer.audiences` = the targets' audiences with
 *   `audienceMatchPolicy: MatchAny`;
 * - `claimMappings.username`: claim `sub` with a prefix (`aws:` by default), so a workload is the user
 *   `aws:arn:aws:iam::<account>:role/<path><name>`;
 * - `claimValidationRules` pinning `sub` to exactly the plan's role ARNs (`claim`/`requiredValue` for one role, a CEL
 *   `claims.sub in [...]` for several): no other role of the account gets a user, whatever it can mint;
 * - one `ClusterRoleBinding` (or a `RoleBinding` in `kubernetesNamespace`) per target, binding its user to
 *   `kubernetesClusterRole`.
 *
 * Written like the trust manifests: {@link toYaml} (the file for `--authentication-config`), {@link rbacYaml}
 * (`kubectl apply -f`) and {@link toMarkdown} for the cluster administrator.
 */
export class KubernetesAuthentication {
  /** Builds the configuration for every Kubernetes target of `plan`; throws when the plan has none. */
  public static fromPlan(plan: FederationPlan, options?: KubernetesAuthenticationOptions): KubernetesAuthentication {
    const site: ValidationSite = { path: 'KubernetesAuthentication', property: 'plan' };
    if (!(plan instanceof FederationPlan)) fail(site, typeof plan, 'plan.shape', 'pass a FederationPlan');
    return new KubernetesAuthentication(plan, options ?? {});
  }

  /** `apiVersion` of the configuration. */
  public readonly apiVersion: KubernetesAuthenticationApiVersion;
  /** AWS account whose issuer signs the tokens. */
  public readonly account: string;
  /** `issuer.url`: the account issuer, exactly. */
  public readonly issuerUrl: string;
  /** `issuer.audiences`. */
  public readonly audiences: string[];
  /** The role ARNs `sub` is pinned to. */
  public readonly subjects: string[];
  /** `claimMappings.username.prefix`. */
  public readonly usernamePrefix: string;
  /** The RBAC bindings, one per target. */
  public readonly bindings: KubernetesUserBinding[];
  /** Mistakes that break or widen the trust. */
  public readonly warnings: string[];

  private constructor(plan: FederationPlan, options: KubernetesAuthenticationOptions) {
    const site = (property: string): ValidationSite => ({ path: 'KubernetesAuthentication', property });
    const targets = plan.targetsOfKind(TargetKind.KUBERNETES);
    if (targets.length === 0) {
      fail(site('plan'), plan.workloads.map((w) => w.name), 'kubernetes.target-in-plan', 'the plan has no Kubernetes target (kind "kubernetes")');
    }
    const apiVersion = options.apiVersion ?? KubernetesAuthenticationApiVersion.V1;
    if (!Object.values(KubernetesAuthenticationApiVersion).includes(apiVersion)) {
      fail(site('apiVersion'), apiVersion, 'kubernetes.api-version', `apiVersion is one of ${Object.values(KubernetesAuthenticationApiVersion).join(', ')}`);
    }
    const prefix = options.usernamePrefix ?? 'aws:';
    if (typeof prefix !== 'string' || prefix.length === 0) {
      fail(site('usernamePrefix'), prefix, 'kubernetes.username-prefix', 'a prefix is required: without one a role ARN becomes a bare username that another authenticator (or a static user) may also produce');
    }
    if (prefix.startsWith('system:')) {
      fail(site('usernamePrefix'), prefix, 'kubernetes.username-prefix', 'the "system:" prefix is reserved for Kubernetes components; a workload user there could inherit their bindings');
    }
    if (!PREFIX.test(prefix)) {
      fail(site('usernamePrefix'), prefix, 'kubernetes.username-prefix', 'a prefix is 1 to 63 letters, digits or . _ : / # -, starting with a letter or digit');
    }
    this.apiVersion = apiVersion;
    this.account = plan.account;
    this.issuerUrl = validateIssuerUrl(plan.issuerUrl, site('issuerUrl'));
    this.audiences = [...new Set(targets.map((t) => t.tokenRequest.audience))];
    if (this.audiences.length > MAX_AUTHENTICATOR_AUDIENCES) {
      fail(site('audiences'), this.audiences, 'kubernetes.audiences', `the plan's Kubernetes targets name ${this.audiences.length} audiences; keep them to ${MAX_AUTHENTICATOR_AUDIENCES} (one authenticator per issuer holds them all)`);
    }
    this.audiences.forEach((a, i) => validateAudience(a, child(site('audiences'), `[${i}]`)));
    this.subjects = [...new Set(targets.map((t) => validateRoleArn(t.subject, site('subjects'))))];
    this.usernamePrefix = prefix;
    const names = new Set<string>();
    this.bindings = targets.map((t) => {
      const name = bindingName(`keyless-${t.workloadName}-${t.name}`);
      if (names.has(`${t.kubernetesNamespace ?? ''}/${name}`)) {
        fail(site('bindings'), name, 'kubernetes.binding-name', 'two targets would write the same binding name; rename one of them');
      }
      names.add(`${t.kubernetesNamespace ?? ''}/${name}`);
      return {
        workloadName: t.workloadName,
        targetName: t.name,
        kind: t.kubernetesNamespace !== undefined ? 'RoleBinding' : 'ClusterRoleBinding',
        name,
        ...(t.kubernetesNamespace !== undefined ? { namespace: t.kubernetesNamespace } : {}),
        clusterRole: t.kubernetesClusterRole as string,
        username: `${prefix}${t.subject}`,
        roleArn: t.subject,
      };
    });
    this.warnings = [
      `issuer.url must differ from the cluster's --service-account-issuer, and no other JWT authenticator of the file may use ${this.issuerUrl}: kube-apiserver refuses duplicate issuers. If one already trusts it, merge this authenticator into it.`,
      'kube-apiserver fetches the issuer\'s discovery document and keys from the internet (https://.../.well-known/openid-configuration); an API server without egress cannot verify the tokens.',
      '--authentication-config cannot be combined with the --oidc-* flags.',
      `Tokens are accepted only for ${this.subjects.join(', ')}: the claim validation rule is what keeps every other role of account ${this.account} that can mint one of the audiences out; do not remove it.`,
      ...this.bindings.filter((b) => b.clusterRole === 'cluster-admin').map((b) => `${b.workloadName}/${b.targetName} is bound to cluster-admin: a stolen token of that role administers the cluster; bind a narrower ClusterRole.`),
    ];
  }

  /** The Kubernetes username of the workload running as `roleArn`. */
  public usernameFor(roleArn: string): string {
    if (!this.subjects.includes(roleArn)) {
      fail({ path: 'KubernetesAuthentication', property: 'roleArn' }, roleArn, 'kubernetes.role-admitted', `the authenticator admits only ${JSON.stringify(this.subjects)}`);
    }
    return `${this.usernamePrefix}${roleArn}`;
  }

  /** The `AuthenticationConfiguration` as plain data. */
  public toDocument(): { [key: string]: any } {
    const claimValidationRules = this.subjects.length === 1
      ? [{ claim: 'sub', requiredValue: this.subjects[0] }]
      : [{
        // Role ARNs hold no quote or backslash (validated), so single-quoted CEL strings need no escaping.
        expression: `claims.sub in [${this.subjects.map((s) => `'${s}'`).join(', ')}]`,
        message: 'the token\'s sub is not one of the AWS roles this cluster trusts',
      }];
    return {
      apiVersion: this.apiVersion,
      kind: 'AuthenticationConfiguration',
      jwt: [{
        issuer: {
          url: this.issuerUrl,
          audiences: this.audiences,
          audienceMatchPolicy: 'MatchAny',
        },
        claimValidationRules,
        claimMappings: {
          username: { claim: 'sub', prefix: this.usernamePrefix },
        },
      }],
    };
  }

  /** The file for kube-apiserver `--authentication-config`. */
  public toYaml(): string {
    return `# Generated by cdk-keyless from the federation plan of AWS account ${this.account}.\n${stringify(this.toDocument(), { lineWidth: 0 })}`;
  }

  /** The RBAC bindings as one multi-document YAML file for `kubectl apply -f`. */
  public rbacYaml(): string {
    return this.bindings.map((b) => stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: b.kind,
      metadata: {
        name: b.name,
        ...(b.namespace !== undefined ? { namespace: b.namespace } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'cdk-keyless' },
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: b.clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: b.username }],
    }, { lineWidth: 0 })).join('---\n');
  }

  /** Markdown for the cluster administrator. */
  public toMarkdown(): string {
    const lines = [
      `# Kubernetes trust for AWS account \`${this.account}\``,
      '',
      'Generated by cdk-keyless from the federation plan. kube-apiserver verifies the STS token of each workload below and maps it to a user; RBAC decides what the user may do.',
      '',
      '| Value | Exact text |',
      '|---|---|',
      `| \`apiVersion\` | \`${this.apiVersion}\` |`,
      `| \`issuer.url\` | \`${this.issuerUrl}\` |`,
      `| \`issuer.audiences\` | ${this.audiences.map((a) => `\`${a}\``).join(', ')} |`,
      `| \`claimMappings.username\` | claim \`sub\`, prefix \`${this.usernamePrefix}\` |`,
      `| \`sub\` pinned to | ${this.subjects.map((s) => `\`${s}\``).join(', ')} |`,
      '',
      '## Files',
      '',
      '1. `authentication-config.yaml`: pass it to kube-apiserver with `--authentication-config=<path>` (the API server reloads it when it changes).',
      '2. `rbac.yaml`: apply it with `kubectl apply -f rbac.yaml`.',
      '',
      '## Users and bindings',
      '',
      '| Workload / target | User | Binding | ClusterRole |',
      '|---|---|---|---|',
      ...this.bindings.map((b) => `| \`${b.workloadName}\` / \`${b.targetName}\` | \`${b.username}\` | ${b.kind} \`${b.namespace !== undefined ? `${b.namespace}/` : ''}${b.name}\` | \`${b.clusterRole}\` |`),
      '',
      '## Runtime',
      '',
      'The workload calls `sts:GetWebIdentityToken` on a regional STS endpoint with its target\'s audience and sends the token as a bearer token (`Authorization: Bearer <token>`, or `kubectl --token`).',
      '',
      '## Warnings',
      '',
      ...this.warnings.map((w) => `- ${w}`),
      '',
    ];
    return lines.join('\n');
  }
}

/** A DNS subdomain for an RBAC object name: lower case, `[a-z0-9-]`, at most 253 characters. */
function bindingName(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, 253);
}
