// Public (jsii) API of lib/guardrails. Only jsii-compatible exports here.
export {};
