/** Custom resources as aws-cdk-lib's AwsCustomResource synthesizes them: the call is a JSON string, tokens joined in. */
import { NormalizedResource } from '../../../lib/guardrails/model';
import { cfn } from './helpers';

/** The service token of aws-cdk-lib's singleton AwsCustomResource provider function. */
export const SDK_PROVIDER = { 'Fn::GetAtt': ['AWS679f53fac002430cb0da5b7982bd22872D164C4C', 'Arn'] };

/**
 * A `Custom::AWS` resource making `service action(parameters)` on the given phases. A parameter value that is an
 * intrinsic is joined into the JSON text the way `stack.toJsonString` does it (inside the quotes for strings).
 */
export function sdkCall(
  logicalId: string, service: string, action: string, parameters: Record<string, unknown>,
  phases: readonly string[] = ['Create', 'Update'], type = 'Custom::AWS',
): NormalizedResource {
  const parts: unknown[] = [];
  let text = `{"service":${JSON.stringify(service)},"action":${JSON.stringify(action)},"parameters":{`;
  Object.entries(parameters).forEach(([k, v], i) => {
    text += `${i > 0 ? ',' : ''}${JSON.stringify(k)}:`;
    if (typeof v === 'object' && v !== null) {
      parts.push(`${text}"`, v);
      text = '"';
    } else text += JSON.stringify(v);
  });
  text += '},"physicalResourceId":{"id":"call"}}';
  const value = parts.length === 0 ? text : { 'Fn::Join': ['', [...parts, text]] };
  return cfn(type, logicalId, { ServiceToken: SDK_PROVIDER, ...Object.fromEntries(phases.map((p) => [p, value])), InstallLatestAwsSdk: true });
}
