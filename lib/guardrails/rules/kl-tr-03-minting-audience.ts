import { Rule, RuleHit } from '../model';
import { statementLabel } from '../policy/document';
import { shortValue } from '../policy/messages';
import { AWS_MANAGED_MINTING_POLICIES, awsManagedMintingPolicy, grantPhrase } from '../policy/minting';
import { origin } from '../policy/origin';
import {
  IDENTITY_POLICY_TYPES, POLICY_AND_ATTACHMENT_PROPERTIES, TF_POLICY_ATTACHMENT_TYPES, awsManagedPolicyAttachments, unreadPolicyArns,
} from '../policy/sources';
import { tokenGrants, unreadPolicies } from '../policy/token-grants';

/**
 * KL-TR-03: a statement that allows sts:GetWebIdentityToken (exactly, through a wildcard such as
 * `*`, `sts:*`, `sts:Get*`, or through NotAction) without the strict audience binding
 * (`ForAllValues:StringEquals` on sts:IdentityTokenAudience plus `Null {...: "false"}`).
 * Resource `*` is expected (the action has no resource type) and is not a finding. An AWS managed policy known to grant
 * the action that way (`AWS_MANAGED_MINTING_POLICIES`: AdministratorAccess, PowerUserAccess, ...) attached by ARN is a
 * finding on the resource that attaches it. A managed policy attached by an ARN known only at deploy time (a variable, a
 * parameter, a `data "aws_iam_policy"` looked up by name) cannot be judged: the check says so in a note.
 */
export const KL_TR_03: Rule = {
  id: 'KL-TR-03',
  severity: 'error',
  category: 'trust',
  title: 'token minting not bound to audiences (no condition, ForAnyValue, or an action wildcard that includes sts:GetWebIdentityToken)',
  fix: 'Grant sts:GetWebIdentityToken in its own statement per target with ForAllValues:StringEquals {"sts:IdentityTokenAudience": [<audience>]}, Null {"sts:IdentityTokenAudience": "false"}, StringEquals {"sts:SigningAlgorithm": <alg>} and a sts:DurationSeconds bound (the cdk-keyless token grant writes exactly this); list actions explicitly instead of wildcards.',
  appliesTo: [...IDENTITY_POLICY_TYPES, ...TF_POLICY_ATTACHMENT_TYPES],
  reads: POLICY_AND_ATTACHMENT_PROPERTIES,
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const hits: RuleHit[] = [];
    // KL-TR-04 reads the same documents: the note is written once, here.
    for (const unread of unreadPolicies(resource, context)) {
      context.note(`${resource.file}: ${resource.address} (${resource.type}): ${unread.label}: ${unread.reason}; `
        + 'KL-TR-03 and KL-TR-04 could not check whether that part grants sts:GetWebIdentityToken');
    }
    for (const { label, minting: m } of tokenGrants(resource, context)) {
      if (m.binding.kind !== 'unbound') continue;
      hits.push({
        message: `${resource.address} ${label} ${statementLabel(m.statement)} ${grantPhrase(m.grant)} but ${m.binding.problem}: `
          + 'a token minted for an unintended audience is accepted by any relying party that trusts this account\'s issuer and that audience, so the role can reach services it was never federated to. '
          + `Fix: ${KL_TR_03.fix}`,
      });
    }
    for (const attachment of awsManagedPolicyAttachments(resource, context)) {
      const policy = awsManagedMintingPolicy(attachment.name);
      if (!policy) continue;
      const holders = attachment.principals.filter((p) => p.address !== resource.address).map((p) => `${p.kind} ${p.name}`);
      const who = holders.length > 0 ? holders.join(', ') : attachment.principals.length > 0 ? `the ${attachment.principals[0].kind}` : 'whoever it is attached to';
      hits.push({
        message: `${resource.address} ${attachment.label} attaches the AWS managed policy ${attachment.arn}${holders.length > 0 ? ` to ${holders.join(', ')}` : ''}, which ${policy.grants}: `
          + `that includes sts:GetWebIdentityToken with no condition on sts:IdentityTokenAudience, so ${who} can mint a token for any audience, `
          + 'accepted by any relying party that trusts this account\'s issuer and expects that audience: the principal can reach services it was never federated to. '
          + `Fix: replace ${policy.name} with policies scoped to what the workload does. ${KL_TR_03.fix}`,
      });
    }
    for (const { label, value } of unreadPolicyArns(resource, context)) {
      const o = origin(value, resource, context);
      const from = o.kind === 'parameter' ? `the ${resource.engine === 'cloudformation' ? 'parameter' : 'variable'} ${o.name}`
        : o.kind === 'reference' && o.refs.length > 0 ? o.refs.join(', ') : 'a value known only at deploy time';
      context.note(`${resource.file}: ${resource.address} (${resource.type}): ${label} attaches the managed policy ${shortValue(value)}, whose ARN comes from ${from}; `
        + `KL-TR-03 could not check whether it is an AWS managed policy that allows sts:GetWebIdentityToken for any audience (${AWS_MANAGED_MINTING_POLICIES.map((p) => p.name).join(', ')})`);
    }
    return hits;
  },
};
