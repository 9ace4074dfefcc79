import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct, IConstruct } from 'constructs';
import { fail, KeylessValidationError, renderValue } from '../../core/errors';

/** `AWS::Organizations::Policy` types the guardrails create. */
export const SERVICE_CONTROL_POLICY = 'SERVICE_CONTROL_POLICY';
export const RESOURCE_CONTROL_POLICY = 'RESOURCE_CONTROL_POLICY';

/** AWS Organizations quota: characters in one SCP or RCP document. */
export const MAX_POLICY_CHARACTERS = 5120;
/** AWS Organizations quota: SCPs (and RCPs) attached directly to one root, OU or account. */
export const MAX_POLICIES_PER_TARGET = 5;

/** One statement of an organization policy, as plain JSON (Sid, Effect, Action, Resource, Condition, ...). */
export type PolicyStatementJson = { readonly Sid: string; readonly [element: string]: unknown };

/** The document AWS Organizations stores for `statements`. */
export function policyDocument(statements: readonly PolicyStatementJson[]): { Version: string; Statement: PolicyStatementJson[] } {
  return { Version: '2012-10-17', Statement: [...statements] };
}

/**
 * The size AWS Organizations counts for a document: every character of the stored JSON, white space included.
 * CloudFormation receives `Content` as a JSON object and sends it compact (no white space outside strings), so
 * the size is the length of the compact JSON; counted in UTF-8 bytes, which equals the character count for the
 * ASCII these guardrails write and errs on the safe side for anything else.
 */
export function policySize(statements: readonly PolicyStatementJson[]): number {
  return Buffer.byteLength(JSON.stringify(policyDocument(statements)), 'utf8');
}

/**
 * Packs statements, in order, into as few documents of at most {@link MAX_POLICY_CHARACTERS} as possible (a
 * statement is never split). Throws when one statement alone is over the limit.
 */
export function splitStatements(statements: readonly PolicyStatementJson[], path: string, property: string): PolicyStatementJson[][] {
  const documents: PolicyStatementJson[][] = [];
  let current: PolicyStatementJson[] = [];
  for (const statement of statements) {
    const alone = policySize([statement]);
    if (alone > MAX_POLICY_CHARACTERS) {
      fail({ path, property }, statement.Sid, 'org-policy.size',
        `statement ${statement.Sid} alone is ${alone} characters; an SCP or RCP document holds at most ${MAX_POLICY_CHARACTERS} (compact JSON, white space counted), so shorten its lists (fewer principal patterns or audiences)`);
    }
    if (current.length > 0 && policySize([...current, statement]) > MAX_POLICY_CHARACTERS) {
      documents.push(current);
      current = [];
    }
    current.push(statement);
  }
  if (current.length > 0) documents.push(current);
  return documents;
}

const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** Validates the roots, OUs and accounts a policy is attached to; tokens (e.g. an OU created in the stack) pass. */
export function validateTargetIds(targetIds: string[], path: string): string[] {
  const site = { path, property: 'targetIds' };
  if (!Array.isArray(targetIds) || targetIds.length === 0) {
    fail(site, targetIds, 'org-policy.targets', 'attach the guardrail to at least one root ("r-..."), OU ("ou-...-...") or account (12 digits); a policy attached nowhere guards nothing');
  }
  targetIds.forEach((id, i) => {
    if (Token.isUnresolved(id)) return;
    if (typeof id !== 'string' || !(ROOT_ID.test(id) || ACCOUNT_ID.test(id) || OU_ID.test(id))) {
      fail({ path, property: `targetIds[${i}]` }, id, 'org-policy.target-id',
        'a target is a root id ("r-" and 4-32 lowercase letters or digits), an OU id ("ou-<root part>-<8-32 lowercase letters or digits>") or a 12-digit account id');
    }
  });
  if (new Set(targetIds).size !== targetIds.length) {
    fail(site, targetIds, 'org-policy.target-duplicate', 'each target may appear once');
  }
  return targetIds;
}

/** What {@link createOrganizationPolicies} needs. */
export interface OrganizationPoliciesOptions {
  readonly type: string;
  readonly name: string;
  readonly description: string;
  readonly statements: readonly PolicyStatementJson[];
  readonly targetIds: string[];
  /** Policies of this type AWS already attaches to each target (the AWS-managed full-access policy). */
  readonly alreadyAttachedPerTarget: number;
}

const POLICY_NAME = /^[\x20-\x7E]{1,128}$/;

/**
 * Creates one `AWS::Organizations::Policy` per document (split at {@link MAX_POLICY_CHARACTERS}), attached to
 * `targetIds`, and registers the synth-time checks AWS would otherwise refuse at deploy: the per-target quota
 * over every policy of the type in the app, and a target that is the management account.
 */
export function createOrganizationPolicies(scope: Construct, options: OrganizationPoliciesOptions): organizations.CfnPolicy[] {
  const path = scope.node.path;
  if (!POLICY_NAME.test(options.name) || options.name.length > 124) {
    fail({ path, property: 'policyName' }, options.name, 'org-policy.name', 'a policy name is 1 to 124 printable ASCII characters (the construct appends "-2", "-3" when it splits the policy)');
  }
  if (!Number.isInteger(options.alreadyAttachedPerTarget) || options.alreadyAttachedPerTarget < 0 || options.alreadyAttachedPerTarget >= MAX_POLICIES_PER_TARGET) {
    fail({ path, property: 'policiesAlreadyAttachedPerTarget' }, options.alreadyAttachedPerTarget, 'org-policy.attached-count',
      `a whole number from 0 to ${MAX_POLICIES_PER_TARGET - 1}: the policies of this type already attached to each target outside this app`);
  }
  const documents = splitStatements(options.statements, path, 'statements');
  const policies = documents.map((statements, i) => new organizations.CfnPolicy(scope, i === 0 ? 'Policy' : `Policy${i + 1}`, {
    name: i === 0 ? options.name : `${options.name}-${i + 1}`,
    description: documents.length === 1 ? options.description : `${options.description} (part ${i + 1} of ${documents.length})`,
    type: options.type,
    content: policyDocument(statements),
    targetIds: options.targetIds,
  }));
  if (documents.length > 1) {
    Annotations.of(scope).addInfo(`cdk-keyless: the ${options.type} is ${policySize(options.statements)} characters, over the ${MAX_POLICY_CHARACTERS} AWS allows in one document, so it is split into ${documents.length} policies attached to the same targets`);
  }
  const account = Stack.of(scope).account;
  if (!Token.isUnresolved(account) && options.targetIds.includes(account)) {
    Annotations.of(scope).addWarningV2('cdk-keyless:org-policy-management-account',
      `targetIds names ${account}, the account this stack deploys to; if that is the organization's management account, ${options.type === SERVICE_CONTROL_POLICY ? 'SCPs' : 'RCPs'} do not apply to it`);
  }
  scope.node.addValidation({ validate: () => validateAttachments(scope, options) });
  return policies;
}

function resolvedTargets(policy: organizations.CfnPolicy): string[] {
  const targets = policy.targetIds;
  if (!Array.isArray(targets)) return [];
  return targets.map((t) => (Token.isUnresolved(t) ? JSON.stringify(Stack.of(policy).resolve(t)) : String(t)));
}

function validateAttachments(scope: IConstruct, options: OrganizationPoliciesOptions): string[] {
  const problems: string[] = [];
  const all = scope.node.root.node.findAll().filter((c): c is organizations.CfnPolicy => c instanceof organizations.CfnPolicy && c.type === options.type);
  const mine = all.filter((p) => p.node.scope === scope);
  const targets = new Set(mine.flatMap(resolvedTargets));
  for (const target of targets) {
    const attached = all.filter((p) => resolvedTargets(p).includes(target));
    const total = attached.length + options.alreadyAttachedPerTarget;
    if (total > MAX_POLICIES_PER_TARGET) {
      problems.push(new KeylessValidationError({
        path: scope.node.path,
        property: 'targetIds',
        value: renderValue(target),
        rule: 'org-policy.per-target',
        reason: `AWS attaches at most ${MAX_POLICIES_PER_TARGET} policies of type ${options.type} to one root, OU or account; this target would have ${total} `
          + `(${attached.map((p) => p.node.path).join(', ')}${options.alreadyAttachedPerTarget > 0 ? `, plus ${options.alreadyAttachedPerTarget} already attached such as the AWS-managed full-access policy` : ''}); `
          + 'attach some of them to the parent OU instead, or merge guardrails',
      }).message);
    }
  }
  return problems;
}
