import { IAMClient } from '@aws-sdk/client-iam';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { FederationEvent, handler, onEvent, PHYSICAL_RESOURCE_ID } from '../../lib/aws/federation-handler';
import { FakeIam } from './fake-iam';

const ISSUER = 'https://a1d2b0fd-1177-4468-9351-2f0000000723.tokens.sts.global.api.aws';
const OTHER_ISSUER = 'https://0b5e2c1d-0000-4000-8000-000000000001.tokens.sts.global.api.aws';

let iam: FakeIam;
let endpoint: string;

/**
 * The SDK client the handler gets in Lambda (`maxAttempts: 6`, the SDK's standard retry decisions), except that a retry
 * waits 5 ms instead of the SDK's jittered backoff (up to seconds for throttling): the tests check which calls are retried
 * and when the budget runs out, not how long the SDK sleeps.
 */
function client(maxAttempts = 6): IAMClient {
  return new IAMClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'fake-secret-for-a-local-server' },
    maxAttempts,
    retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 5),
  });
}

function event(requestType: FederationEvent['RequestType'], props: FederationEvent['ResourceProperties'] = {}, physicalId?: string): FederationEvent {
  return { RequestType: requestType, ResourceProperties: props, ...(physicalId ? { PhysicalResourceId: physicalId } : {}) };
}

beforeAll(() => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
});

beforeEach(async () => {
  iam = new FakeIam({ issuer: ISSUER });
  endpoint = await iam.start();
});

afterEach(async () => {
  await iam.stop();
});

describe('Create', () => {
  test('enables a disabled account and returns its issuer', async () => {
    const res = await onEvent(event('Create', { DisableOnDelete: 'false' }), client());
    expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { IssuerUrl: ISSUER, Adopted: 'false' } });
    expect(iam.enabled).toBe(true);
    expect(iam.actions).toEqual(['EnableOutboundWebIdentityFederation']);
    // A real, signed IAM Query API call.
    const [req] = iam.requests;
    expect(req.method).toBe('POST');
    expect(req.version).toBe('2010-05-08');
    expect(req.contentType).toBe('application/x-www-form-urlencoded');
    expect(req.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/iam\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/);
  });

  test('adopts an account that is already enabled (409 FeatureEnabled) and reads the issuer', async () => {
    iam.enabled = true;
    const res = await onEvent(event('Create'), client());
    expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { IssuerUrl: ISSUER, Adopted: 'true' } });
    expect(iam.actions).toEqual(['EnableOutboundWebIdentityFederation', 'GetOutboundWebIdentityFederationInfo']);
  });

  test('is idempotent: a second Create yields the same issuer and physical id', async () => {
    const first = await onEvent(event('Create'), client());
    const second = await onEvent(event('Create'), client());
    expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
    expect(second.Data!.IssuerUrl).toBe(first.Data!.IssuerUrl);
    expect(iam.enabled).toBe(true);
  });

  test('accepts the expected issuer', async () => {
    const res = await onEvent(event('Create', { ExpectedIssuerUrl: ISSUER }), client());
    expect(res.Data!.IssuerUrl).toBe(ISSUER);
  });

  test('fails when the account issuer differs from expectedIssuerUrl', async () => {
    iam.enabled = true;
    await expect(onEvent(event('Create', { ExpectedIssuerUrl: OTHER_ISSUER }), client()))
      .rejects.toThrow(`this account's outbound issuer is ${ISSUER} but expectedIssuerUrl is ${OTHER_ISSUER}`);
  });

  test('throttling (Throttling, 400) is retried by the SDK until it succeeds', async () => {
    iam.injected.push({ action: 'EnableOutboundWebIdentityFederation', status: 400, code: 'Throttling' });
    iam.injected.push({ action: 'EnableOutboundWebIdentityFederation', status: 400, code: 'Throttling' });
    const res = await onEvent(event('Create'), client());
    expect(res.Data!.IssuerUrl).toBe(ISSUER);
    expect(iam.actions).toEqual(Array(3).fill('EnableOutboundWebIdentityFederation'));
  });

  test('throttling while adopting is retried too', async () => {
    iam.enabled = true;
    iam.injected.push({ action: 'GetOutboundWebIdentityFederationInfo', status: 400, code: 'Throttling' });
    const res = await onEvent(event('Create'), client());
    expect(res.Data).toEqual({ IssuerUrl: ISSUER, Adopted: 'true' });
    expect(iam.actions).toEqual(['EnableOutboundWebIdentityFederation', 'GetOutboundWebIdentityFederationInfo', 'GetOutboundWebIdentityFederationInfo']);
  });

  test('throttling beyond the retry budget fails the deployment', async () => {
    iam.injected.push({ action: 'EnableOutboundWebIdentityFederation', status: 400, code: 'Throttling' });
    iam.injected.push({ action: 'EnableOutboundWebIdentityFederation', status: 400, code: 'Throttling' });
    await expect(onEvent(event('Create'), client(2))).rejects.toMatchObject({ name: 'Throttling' });
    expect(iam.enabled).toBe(false);
    expect(iam.actions).toHaveLength(2);
  });

  test('other errors (AccessDenied) fail the deployment and are not retried', async () => {
    iam.injected.push({ action: 'EnableOutboundWebIdentityFederation', status: 403, code: 'AccessDenied' });
    await expect(onEvent(event('Create'), client())).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(iam.actions).toEqual(['EnableOutboundWebIdentityFederation']);
  });
});

describe('Update', () => {
  test('re-reads the issuer without enabling again', async () => {
    iam.enabled = true;
    const res = await onEvent(event('Update', {}, PHYSICAL_RESOURCE_ID), client());
    expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { IssuerUrl: ISSUER, Adopted: 'true' } });
    expect(iam.actions).toEqual(['GetOutboundWebIdentityFederationInfo']);
  });

  test('re-enables an account someone disabled out of band (404 FeatureDisabled)', async () => {
    const res = await onEvent(event('Update', {}, PHYSICAL_RESOURCE_ID), client());
    expect(res.Data).toEqual({ IssuerUrl: ISSUER, Adopted: 'false' });
    expect(iam.enabled).toBe(true);
    expect(iam.actions).toEqual(['GetOutboundWebIdentityFederationInfo', 'EnableOutboundWebIdentityFederation']);
  });

  test('re-enables when Get reports JwtVendingEnabled false', async () => {
    iam.reportDisabledAsFalse = true;
    const res = await onEvent(event('Update', {}, PHYSICAL_RESOURCE_ID), client());
    expect(res.Data!.IssuerUrl).toBe(ISSUER);
    expect(iam.actions).toEqual(['GetOutboundWebIdentityFederationInfo', 'EnableOutboundWebIdentityFederation']);
  });

  test('checks expectedIssuerUrl on update as well', async () => {
    iam.enabled = true;
    await expect(onEvent(event('Update', { ExpectedIssuerUrl: OTHER_ISSUER }, PHYSICAL_RESOURCE_ID), client())).rejects.toThrow(/expectedIssuerUrl is/);
  });
});

describe('Delete', () => {
  test('leaves the account enabled by default and calls nothing', async () => {
    iam.enabled = true;
    for (const props of [{}, { DisableOnDelete: 'false' }, { DisableOnDelete: false }]) {
      const res = await onEvent(event('Delete', props, PHYSICAL_RESOURCE_ID), client());
      expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID });
    }
    expect(iam.enabled).toBe(true);
    expect(iam.requests).toEqual([]);
  });

  test('disables the account when DisableOnDelete is true (CloudFormation sends "true")', async () => {
    iam.enabled = true;
    const res = await onEvent(event('Delete', { DisableOnDelete: 'true' }, PHYSICAL_RESOURCE_ID), client());
    expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID });
    expect(iam.enabled).toBe(false);
    expect(iam.actions).toEqual(['DisableOutboundWebIdentityFederation']);
  });

  test('an already disabled account (404 FeatureDisabled) is fine', async () => {
    const res = await onEvent(event('Delete', { DisableOnDelete: true }, PHYSICAL_RESOURCE_ID), client());
    expect(res).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID });
    expect(iam.actions).toEqual(['DisableOutboundWebIdentityFederation']);
  });

  test('throttled Disable is retried', async () => {
    iam.enabled = true;
    iam.injected.push({ action: 'DisableOutboundWebIdentityFederation', status: 400, code: 'Throttling' });
    await onEvent(event('Delete', { DisableOnDelete: 'true' }, PHYSICAL_RESOURCE_ID), client());
    expect(iam.enabled).toBe(false);
    expect(iam.actions).toEqual(['DisableOutboundWebIdentityFederation', 'DisableOutboundWebIdentityFederation']);
  });

  test('keeps the physical id it was given', async () => {
    const res = await onEvent(event('Delete', {}, 'some-older-id'), client());
    expect(res.PhysicalResourceId).toBe('some-older-id');
  });
});

test('unknown request types fail', async () => {
  await expect(onEvent({ RequestType: 'Replace' } as unknown as FederationEvent, client())).rejects.toThrow('unknown request type "Replace"');
});

test('the Lambda entry point builds its own client from the environment (AWS_ENDPOINT_URL_IAM here)', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_IAM: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-for-a-local-server',
    AWS_CONFIG_FILE: '/nonexistent/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  try {
    const res = await handler(event('Create'));
    expect(res.Data!.IssuerUrl).toBe(ISSUER);
    expect(iam.actions).toEqual(['EnableOutboundWebIdentityFederation']);
  } finally {
    for (const key of Object.keys(process.env)) {
      if (!(key in saved)) {
        delete process.env[key];
      }
    }
    Object.assign(process.env, saved);
  }
});
