import { IResolvable, TerraformMetaArguments, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The AWS provider's `aws_iam_outbound_web_identity_federation` (provider >= 6.26.0), typed by hand because the
 * last prebuilt binding (@cdktf/provider-aws 21.22.1) is provider 6.25.0, which predates it.
 *
 * The resource takes no arguments, so its configuration is only the meta-arguments (provider, lifecycle, ...).
 * Schema (terraform-provider-aws `internal/service/iam/outbound_web_identity_federation.go`): no arguments;
 * computed `issuer_identifier` and `jwt_vending_enabled`; no update and no import. Create calls
 * `EnableOutboundWebIdentityFederation` and adopts an account where it is already enabled; DESTROY CALLS
 * `DisableOutboundWebIdentityFederation` for the whole account. Prefer {@link TerraformOutboundWebIdentityFederation},
 * which protects against that and pins the provider version.
 */
export class IamOutboundWebIdentityFederation extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'aws_iam_outbound_web_identity_federation';

  constructor(scope: Construct, id: string, config: TerraformMetaArguments = {}) {
    super(scope, id, {
      terraformResourceType: IamOutboundWebIdentityFederation.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'aws', providerVersionConstraint: '>= 6.26.0' },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
  }

  /** `issuer_identifier`: the account's issuer URL, `https://<uuid>.tokens.sts.global.api.aws`. */
  public get issuerIdentifier(): string {
    return this.getStringAttribute('issuer_identifier');
  }

  /** `jwt_vending_enabled`: whether outbound identity federation is on for the account. */
  public get jwtVendingEnabled(): IResolvable {
    return this.getBooleanAttribute('jwt_vending_enabled');
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {};
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return {};
  }
}
