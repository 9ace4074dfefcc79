// Public (jsii) API of lib/aws. Only jsii-compatible exports here.
export {};
