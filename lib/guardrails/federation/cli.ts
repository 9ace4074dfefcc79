/**
 * What `keyless check` tells the federation graph besides its templates: the trust manifests and Kubernetes
 * authentication configurations among its PATHs, `--plan` and
 * `--issuer`. Loaded by the CLI on first use.
 */
import * as fs from 'fs';
import { FederationPlan } from '../../core/plan';
import { InputError } from '../normalize/input-error';
import { FederationOptions } from './graph';
import { findKubernetesAuthentications, KubernetesAuthenticationError, readKubernetesAuthentication } from './kubernetes';
import { findTrustManifests, readTrustManifest, TrustManifestError } from './manifest';
import { RelyingPartyTrust } from './model';

export { verifyPairs } from './check';

/** The trust files found at the PATHs (trust manifests, Kubernetes authentication configurations), read. */
export interface TrustManifests {
  readonly files: string[];
  readonly trusts: RelyingPartyTrust[];
  /** What reading them could not check. */
  readonly notes: string[];
}

/**
 * Finds and reads the trust manifests and Kubernetes authentication configurations at the given (absolute) paths; a
 * malformed or invalid one is unusable input.
 */
export function trustManifestsOf(paths: readonly string[]): TrustManifests {
  const manifests = [...new Set(paths.flatMap(findTrustManifests))];
  const kubernetes = [...new Set(paths.flatMap(findKubernetesAuthentications))];
  try {
    const configurations = kubernetes.map(readKubernetesAuthentication);
    return {
      files: [...manifests, ...kubernetes],
      trusts: [...manifests.map(readTrustManifest), ...configurations.flatMap((c) => c.trusts)],
      notes: configurations.flatMap((c) => c.notes),
    };
  } catch (e) {
    if (e instanceof TrustManifestError || e instanceof KubernetesAuthenticationError) throw new InputError(e.file, e.message);
    throw e;
  }
}

/** `--plan` (read and validated as `FederationPlan.fromJson` does) and `--issuer`, with the manifests' trusts. */
export async function federationOptions(
  args: { readonly plan?: string; readonly issuers: readonly { readonly account: string; readonly url: string }[] },
  manifests: TrustManifests,
  resolve: (file: string) => string,
): Promise<FederationOptions> {
  const issuers = args.issuers.map((i) => ({ ...i, source: '--issuer' }));
  let plannedRoles: { arn: string; source: string }[] = [];
  if (args.plan !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(resolve(args.plan), 'utf8');
    } catch (e) {
      throw new InputError(args.plan, `cannot read the plan: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    let plan: FederationPlan;
    try {
      plan = FederationPlan.fromJson(text);
    } catch (e) {
      throw new InputError(args.plan, (e as Error).message);
    }
    issuers.push({ account: plan.account, url: plan.issuerUrl, source: args.plan });
    plannedRoles = plan.workloads.map((w) => ({ arn: w.roleArn, source: args.plan! }));
  }
  return { issuers, plannedRoles, manifestTrusts: manifests.trusts, manifestNotes: manifests.notes };
}
