/**
 * Organization guardrails and detection seen in synthesized output, for the inventory report: service and resource
 * control policies (`AWS::Organizations::Policy`), EventBridge rules on CloudTrail API calls to IAM or STS, and
 * CloudWatch Logs metric filters on the credential events (what `CredentialGuardrailPolicy`,
 * `WebIdentityTokenResourceControlPolicy`, `CredentialActivityRules` and `CredentialActivityAlarms` write, or the
 * same written by hand).
 */
import {
  ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION, DISABLE_OUTBOUND_FEDERATION_OPERATION, GET_WEB_IDENTITY_TOKEN_OPERATION,
  LONG_LIVED_CREDENTIAL_OPERATIONS,
} from '../core/credential-operations';
import type { AnalysisContext } from './analysis';
import { asArray, isObject } from './policy/json';
import { staticString } from './policy/static-value';

/** One organization guardrail or detection resource. */
export interface OrganizationGuardrail {
  readonly kind: 'service control policy' | 'resource control policy' | 'detection rule' | 'detection alarm';
  /** Logical id. */
  readonly resource: string;
  readonly file: string;
  /** Policy name and targets, or the events watched. */
  readonly detail: string;
}

/** The CloudTrail events the detection constructs watch (DESIGN §1.5): the same lists the constructs use. */
const WATCHED_EVENTS: readonly string[] = [
  ...LONG_LIVED_CREDENTIAL_OPERATIONS, DISABLE_OUTBOUND_FEDERATION_OPERATION, GET_WEB_IDENTITY_TOKEN_OPERATION, ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION,
];

const strings = (value: unknown): string[] => asArray(value).map(staticString).filter((v): v is string => v !== undefined);

/** The organization guardrails of one set, in resource order. */
export function findOrganizationGuardrails(context: AnalysisContext): OrganizationGuardrail[] {
  const out: OrganizationGuardrail[] = [];
  for (const r of context.set.resources) {
    if (r.kind !== 'resource' || r.engine !== 'cloudformation') continue;
    const p = r.properties;
    if (r.type === 'AWS::Organizations::Policy') {
      const type = staticString(p.Type);
      if (type !== 'SERVICE_CONTROL_POLICY' && type !== 'RESOURCE_CONTROL_POLICY') continue;
      const targets = asArray(p.TargetIds);
      out.push({
        kind: type === 'SERVICE_CONTROL_POLICY' ? 'service control policy' : 'resource control policy',
        resource: r.address,
        file: r.file,
        detail: `${staticString(p.Name) ?? r.address} on ${targets.length} target${targets.length === 1 ? '' : 's'}`,
      });
    } else if (r.type === 'AWS::Events::Rule' && isObject(p.EventPattern)) {
      const detail = isObject(p.EventPattern.detail) ? p.EventPattern.detail : {};
      const sources = strings(detail.eventSource);
      const events = strings(detail.eventName);
      if (!strings(p.EventPattern['detail-type']).includes('AWS API Call via CloudTrail')) continue;
      if (!sources.some((s) => s === 'iam.amazonaws.com' || s === 'sts.amazonaws.com')) continue;
      out.push({ kind: 'detection rule', resource: r.address, file: r.file, detail: `${sources.join(', ')}: ${events.join(', ') || 'any event'}` });
    } else if (r.type === 'AWS::Logs::MetricFilter') {
      const pattern = staticString(p.FilterPattern) ?? '';
      const events = WATCHED_EVENTS.filter((e) => new RegExp(`\\b${e}\\b`).test(pattern));
      if (events.length > 0) out.push({ kind: 'detection alarm', resource: r.address, file: r.file, detail: `metric filter on ${events.join(', ')}` });
    }
  }
  return out;
}
