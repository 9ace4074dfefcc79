import { Application } from '@cdktf/provider-azuread/lib/application';
import { ApplicationFederatedIdentityCredential } from '@cdktf/provider-azuread/lib/application-federated-identity-credential';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { ServicePrincipal } from '@cdktf/provider-azuread/lib/service-principal';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fail, ValidationSite } from '../../core/errors';
import { validateIssuerUrl } from '../../core/issuer';
import { validateDisplayName } from '../../core/names';
import { FederationPlan, PlannedTarget } from '../../core/plan';
import { parseRoleArn } from '../../core/role-arn';
import { ENTRA_AUDIENCES, EntraCloud, TargetKind } from '../../core/target';
import { isToken, pathOf, requireConcrete, validateTerraformLiteral, validateUnlessToken, warnUnchecked } from '../validation';

/** Entra accepts at most this many federated identity credentials per application. */
const MAX_CREDENTIALS = 20;
/** Entra's limit on a federated credential's subject and description. */
const MAX_SUBJECT = 600;
const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

/** Properties of an {@link EntraWorkloadApplication}. */
export interface EntraWorkloadApplicationProps {
  /** Display name of the application registration. */
  readonly displayName: string;
  /**
   * Microsoft cloud of the tenant; decides the one audience every credential accepts.
   * @default EntraCloud.PUBLIC (`api://AzureADTokenExchange`)
   */
  readonly cloud?: EntraCloud;
  /**
   * Object ids of the application's and service principal's owners.
   * @default - the identity Terraform runs as
   */
  readonly owners?: string[];
  /**
   * azuread provider for every resource of this construct.
   * @default - the stack's default azuread provider
   */
  readonly provider?: TerraformProvider;
}

/** Options of {@link EntraWorkloadApplication.fromPlan}. */
export interface EntraWorkloadApplicationFromPlanOptions {
  /**
   * Federated credential name per workload name.
   * @default `<workload>-<target>` of each workload's Entra target
   */
  readonly credentialNames?: { [workloadName: string]: string };
  /**
   * Object ids of the application's and service principal's owners.
   * @default - the identity Terraform runs as
   */
  readonly owners?: string[];
  /**
   * azuread provider for every resource of this construct.
   * @default - the stack's default azuread provider
   */
  readonly provider?: TerraformProvider;
}

/** Options of {@link EntraWorkloadApplication.trust}. */
export interface EntraTrustOptions {
  /** Name of the federated identity credential: 3-120 of letters, digits, `-` and `_`, unique per application, immutable. */
  readonly credentialName: string;
  /** Issuer of the workload's tokens, exactly as in their `iss` claim (no trailing slash). */
  readonly issuerUrl: string;
  /** The workload's IAM role ARN, exactly as in its tokens' `sub` claim (case-sensitive, path included). */
  readonly roleArn: string;
  /**
   * Description of the credential (at most 600 characters).
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Microsoft Entra application registration with its service principal that AWS workloads reach through
 * federated identity credentials only (no password, no certificate):
 *
 * - `azuread_application` and `azuread_service_principal`;
 * - one `azuread_application_federated_identity_credential` per trusted workload: issuer the AWS account's issuer,
 *   subject the workload's role ARN, audiences exactly `[api://AzureADTokenExchange]` (or the sovereign cloud's);
 * - `data.azuread_client_config` for the tenant id the workload needs next to {@link clientId}.
 *
 * At most 20 credentials per application (Entra's limit) are accepted at synth time.
 */
export class EntraWorkloadApplication extends Construct {
  /** Entra's limit on federated identity credentials per application. */
  public static readonly MAX_FEDERATED_CREDENTIALS: number = MAX_CREDENTIALS;

  /**
   * Builds the application named `applicationName` with one credential for each workload of `plan` whose Entra
   * target names that application.
   */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, applicationName: string, options?: EntraWorkloadApplicationFromPlanOptions): EntraWorkloadApplication {
    const path = pathOf(scope, id);
    if (!(plan instanceof FederationPlan)) {
      fail({ path, property: 'plan' }, typeof plan, 'plan.shape', 'pass a FederationPlan');
    }
    const targets = plan.targetsOfKind(TargetKind.ENTRA).filter((t) => t.entraApplication === applicationName);
    if (targets.length === 0) {
      const names = [...new Set(plan.targetsOfKind(TargetKind.ENTRA).map((t) => t.entraApplication))];
      fail({ path, property: 'applicationName' }, applicationName, 'entra.application-in-plan', `no Entra target of the plan names this application; the plan's Entra applications are ${JSON.stringify(names)}`);
    }
    const clouds = [...new Set(targets.map((t) => t.entraCloud ?? EntraCloud.PUBLIC))];
    if (clouds.length > 1) {
      fail({ path, property: 'applicationName' }, applicationName, 'entra.cloud-mismatch', `an application lives in one Microsoft cloud, but the plan's targets for it name ${JSON.stringify(clouds)}`);
    }
    const names = options?.credentialNames ?? {};
    for (const workload of Object.keys(names)) {
      if (!targets.some((t) => t.workloadName === workload)) {
        fail({ path, property: `credentialNames.${workload}` }, workload, 'entra.application-in-plan', `workload "${workload}" has no Entra target naming application "${applicationName}"`);
      }
    }
    const trusts: EntraTrustOptions[] = targets.map((t: PlannedTarget) => ({
      credentialName: names[t.workloadName] ?? `${t.workloadName}-${t.name}`,
      issuerUrl: t.issuerUrl,
      roleArn: t.subject,
      description: `cdk-keyless: AWS workload ${t.workloadName}, target ${t.name}`,
    }));
    // Check every credential before building anything, so a bad plan leaves no half-built application behind.
    // The checked values are kept and the application takes over the resulting state, so no credential is
    // checked twice.
    const state = newTrustState();
    const checked = trusts.map((t) => checkTrust(t, path, state));
    const app = new EntraWorkloadApplication(scope, id, {
      displayName: applicationName,
      cloud: clouds[0],
      ...(options?.owners !== undefined ? { owners: options.owners } : {}),
      ...(options?.provider !== undefined ? { provider: options.provider } : {}),
    });
    app.state = state;
    // A plain loop, not forEach: cdktf captures the whole call stack for every token a credential makes, so two
    // frames less per credential are measurably less synth time (bench B3).
    for (let i = 0; i < trusts.length; i++) app.addCredential(trusts[i], checked[i]);
    return app;
  }

  /** The `azuread_application`. */
  public readonly application: Application;
  /** The `azuread_service_principal` of the application. */
  public readonly servicePrincipal: ServicePrincipal;
  /** The `azuread_client_config` data source (tenant of the identity Terraform runs as). */
  public readonly clientConfig: DataAzureadClientConfig;
  /** The application (client) id the workload requests a token for. */
  public readonly clientId: string;
  /** The tenant id the workload exchanges its token in. */
  public readonly tenantId: string;
  /** The application's resource id, `/applications/<objectId>`; what a credential's `application_id` takes. */
  public readonly applicationResourceId: string;
  /** The one audience every credential of this application accepts. */
  public readonly audience: string;
  /** The Microsoft cloud of the application. */
  public readonly cloud: EntraCloud;

  private readonly credentials: ApplicationFederatedIdentityCredential[] = [];
  private state: TrustState = newTrustState();
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: EntraWorkloadApplicationProps) {
    const path = pathOf(scope, id);
    const site = (property: string): ValidationSite => ({ path, property });
    if (props === null || typeof props !== 'object') {
      fail(site('props'), props, 'entra.props', 'pass at least displayName');
    }
    const unchecked: string[] = [];
    validateUnlessToken(props.displayName, site('displayName'), (v, s) => validateTerraformLiteral(validateDisplayName(v, s), s), unchecked);
    const cloud = props.cloud ?? EntraCloud.PUBLIC;
    if (!Object.values(EntraCloud).includes(cloud)) {
      fail(site('cloud'), cloud, 'target.entra-cloud', `cloud is one of ${Object.values(EntraCloud).join(', ')}`);
    }
    if (props.owners !== undefined && !isToken(props.owners)) {
      props.owners.forEach((o, i) => validateUnlessToken(o, site(`owners[${i}]`), validateTerraformLiteral, unchecked));
    }

    super(scope, id);
    warnUnchecked(this, unchecked);
    this.cloud = cloud;
    this.audience = ENTRA_AUDIENCES[cloud];
    this.provider = props.provider;
    const provider = props.provider ? { provider: props.provider } : {};
    const owners = props.owners !== undefined ? { owners: props.owners } : {};

    // No `password` block and no certificate: federated credentials are the only way in.
    this.application = new Application(this, 'Application', {
      displayName: props.displayName,
      signInAudience: 'AzureADMyOrg',
      ...owners,
      ...provider,
    });
    // Each attribute getter makes a new token (and captures a stack trace); read each attribute once and reuse it.
    this.clientId = this.application.clientId;
    this.applicationResourceId = this.application.id;
    this.servicePrincipal = new ServicePrincipal(this, 'ServicePrincipal', {
      clientId: this.clientId,
      ...owners,
      ...provider,
    });
    this.clientConfig = new DataAzureadClientConfig(this, 'ClientConfig', { ...provider });
    this.tenantId = this.clientConfig.tenantId;
  }

  /** Number of federated identity credentials on the application. */
  public get credentialCount(): number {
    return this.credentials.length;
  }

  /**
   * Lets the AWS workload running as `roleArn` exchange tokens from `issuerUrl` for this application: adds one
   * federated identity credential. Throws on the 21st credential, a duplicate name, or a duplicate issuer and subject.
   */
  public trust(options: EntraTrustOptions): ApplicationFederatedIdentityCredential {
    return this.addCredential(options, checkTrust(options, this.node.path, this.state));
  }

  /** Creates the credential for `options`, already validated (and recorded in `state`) as `checked`. */
  private addCredential(options: EntraTrustOptions, checked: CheckedTrust): ApplicationFederatedIdentityCredential {
    const credential = new ApplicationFederatedIdentityCredential(this, `Credential-${checked.name}`, {
      // The application's resource id (`/applications/<objectId>`), not its client id.
      applicationId: this.applicationResourceId,
      displayName: checked.name,
      issuer: checked.issuer,
      subject: checked.subject,
      audiences: [this.audience],
      ...(options.description !== undefined ? { description: options.description } : {}),
      ...(this.provider ? { provider: this.provider } : {}),
    });
    this.credentials.push(credential);
    return credential;
  }
}

/** Credentials already accepted for one application. */
interface TrustState {
  count: number;
  readonly names: Set<string>;
  readonly issuerSubjects: Set<string>;
}

function newTrustState(): TrustState {
  return { count: 0, names: new Set(), issuerSubjects: new Set() };
}

/** A credential that passed {@link checkTrust}. */
interface CheckedTrust {
  readonly index: number;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
}

/** Validates one credential against Entra's rules and the application's other credentials, then records it in `state`. */
function checkTrust(options: EntraTrustOptions, path: string, state: TrustState): CheckedTrust {
  const index = state.count;
  const site = (property: string): ValidationSite => ({ path, property: `trust[${index}].${property}` });
  if (options === null || typeof options !== 'object') {
    fail(site('options'), options, 'entra.props', 'pass credentialName, issuerUrl and roleArn');
  }
  if (index >= MAX_CREDENTIALS) {
    fail(site('credentialName'), options.credentialName, 'entra.fic-limit', `Entra allows at most ${MAX_CREDENTIALS} federated identity credentials per application; this would be number ${index + 1}. Split the workloads over several applications`);
  }
  // The values Entra compares exactly are checked here or nowhere: a token (or a string that merely looks like one,
  // e.g. from a plan file) is refused rather than passed through unchecked.
  const literal = (property: string, value: unknown) => requireConcrete(value, site(property), 'Entra matches it exactly, so it is validated at synth');
  literal('credentialName', options.credentialName);
  literal('issuerUrl', options.issuerUrl);
  literal('roleArn', options.roleArn);
  if (options.description !== undefined) literal('description', options.description);
  const name = options.credentialName;
  if (typeof name !== 'string' || !CREDENTIAL_NAME.test(name)) {
    fail(site('credentialName'), name, 'entra.fic-name', 'a federated credential name is 3 to 120 characters of letters, digits, "-" and "_", starting with a letter or digit');
  }
  if (state.names.has(name.toLowerCase())) {
    fail(site('credentialName'), name, 'entra.fic-name-duplicate', 'credential names are unique per application (compared case-insensitively)');
  }
  const issuer = validateTerraformLiteral(validateIssuerUrl(options.issuerUrl, site('issuerUrl')), site('issuerUrl'));
  const subject = options.roleArn;
  parseRoleArn(subject, site('roleArn'));
  validateTerraformLiteral(subject, site('roleArn'));
  if (subject.length > MAX_SUBJECT) {
    fail(site('roleArn'), subject, 'entra.fic-subject-length', `Entra accepts a subject of at most ${MAX_SUBJECT} characters`);
  }
  if (options.description !== undefined) {
    if (typeof options.description !== 'string' || options.description.length > MAX_SUBJECT) {
      fail(site('description'), options.description, 'entra.fic-description', `a description is at most ${MAX_SUBJECT} characters`);
    }
    validateTerraformLiteral(options.description, site('description'));
  }
  const pair = `${issuer}\u0000${subject}`;
  if (state.issuerSubjects.has(pair)) {
    fail(site('roleArn'), subject, 'entra.fic-duplicate-subject', 'the application already trusts this issuer and subject; Entra requires the pair to be unique per application');
  }
  state.count++;
  state.names.add(name.toLowerCase());
  state.issuerSubjects.add(pair);
  return { index, name, issuer, subject };
}
