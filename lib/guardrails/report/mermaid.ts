/**
 * The report's Mermaid graph of who trusts whom (`graph LR`). Reads the report model only.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import { counted, withThousands } from '../display';
import type { FederationPair } from '../federation/model';
import { FederatedTrust } from '../model';
import { categoryOf, ReportFinding, ReportIdentity } from './model';

/** Mermaid label text: no quotes, pipes, brackets or line breaks that would end the label early. */
export function mermaidText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, '#quot;')
    .replace(/\|/g, '#124;')
    .replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'))
    .replace(/[[\]{}]/g, (c) => `#${c.charCodeAt(0)};`);
}

const TARGET_LABELS: Record<FederatedTrust['targetKind'], string> = {
  'entra': 'Entra',
  'snowflake': 'Snowflake',
  'openai': 'OpenAI',
  'anthropic': 'Anthropic',
  'gcp': 'Google Cloud',
  'kubernetes': 'Kubernetes',
  'oidc': 'OIDC',
  'aws-role': 'AWS role',
};

/**
 * What Mermaid draws by default: at most 500 edges (`maxEdges`) and 50,000 characters of diagram text
 * (`maxTextSize`); a larger diagram is not drawn at all ("Maximum text size in diagram exceeded"). Sources:
 * mermaid.js.org/config/schema-docs/config-properties-maxedges.html and config-properties-maxtextsize.html.
 */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50_000;

/**
 * `graph LR`: each workload points at what trusts it (edge label: the audience); each finding that belongs to
 * an identity points at it with a dotted edge (red when the identity is federated, i.e. the fallback defeats it);
 * each federation pair that is not reachable is a dotted "broken" edge from the role to the trust (red), labelled
 * with the KL-FED rule(s) that say why. `targetsByAddress` says which trust target an identity's address is (a finding
 * names `azuread_application.etl`, the trust shows the application by its readable name).
 *
 * A graph Mermaid would not draw (more than {@link MERMAID_MAX_EDGES} edges or {@link MERMAID_MAX_TEXT} characters,
 * an organization's report) draws what fits in this order: broken pairs, findings that defeat a federated identity,
 * trusts, other findings on an identity, credentials on none; and a node that says how many of each are not drawn
 * (the report's tables list them all).
 */
export function mermaidGraph(
  identities: readonly ReportIdentity[], findings: readonly ReportFinding[], pairs: readonly FederationPair[] = [],
  targetsByAddress: ReadonlyMap<string, string> = new Map(),
): string {
  // a pair names the role by its ARN; the trusts show it by its readable name, with the ARN as subject
  const workloadOfSubject = new Map<string, string>();
  for (const t of identities) if (t.subject !== undefined && !workloadOfSubject.has(t.subject)) workloadOfSubject.set(t.subject, t.workload);
  const broken = pairs.filter((p) => !p.reachable);
  // what fits, in this order: broken pairs, fallbacks that defeat a federated identity, trusts, other findings on an
  // identity, credentials on none (a node without an edge); at most one edge per item
  const defeating = findings.filter((f) => f.federatedIdentity);
  const onIdentity = findings.filter((f) => !f.federatedIdentity && f.identity !== undefined);
  const alone = findings.filter((f) => !f.federatedIdentity && f.identity === undefined);
  let budget = MERMAID_MAX_EDGES;
  for (;;) {
    let room = budget;
    const take = <T>(items: readonly T[]): readonly T[] => {
      const taken = items.slice(0, room);
      room -= taken.length;
      return taken;
    };
    const drawnBroken = take(broken);
    const chosen = new Set<ReportFinding>(take(defeating));
    const drawnIdentities = take(identities);
    for (const f of [...take(onIdentity), ...take(alone)]) chosen.add(f);
    const drawnFindings = findings.filter((f) => chosen.has(f));
    const left = { identities: identities.length - drawnIdentities.length, findings: findings.length - drawnFindings.length, broken: broken.length - drawnBroken.length };
    const leftOut = left.identities + left.findings + left.broken > 0;
    const text = drawGraph({ identities: drawnIdentities, findings: drawnFindings, broken: drawnBroken, ...(leftOut ? { left } : {}) }, workloadOfSubject, targetsByAddress);
    if (text.length <= MERMAID_MAX_TEXT || budget <= 1) return text;
    // too many characters (long labels): draw fewer items, in proportion
    budget = Math.max(1, Math.floor(budget * (MERMAID_MAX_TEXT / text.length) * 0.9));
  }
}

/** What one drawing holds, and how many of each were left out. */
interface Drawn {
  readonly identities: readonly ReportIdentity[];
  readonly findings: readonly ReportFinding[];
  readonly broken: readonly FederationPair[];
  readonly left?: { readonly identities: number; readonly findings: number; readonly broken: number };
}

function drawGraph(drawn: Drawn, workloadOfSubject: ReadonlyMap<string, string>, targetsByAddress: ReadonlyMap<string, string>): string {
  const { identities, findings } = drawn;
  const lines = ['graph LR'];
  const ids = new Map<string, string>();
  /** `t:<address> (`: the first trust target node drawn with that address and a display name (`t:<address> (<name>)`). */
  const trustsByAddress = new Map<string, string>();
  const node = (key: string, label: string, shape: 'box' | 'round' | 'flag'): string => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(key, id);
      const text = `"${mermaidText(label)}"`;
      lines.push(`  ${id}${shape === 'box' ? `[${text}]` : shape === 'round' ? `(${text})` : `>${text}]`}`);
      for (let at = key.startsWith('t:') ? key.indexOf(' (') : -1; at !== -1; at = key.indexOf(' (', at + 1)) {
        const prefix = `${key.slice(0, at)} (`;
        if (!trustsByAddress.has(prefix)) trustsByAddress.set(prefix, key);
      }
    }
    return id;
  };
  const edges = new Set<string>();
  for (const t of identities) {
    const from = node(`w:${t.workload}`, t.workload, 'round');
    const to = node(`t:${t.target}`, `${TARGET_LABELS[t.targetKind] ?? t.targetKind}: ${t.target}`, 'box');
    const edge = `  ${from} -->|"${mermaidText(t.audience ?? 'trusts')}"| ${to}`;
    if (!edges.has(edge)) {
      edges.add(edge);
      lines.push(edge);
    }
  }
  const broken: string[] = [];
  for (const p of drawn.broken) {
    const shownAs = workloadOfSubject.get(p.workload) ?? p.workload;
    const from = node(`w:${shownAs}`, shownAs, 'round');
    const to = node(`p:${p.target}`, `${(TARGET_LABELS as Record<string, string>)[p.targetKind] ?? p.targetKind}: ${p.target}`, 'box');
    const rules = [...new Set((p.reason ?? '').match(/KL-FED-\d+/g) ?? [])];
    lines.push(`  ${from} -.->|"broken${rules.length > 0 ? `: ${rules.join(', ')}` : ''}"| ${to}`);
    broken.push(to);
  }
  const federated: string[] = [];
  const fallbacks: string[] = [];
  // an identity a finding names is shown by its readable name when the report knows it (another finding on it)
  const nameOf = new Map<string, string>();
  for (const f of findings) if (f.name !== undefined && !nameOf.has(`${f.file}\u0000${f.resource}`)) nameOf.set(`${f.file}\u0000${f.resource}`, f.name);
  const order = (key: string | undefined): number => (key === undefined ? Infinity : Number(ids.get(key)!.slice(1)));
  for (const f of findings) {
    const id = f.identity;
    const shown = id === undefined ? undefined : targetsByAddress.get(id);
    // the first trust or workload node drawn that is the identity: its shown target, its address, or its workload
    const drawnAs = (key: string): string | undefined => (ids.has(key) ? key : undefined);
    const targetKey = id === undefined ? undefined : [
      shown !== undefined ? drawnAs(`t:${shown}`) : undefined, drawnAs(`t:${id}`), trustsByAddress.get(`t:${id} (`), drawnAs(`w:${id}`),
    ].reduce<string | undefined>((first, k) => (order(k) < order(first) ? k : first), undefined);
    // a credential set on the identity itself (a password attribute of a Snowflake user) is drawn on it: one node,
    // no edge from the identity to itself
    const onItself = id !== undefined && id === f.resource && targetKey === undefined;
    const name = f.name ?? f.resource;
    const cred = node(`f:${f.ruleId}:${f.file}:${f.resource}`, onItself ? `${f.ruleId} on ${name}` : `${f.ruleId} ${name}`, 'flag');
    (f.federatedIdentity ? federated : fallbacks).push(cred);
    if (id === undefined || onItself) continue;
    const to = targetKey !== undefined ? ids.get(targetKey)! : node(`i:${id}`, f.identityName ?? nameOf.get(`${f.file}\u0000${id}`) ?? id, 'box');
    if (to === cred) continue;
    // a trust finding (KL-TR-05 on an application's federated credential) is a fault of the trust, not a fallback
    const label = f.federatedIdentity ? 'defeats federation' : (f.category ?? categoryOf(f.ruleId)) === 'trust' ? 'trust fault' : 'fallback';
    lines.push(`  ${cred} -.->|"${label}"| ${to}`);
  }
  if (identities.length === 0 && findings.length === 0 && broken.length === 0 && drawn.left === undefined) lines.push('  none["no federated identities or credentials found"]');
  const left = drawn.left;
  if (left !== undefined) {
    const parts = [
      left.broken > 0 ? counted(left.broken, 'broken pair', 'broken pairs') : '',
      left.findings > 0 ? counted(left.findings, 'finding', 'findings') : '',
      left.identities > 0 ? counted(left.identities, 'trust', 'trusts') : '',
    ].filter(Boolean);
    lines.push(`  more["not drawn: ${parts.join(', ')} (Mermaid draws at most ${MERMAID_MAX_EDGES} edges and ${withThousands(MERMAID_MAX_TEXT)} characters); the report's tables and keyless-report.json list every one"]`);
  }
  lines.push('  classDef credential fill:#fff3cd,stroke:#b58100');
  lines.push('  classDef defeats fill:#f8d7da,stroke:#b02a37');
  if (fallbacks.length > 0) lines.push(`  class ${fallbacks.join(',')} credential`);
  if (federated.length > 0) lines.push(`  class ${federated.join(',')} defeats`);
  if (broken.length > 0) lines.push(`  class ${[...new Set(broken)].join(',')} defeats`);
  return lines.join('\n');
}
