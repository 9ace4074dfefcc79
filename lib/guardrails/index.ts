// Public (jsii) API of lib/guardrails. Only jsii-compatible exports here.
// The engine (rules, evaluator, normalizers, report, formats) is internal: TypeScript users may import it from
// 'cdk-keyless/lib/guardrails/...'; the `keyless` CLI is the language-neutral way to run it.
export { KeylessGuardrailsProps, KeylessExemption } from './cdk/settings';
export { KeylessGuardrails } from './cdk/guardrails';
// The public index re-exports the engine adapters; the engine-neutral lint rule's 'cdktf/*' pattern matches this path.
// eslint-disable-next-line no-restricted-imports
export { KeylessTerraformGuardrails } from './cdktf/guardrails';
