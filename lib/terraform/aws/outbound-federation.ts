import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import { validateIssuerUrl } from '../../core/issuer';
import { FederationPlan } from '../../core/plan';
import { pathOf, validateTerraformLiteral } from '../validation';
import { OUTBOUND_FEDERATION_PROVIDER_VERSION, requireOutboundFederationProvider } from './helpers';
import { IamOutboundWebIdentityFederation } from './iam-outbound-web-identity-federation';

/** Options of {@link TerraformOutboundWebIdentityFederation.fromPlan}. */
export interface TerraformOutboundWebIdentityFederationOptions {
  /**
   * Let `terraform destroy` (or a plan that replaces the resource) disable outbound federation for the whole
   * account. The provider's delete calls `DisableOutboundWebIdentityFederation`, which breaks every workload of the
   * account that mints tokens, including ones managed elsewhere; tokens already issued stay valid until they expire.
   * @default false - the resource has `lifecycle { prevent_destroy = true }`
   */
  readonly allowDisableOnDestroy?: boolean;
  /**
   * AWS provider of the resource.
   * @default - the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
}

/** Properties of a {@link TerraformOutboundWebIdentityFederation}. */
export interface TerraformOutboundWebIdentityFederationProps extends TerraformOutboundWebIdentityFederationOptions {
  /**
   * The issuer the relying parties were configured with, e.g. a `FederationPlan`'s `issuerUrl`. A lifecycle
   * postcondition fails the apply if the account's issuer differs, so the plan cannot silently drift from the
   * account Terraform runs against.
   * @default - any issuer is accepted
   */
  readonly expectedIssuerUrl?: string;
}

/**
 * Turns on IAM outbound web identity federation for the account Terraform runs against, with the AWS provider's
 * own `aws_iam_outbound_web_identity_federation` (no custom resource, unlike the CDK side), and exposes the
 * account's issuer URL.
 *
 * - Needs AWS provider >= 6.26.0: the construct pins `terraform.required_providers.aws.version` to `>= 6.26.0`.
 * - Create enables the feature, or adopts it when it is already on (idempotent).
 * - Destroy would DISABLE it for the whole account, so the resource carries `prevent_destroy` unless
 *   `allowDisableOnDestroy` is true. To stop managing it without disabling it, remove it from the state
 *   (`terraform state rm`, or a `removed` block with `destroy = false`).
 * - With `expectedIssuerUrl` (`fromPlan` sets the plan's), the apply fails when the account's issuer differs.
 *
 * One per account (it is an account singleton).
 */
export class TerraformOutboundWebIdentityFederation extends Construct {
  /** The account switch for `plan`'s account: the apply fails unless the account's issuer is the plan's `issuerUrl`. */
  public static fromPlan(scope: Construct, id: string, plan: FederationPlan, options: TerraformOutboundWebIdentityFederationOptions = {}): TerraformOutboundWebIdentityFederation {
    if (!(plan instanceof FederationPlan)) {
      fail({ path: pathOf(scope, id), property: 'plan' }, typeof plan, 'plan.shape', 'pass a FederationPlan');
    }
    return new TerraformOutboundWebIdentityFederation(scope, id, { ...options, expectedIssuerUrl: plan.issuerUrl });
  }

  /** The AWS provider version constraint the switch needs. */
  public static readonly REQUIRED_PROVIDER_VERSION: string = OUTBOUND_FEDERATION_PROVIDER_VERSION;

  /** The `aws_iam_outbound_web_identity_federation` resource. */
  public readonly resource: IamOutboundWebIdentityFederation;
  /** The account's issuer URL (`issuer_identifier`): a Terraform reference, known after apply. */
  public readonly issuerUrl: string;
  /** The issuer the apply insists on, when given. */
  public readonly expectedIssuerUrl?: string;

  constructor(scope: Construct, id: string, props: TerraformOutboundWebIdentityFederationProps = {}) {
    const path = pathOf(scope, id);
    if (props === null || typeof props !== 'object') {
      fail({ path, property: 'props' }, props, 'federation.props', 'pass an object (all properties are optional)');
    }
    const expected = props.expectedIssuerUrl;
    if (expected !== undefined) {
      validateIssuerUrl(expected, { path, property: 'expectedIssuerUrl' });
      validateTerraformLiteral(expected, { path, property: 'expectedIssuerUrl' });
    }
    super(scope, id);
    this.resource = new IamOutboundWebIdentityFederation(this, 'Resource', {
      ...(props.provider !== undefined ? { provider: props.provider } : {}),
      lifecycle: {
        preventDestroy: props.allowDisableOnDestroy !== true,
        ...(expected !== undefined ? {
          postcondition: [{
            condition: `\${self.issuer_identifier == ${JSON.stringify(expected)}}`,
            errorMessage: `The account's outbound issuer is not ${expected}, the issuer its relying parties trust (the plan is for another account, or the plan's issuerUrl is stale).`,
          }],
        } : {}),
      },
    });
    requireOutboundFederationProvider(this);
    this.issuerUrl = this.resource.issuerIdentifier;
    this.expectedIssuerUrl = expected;
  }
}
