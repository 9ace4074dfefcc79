/**
 * Internal helpers shared by the aws-cdk-lib constructs of lib/aws (like aws-cdk-lib's `aws-iam/lib/private/`);
 * not part of the public API. The policy logic itself lives in lib/core, shared with the CDKTF constructs.
 */
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { TokenAware } from '../../core/token-statement';
import { validateSessionSeconds } from '../../core/workload-role';

export { atConstruct, constructPath } from '../../core/construct-path';

/** `value` when it is a concrete string, undefined when it is absent or an unresolved CDK token. */
export function concrete(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/**
 * CDK's view of tokens for the lib/core builders: `Token.isUnresolved`, and an unchecked value becomes the
 * warning `cdk-keyless:unchecked-<property>` on `scope`.
 */
export function cdkTokens(scope: IConstruct): TokenAware {
  return {
    isUnresolved: (value) => Token.isUnresolved(value),
    unchecked: (property, what) => {
      Annotations.of(scope).addWarningV2(`cdk-keyless:unchecked-${property}`,
        `${property} is an unresolved token (${what}); cdk-keyless could not validate it at synth time`);
    },
  };
}

/** The default maximum session duration (a Duration is immutable). */
const ONE_HOUR = Duration.hours(1);

/** A role's maximum session duration (default 1 hour), refused at `path` outside 1 to 12 hours. */
export function sessionDuration(path: string, value: Duration | undefined): Duration {
  if (value === undefined) return ONE_HOUR;
  const duration = value;
  validateSessionSeconds(duration.toSeconds(), { path, property: 'maxSessionDuration' });
  return duration;
}
