import { KeylessValidationError } from '../../core/errors';
import { isAwsOutboundIssuer, validateIssuerUrl } from '../../core/issuer';
import { validateRoleArn } from '../../core/role-arn';
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { NormalizedResource, ResourceSet, Rule, RuleHit } from '../model';
import { ENTRA_FIC_TYPES, entraApplicationKey } from '../policy/identity';
import { hasInterpolation, literalText } from '../policy/interpolation';
import { isObject } from '../policy/json';
import { staticString } from '../policy/static-value';

/** Entra's limit of federated identity credentials per application. */
export const MAX_FICS_PER_APPLICATION = 20;
const FIC_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$/;

/** How many instances a Terraform block creates (`count` / `for_each` when literal; else 1). */
function instances(r: NormalizedResource): number {
  const count = r.properties.count;
  if (typeof count === 'number' && Number.isInteger(count) && count >= 0) return count;
  const forEach = r.properties.for_each;
  if (Array.isArray(forEach)) return forEach.length;
  if (isObject(forEach)) return Object.keys(forEach).length;
  return 1;
}

/** A stable key for the application a FIC belongs to. */
function applicationKey(r: NormalizedResource, context: AnalysisContext): string | undefined {
  return entraApplicationKey(r.properties.application_id, context);
}

/** Where a federated identity credential stands among its application's credentials. */
interface FicPosition {
  readonly key: string;
  readonly before: number;
  readonly total: number;
}

const FIC_POSITIONS = new Memo<ResourceSet, Map<string, FicPosition>>('position of each federated identity credential on its application');

/** Per FIC: its application key, how many credentials of that application come before it, and the total. Built once per set. */
function ficPositions(context: AnalysisContext): Map<string, FicPosition> {
  return context.remember(FIC_POSITIONS, context.set, () => readFicPositions(context));
}

function readFicPositions(context: AnalysisContext): Map<string, FicPosition> {
  const running = new Map<string, number>();
  const entries: { address: string; key: string; before: number }[] = [];
  for (const r of context.set.resources) {
    if (!ENTRA_FIC_TYPES.includes(r.type) || r.kind !== 'resource') continue;
    const key = applicationKey(r, context);
    if (key === undefined) continue;
    const before = running.get(key) ?? 0;
    entries.push({ address: r.address, key, before });
    running.set(key, before + instances(r));
  }
  return new Map(entries.map((e) => [e.address, { key: e.key, before: e.before, total: running.get(e.key) ?? 0 }]));
}

function issuerProblem(issuer: unknown): string | undefined {
  if (typeof issuer !== 'string') return issuer === undefined ? 'has no issuer' : undefined;
  if (hasInterpolation(issuer)) {
    const text = literalText(issuer);
    if (!text.startsWith('\u0000') && !text.startsWith('https://')) return `issuer ${JSON.stringify(issuer)} does not start with https:// (Entra fetches the issuer's keys over TLS and compares the string exactly)`;
    if (text.endsWith('/')) return `issuer ${JSON.stringify(issuer)} ends with "/": the token's iss claim has none and Entra compares it exactly, so the exchange fails`;
    return undefined;
  }
  try {
    validateIssuerUrl(issuer, { property: 'issuer' });
    return undefined;
  } catch (e) {
    if (e instanceof KeylessValidationError) return `issuer ${JSON.stringify(issuer)} is unusable: ${e.reason} [${e.rule}]`;
    throw e;
  }
}

/**
 * KL-TR-05: a federated identity credential that cannot work or is unsafe: issuer not https or
 * with a trailing slash, audience count other than 1, more than 20 credentials on one application,
 * an invalid name, or (for the AWS issuer) a subject that is not a role ARN.
 */
export const KL_TR_05: Rule = {
  id: 'KL-TR-05',
  severity: 'error',
  category: 'trust',
  title: 'federated credential that cannot work or is unsafe',
  fix: 'Use issuer = the account\'s issuer exactly (https, no trailing slash), subject = the workload role ARN exactly, one audience (api://AzureADTokenExchange), a name of 3-120 letters, digits, "-" or "_", and at most 20 credentials per application (split workloads across applications).',
  appliesTo: ENTRA_FIC_TYPES,
  reads: Object.fromEntries(ENTRA_FIC_TYPES.map((type) => [type, ['issuer', 'subject', 'audiences', 'audience', 'display_name', 'application_id']])),
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const p = resource.properties;
    const app = entraApplicationKey(p.application_id, context);
    const identity = app ? { identity: app } : {};
    const problems: string[] = [];
    const issuerIssue = issuerProblem(p.issuer);
    if (issuerIssue) problems.push(issuerIssue);
    if (resource.type === 'azuread_application_federated_identity_credential') {
      const audiences = p.audiences;
      if (audiences === undefined) problems.push('has no audience (Entra requires exactly one, api://AzureADTokenExchange)');
      else if (Array.isArray(audiences) && audiences.length !== 1) {
        problems.push(`has ${audiences.length} audiences ${JSON.stringify(audiences)}; Entra accepts exactly one (api://AzureADTokenExchange)`);
      }
    }
    const name = staticString(p.display_name);
    if (name !== undefined && !FIC_NAME.test(name)) {
      problems.push(`display_name ${JSON.stringify(name)} is not a valid credential name (3-120 characters: a letter or digit, then letters, digits, "-" or "_"; it cannot be changed later)`);
    }
    const issuer = staticString(p.issuer);
    const subject = staticString(p.subject);
    if (issuer && isAwsOutboundIssuer(issuer) && subject !== undefined) {
      try {
        validateRoleArn(subject, { property: 'subject' });
      } catch (e) {
        if (!(e instanceof KeylessValidationError)) throw e;
        problems.push(`subject ${JSON.stringify(subject)} can never match: tokens from the AWS issuer carry the role ARN as sub (${e.reason})`);
      }
    }
    const position = ficPositions(context).get(resource.address);
    if (position && position.before + instances(resource) > MAX_FICS_PER_APPLICATION) {
      problems.push(`is one of ${position.total} federated identity credentials on application ${position.key} in this configuration; Entra allows at most ${MAX_FICS_PER_APPLICATION} per application, so the ones past the 20th fail to create`);
    }
    const hits: RuleHit[] = problems.map((problem) => ({
      message: `federated identity credential ${resource.address} ${problem}: a credential that cannot match pushes teams back to client secrets. Fix: ${KL_TR_05.fix}`,
      ...identity,
    }));
    return hits;
  },
};
