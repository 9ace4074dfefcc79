/**
 * Builds the inventory report from an evaluation: findings with their category and exemption, the federated
 * trusts (each counted once), the files covered, counts per rule and the summary.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { displayPath, readableName } from '../display';
import type { FederationPair } from '../federation/model';
import { daysLeft, EXPIRY_WARNING_DAYS } from '../exemptions';
import { Evaluation, FederatedTrust, Finding, Rule } from '../model';
import { OwnerAttribution, UNOWNED } from '../owners';
import { CATALOG } from '../rules';
import { toolVersion } from '../version';
import { mermaidGraph } from './mermaid';
import {
  categoryOf, InventoryReport, OwnerCount, REPORT_SCHEMA, ReportFinding, ReportIdentity, ReportOwner, ReportRun, ReportSummary, RuleCount,
} from './model';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** The clock (exemption days left, `generatedAt`). Default: now. */
  readonly now?: Date;
  /** The rule catalog (titles, per-rule counts). Default: the catalog. */
  readonly rules?: readonly Rule[];
  /** File paths in the report are made relative to this directory (when inside it). Default: keep as given. */
  readonly root?: string;
  /** Files checked (so files without findings are listed too). Default: files of findings and trusts. */
  readonly sources?: readonly string[];
  /**
   * Who owns each finding and trust (tags, exemption, CODEOWNERS, default; see `owners/`): fills `owner` on findings
   * and identities and the per-owner counts `owners`. Default: no owners.
   */
  readonly owners?: OwnerAttribution;
  /** Provenance of the run (commit, branch, CI, producer, inputs): see `reportOptionsFor` in `../provenance`. */
  readonly run?: ReportRun;
}

/** Builds the inventory report from an evaluation. */
export function buildReport(evaluation: Evaluation, options: BuildReportOptions = {}): InventoryReport {
  const now = options.now ?? new Date();
  const catalog = options.rules ?? CATALOG;
  // every finding and trust names its file: each is resolved against the root once
  const shownByFile = new Map<string, string>();
  const shown = (file: string): string => {
    let text = shownByFile.get(file);
    if (text === undefined) {
      text = displayPath(file, options.root);
      shownByFile.set(file, text);
    }
    return text;
  };

  const ownerNotes: string[] = [];
  const owned = <T>(lookup: { owner?: ReportOwner; note?: string } | undefined, item: T): T => {
    if (lookup?.note !== undefined) ownerNotes.push(lookup.note);
    return lookup?.owner ? Object.assign({}, item, { owner: { ...lookup.owner } }) : item;
  };
  const findings: ReportFinding[] = evaluation.findings.map((f) => owned(options.owners?.ofFinding(f), reportFinding(f, now, shown)));
  const identities: ReportIdentity[] = mergeTrusts(joinedToPairs(evaluation.trusts, evaluation.federation ?? [])).map((t) => owned(options.owners?.ofTrust(t), {
    // the workload as a person knows it: the role's construct path or address, else the ARN (the subject)
    workload: t.workloadName ?? t.subject ?? t.workload,
    target: t.target,
    targetKind: t.targetKind,
    ...(t.issuer !== undefined ? { issuer: t.issuer } : {}),
    ...(t.subject !== undefined ? { subject: t.subject } : {}),
    ...(t.audience !== undefined ? { audience: t.audience } : {}),
    ...(t.algorithm !== undefined ? { algorithm: t.algorithm } : {}),
    file: shown(t.file),
    resource: t.resource,
  } as ReportIdentity));

  const sourceSet = new Set<string>((options.sources ?? [
    ...evaluation.findings.map((f) => f.file),
    ...evaluation.trusts.map((t) => t.file),
  ]).map(shown));
  const sources = [...sourceSet].sort();

  const rules = countPerRule(findings, catalog);
  const exempted = findings.filter((f) => f.exemption?.status === 'active');
  const summary: ReportSummary = {
    files: sources.length,
    resources: evaluation.resourceCount,
    federatedIdentities: identities.length,
    credentials: findings.filter((f) => f.category === 'credential').length,
    trustFindings: findings.filter((f) => f.category === 'trust').length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    exempted: exempted.length,
    expiringExemptions: exempted.filter((f) => f.exemption!.daysLeft <= EXPIRY_WARNING_DAYS).length,
    expiredExemptions: findings.filter((f) => f.exemption?.status === 'expired').length,
  };
  return {
    schema: REPORT_SCHEMA,
    generatedAt: now.toISOString(),
    tool: { name: 'cdk-keyless', version: toolVersion() },
    ...(options.run ? { run: { ...options.run, inputs: [...options.run.inputs] } } : {}),
    sources,
    summary,
    identities,
    findings,
    rules,
    notes: [...new Set([...evaluation.notes, ...ownerNotes, ...(options.owners?.notes ?? [])])],
    // findings name their identity by address; the graph draws it as the trust target that address is
    mermaid: mermaidGraph(identities, findings, evaluation.federation ?? [],
      new Map(evaluation.trusts.flatMap((t) => (t.targetAddress !== undefined ? [[t.targetAddress, t.target] as const] : [])))),
    ...(evaluation.federation && evaluation.federation.length > 0 ? { federation: evaluation.federation.map((p) => ({ ...p })) } : {}),
    ...(evaluation.organizationGuardrails && evaluation.organizationGuardrails.length > 0
      ? { organizationGuardrails: evaluation.organizationGuardrails.map((g) => ({ ...g, file: shown(g.file) })) } : {}),
    ...(options.owners ? { owners: countPerOwner(findings, identities) } : {}),
  };
}

/** Counts per owner (`(unowned)` for none), most credentials first, then most errors, then by name (`(unowned)` last). */
export function countPerOwner(findings: readonly ReportFinding[], identities: readonly ReportIdentity[]): OwnerCount[] {
  const counts = new Map<string, { credentials: number; trusts: number; trustFindings: number; errors: number; exempted: number }>();
  const of = (owner: ReportOwner | undefined) => {
    const name = owner?.name ?? UNOWNED;
    let c = counts.get(name);
    if (c === undefined) {
      c = { credentials: 0, trusts: 0, trustFindings: 0, errors: 0, exempted: 0 };
      counts.set(name, c);
    }
    return c;
  };
  for (const f of findings) {
    const c = of(f.owner);
    if (f.category === 'credential') c.credentials++;
    else c.trustFindings++;
    if (f.severity === 'error') c.errors++;
    if (f.exemption?.status === 'active') c.exempted++;
  }
  for (const t of identities) of(t.owner).trusts++;
  return [...counts.entries()]
    .map(([owner, c]) => ({ owner, ...c }))
    .sort((a, b) => b.credentials - a.credentials || b.errors - a.errors
      || Number(a.owner === UNOWNED) - Number(b.owner === UNOWNED) || (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
}

function reportFinding(f: Finding, now: Date, shown: (file: string) => string): ReportFinding {
  return {
    ruleId: f.ruleId,
    category: categoryOf(f.ruleId),
    severity: f.severity,
    file: shown(f.file),
    resource: f.resource,
    resourceType: f.resourceType,
    engine: f.engine,
    ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}),
    name: readableName({ address: f.resource, ...(f.constructPath !== undefined ? { constructPath: f.constructPath } : {}) }),
    ...(f.identity !== undefined ? { identity: f.identity } : {}),
    ...(f.identityName !== undefined ? { identityName: f.identityName } : {}),
    ...(f.federatedIdentity ? { federatedIdentity: true } : {}),
    message: f.message,
    ...(f.exemption ? {
      exemption: {
        justification: f.exemption.justification,
        owner: f.exemption.owner,
        expires: f.exemption.expires,
        status: f.exemption.status,
        daysLeft: daysLeft(f.exemption, now),
      },
    } : {}),
  };
}

/** The role name at the end of an IAM role ARN (the token subject). */
const ROLE_ARN_NAME = /^arn:[^:]+:iam::\d{12}:role\/(?:[^\s]*\/)?([^/\s]+)$/;

type Side = NonNullable<FederatedTrust['side']>;

/** The side a trust was read from; trusts built before `side` existed are told apart by what they know. */
function sideOf(t: FederatedTrust): Side {
  if (t.side !== undefined) return t.side;
  if (t.targetKind === 'aws-role') return 'inbound';
  return t.subject === undefined && t.issuer === undefined ? 'minting' : 'relying-party';
}

/** Two values agree when either is unknown or both are the same. */
const agree = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;

/**
 * Whether a role's token grant (`minting`) is the other side of a relying party's trust: same kind of relying party
 * and audience, the same subject (the role ARN; when the grant's side does not know the ARN, the same role name, as
 * IAM role names are unique per account whatever the path), and no contradicting issuer or algorithm.
 */
function sameTrust(minting: FederatedTrust, relying: FederatedTrust): boolean {
  if (minting.targetKind !== relying.targetKind || minting.audience !== relying.audience) return false;
  const subjectMatches = minting.subject !== undefined
    ? minting.subject === relying.subject
    : relying.subject !== undefined && ROLE_ARN_NAME.exec(relying.subject)?.[1] === minting.workload;
  return subjectMatches && agree(minting.issuer, relying.issuer) && agree(minting.algorithm, relying.algorithm);
}

/**
 * Each trust once. A trust is often seen from both sides: the IAM grant that lets a role mint the token (which knows
 * the role's name, ARN, account issuer and algorithm) and the relying party that trusts the role's ARN (Entra FIC,
 * Snowflake user). When one run sees both, they are ONE row: the relying party's, with the grant's facts merged in
 * (the role's readable name; an issuer or algorithm only one side knows). Sides that contradict each other (another
 * issuer, another algorithm) stay two rows, so the report never hides a disagreement (KL-FED-02/03 report it).
 */
export function mergeTrusts(trusts: readonly FederatedTrust[]): FederatedTrust[] {
  const seen = new Set<string>();
  const unique = trusts.filter((t) => {
    const key = JSON.stringify([t.workload, t.workloadName, t.target, t.targetAddress, t.targetKind, t.issuer, t.subject, t.audience, t.algorithm, t.file, t.resource]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // grants by relying-party kind and audience, in order (what sameTrust compares first): each relying party looks only
  // at the grants for its own audience, not at every grant of the run
  const audienceKey = (t: FederatedTrust): string => `${t.targetKind}\u0000${t.audience}`;
  const mintingByAudience = new Map<string, FederatedTrust[]>();
  for (const t of unique) {
    if (sideOf(t) !== 'minting') continue;
    const key = audienceKey(t);
    const list = mintingByAudience.get(key);
    if (list) list.push(t);
    else mintingByAudience.set(key, [t]);
  }
  const merged = new Set<FederatedTrust>();
  const out: FederatedTrust[] = [];
  for (const t of unique) {
    // a grant stands until a relying party claims it (below); inbound trusts have no other side
    if (sideOf(t) !== 'relying-party') {
      out.push(t);
      continue;
    }
    const grants = (mintingByAudience.get(audienceKey(t)) ?? []).filter((m) => sameTrust(m, t));
    grants.forEach((m) => merged.add(m));
    const grant = grants[0];
    // Object.assign, not `{ ...t, ... }`: the same own fields in the same order, without the cost of a spread that
    // opens an object literal in code the JIT has not compiled (see toFinding in evaluate.ts)
    out.push(grant === undefined ? t : Object.assign({}, t,
      grant.workloadName !== undefined && t.workloadName === undefined ? { workloadName: grant.workloadName } : undefined,
      t.issuer === undefined && grant.issuer !== undefined ? { issuer: grant.issuer } : undefined,
      t.algorithm === undefined && grant.algorithm !== undefined ? { algorithm: grant.algorithm } : undefined));
  }
  return out.filter((t) => !merged.has(t));
}

/** Relying parties the inventory has no trust row of its own for: only the federation graph reads them. */
const GRAPH_ONLY_RELYING_PARTIES: readonly string[] = ['gcp', 'kubernetes'];

/**
 * A minting-side trust (a role's grant for an audience) whose relying party is no resource of the inputs but a trust the
 * federation graph joined it to (a Google Cloud pool provider, a Kubernetes authenticator): the row names that relying
 * party and its kind instead of only the audience, when exactly one pair of the role and audience says which.
 */
function joinedToPairs(trusts: readonly FederatedTrust[], pairs: readonly FederationPair[]): FederatedTrust[] {
  return trusts.map((t) => {
    if (sideOf(t) !== 'minting' || t.targetKind !== 'oidc' || t.subject === undefined) return t;
    const joined = pairs.filter((p) => p.workload === t.subject && p.audience === t.audience && GRAPH_ONLY_RELYING_PARTIES.includes(p.targetKind));
    if (joined.length !== 1) return t;
    return { ...t, target: joined[0].target, targetKind: joined[0].targetKind as FederatedTrust['targetKind'] };
  });
}

function countPerRule(findings: readonly ReportFinding[], catalog: readonly Rule[]): RuleCount[] {
  const ids = [...catalog.map((r) => r.id)];
  for (const f of findings) if (!ids.includes(f.ruleId)) ids.push(f.ruleId);
  return ids.map((ruleId) => {
    const mine = findings.filter((f) => f.ruleId === ruleId);
    return {
      ruleId,
      title: catalog.find((r) => r.id === ruleId)?.title ?? ruleId,
      category: categoryOf(ruleId),
      errors: mine.filter((f) => f.severity === 'error').length,
      warnings: mine.filter((f) => f.severity === 'warning').length,
      exempted: mine.filter((f) => f.exemption?.status === 'active').length,
    };
  });
}
