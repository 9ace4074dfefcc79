/**
 * Which AWS account a Terraform `provider "aws"` configuration deploys to, and which configuration a resource uses.
 * Read by the federation graph (a role's ARN) and by the Terraform readers (`data.aws_caller_identity`).
 */
import { NormalizedResource } from '../model';
import { resourceProviderName } from './interpolation';
import { blocks } from './json';
import { staticString } from './static-value';

const ROLE_ARN_ACCOUNT = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

/**
 * The provider configuration a Terraform resource uses, as the root module names it (`provider.aws`,
 * `provider.aws.prod`): the one its module calls pass (`NormalizedResource.provider`), else its `provider` argument,
 * else its type's default. `null` when that is not known statically.
 */
export function providerAddressOf(resource: NormalizedResource): string | null {
  if (resource.provider !== undefined) return resource.provider;
  const name = resourceProviderName(resource.type, resource.properties.provider);
  return name === undefined ? null : `provider.${name}`;
}

/**
 * The account of the `provider "aws"` configuration at `address` (see {@link awsProviderAccount}), found with `lookup`;
 * `undefined` when it is not an AWS provider configuration of the set.
 */
export function awsAccountAt(address: string, lookup: (address: string) => NormalizedResource | undefined): string | undefined {
  const provider = lookup(address);
  return provider !== undefined && provider.kind === 'provider' && provider.type === 'aws' ? awsProviderAccount(provider) : undefined;
}

/**
 * The account a `provider "aws"` configuration deploys to: `allowed_account_ids` with one account (Terraform refuses
 * any other), else the account of a literal `assume_role` `role_arn` (the role it works as). `undefined` otherwise.
 */
export function awsProviderAccount(provider: NormalizedResource): string | undefined {
  const ids = provider.properties.allowed_account_ids;
  if (ids !== undefined) {
    const only = Array.isArray(ids) && ids.length === 1 ? staticString(ids[0]) : undefined;
    return only !== undefined && /^\d{12}$/.test(only) ? only : undefined;
  }
  const assumed = blocks(provider.properties.assume_role)[0];
  const arn = assumed === undefined ? undefined : staticString(assumed.role_arn);
  return arn === undefined ? undefined : ROLE_ARN_ACCOUNT.exec(arn)?.[1];
}
