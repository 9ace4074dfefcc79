/**
 * Normalizers: synthesized output → the {@link NormalizedResource}s rules see. Engine-neutral, no CDK imports.
 * Internal module (not part of the jsii API).
 *
 * # The exact shapes rules see
 *
 * ## CloudFormation (JSON or YAML; cdk.out templates, nested stack templates)
 * - `engine: 'cloudformation'`, `kind: 'resource'`, `type` = `Type` (`AWS::IAM::AccessKey`),
 *   `address` = logical id, `properties` = `Properties` or `{}`, `constructPath` = `Metadata["aws:cdk:path"]`
 *   (or, in a cdk.out without path metadata, the path recorded in the stack's `aws:cdk:logicalId` metadata).
 * - Intrinsics stay as they are, always in long form: `{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`,
 *   `{"Fn::Sub": "..."}`, `{"Fn::Join": [...]}` ... YAML short tags (`!Ref`, `!GetAtt A.B`, `!Sub`, ...) are
 *   converted while parsing, so a YAML and a JSON template give identical resources.
 * - Policy documents are objects (`PolicyDocument`, `AssumeRolePolicyDocument`); `Action`, `Resource`,
 *   condition values may be a string or an array.
 * - Custom resources (`Custom::*`, `AWS::CloudFormation::CustomResource`) keep their properties as written; the SDK
 *   calls of an `AwsCustomResource` (`Create`/`Update`/`Delete` JSON strings, often an `Fn::Join` around tokens) are
 *   read on demand by `customResourceCalls` (`custom-resource.ts`), and the set's `notes` list the calls that could
 *   not be read.
 *
 * ## Terraform (Terraform JSON `*.tf.json`, cdktf `cdk.tf.json`, HCL `*.tf`)
 * - Managed resource: `kind: 'resource'`, `type` = `aws_iam_role`, `address` = `aws_iam_role.NAME`.
 * - Data source: `kind: 'data'`, `type` = `aws_iam_policy_document`, `address` = `data.aws_iam_policy_document.NAME`.
 * - Provider configuration: `kind: 'provider'`, `type` = the provider's local name (`snowflake`, `azuread`),
 *   `address` = `provider.snowflake`, or `provider.snowflake.ALIAS` when it has an `alias`.
 * - `properties` = the block's arguments with Terraform JSON names (snake_case). Attributes are plain values;
 *   map attributes (`tags`, `environment.variables`) are objects.
 * - NESTED BLOCKS (`environment`, `inline_policy`, `password` on `azuread_application`, `statement`, ...):
 *   from HCL always an ARRAY of objects; from Terraform JSON / cdktf either an object or an array of objects.
 *   Read them with {@link blocks}, which always returns an array.
 * - `${...}`: any value that is not a literal is a string holding a Terraform interpolation, exactly as in
 *   Terraform JSON: `"${var.password}"`, `"${aws_iam_role.r.arn}"`, `"arn:aws:s3:::${var.env}-logs"`,
 *   `"${var.a ? \"x\" : \"y\"}"`. Never assume a string without `${` came from a variable; never assume a
 *   `${...}` string is a secret literal. Variables are never replaced by their defaults (tfvars override them).
 * - Static reading (HCL and Terraform JSON alike):
 *   - `jsonencode(<object or tuple literal>)` becomes the JSON string Terraform would produce, so
 *     `assume_role_policy`, `policy`, `container_definitions` are JSON strings whether the source used
 *     `jsonencode`, a heredoc, a literal string, or `data "aws_iam_policy_document"`. Non-literal parts inside
 *     stay `${...}` strings (`{"Principal":{"Federated":"${aws_iam_openid_connect_provider.gh.arn}"}}`).
 *     `jsonencode(var.x)` (no literal argument) stays the expression string `${jsonencode(var.x)}`.
 *   - A value that is exactly `${data.aws_iam_policy_document.NAME.json}` (or `.minified_json`, with or without
 *     an index) becomes the IAM policy JSON the provider renders (see `policy-document.ts`): `Version`,
 *     `Statement[]` with `Sid`, `Effect`, `Action`/`NotAction`, `Resource`/`NotResource`,
 *     `Principal`/`NotPrincipal` (`{TYPE: ids}` or `"*"`), `Condition` `{test: {variable: values}}`; a
 *     one-element list renders as a string.
 *   - A value that is exactly `${local.NAME}` becomes the local's value (locals are not overridable).
 *   - Heredocs are strings (hcl2json reads them); `<<-` indentation is stripped.
 * - Dynamic blocks stay as Terraform JSON writes them: `properties.dynamic.NAME = [{for_each, content: [...]}]`,
 *   not expanded. Module calls are not expanded (a note says so).
 * - cdktf's `"//"` metadata is removed from `properties`; its `metadata.path` is the `constructPath`.
 *
 * A set of `.tf`/`.tf.json` files loaded from one directory is ONE {@link ResourceSet} (Terraform reads a
 * directory as one module), so references resolve across files; each resource keeps its own `file`.
 */
export { InputError } from './input-error';
export { normalizeCloudFormation, looksLikeCloudFormation } from './cloudformation';
export { parseCloudFormationYaml, CLOUDFORMATION_TAGS } from './cloudformation-yaml';
export { normalizeTerraformJson, looksLikeTerraformJson } from './terraform-json';
export { normalizeHcl, normalizeTerraformModule, parseHcl } from './hcl';
export { buildPolicyDocument } from './policy-document';
export { readHclExpression } from './hcl-expression';
export { blocks } from './set';
export type { NormalizedSet } from './set';
export { loadPath, loadTemplateFile } from './load';

import type { NormalizedResource, ResourceSet } from '../model';
// Referenced by the docs above.
export type { NormalizedResource, ResourceSet };
