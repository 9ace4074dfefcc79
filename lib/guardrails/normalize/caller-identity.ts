/**
 * `data.aws_caller_identity.NAME.account_id` read as the account it is, when the data source's provider configuration
 * names one (`allowed_account_ids` with one account, or a literal `assume_role` ARN: see `policy/aws-provider.ts`).
 * Trusts are often written with it (`ARN = 'arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/etl'`
 * in a Snowflake workload identity, an Entra credential's `subject`); read as the account, the federation graph can
 * join them. An interpolation that is the reference alone is replaced (inside a template too); one that uses it in a
 * longer expression (`${format(...)}`) is left as written.
 *
 * Engine-neutral; internal module of the Terraform readers.
 */
import { NormalizedResource, Writable } from '../model';
import { awsAccountAt, providerAddressOf } from '../policy/aws-provider';
import { MODULE_ADDRESS_PREFIX } from '../policy/interpolation';
import { mapStrings } from '../policy/json';

const CALLER_IDENTITY = 'aws_caller_identity';
/** `${data.aws_caller_identity.NAME.account_id}` (with a module address in front inside a module), not after `$`. */
const ACCOUNT_ID = new RegExp(String.raw`(?<!\$)\$\{\s*(${MODULE_ADDRESS_PREFIX}data\.aws_caller_identity\.[A-Za-z_][A-Za-z0-9_-]*)\.account_id\s*\}`, 'g');

/** Reads each set resource's `data.aws_caller_identity...account_id` interpolations as the account (see above). */
export function readCallerAccounts(resources: readonly NormalizedResource[]): void {
  const accounts = new Map<string, string>();
  let providers: Map<string, NormalizedResource> | undefined;
  for (const r of resources) {
    if (r.kind !== 'data' || r.type !== CALLER_IDENTITY) continue;
    providers ??= new Map(resources.filter((p) => p.kind === 'provider').map((p) => [p.address, p]));
    const address = providerAddressOf(r);
    const known = providers;
    const account = address === null ? undefined : awsAccountAt(address, (a) => known.get(a));
    if (account !== undefined) accounts.set(r.address, account);
  }
  if (accounts.size === 0) return;
  const read = (text: string): string => (text.includes(CALLER_IDENTITY)
    ? text.replace(ACCOUNT_ID, (found: string, address: string) => accounts.get(address) ?? found)
    : text);
  for (const r of resources) {
    const properties = mapStrings(r.properties, read) as Record<string, unknown>;
    if (properties !== r.properties) (r as Writable<NormalizedResource>).properties = properties;
  }
}
