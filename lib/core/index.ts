export * from './errors';
export * from './account';
export * from './role-arn';
export * from './issuer';
export * from './token';
export * from './target';
export * from './names';
export * from './plan';
