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
 *   `${...}` string is a secret literal. The root module's variables are never replaced by their defaults (tfvars
 *   override them); a called module's are (below).
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
 *   - `${local.NAME}` becomes the local's value (locals are not overridable), also indexed and inside text.
 *   - Function calls over known values (`join`, `format`, `lower`, `upper`, `replace`, `concat`, `element`,
 *     `trimspace`, `chomp`, `jsonencode`, `file`, `templatefile`, `trimprefix`, `coalescelist`, `flatten`, ...) and
 *     `for` expressions over known collections (`{ for k, v in var.policies : k => v if var.create }`, a called
 *     module's variables read) are evaluated (see `hcl-expression.ts`); a call with any unknown argument stays a
 *     `${...}` string. `file()` / `templatefile()` read relative to the module
 *     directory (the file's directory) and never outside it; what cannot be read is a note.
 *   - Heredocs are strings (hcl2json reads them); `<<-` indentation is stripped.
 * - Dynamic blocks expand to the `NAME` blocks they generate (`content`, one per element of a known `for_each`,
 *   one when `for_each` is not known), appended to the static `NAME` blocks; `properties.dynamic` is gone.
 *   Except in `data "aws_iam_policy_document"`: its policy JSON generates a `dynamic "statement"` (nested dynamic
 *   blocks and iterators read) only when every `for_each` in it is known (`dynamic-statements.ts`); the others stay
 *   in `properties.dynamic` and are noted.
 * - A block whose `count` is statically 0 (a number, or a switch over the module's variables and locals such as
 *   `var.create && var.create_key ? 1 : 0`, evaluated by `hcl-expression.ts`) or whose `for_each` is statically empty
 *   (`{}`, `[]`) does not exist and is left out; a known count or for_each is one resource per instance at its
 *   instance address (`type.name[0]`, `type.name["key"]`); any other keeps the block once, at `type.name`.
 * - Module calls (`loadPath`, `normalizeTerraformModule` with a module reader): a local source (`./...`, `../...`,
 *   relative to the calling file) is followed, and, when asked for, a source `terraform init` downloaded (the root
 *   module's `.terraform/modules/modules.json`). The module's blocks join the caller's set with the module address
 *   in front: `module.etl.aws_iam_access_key.this`, `module.etl.module.inner.data.aws_iam_policy_document.x`.
 *   Inside, `${var.NAME}` of a variable the caller passes becomes the caller's value as read in the caller (a
 *   literal, a list, a rendered policy JSON, or the caller's own `${...}` text); inside a longer template a bound
 *   string, number or bool is substituted (`"GRANT ROLE ${var.role} ..."`). A variable the caller does not pass
 *   is its default (only the call sets a called module's variables); one without a default stays `${var.NAME}`.
 *   References between blocks inside a module get the module address too (`${module.etl.aws_iam_user.this.name}`,
 *   read by `tfReferences`); values bound from the caller keep the caller's. Whatever cannot be followed (a registry or git source not downloaded, a missing
 *   or empty directory, a non-literal source, a module that calls itself) is a note. The synchronous
 *   `normalizeTerraformJson` does not follow calls: each is a note.
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
export { blocks } from '../policy/json';
export type { NormalizedSet } from './set';
export { loadPath, loadTemplateFile } from './load';

import type { NormalizedResource, ResourceSet } from '../model';
// Referenced by the docs above.
export type { NormalizedResource, ResourceSet };
