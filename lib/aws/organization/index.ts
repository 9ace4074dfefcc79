// Public (jsii) API of the organization guardrails and detection.
export { CredentialGuardrailPolicy, CredentialGuardrailPolicyProps } from './credential-guardrail-policy';
export { WebIdentityTokenResourceControlPolicy, WebIdentityTokenResourceControlPolicyProps } from './token-resource-control-policy';
export { CredentialActivityRules, CredentialActivityRulesProps } from './credential-activity-rules';
export { CredentialActivityAlarms, CredentialActivityAlarmsProps } from './credential-activity-alarms';
