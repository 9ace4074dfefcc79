// Public (jsii) API of lib/terraform. Only jsii-compatible exports here.
export {};
