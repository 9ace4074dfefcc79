/**
 * Builds the federation graph of one check from all of its inputs and joins each relying-party trust to the roles it
 * names. The joins are facts ({@link TrustJoin}); the KL-FED rules turn them into findings and the pairs are drawn
 * from the same facts, so the `federation` output and the findings always agree.
 */
import { appendTo } from '../lists';
import type { Rule } from '../model';
import { targetKindOfAudience } from '../trusts';
import { AccountIssuer, FederationGraph, FederationHit, FederationPair, MintableToken, RelyingPartyTrust, Workload } from './model';
import { relyingPartyTrusts } from './trusts';
import { declaredIssuers, FederationInput, issuersOfAccount, workloadsOf } from './workloads';

/** What the check was told besides its inputs. */
export interface FederationOptions {
  /** Issuers given with `--issuer ACCOUNT=URL` or read from `--plan`. */
  readonly issuers?: readonly AccountIssuer[];
  /** Role ARNs a plan names, with the plan's file: a Terraform role with that path and name is taken to be in the plan's account. */
  readonly plannedRoles?: readonly { readonly arn: string; readonly source: string }[];
  /** Trusts read from trust files among the inputs: trust manifests and Kubernetes authentication configurations. */
  readonly manifestTrusts?: readonly RelyingPartyTrust[];
  /** What reading those files could not check, one line each (e.g. a Kubernetes authenticator that pins no subject). */
  readonly manifestNotes?: readonly string[];
}

/** Why one workload cannot use one trust (the KL-FED-03 facts). */
export interface MintProblem {
  readonly reason: string;
  /** Where the problem is to be fixed: the role (its grant) or the trust (the relying party refuses). */
  readonly on: 'workload' | 'trust';
}

/** One trust joined to the roles among the inputs. */
export interface TrustJoin {
  readonly trust: RelyingPartyTrust;
  /** Account the trust's subject names. */
  readonly account?: string;
  /** Roles whose ARN the trust's subject names. */
  readonly matches: readonly Workload[];
  /** Roles of the subject's account are among the inputs (so a missing match is a finding, not a blind spot). */
  readonly accountChecked: boolean;
  /** Roles that would match if the case or the path were right (hints for KL-FED-01). */
  readonly nearMisses: readonly Workload[];
  /** The subject account's issuer, when the check knows exactly one. */
  readonly accountIssuer?: AccountIssuer;
  /** Per matched role (by address): why it cannot use the trust. */
  readonly problems: ReadonlyMap<Workload, readonly MintProblem[]>;
}

/** What KL-FED rules read. */
export interface JoinedGraph {
  readonly graph: Omit<FederationGraph, 'pairs' | 'hits' | 'simulations'>;
  readonly joins: readonly TrustJoin[];
  /** The graph's trusts by audience, to tell which audiences a role mints that no trust accepts (see {@link unusedGrants}). */
  readonly acceptance: TrustAcceptance;
}

/** The trusts of a graph by audience: exact subjects as `audience NUL subject`, prefix rules as lists per audience. */
export interface TrustAcceptance {
  readonly exact: ReadonlySet<string>;
  readonly prefix: ReadonlyMap<string, readonly RelyingPartyTrust[]>;
}

const acceptanceKey = (audience: string, subject: string): string => `${audience}\u0000${subject}`;

function trustAcceptance(trusts: readonly RelyingPartyTrust[]): TrustAcceptance {
  const exact = new Set<string>();
  const prefix = new Map<string, RelyingPartyTrust[]>();
  for (const t of trusts) {
    if (t.audience === undefined || t.subject === undefined) continue;
    if (t.subjectMatch === 'prefix') appendTo(prefix, t.audience, t);
    else exact.add(acceptanceKey(t.audience, t.subject));
  }
  return { exact, prefix };
}

/** Whether some trust of the graph accepts a token for `audience` from the role `arn` (audience and subject as {@link subjectNames} matches them). */
function accepts(acceptance: TrustAcceptance, audience: string, arn: string): boolean {
  return acceptance.exact.has(acceptanceKey(audience, arn)) || (acceptance.prefix.get(audience) ?? []).some((t) => subjectNames(t, arn));
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role(\/(?:.*\/)?)([^/]+)$/;
const ACCOUNT_OF = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/;

/** Whether a trust's subject names this role ARN. */
export function subjectNames(trust: RelyingPartyTrust, arn: string): boolean {
  if (trust.subject === undefined) return false;
  return trust.subjectMatch === 'prefix' ? arn.startsWith(trust.subject.slice(0, -1)) : arn === trust.subject;
}

function issuerFor(account: string | undefined, issuers: readonly AccountIssuer[], notes: Set<string>): AccountIssuer | undefined {
  if (account === undefined) return undefined;
  const { issuers: known, urls } = issuersOfAccount(account, issuers);
  if (urls.length > 1) {
    notes.add(`account ${account} is given more than one issuer (${known.map((i) => `${i.url} from ${i.source}`).join('; ')}): KL-FED-02 is not checked for it`);
    return undefined;
  }
  return known[0];
}

/** The tokens a workload can mint for a trust, narrowed step by step; the first empty step is the problem. */
function mintProblems(workload: Workload, trust: RelyingPartyTrust): MintProblem[] {
  const out: MintProblem[] = [];
  if (trust.refusal) out.push({ on: 'trust', reason: `${trust.label} refuses every token for this trust: ${trust.refusal}` });
  const forAudience = workload.tokens.filter((t) => t.audience === undefined || t.audience === trust.audience);
  if (forAudience.length === 0) {
    const granted = [...new Set(workload.tokens.map((t) => t.audience).filter((a): a is string => a !== undefined))];
    out.push({
      on: 'workload',
      reason: `no statement of its identity policies lets it mint a token for audience ${JSON.stringify(trust.audience)}`
        + (granted.length > 0 ? ` (it may mint for ${granted.map((a) => JSON.stringify(a)).join(', ')})` : ' (it may mint no token at all)'),
    });
    return out;
  }
  const verifiable = forAudience.filter((t) => t.algorithms.length === 0 || t.algorithms.some((a) => trust.algorithms.includes(a)));
  if (verifiable.length === 0) {
    const algs = [...new Set(forAudience.flatMap((t) => t.algorithms))];
    out.push({
      on: 'workload',
      reason: `it may mint a token for ${JSON.stringify(trust.audience)} only signed ${algs.join(' or ')} (${forAudience.map((t) => t.statement).join('; ')}), `
        + `and ${trust.label} verifies ${trust.algorithms.join(' or ')}`,
    });
    return out;
  }
  const needed = trust.lifetimeSeconds;
  if (needed !== undefined && !verifiable.some((t) => t.maxLifetimeSeconds >= needed)) {
    const longest = Math.max(...verifiable.map((t) => t.maxLifetimeSeconds));
    out.push({ on: 'workload', reason: `its grant allows tokens of at most ${longest} s, and the trust's workload requests ${needed} s` });
  }
  return out;
}

/** The algorithm a pair signs with: one the grant allows and the relying party verifies, else what the grant pins. */
export function pairAlgorithm(workload: Workload | undefined, trust: RelyingPartyTrust): string {
  const tokens = (workload?.tokens ?? []).filter((t) => t.audience === undefined || t.audience === trust.audience);
  for (const alg of trust.algorithms) {
    if (tokens.some((t) => t.algorithms.length === 0 || t.algorithms.includes(alg))) return alg;
  }
  return tokens.flatMap((t) => t.algorithms)[0] ?? trust.algorithms[0] ?? 'RS256';
}

/** Builds the graph's nodes and joins every trust to the roles it names. */
export function joinFederation(inputs: readonly FederationInput[], options: FederationOptions = {}): JoinedGraph {
  const notes = new Set<string>();
  const noteList: string[] = [];
  const issuers: AccountIssuer[] = [...(options.issuers ?? [])];
  const workloads: Workload[] = [];
  const trusts: RelyingPartyTrust[] = [];
  const plannedByTail = plannedRolesByTail(options.plannedRoles ?? []);
  for (const input of inputs) {
    const declared = declaredIssuers(input, noteList);
    issuers.push(...declared);
    const local = declared.length === 1 ? declared[0] : undefined;
    for (const w of workloadsOf(input, noteList, local)) workloads.push(planAccount(w, plannedByTail));
    trusts.push(...relyingPartyTrusts(input, noteList));
  }
  trusts.push(...(options.manifestTrusts ?? []));
  noteList.push(...(options.manifestNotes ?? []));
  noteList.forEach((n) => notes.add(n));

  for (const w of workloads) {
    if (w.arn === undefined && w.tokens.length > 0) {
      notes.add(`${w.file}: ${w.address} may mint tokens, but its ARN is not known before deployment (${w.name === undefined ? 'no fixed role name' : 'its stack or configuration has no known account'}): `
        + 'no trust can be checked against it');
    }
  }

  // Indexes of the workloads, so that joining each trust does not scan every role (trusts x roles).
  const withArn = workloads.filter((w) => w.arn !== undefined);
  const byArn = new Map<string, Workload[]>();
  const byAccount = new Map<string, Workload[]>();
  for (const w of withArn) {
    appendTo(byArn, w.arn!, w);
    if (w.account !== undefined) appendTo(byAccount, w.account, w);
  }
  const accounts = new Set(workloads.map((w) => w.account));

  const joins: TrustJoin[] = trusts.map((trust) => {
    const subject = trust.subject ?? '';
    const account = ACCOUNT_OF.exec(subject)?.[1];
    const matches = trust.subject === undefined ? []
      : trust.subjectMatch === 'prefix' ? withArn.filter((w) => subjectNames(trust, w.arn!))
        : byArn.get(trust.subject) ?? [];
    const accountChecked = account !== undefined && accounts.has(account);
    const parsed = ROLE_ARN.exec(subject);
    const nearMisses = matches.length > 0 || !parsed ? [] : (byAccount.get(account!) ?? []).filter((w) => w.arn!.toLowerCase() === subject.toLowerCase() || w.name === parsed[4]);
    const accountIssuer = issuerFor(account, issuers, notes) ?? (matches.length > 0 ? matches[0].localIssuer : undefined);
    if (matches.length === 0 && !accountChecked) {
      notes.add(`${trust.file}: ${trust.address} (${trust.label}) trusts ${subject}, but no role of ${account === undefined ? 'that account' : `account ${account}`} is among the inputs: that side of the federation was not checked`);
    }
    if (matches.length > 0 && accountIssuer === undefined) {
      notes.add(`the issuer of account ${account ?? '(unknown)'} is not known to this check (no OutboundWebIdentityFederation among its inputs; pass --issuer ${account ?? 'ACCOUNT'}=URL or --plan): the issuer of ${trust.address} was not compared`);
    }
    const problems = new Map<Workload, MintProblem[]>();
    for (const w of matches) problems.set(w, mintProblems(w, trust));
    return { trust, ...(account ? { account } : {}), matches, accountChecked, nearMisses, ...(accountIssuer ? { accountIssuer } : {}), problems };
  });

  return { graph: { issuers, workloads, trusts, notes: [...notes] }, joins, acceptance: trustAcceptance(trusts) };
}

type PlannedRole = NonNullable<FederationOptions['plannedRoles']>[number];

/**
 * A plan's role ARNs by every tail of theirs that starts at `:role`, the first in plan order for each: a workload's
 * `:role<path><name>` finds the role whose ARN ends with it without a scan of the plan per workload (a plan and a
 * configuration of N roles each made N² comparisons).
 */
function plannedRolesByTail(planned: readonly PlannedRole[]): Map<string, PlannedRole> {
  const byTail = new Map<string, PlannedRole>();
  for (const r of planned) {
    if (!ROLE_ARN.test(r.arn)) continue;
    for (let at = r.arn.indexOf(':role'); at !== -1; at = r.arn.indexOf(':role', at + 1)) {
      const tail = r.arn.slice(at);
      if (!byTail.has(tail)) byTail.set(tail, r);
    }
  }
  return byTail;
}

/** A role of a set with no account whose path and name a plan names is taken to be the plan's role. */
function planAccount(w: Workload, plannedByTail: ReadonlyMap<string, PlannedRole>): Workload {
  if (w.account !== undefined || w.name === undefined) return w;
  const planned = plannedByTail.get(`:role${w.path}${w.name}`);
  if (!planned) return w;
  const [, partition, account] = ROLE_ARN.exec(planned.arn)!;
  return { ...w, arn: planned.arn, account, partition, accountSource: planned.source };
}

/** Whether the issuer a trust names differs from the account's (the KL-FED-02 fact). */
export function issuerMismatch(join: TrustJoin): boolean {
  return join.accountIssuer !== undefined && join.trust.issuer !== undefined && join.trust.issuer !== join.accountIssuer.url;
}

/** A pair with the join and role it was drawn from. */
export interface JoinedPair {
  readonly pair: FederationPair;
  readonly join: TrustJoin;
  readonly workload?: Workload;
}

/** The workload -> trust pairs of the graph, drawn from the joins. */
export function joinedPairs(joined: JoinedGraph): JoinedPair[] {
  const out: JoinedPair[] = [];
  for (const join of joined.joins) {
    const { trust } = join;
    const base = { target: trust.address, targetKind: trust.kind, audience: trust.audience ?? '' };
    if (join.matches.length === 0) {
      if (join.accountChecked) {
        out.push({ join, pair: { workload: trust.subject ?? '', ...base, algorithm: pairAlgorithm(undefined, trust), reachable: false, reason: 'no role among the inputs has this ARN (KL-FED-01)' } });
      }
      continue;
    }
    for (const w of join.matches) {
      const reasons: string[] = [];
      if (issuerMismatch(join)) reasons.push(`the trust names issuer ${trust.issuer}, the account's issuer is ${join.accountIssuer!.url} (KL-FED-02)`);
      reasons.push(...(join.problems.get(w) ?? []).map((p) => `${p.reason} (KL-FED-03)`));
      const pair = { workload: w.arn!, ...base, algorithm: pairAlgorithm(w, trust), reachable: reasons.length === 0, ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}) };
      out.push({ join, workload: w, pair });
    }
  }
  return out;
}

/** Audiences a workload may mint that no trust among the inputs accepts from it, with the kind of relying party each belongs to. */
export function unusedGrants(joined: JoinedGraph, w: Workload): { token: MintableToken; kind: string }[] {
  if (w.arn === undefined) return [];
  const seen = new Set<string>();
  const out: { token: MintableToken; kind: string }[] = [];
  for (const token of w.tokens) {
    if (token.audience === undefined || seen.has(token.audience)) continue;
    seen.add(token.audience);
    const accepted = accepts(joined.acceptance, token.audience, w.arn);
    if (!accepted) out.push({ token, kind: targetKindOfAudience(token.audience) });
  }
  return out;
}

/**
 * A cross-input rule of the catalog (KL-FED-*): it reads the joined graph of the whole check, not one resource, and
 * reports each hit on the resource that carries the faulty trust or grant.
 */
export interface CrossInputRule extends Rule {
  readonly checkGraph: (joined: JoinedGraph) => FederationHit[];
}

/** Whether a catalog rule is a cross-input rule. */
export function isCrossInputRule(rule: Rule): rule is CrossInputRule {
  return typeof rule.checkGraph === 'function';
}

/** A hit on a trust. */
export function hitOnTrust(rule: Pick<CrossInputRule, 'id' | 'severity'>, trust: RelyingPartyTrust, message: string): FederationHit {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    file: trust.file,
    resource: trust.address,
    resourceType: trust.resourceType,
    ...(trust.engine ? { engine: trust.engine } : {}),
    ...(trust.constructPath ? { constructPath: trust.constructPath } : {}),
    message,
  };
}

/** A hit on the resource whose policy holds a grant (the token's statement), or on the role itself. */
export function hitOnGrant(rule: Pick<CrossInputRule, 'id' | 'severity'>, workload: Workload, token: MintableToken | undefined, message: string): FederationHit {
  const at = token ?? { resource: workload.address, resourceType: workload.resourceType, file: workload.file, constructPath: workload.constructPath };
  return {
    ruleId: rule.id,
    severity: rule.severity,
    file: at.file,
    resource: at.resource,
    resourceType: at.resourceType,
    engine: workload.engine,
    ...(at.constructPath ? { constructPath: at.constructPath } : {}),
    message,
  };
}
