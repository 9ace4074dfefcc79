/**
 * Internal helpers shared by the CDK for Terraform AWS constructs (not part of the public API). The statements,
 * conditions and validation come from lib/core, the same builders the aws-cdk-lib constructs use.
 */
import { TerraformStack, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { TokenAware } from '../../core/token-statement';

/**
 * The AWS provider version the outbound federation switch needs: `aws_iam_outbound_web_identity_federation`
 * arrived in 6.26.0, after the last prebuilt binding (@cdktf/provider-aws 21.22.1 = provider 6.25.0).
 */
export const OUTBOUND_FEDERATION_PROVIDER_VERSION = '>= 6.26.0';

/** The IAM policy language version every document we write carries. */
export const POLICY_VERSION = '2012-10-17';

/**
 * cdktf's view of tokens for the lib/core builders: `Token.isUnresolved`; the properties that were tokens are
 * collected in `unchecked`, for one `warnUnchecked` warning per construct.
 */
export function terraformTokens(unchecked: string[]): TokenAware {
  return {
    isUnresolved: (value) => Token.isUnresolved(value),
    unchecked: (property) => {
      if (!unchecked.includes(property)) unchecked.push(property);
    },
  };
}

/**
 * Pins the AWS provider of `scope`'s stack to {@link OUTBOUND_FEDERATION_PROVIDER_VERSION} in the synthesized
 * `terraform.required_providers` (the prebuilt `AwsProvider` writes 6.25.0, which has no such resource type).
 */
export function requireOutboundFederationProvider(scope: IConstruct): void {
  TerraformStack.of(scope).addOverride('terraform.required_providers.aws.version', OUTBOUND_FEDERATION_PROVIDER_VERSION);
}

/** One IAM statement as the policy JSON has it: a single action as a string, like the CDK renders it. */
export function statementJson(statement: { sid?: string; effect?: string; actions: string[]; resources?: string[]; principal?: unknown; conditions?: unknown }): Record<string, unknown> {
  return {
    ...(statement.sid !== undefined ? { Sid: statement.sid } : {}),
    Effect: statement.effect ?? 'Allow',
    ...(statement.principal !== undefined ? { Principal: statement.principal } : {}),
    Action: statement.actions.length === 1 ? statement.actions[0] : statement.actions,
    ...(statement.resources !== undefined ? { Resource: statement.resources.length === 1 ? statement.resources[0] : statement.resources } : {}),
    ...(statement.conditions !== undefined ? { Condition: statement.conditions } : {}),
  };
}

/** A policy document as the JSON string Terraform's `policy` / `assume_role_policy` arguments take. */
export function policyJson(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: POLICY_VERSION, Statement: statements });
}
