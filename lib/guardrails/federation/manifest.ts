/**
 * Trust manifests (`cdk-keyless/trust-manifest@1`, written by `TrustManifest` for relying parties without a Terraform
 * provider: OpenAI, Anthropic) as relying-party trusts of the federation graph. A manifest says exactly what to
 * register on the vendor's side, so it stands for that side of the trust.
 */
import * as fs from 'fs';
import { join } from 'path';
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

/** Directories a search for manifests never enters (cloud assemblies and cdktf output hold none). */
const SKIPPED = new Set(['node_modules', 'cdk.out', 'cdktf.out']);
/** How far into a file the schema must appear: TrustManifest writes it first. */
const SCHEMA_WINDOW = 256;

/**
 * Whether a file is a trust manifest, by the first bytes (`{"schema": "cdk-keyless/trust-manifest@1", ...}` as
 * `TrustManifest` writes it), without reading or parsing the whole file.
 */
export function looksLikeTrustManifest(file: string): boolean {
  if (!file.toLowerCase().endsWith('.json') || file.toLowerCase().endsWith('.tf.json')) return false;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SCHEMA_WINDOW);
    const n = fs.readSync(fd, head, 0, SCHEMA_WINDOW, 0);
    return head.subarray(0, n).toString('utf8').includes(`"${TRUST_MANIFEST_SCHEMA}"`);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Reads one manifest file; a malformed one throws {@link TrustManifestError}. */
export function readTrustManifest(file: string): RelyingPartyTrust {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new TrustManifestError(file, `malformed trust manifest: ${(e as Error).message}`);
  }
  return trustFromManifest(json, file);
}

/**
 * The trust manifests at `path`: the file itself, or every manifest below the directory (skipping hidden
 * directories, `node_modules` and CDK/CDKTF output), in path order.
 */
export function findTrustManifests(path: string): string[] {
  return findTrustFiles(path, looksLikeTrustManifest);
}

/**
 * The trust files at `path` that `accepts` takes (trust manifests, Kubernetes authentication configurations): the
 * file itself, or every one below the directory, skipping hidden directories, `node_modules` and CDK/CDKTF output (a
 * directory with a `manifest.json`), in path order.
 */
export function findTrustFiles(path: string, accepts: (file: string) => boolean): string[] {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) return accepts(path) ? [path] : [];
  if (!stat?.isDirectory()) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const at = join(dir, name);
      const s = fs.statSync(at, { throwIfNoEntry: false });
      if (s?.isDirectory()) {
        if (!name.startsWith('.') && !SKIPPED.has(name) && !fs.existsSync(join(at, 'manifest.json'))) walk(at);
      } else if (s?.isFile() && accepts(at)) {
        out.push(at);
      }
    }
  };
  walk(path);
  return out;
}
