import * as path from 'path';
import { Annotations, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { isAwsOutboundIssuer, validateIssuerUrl } from '../core/issuer';
import { grantWebIdentityToken, WebIdentityTokenGrantOptions } from './token-grant';

/** CloudFormation type of the enablement custom resource. */
export const FEDERATION_RESOURCE_TYPE = 'Custom::KeylessOutboundWebIdentityFederation';
/** IAM actions the handler calls, and so the only ones its role gets. */
export const FEDERATION_READ_ACTIONS = ['iam:EnableOutboundWebIdentityFederation', 'iam:GetOutboundWebIdentityFederationInfo'];
/** Granted only with `disableOnDelete: true`. */
export const FEDERATION_DISABLE_ACTION = 'iam:DisableOutboundWebIdentityFederation';
const PROVIDER_ID = 'KeylessOutboundFederationProvider';
/** The handler compiled in place by jsii (`lib/aws/federation-handler/index.js`). */
export const FEDERATION_HANDLER_DIR = path.join(__dirname, 'federation-handler');

/**
 * An AWS account's outbound web identity federation: the issuer its STS tokens carry, and the right to
 * mint them.
 */
export interface IOutboundWebIdentityFederation extends IConstruct {
  /**
   * The account's issuer URL, `https://<uuid>.tokens.sts.global.api.aws` (no trailing slash). A token
   * (custom resource attribute) for a federation enabled in this stack; usable in other constructs and
   * `CfnOutput`.
   * @attribute
   */
  readonly issuerUrl: string;

  /**
   * Grants `grantee` permission to mint tokens (`sts:GetWebIdentityToken`) for one target: one policy
   * statement pinning the audiences, the signing algorithm and the lifetime.
   */
  grantWebIdentityToken(grantee: iam.IGrantable, options: WebIdentityTokenGrantOptions): iam.Grant;
}

/** Properties of {@link OutboundWebIdentityFederation}. */
export interface OutboundWebIdentityFederationProps {
  /**
   * Disable outbound federation for the whole account when this resource is deleted (stack deletion or
   * removal from the app). Disabling breaks every workload of the account that mints tokens, including
   * ones deployed by other stacks; tokens already issued stay valid until they expire.
   * @default false - deleting the resource leaves the account enabled
   */
  readonly disableOnDelete?: boolean;
  /**
   * The issuer the relying parties were configured with, e.g. a `FederationPlan`'s `issuerUrl`. The
   * deployment fails if the account's issuer is different, so the plan cannot silently drift from the
   * account it is deployed to.
   * @default - any issuer is accepted
   */
  readonly expectedIssuerUrl?: string;
}

const stacksWithFederation = new WeakMap<Stack, string>();

/**
 * Turns on IAM outbound web identity federation for the stack's account (a custom resource: there is no
 * CloudFormation resource type for it) and exposes the account's issuer URL.
 *
 * - Create enables the feature; if it is already enabled (409 `FeatureEnabled`) it adopts it and reads
 *   the issuer. Update reads it again (and re-enables it if someone disabled it). Both are idempotent.
 * - Delete leaves the account enabled unless `disableOnDelete` is true.
 * - The handler's role may call exactly `iam:EnableOutboundWebIdentityFederation` and
 *   `iam:GetOutboundWebIdentityFederationInfo`, plus `iam:DisableOutboundWebIdentityFederation` only
 *   with `disableOnDelete`.
 * - The handler runs on Node.js 24 and uses the runtime's bundled AWS SDK, which must be >= 3.936.0;
 *   an older one fails the deployment with a message saying so.
 *
 * One per stack (it is an account singleton); share it, or use `fromIssuerUrl` in other stacks.
 */
export class OutboundWebIdentityFederation extends Construct implements IOutboundWebIdentityFederation {
  /**
   * Refers to an account whose federation was enabled elsewhere (console, CLI, another stack), by its
   * issuer URL. A concrete URL is validated (https, no trailing slash); a token is passed through.
   */
  public static fromIssuerUrl(scope: Construct, id: string, issuerUrl: string): IOutboundWebIdentityFederation {
    class Imported extends Resource implements IOutboundWebIdentityFederation {
      public readonly issuerUrl = issuerUrl;
      public grantWebIdentityToken(grantee: iam.IGrantable, options: WebIdentityTokenGrantOptions): iam.Grant {
        return grantWebIdentityToken(this, grantee, options);
      }
    }
    const imported = new Imported(scope, id);
    if (Token.isUnresolved(issuerUrl)) {
      Annotations.of(imported).addWarningV2('cdk-keyless:unchecked-issuerUrl', 'issuerUrl is an unresolved token; cdk-keyless could not validate it at synth time');
    } else {
      validateIssuerUrl(issuerUrl, { path: imported.node.path, property: 'issuerUrl' });
      warnIfNotAwsIssuer(imported, issuerUrl);
    }
    return imported;
  }

  /**
   * The account's issuer URL (custom resource attribute `IssuerUrl`).
   * @attribute
   */
  public readonly issuerUrl: string;
  /** Whether deleting this resource disables federation for the account. */
  public readonly disableOnDelete: boolean;
  /** The issuer the deployment insists on, if any. */
  public readonly expectedIssuerUrl?: string;
  /** The custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: OutboundWebIdentityFederationProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const other = stacksWithFederation.get(stack);
    if (other !== undefined) {
      fail({ path: this.node.path, property: 'OutboundWebIdentityFederation' }, id, 'federation.singleton',
        `outbound federation is an account singleton and ${other} already manages it in this stack; share that construct`);
    }
    stacksWithFederation.set(stack, this.node.path);

    if (props.disableOnDelete !== undefined && typeof props.disableOnDelete !== 'boolean') {
      fail({ path: this.node.path, property: 'disableOnDelete' }, props.disableOnDelete, 'federation.disable-on-delete', 'disableOnDelete is true or false');
    }
    this.disableOnDelete = props.disableOnDelete ?? false;
    if (props.expectedIssuerUrl !== undefined) {
      if (Token.isUnresolved(props.expectedIssuerUrl)) {
        Annotations.of(this).addWarningV2('cdk-keyless:unchecked-expectedIssuerUrl', 'expectedIssuerUrl is an unresolved token; cdk-keyless could not validate it at synth time');
      } else {
        validateIssuerUrl(props.expectedIssuerUrl, { path: this.node.path, property: 'expectedIssuerUrl' });
        warnIfNotAwsIssuer(this, props.expectedIssuerUrl);
      }
      this.expectedIssuerUrl = props.expectedIssuerUrl;
    }

    const policyStatements: any[] = [{ Effect: 'Allow', Action: [...FEDERATION_READ_ACTIONS], Resource: '*' }];
    if (this.disableOnDelete) {
      policyStatements.push({ Effect: 'Allow', Action: FEDERATION_DISABLE_ACTION, Resource: '*' });
    }
    const provider = CustomResourceProvider.getOrCreateProvider(this, PROVIDER_ID, {
      codeDirectory: FEDERATION_HANDLER_DIR,
      runtime: CustomResourceProviderRuntime.NODEJS_24_X,
      policyStatements,
      timeout: Duration.minutes(2),
      description: 'cdk-keyless: enables IAM outbound web identity federation for this account',
    });
    this.resource = new CustomResource(this, 'Resource', {
      resourceType: FEDERATION_RESOURCE_TYPE,
      serviceToken: provider.serviceToken,
      properties: {
        DisableOnDelete: this.disableOnDelete,
        ...(props.expectedIssuerUrl !== undefined ? { ExpectedIssuerUrl: props.expectedIssuerUrl } : {}),
      },
    });
    this.issuerUrl = this.resource.getAttString('IssuerUrl');
  }

  /**
   * Grants `grantee` permission to mint tokens (`sts:GetWebIdentityToken`) for one target: one policy
   * statement pinning the audiences, the signing algorithm and the lifetime.
   */
  public grantWebIdentityToken(grantee: iam.IGrantable, options: WebIdentityTokenGrantOptions): iam.Grant {
    return grantWebIdentityToken(this, grantee, options);
  }
}

function warnIfNotAwsIssuer(scope: IConstruct, issuerUrl: string): void {
  if (!isAwsOutboundIssuer(issuerUrl)) {
    Annotations.of(scope).addWarningV2('cdk-keyless:issuer-shape',
      `${issuerUrl} does not look like an AWS outbound issuer (https://<uuid>.tokens.sts.global.api.aws)`);
  }
}
