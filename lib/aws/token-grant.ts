import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { fail } from '../core/errors';
import { TokenStatementParts, WebIdentityTokenGrantOptions, webIdentityTokenStatementParts } from '../core/token-statement';
import { cdkTokens } from './private/helpers';

export { WebIdentityTokenGrantOptions } from '../core/token-statement';

/**
 * Builds the one statement that lets a principal mint tokens for one target (lib/core builds it, the same for the
 * CDKTF constructs). Validates every concrete value at `path` (the construct path) and annotates `scope` where a
 * value is an unresolved token.
 */
export function webIdentityTokenStatementProps(scope: IConstruct, options: WebIdentityTokenGrantOptions, path: string): TokenStatementParts {
  return webIdentityTokenStatementParts(options, path, cdkTokens(scope));
}

/**
 * The one statement (Resource `*`) that lets a principal mint tokens within `options`, validated like
 * {@link webIdentityTokenStatementProps}. `sid`, when given, must be letters and digits only (IAM).
 */
export function webIdentityTokenStatement(scope: IConstruct, options: WebIdentityTokenGrantOptions, path: string, sid?: string): iam.PolicyStatement {
  const { actions, conditions } = webIdentityTokenStatementProps(scope, options, path);
  return new iam.PolicyStatement({ sid, actions, resources: ['*'], conditions });
}

/**
 * Grants `grantee` permission to mint tokens within `options` (one statement, Resource `*`).
 * `scope` is the construct the user called the grant on; its path names errors.
 */
export function grantWebIdentityToken(scope: IConstruct, grantee: iam.IGrantable, options: WebIdentityTokenGrantOptions): iam.Grant {
  const path = scope.node.path;
  if (grantee === undefined || grantee === null || typeof grantee !== 'object' || !('grantPrincipal' in grantee)) {
    fail({ path, property: 'grantee' }, grantee === undefined ? 'undefined' : String(grantee), 'token-grant.grantee', 'pass the role, function or other grantable that mints the tokens');
  }
  const { actions, conditions } = webIdentityTokenStatementProps(scope, options, path);
  return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: ['*'], conditions });
}
