// Custom resource handler for OutboundWebIdentityFederation. Runs in the Lambda Node.js runtime and uses the
// AWS SDK for JavaScript v3 the runtime bundles (no bundling here); the IAM operations below exist from
// @aws-sdk/client-iam 3.936.0 on. aws-cdk-lib's CustomResourceProvider wraps this module with its
// CloudFormation response entrypoint, which sends whatever `handler` returns (or the error it throws).
import * as iam from '@aws-sdk/client-iam';

/** The one physical id: enablement is an account singleton, and a changing id would make CloudFormation delete the "old" one. */
export const PHYSICAL_RESOURCE_ID = 'keyless-outbound-web-identity-federation';

const MIN_SDK_MESSAGE = 'the AWS SDK for JavaScript in this Lambda runtime does not know the outbound web identity federation '
  + 'operations (they need @aws-sdk/client-iam >= 3.936.0); use a newer Node.js runtime';

/** The subset of the CloudFormation custom resource event the handler reads. */
export interface FederationEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: {
    readonly DisableOnDelete?: string | boolean;
    readonly ExpectedIssuerUrl?: string;
  };
}

/** What the CloudFormation response entrypoint sends back. */
export interface FederationResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { IssuerUrl: string; Adopted: string };
}

function isError(e: unknown, names: string[]): boolean {
  const err = e as { name?: string; Code?: string };
  return names.includes(err?.name ?? '') || names.includes(err?.Code ?? '');
}

function commands(): { Enable: any; Get: any; Disable: any } {
  const Enable = (iam as any).EnableOutboundWebIdentityFederationCommand;
  const Get = (iam as any).GetOutboundWebIdentityFederationInfoCommand;
  const Disable = (iam as any).DisableOutboundWebIdentityFederationCommand;
  if (typeof Enable !== 'function' || typeof Get !== 'function' || typeof Disable !== 'function') {
    throw new Error(MIN_SDK_MESSAGE);
  }
  return { Enable, Get, Disable };
}

function checkIssuer(issuer: unknown, expected: string | undefined): string {
  if (typeof issuer !== 'string' || !issuer.startsWith('https://')) {
    throw new Error(`IAM returned no usable issuer URL (${JSON.stringify(issuer)})`);
  }
  if (expected && issuer !== expected) {
    throw new Error(`this account's outbound issuer is ${issuer} but expectedIssuerUrl is ${expected}; `
      + 'the relying parties were configured for a different issuer. Update the FederationPlan (and every trust built from it) or deploy to the right account');
  }
  return issuer;
}

/** Enables federation, adopting an account where it is already on; returns the issuer and whether it was adopted. */
async function ensureEnabled(client: iam.IAMClient): Promise<{ issuer: string | undefined; adopted: boolean }> {
  const { Enable, Get } = commands();
  try {
    const out = (await client.send(new Enable({}))) as { IssuerIdentifier?: string };
    console.log('enabled outbound web identity federation');
    return { issuer: out.IssuerIdentifier, adopted: false };
  } catch (e) {
    if (!isError(e, ['FeatureEnabledException', 'FeatureEnabled'])) {
      throw e;
    }
  }
  const info = (await client.send(new Get({}))) as { IssuerIdentifier?: string; JwtVendingEnabled?: boolean };
  console.log('outbound web identity federation was already enabled; adopting it');
  return { issuer: info.IssuerIdentifier, adopted: true };
}

/** Reads the current state; re-enables if someone disabled it out of band. */
async function reconcile(client: iam.IAMClient): Promise<{ issuer: string | undefined; adopted: boolean }> {
  const { Get } = commands();
  try {
    const info = (await client.send(new Get({}))) as { IssuerIdentifier?: string; JwtVendingEnabled?: boolean };
    if (info.JwtVendingEnabled !== false) {
      return { issuer: info.IssuerIdentifier, adopted: true };
    }
  } catch (e) {
    if (!isError(e, ['FeatureDisabledException', 'FeatureDisabled'])) {
      throw e;
    }
  }
  console.log('outbound web identity federation was disabled outside this stack; enabling it again');
  return ensureEnabled(client);
}

function flag(value: string | boolean | undefined): boolean {
  return value === true || value === 'true';
}

/** Handles one custom resource event with `client`. */
export async function onEvent(event: FederationEvent, client: iam.IAMClient): Promise<FederationResponse> {
  const props = event.ResourceProperties ?? {};
  const expected = props.ExpectedIssuerUrl || undefined;
  switch (event.RequestType) {
    case 'Create':
    case 'Update': {
      const { issuer, adopted } = event.RequestType === 'Create' ? await ensureEnabled(client) : await reconcile(client);
      return { PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { IssuerUrl: checkIssuer(issuer, expected), Adopted: String(adopted) } };
    }
    case 'Delete': {
      const physicalId = event.PhysicalResourceId ?? PHYSICAL_RESOURCE_ID;
      if (!flag(props.DisableOnDelete)) {
        console.log('leaving outbound web identity federation enabled (disableOnDelete is not set)');
        return { PhysicalResourceId: physicalId };
      }
      const { Disable } = commands();
      try {
        await client.send(new Disable({}));
        console.log('disabled outbound web identity federation');
      } catch (e) {
        if (!isError(e, ['FeatureDisabledException', 'FeatureDisabled'])) {
          throw e;
        }
        console.log('outbound web identity federation was already disabled');
      }
      return { PhysicalResourceId: physicalId };
    }
    default:
      throw new Error(`unknown request type ${JSON.stringify((event as { RequestType?: string }).RequestType)}`);
  }
}

/** Lambda entry point (called by the CloudFormation response wrapper). */
export async function handler(event: FederationEvent): Promise<FederationResponse> {
  return onEvent(event, new iam.IAMClient({ maxAttempts: 6 }));
}
