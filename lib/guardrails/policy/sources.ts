/**
 * Where IAM policy documents live in CloudFormation and Terraform, and which principals
 * (roles, users, groups) a policy applies to.
 */
import type { AnalysisContext } from '../analysis';
import { Memo } from '../analysis';
import { appendTo } from '../lists';
import { NormalizedResource, ResourceSet } from '../model';
import { PolicyDocument, readPolicyDocument, readPolicyDocumentFor } from './document';
import { conditionalAlternatives, isIntrinsic, whenText } from './intrinsics';
import { asArray, blocks, getCi, isObject, Obj } from './json';
import { referencedResources } from './resource-index';
import { flatten, staticString } from './static-value';

/** A policy document carried by a resource. */
export interface PolicySource {
  /** `inline policy "read"`, `PolicyDocument`, `assume_role_policy`, ... for messages. */
  readonly label: string;
  readonly kind: 'identity' | 'trust';
  readonly document: PolicyDocument;
}

/** CloudFormation types whose `PolicyDocument` is an identity policy. */
export const CFN_POLICY_TYPES: readonly string[] = [
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::RolePolicy', 'AWS::IAM::UserPolicy', 'AWS::IAM::GroupPolicy',
];
/** CloudFormation types with an inline `Policies` list. */
export const CFN_INLINE_POLICY_TYPES: readonly string[] = ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];
/**
 * IAM Identity Center permission sets: `InlinePolicy` (a JSON string or an object) becomes an identity policy of
 * the role Identity Center creates for it in every account it is assigned to.
 */
export const CFN_PERMISSION_SET = 'AWS::SSO::PermissionSet';
/**
 * AWS SAM resources whose `Policies` (policy documents, AWS managed policy names or ARNs, SAM policy templates; one or a
 * list) become the policies of the execution role SAM creates for them. With `Role` set SAM creates no role and
 * `Policies` cannot be used, so it is not read.
 */
export const SAM_POLICY_TYPES: readonly string[] = ['AWS::Serverless::Function', 'AWS::Serverless::StateMachine'];
/** The SAM resource whose `AssumeRolePolicyDocument` (its own or from `Globals.Function`) is the trust policy of the role SAM creates. */
export const SAM_FUNCTION = 'AWS::Serverless::Function';
/** Terraform types whose `policy` argument is an identity policy. */
export const TF_POLICY_TYPES: readonly string[] = ['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];

/** Every type that can carry an identity policy (the `appliesTo` of KL-TR-03/04). */
export const IDENTITY_POLICY_TYPES: readonly string[] = [...CFN_POLICY_TYPES, ...CFN_INLINE_POLICY_TYPES, CFN_PERMISSION_SET, ...SAM_POLICY_TYPES, ...TF_POLICY_TYPES, 'aws_iam_role'];
/** Terraform types that attach a managed policy by ARN (`policy_arn`, or `policy_arns` for the exclusive attachment). */
export const TF_POLICY_ATTACHMENT_TYPES: readonly string[] = [
  'aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment',
  'aws_iam_role_policy_attachments_exclusive',
];
/** Where each type of {@link IDENTITY_POLICY_TYPES} carries its identity policies (the `reads` of KL-TR-04). */
export const IDENTITY_POLICY_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ...Object.fromEntries(CFN_POLICY_TYPES.map((type) => [type, ['PolicyDocument']])),
  ...Object.fromEntries(CFN_INLINE_POLICY_TYPES.map((type) => [type, ['Policies']])),
  [CFN_PERMISSION_SET]: ['InlinePolicy'],
  ...Object.fromEntries(SAM_POLICY_TYPES.map((type) => [type, ['Policies', 'Role']])),
  ...Object.fromEntries(TF_POLICY_TYPES.map((type) => [type, ['policy']])),
  aws_iam_role: ['inline_policy'],
});

/**
 * Identity policies and the managed policy ARNs a resource attaches, per type (the `reads` of KL-TR-03, which also
 * judges AWS managed policies attached by ARN: see {@link awsManagedPolicyAttachments}).
 */
export const POLICY_AND_ATTACHMENT_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ...IDENTITY_POLICY_PROPERTIES,
  ...Object.fromEntries(CFN_INLINE_POLICY_TYPES.map((type) => [type, ['Policies', 'ManagedPolicyArns']])),
  aws_iam_role: ['inline_policy', 'managed_policy_arns'],
  ...Object.fromEntries(SAM_POLICY_TYPES.map((type) => [type, ['Policies', 'Role']])),
  ...Object.fromEntries(TF_POLICY_ATTACHMENT_TYPES.map((type) => [type, [type === 'aws_iam_role_policy_attachments_exclusive' ? 'policy_arns' : 'policy_arn']])),
});

/** Every type that can carry a role trust policy (the `appliesTo` of KL-TR-01/02). */
export const TRUST_POLICY_TYPES: readonly string[] = ['AWS::IAM::Role', SAM_FUNCTION, 'aws_iam_role'];
/** Where each type of {@link TRUST_POLICY_TYPES} carries its trust policy (the `reads` of KL-TR-01/02). */
export const TRUST_POLICY_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'AWS::IAM::Role': ['AssumeRolePolicyDocument'],
  [SAM_FUNCTION]: ['AssumeRolePolicyDocument', 'Role'],
  'aws_iam_role': ['assume_role_policy'],
});

/** One entry of a SAM `Policies` value: a document, a managed policy name/ARN, or a policy template. */
interface SamPolicy {
  readonly value: unknown;
  readonly when: readonly string[];
  /** `Policies` for a single value, `Policies #2` for a list entry. */
  readonly label: string;
}

/**
 * The entries of a SAM resource's `Policies` when SAM creates the role (no `Role`), each branch of an `Fn::If` around
 * the list or an entry on its own.
 */
function samPolicies(resource: NormalizedResource): SamPolicy[] {
  const p = resource.properties;
  if (!SAM_POLICY_TYPES.includes(resource.type) || (p.Role !== undefined && p.Role !== null)) return [];
  return conditionalAlternatives(p.Policies).flatMap((list) => {
    const entries = Array.isArray(list.value) ? list.value : [list.value];
    return entries.flatMap((entry, i) => conditionalAlternatives(entry, list.when)
      .map((choice) => ({ value: choice.value, when: choice.when, label: Array.isArray(list.value) ? `Policies #${i + 1}` : 'Policies' })));
  });
}

/** A SAM `Policies` entry that is an IAM policy document (has a `Statement`), not a policy template. */
function isSamDocument(value: unknown): value is Obj {
  return isObject(value) && !isIntrinsic(value) && getCi(value, 'Statement') !== undefined;
}

/**
 * The managed policy ARNs of a SAM `Policies` value: a literal ARN or an intrinsic as written; a bare name is an AWS
 * managed policy, which SAM turns into `arn:${AWS::Partition}:iam::aws:policy/<name>`. Documents and SAM policy templates
 * (`{S3ReadPolicy: {...}}`) are not ARNs: no SAM policy template grants an sts action (checked over SAM's
 * policy_templates.json), so a template is never a minting grant.
 */
function samManagedPolicyArns(resource: NormalizedResource): unknown[] {
  return samPolicies(resource).flatMap(({ value }): unknown[] => {
    if (typeof value === 'string') {
      const name = value.trim();
      return name.startsWith('arn:') || name.includes('${') || name === '' ? [value] : [{ 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${name}` }];
    }
    return isIntrinsic(value) ? [value] : [];
  });
}

/**
 * Identity (permissions) policies of a resource. With `action`, the caller only looks at statements that grant
 * it: policy JSON strings that cannot grant it are not parsed and read as having no statements
 * (`readPolicyDocumentFor`).
 */
export function identityPolicies(resource: NormalizedResource, context: AnalysisContext, action?: string): PolicySource[] {
  const p = resource.properties;
  const out: PolicySource[] = [];
  if (resource.engine === 'cloudformation') {
    // An Fn::If around a document, the Policies list or one policy: each branch may be deployed, so each is read.
    // Labels name the condition outcome that deploys each branch.
    if (CFN_POLICY_TYPES.includes(resource.type)) {
      for (const document of conditionalAlternatives(p.PolicyDocument)) {
        out.push({ label: `PolicyDocument${whenText(document.when)}`, kind: 'identity', document: readDocument(document.value, context, action) });
      }
    }
    if (CFN_INLINE_POLICY_TYPES.includes(resource.type)) {
      conditionalAlternatives(p.Policies)
        .flatMap((list) => asArray(list.value).map((pol, i) => ({ pol, i, when: list.when })))
        .flatMap(({ pol, i, when }) => conditionalAlternatives(pol, when).map((choice) => ({ pol: choice.value, i, when: choice.when })))
        .forEach(({ pol, i, when }) => {
          if (!isObject(pol)) return;
          const name = staticString(getCi(pol, 'PolicyName'));
          const label = name ? `inline policy "${name}"` : `inline policy #${i + 1}`;
          for (const document of conditionalAlternatives(getCi(pol, 'PolicyDocument'), when)) {
            out.push({ label: `${label}${whenText(document.when)}`, kind: 'identity', document: readDocument(document.value, context, action) });
          }
        });
    }
    if (resource.type === CFN_PERMISSION_SET) {
      for (const document of conditionalAlternatives(p.InlinePolicy)) {
        out.push({ label: `InlinePolicy${whenText(document.when)}`, kind: 'identity', document: readDocument(document.value, context, action) });
      }
    }
    for (const entry of samPolicies(resource)) {
      if (isSamDocument(entry.value)) out.push({ label: `${entry.label}${whenText(entry.when)}`, kind: 'identity', document: readDocument(entry.value, context, action) });
    }
  } else {
    if (TF_POLICY_TYPES.includes(resource.type)) {
      out.push({ label: 'policy', kind: 'identity', document: readDocument(p.policy, context, action) });
    }
    if (resource.type === 'aws_iam_role') {
      blocks(p.inline_policy).forEach((pol, i) => {
        const name = staticString(pol.name);
        out.push({ label: name ? `inline_policy "${name}"` : `inline_policy #${i + 1}`, kind: 'identity', document: readDocument(pol.policy, context, action) });
      });
    }
  }
  return out;
}

function readDocument(value: unknown, context: AnalysisContext, action: string | undefined): PolicyDocument {
  return action === undefined ? readPolicyDocument(value, context) : readPolicyDocumentFor(value, context, action);
}

/**
 * The trust (assume-role) policies of a role, if the resource is one: one, or in CloudFormation one per branch of an
 * `Fn::If` around the whole `AssumeRolePolicyDocument` (each a possible deployment, its label naming the condition
 * outcome). `action`: as for {@link identityPolicies}.
 */
export function trustPolicies(resource: NormalizedResource, context: AnalysisContext, action?: string): PolicySource[] {
  const sam = resource.type === SAM_FUNCTION && (resource.properties.Role === undefined || resource.properties.Role === null);
  if (resource.type === 'AWS::IAM::Role' || sam) {
    return conditionalAlternatives(resource.properties.AssumeRolePolicyDocument).map((document) => ({
      label: `AssumeRolePolicyDocument${whenText(document.when)}`, kind: 'trust', document: readDocument(document.value, context, action),
    }));
  }
  if (resource.type === 'aws_iam_role') {
    return [{ label: 'assume_role_policy', kind: 'trust', document: readDocument(resource.properties.assume_role_policy, context, action) }];
  }
  return [];
}

/** A principal a policy applies to. */
export interface AttachedPrincipal {
  /** Address of the role/user/group in the set, when it is there. */
  readonly address?: string;
  /** Role/user/group name when written literally, else the address. */
  readonly name: string;
  readonly kind: 'role' | 'user' | 'group';
}

const ROLE_TYPES = ['AWS::IAM::Role', 'aws_iam_role'];
const USER_TYPES = ['AWS::IAM::User', 'aws_iam_user'];
const GROUP_TYPES = ['AWS::IAM::Group', 'aws_iam_group'];

function kindOf(type: string): AttachedPrincipal['kind'] {
  if (USER_TYPES.includes(type)) return 'user';
  if (GROUP_TYPES.includes(type)) return 'group';
  return 'role';
}

/** Literal name of a role/user/group resource, if written. */
export function principalName(resource: NormalizedResource): string | undefined {
  const p = resource.properties;
  return staticString(p.RoleName ?? p.UserName ?? p.GroupName ?? p.name);
}

const PRINCIPAL_TYPES = [...ROLE_TYPES, ...USER_TYPES, ...GROUP_TYPES];
const principalKey = (kind: AttachedPrincipal['kind'], name: string): string => `${kind}\u0000${name}`;

/** The roles, users and groups of a set by kind and literal name (the first in set order). */
const PRINCIPALS_BY_NAME = new Memo<ResourceSet, ReadonlyMap<string, NormalizedResource>>('roles, users and groups of a set by name');

function principalsByName(context: AnalysisContext): ReadonlyMap<string, NormalizedResource> {
  return context.remember(PRINCIPALS_BY_NAME, context.set, () => {
    const index = new Map<string, NormalizedResource>();
    for (const r of context.set.resources) {
      if (!PRINCIPAL_TYPES.includes(r.type)) continue;
      const name = principalName(r);
      if (name === undefined) continue;
      const key = principalKey(kindOf(r.type), name);
      if (!index.has(key)) index.set(key, r);
    }
    return index;
  });
}

function principalsFrom(value: unknown, context: AnalysisContext, kind: AttachedPrincipal['kind']): AttachedPrincipal[] {
  const out: AttachedPrincipal[] = [];
  for (const v of asArray(value)) {
    const refs = referencedResources(v, context, [...ROLE_TYPES, ...USER_TYPES, ...GROUP_TYPES]);
    if (refs.length > 0) {
      for (const { resource } of refs) out.push({ address: resource.address, name: principalName(resource) ?? resource.address, kind: kindOf(resource.type) });
      continue;
    }
    const literal = staticString(v);
    if (literal) {
      // A literal name may still be a role in the set.
      const match = principalsByName(context).get(principalKey(kind, literal));
      out.push(match ? { address: match.address, name: literal, kind } : { name: literal, kind });
    }
  }
  return out;
}

/**
 * Principals an identity-policy resource applies to: the role itself for inline policies,
 * `Roles`/`role` arguments, and attachments elsewhere in the set (`ManagedPolicyArns`,
 * `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`, `managed_policy_arns`).
 */
export function attachedPrincipals(resource: NormalizedResource, context: AnalysisContext): AttachedPrincipal[] {
  const p = resource.properties;
  const out: AttachedPrincipal[] = [];
  const self = (): AttachedPrincipal => ({ address: resource.address, name: principalName(resource) ?? resource.address, kind: kindOf(resource.type) });
  switch (resource.type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
    case 'aws_iam_role':
      out.push(self());
      break;
    case 'AWS::Serverless::Function':
    case 'AWS::Serverless::StateMachine':
      // The execution role SAM creates for it.
      if (samPolicies(resource).length > 0) out.push(self());
      break;
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      out.push(...principalsFrom(p.Roles, context, 'role'), ...principalsFrom(p.Users, context, 'user'), ...principalsFrom(p.Groups, context, 'group'));
      break;
    case 'AWS::IAM::RolePolicy':
      out.push(...principalsFrom(p.RoleName, context, 'role'));
      break;
    case 'AWS::IAM::UserPolicy':
      out.push(...principalsFrom(p.UserName, context, 'user'));
      break;
    case 'AWS::IAM::GroupPolicy':
      out.push(...principalsFrom(p.GroupName, context, 'group'));
      break;
    case 'aws_iam_role_policy':
      out.push(...principalsFrom(p.role, context, 'role'));
      break;
    case 'aws_iam_user_policy':
      out.push(...principalsFrom(p.user, context, 'user'));
      break;
    case 'aws_iam_group_policy':
      out.push(...principalsFrom(p.group, context, 'group'));
      break;
    default:
      break;
  }
  if (resource.type === 'AWS::IAM::ManagedPolicy' || resource.type === 'aws_iam_policy') {
    out.push(...(managedPolicyAttachments(context).get(resource.address) ?? []));
  }
  const seen = new Set<string>();
  return out.filter((a) => {
    const key = `${a.kind}:${a.address ?? a.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Managed policy attachments of a set (see {@link managedPolicyAttachments}). */
const ATTACHMENTS = new Memo<ResourceSet, Map<string, AttachedPrincipal[]>>('principals of each managed policy of a set');

/**
 * Managed policy address -> principals it is attached to elsewhere in the set (`ManagedPolicyArns`,
 * `managed_policy_arns`, `aws_iam_*_policy_attachment`). Built once per set.
 */
function managedPolicyAttachments(context: AnalysisContext): Map<string, AttachedPrincipal[]> {
  return context.remember(ATTACHMENTS, context.set, () => readAttachments(context));
}

function readAttachments(context: AnalysisContext): Map<string, AttachedPrincipal[]> {
  const map = new Map<string, AttachedPrincipal[]>();
  const add = (policyValue: unknown, principals: () => AttachedPrincipal[]): void => {
    for (const v of asArray(policyValue)) {
      for (const { resource: policy } of referencedResources(v, context, ['AWS::IAM::ManagedPolicy', 'aws_iam_policy'])) {
        appendTo(map, policy.address, ...principals());
      }
    }
  };
  for (const other of context.set.resources) {
    const q = other.properties;
    const self = (): AttachedPrincipal[] => [{ address: other.address, name: principalName(other) ?? other.address, kind: kindOf(other.type) }];
    switch (other.type) {
      case 'AWS::IAM::Role':
      case 'AWS::IAM::User':
      case 'AWS::IAM::Group':
        add(q.ManagedPolicyArns, self);
        break;
      case 'aws_iam_role':
        add(q.managed_policy_arns, self);
        break;
      case 'AWS::Serverless::Function':
      case 'AWS::Serverless::StateMachine':
        add(samManagedPolicyArns(other), self);
        break;
      case 'aws_iam_role_policy_attachment':
        add(q.policy_arn, () => principalsFrom(q.role, context, 'role'));
        break;
      case 'aws_iam_user_policy_attachment':
        add(q.policy_arn, () => principalsFrom(q.user, context, 'user'));
        break;
      case 'aws_iam_group_policy_attachment':
        add(q.policy_arn, () => principalsFrom(q.group, context, 'group'));
        break;
      case 'aws_iam_policy_attachment':
        add(q.policy_arn, () => [...principalsFrom(q.roles, context, 'role'), ...principalsFrom(q.users, context, 'user'), ...principalsFrom(q.groups, context, 'group')]);
        break;
      default:
        break;
    }
  }
  return map;
}

/** The execution/task role a compute resource runs as, by address, when it is in the set. */
export function computeRole(resource: NormalizedResource, context: AnalysisContext): string | undefined {
  const p = resource.properties;
  const value = p.Role ?? p.TaskRoleArn ?? p.JobRoleArn ?? p.role ?? p.task_role_arn ?? p.ServiceRole ?? p.service_role;
  if (value === undefined) return undefined;
  const refs = referencedResources(value, context, ROLE_TYPES);
  if (refs.length > 0) return refs[0].resource.address;
  const name = staticString(value);
  if (name) {
    const byName = name.includes(':role/') ? name.slice(name.lastIndexOf('/') + 1) : name;
    const match = principalsByName(context).get(principalKey('role', byName));
    if (match) return match.address;
  }
  return undefined;
}


/** An AWS managed policy (`arn:<partition>:iam::aws:policy/<path><name>`) a resource attaches. */
export interface AwsManagedPolicyAttachment {
  /** The argument that names it: `ManagedPolicyArns`, `managed_policy_arns`, `policy_arn`, `policy_arns`. */
  readonly label: string;
  /** The ARN as written, a partition only known at deploy time shown as `${Partition}`. */
  readonly arn: string;
  /** Path and name after `policy/`, e.g. `AdministratorAccess`, `job-function/ViewOnlyAccess`. */
  readonly name: string;
  /** Who it is attached to: the resource itself (role/user/group), or the principals an attachment names. */
  readonly principals: AttachedPrincipal[];
}

const HOLE = '\u0000';
const AWS_MANAGED_ARN = /^arn:(aws|aws-cn|aws-us-gov|\u0000):iam::aws:policy\/((?:[^\u0000]*\/)?[^/\u0000]+)$/;

/** The argument of a resource that attaches managed policies by ARN, and who they are attached to. */
interface PolicyArnArgument {
  readonly label: string;
  readonly arns: unknown;
  readonly principals: () => AttachedPrincipal[];
}

function policyArnArgument(resource: NormalizedResource, context: AnalysisContext): PolicyArnArgument | undefined {
  const p = resource.properties;
  const self = (): AttachedPrincipal[] => [{ address: resource.address, name: principalName(resource) ?? resource.address, kind: kindOf(resource.type) }];
  switch (resource.type) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return { label: 'ManagedPolicyArns', arns: p.ManagedPolicyArns, principals: self };
    case 'aws_iam_role':
      return { label: 'managed_policy_arns', arns: p.managed_policy_arns, principals: self };
    case 'AWS::Serverless::Function':
    case 'AWS::Serverless::StateMachine':
      return { label: 'Policies', arns: samManagedPolicyArns(resource), principals: self };
    case 'aws_iam_role_policy_attachment':
      return { label: 'policy_arn', arns: p.policy_arn, principals: () => principalsFrom(p.role, context, 'role') };
    case 'aws_iam_user_policy_attachment':
      return { label: 'policy_arn', arns: p.policy_arn, principals: () => principalsFrom(p.user, context, 'user') };
    case 'aws_iam_group_policy_attachment':
      return { label: 'policy_arn', arns: p.policy_arn, principals: () => principalsFrom(p.group, context, 'group') };
    case 'aws_iam_policy_attachment':
      return {
        label: 'policy_arn',
        arns: p.policy_arn,
        principals: () => [...principalsFrom(p.roles, context, 'role'), ...principalsFrom(p.users, context, 'user'), ...principalsFrom(p.groups, context, 'group')],
      };
    case 'aws_iam_role_policy_attachments_exclusive':
      return { label: 'policy_arns', arns: p.policy_arns, principals: () => principalsFrom(p.role_name, context, 'role') };
    default:
      return undefined;
  }
}

/** Policy types whose documents are in the set (and checked on their own resource). */
const MANAGED_POLICY_TYPES = ['AWS::IAM::ManagedPolicy', 'aws_iam_policy'];
const POLICY_DATA_SOURCE = 'aws_iam_policy';

/**
 * The ARN text a value names, partition holes as {@link HOLE}: the value itself, or for a whole-string reference to a
 * `data "aws_iam_policy"` of the set, that data source's `arn` argument (what it looks up).
 */
function policyArnText(value: unknown, context: AnalysisContext): string | undefined {
  const data = referencedResources(value, context).find((r) => r.resource.kind === 'data' && r.resource.type === POLICY_DATA_SOURCE);
  const looked = data !== undefined && typeof value === 'string' && /^\$\{[^{}]*\}$/.test(value.trim()) ? data.resource.properties.arn : undefined;
  return flatten(looked ?? value, HOLE);
}

/**
 * AWS managed policies a role, user, group or Terraform attachment attaches by ARN: `ManagedPolicyArns` of
 * `AWS::IAM::Role`/`User`/`Group`, `managed_policy_arns` of `aws_iam_role`, `policy_arn` of the
 * `aws_iam_*_policy_attachment` resources, `policy_arns` of `aws_iam_role_policy_attachments_exclusive`. The ARN may be
 * built with the partition as an intrinsic or interpolation (`arn:${AWS::Partition}:iam::aws:policy/...`, as aws-cdk-lib's
 * `ManagedPolicy.fromAwsManagedPolicyName` writes it), or be the `arn` a `data "aws_iam_policy"` of the set looks up;
 * any other unknown part and it is not read (see {@link unreadPolicyArns}).
 */
export function awsManagedPolicyAttachments(resource: NormalizedResource, context: AnalysisContext): AwsManagedPolicyAttachment[] {
  const argument = policyArnArgument(resource, context);
  if (argument === undefined) return [];
  const out: AwsManagedPolicyAttachment[] = [];
  for (const value of asArray(argument.arns)) {
    const text = policyArnText(value, context);
    const m = text === undefined ? null : AWS_MANAGED_ARN.exec(text);
    if (!m) continue;
    out.push({ label: argument.label, arn: text!.split(HOLE).join('${Partition}'), name: m[2], principals: argument.principals() });
  }
  return out;
}

/** A managed policy attached by an ARN the template or configuration does not show. */
export interface UnreadPolicyArn {
  /** The argument that names it (see {@link AwsManagedPolicyAttachment.label}). */
  readonly label: string;
  /** The value as written. */
  readonly value: unknown;
}

/**
 * Managed policies a resource attaches by an ARN known only at deploy time: a variable or parameter, a
 * `data "aws_iam_policy"` whose `arn` is not written literally (looked up by name, or an expression), or any other
 * reference. Not listed: literal ARNs, ARNs with only the partition unknown, and policies of the set itself
 * (`aws_iam_policy`, `AWS::IAM::ManagedPolicy`), whose documents are checked on their own resource.
 */
export function unreadPolicyArns(resource: NormalizedResource, context: AnalysisContext): UnreadPolicyArn[] {
  const argument = policyArnArgument(resource, context);
  if (argument === undefined) return [];
  const out: UnreadPolicyArn[] = [];
  for (const value of asArray(argument.arns)) {
    if (value === undefined || value === null || value === '') continue;
    // `data "aws_iam_policy"` has the type of the managed resource: only a managed resource holds its own document.
    if (referencedResources(value, context, MANAGED_POLICY_TYPES).some((r) => r.resource.kind === 'resource')) continue;
    const text = policyArnText(value, context);
    if (text !== undefined && (!text.includes(HOLE) || AWS_MANAGED_ARN.test(text))) continue;
    out.push({ label: argument.label, value });
  }
  return out;
}
