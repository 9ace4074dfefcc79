/**
 * The report's Mermaid graph of who trusts whom (`graph LR`). Reads the report model only.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
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
 * `graph LR`: each workload points at what trusts it (edge label: the audience); each finding that belongs to
 * an identity points at it with a dotted edge (red when the identity is federated, i.e. the fallback defeats it);
 * each federation pair that is not reachable is a dotted "broken" edge from the role to the trust (red), labelled
 * with the KL-FED rule(s) that say why. `targetsByAddress` says which trust target an identity's address is (a finding
 * names `azuread_application.etl`, the trust shows the application by its readable name).
 */
export function mermaidGraph(
  identities: readonly ReportIdentity[], findings: readonly ReportFinding[], pairs: readonly FederationPair[] = [],
  targetsByAddress: ReadonlyMap<string, string> = new Map(),
): string {
  const lines = ['graph LR'];
  const ids = new Map<string, string>();
  const node = (key: string, label: string, shape: 'box' | 'round' | 'flag'): string => {
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(key, id);
      const text = `"${mermaidText(label)}"`;
      lines.push(`  ${id}${shape === 'box' ? `[${text}]` : shape === 'round' ? `(${text})` : `>${text}]`}`);
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
  for (const p of pairs) {
    if (p.reachable) continue;
    // a pair names the role by its ARN; the trusts above show it by its readable name, with the ARN as subject
    const shownAs = identities.find((t) => t.subject === p.workload)?.workload ?? p.workload;
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
  for (const f of findings) {
    const id = f.identity;
    const shown = id === undefined ? undefined : targetsByAddress.get(id);
    const targetKey = id === undefined ? undefined
      : [...ids.keys()].find((k) => (shown !== undefined && k === `t:${shown}`) || k === `t:${id}` || k.startsWith(`t:${id} (`) || k === `w:${id}`);
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
  if (identities.length === 0 && findings.length === 0 && broken.length === 0) lines.push('  none["no federated identities or credentials found"]');
  lines.push('  classDef credential fill:#fff3cd,stroke:#b58100');
  lines.push('  classDef defeats fill:#f8d7da,stroke:#b02a37');
  if (fallbacks.length > 0) lines.push(`  class ${fallbacks.join(',')} credential`);
  if (federated.length > 0) lines.push(`  class ${federated.join(',')} defeats`);
  if (broken.length > 0) lines.push(`  class ${[...new Set(broken)].join(',')} defeats`);
  return lines.join('\n');
}
