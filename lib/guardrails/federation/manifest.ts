/**
 * Trust manifests (`cdk-keyless/trust-manifest@1`, written by `TrustManifest` for relying parties without a Terraform
 * provider: OpenAI, Anthropic) as relying-party trusts of the federation graph. A manifest says exactly what to
 * register on the vendor's side, so it stands for that side of the trust.
 */
import { TRUST_MANIFEST_SCHEMA } from '../../core/trust-manifest';
import { RelyingPartyKind, RelyingPartyTrust } from './model';

const VENDORS: readonly RelyingPartyKind[] = ['openai', 'anthropic'];

/** Whether parsed JSON is a trust manifest (by its schema field). */
export function isTrustManifest(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { schema?: unknown }).schema === TRUST_MANIFEST_SCHEMA;
}

/** A problem with a manifest file: the CLI reports it as unusable input (exit 2). */
export class TrustManifestError extends Error {
  constructor(readonly file: string, reason: string) {
    super(reason);
    this.name = 'TrustManifestError';
  }
}

function text(json: Record<string, unknown>, key: string, file: string): string {
  const v = json[key];
  if (typeof v !== 'string' || v === '') throw new TrustManifestError(file, `trust manifest field "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

/** The trust a manifest describes. `file` names it in findings; the resource is `<workload>-<target>`. */
export function trustFromManifest(json: unknown, file: string): RelyingPartyTrust {
  if (!isTrustManifest(json)) throw new TrustManifestError(file, `not a trust manifest (expected "schema": "${TRUST_MANIFEST_SCHEMA}")`);
  const m = json as Record<string, unknown>;
  const vendor = text(m, 'vendor', file) as RelyingPartyKind;
  if (!VENDORS.includes(vendor)) throw new TrustManifestError(file, `trust manifest vendor must be one of ${VENDORS.join(', ')}, got ${JSON.stringify(vendor)}`);
  const issuer = m.issuer as { url?: unknown } | undefined;
  if (typeof issuer !== 'object' || issuer === null || typeof issuer.url !== 'string') throw new TrustManifestError(file, 'trust manifest field "issuer.url" must be a string');
  const subject = text(m, 'subject', file);
  const algorithm = text(m, 'signingAlgorithm', file);
  const lifetime = m.tokenLifetimeSeconds;
  if (lifetime !== undefined && (typeof lifetime !== 'number' || !Number.isInteger(lifetime))) {
    throw new TrustManifestError(file, `trust manifest field "tokenLifetimeSeconds" must be an integer, got ${JSON.stringify(lifetime)}`);
  }
  return {
    kind: vendor,
    address: `${text(m, 'workload', file)}-${text(m, 'target', file)}`,
    resourceType: TRUST_MANIFEST_SCHEMA,
    file,
    label: vendor === 'openai' ? 'OpenAI' : 'Anthropic',
    issuer: issuer.url,
    subject,
    // Anthropic's federation rule matches a subject ending in "*" as a prefix; OpenAI's mapping is exact.
    subjectMatch: vendor === 'anthropic' && subject.endsWith('*') ? 'prefix' : 'exact',
    audience: text(m, 'audience', file),
    algorithms: [algorithm],
    ...(typeof lifetime === 'number' ? { lifetimeSeconds: lifetime } : {}),
  };
}
