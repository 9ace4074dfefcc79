// Public (jsii) API of lib/guardrails. Only jsii-compatible exports here.
// The engine (rules, evaluator, normalizers, report, formats) is internal: TypeScript users may import it from
// 'cdk-keyless/lib/guardrails/...'; the `keyless` CLI is the language-neutral way to run it.
export { KeylessGuardrailsProps, KeylessExemption } from './settings';
export { KeylessGuardrails } from './cdk/guardrails';
export { KeylessTerraformGuardrails } from './cdktf/guardrails';
