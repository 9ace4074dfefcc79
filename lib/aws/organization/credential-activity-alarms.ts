import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail } from '../../core/errors';
import {
  ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION,
  DISABLE_OUTBOUND_FEDERATION_OPERATION,
  GET_WEB_IDENTITY_TOKEN_OPERATION,
  LONG_LIVED_CREDENTIAL_OPERATIONS,
  validateAllowedRegions,
} from './credential-actions';

/** Properties of {@link CredentialActivityAlarms}. */
export interface CredentialActivityAlarmsProps {
  /** The log group a CloudTrail trail delivers to (multi-region or organization trail: every region in one place). */
  readonly logGroup: logs.ILogGroup;
  /**
   * The SNS topic the alarms notify.
   * @default - a new topic
   */
  readonly topic?: sns.ITopic;
  /**
   * Regions where workloads are expected to mint tokens and assume web identity roles; when given, an alarm
   * fires on `GetWebIdentityToken` or `AssumeRoleWithWebIdentity` in any other region.
   * @default - no region alarm
   */
  readonly allowedRegions?: string[];
  /**
   * CloudWatch namespace of the metrics.
   * @default "cdk-keyless"
   */
  readonly metricNamespace?: string;
}


function anyOf(field: string, values: readonly string[]): string {
  return values.length === 1 ? `($.${field} = "${values[0]}")` : `(${values.map((v) => `($.${field} = "${v}")`).join(' || ')})`;
}

/**
 * The CloudWatch Logs variant of {@link CredentialActivityRules}, for teams whose trail writes to a log group:
 * one metric filter and one alarm (at least 1 event in 5 minutes, missing data = OK) per signal, on the
 * CloudTrail JSON records:
 *
 * - `LongLivedCredentialCreated`: `iam.amazonaws.com` credential-creating calls;
 * - `OutboundFederationDisabled`: `DisableOutboundWebIdentityFederation`;
 * - `WebIdentityTokenDenied`: `GetWebIdentityToken` with `errorCode` `AccessDenied`;
 * - `WebIdentityOutsideAllowedRegions` (with `allowedRegions`).
 *
 * A multi-region trail delivers IAM events (recorded in us-east-1) and every region's STS events to the one
 * log group, so this variant watches all regions from one stack in the log group's region.
 */
export class CredentialActivityAlarms extends Construct {
  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;
  /** The metric filters, by metric name. */
  public readonly metricFilters: { [metricName: string]: logs.MetricFilter } = {};
  /** The alarms, by metric name. */
  public readonly alarms: { [metricName: string]: cloudwatch.Alarm } = {};

  constructor(scope: Construct, id: string, props: CredentialActivityAlarmsProps) {
    super(scope, id);
    const path = this.node.path;
    if (props === null || typeof props !== 'object' || props.logGroup === undefined) {
      fail({ path, property: 'logGroup' }, undefined, 'detection.log-group', 'pass the log group your CloudTrail trail delivers to');
    }
    const namespace = props.metricNamespace ?? 'cdk-keyless';
    if (!Token.isUnresolved(namespace) && !/^[^:$][^:]{0,254}$/.test(namespace)) {
      fail({ path, property: 'metricNamespace' }, namespace, 'detection.namespace', 'a CloudWatch namespace is 1-255 characters, without ":" and not starting with "$"');
    }
    this.topic = props.topic ?? new sns.Topic(this, 'Alerts', { displayName: 'cdk-keyless credential activity', enforceSSL: true });

    const signals: [string, string, string][] = [
      ['LongLivedCredentialCreated', 'a long-lived IAM credential was created',
        `{ ($.eventSource = "iam.amazonaws.com") && ${anyOf('eventName', LONG_LIVED_CREDENTIAL_OPERATIONS)} }`],
      ['OutboundFederationDisabled', 'outbound web identity federation was disabled',
        `{ ($.eventSource = "iam.amazonaws.com") && ${anyOf('eventName', [DISABLE_OUTBOUND_FEDERATION_OPERATION])} }`],
      ['WebIdentityTokenDenied', 'a web identity token request was denied',
        `{ ($.eventSource = "sts.amazonaws.com") && ${anyOf('eventName', [GET_WEB_IDENTITY_TOKEN_OPERATION])} && ($.errorCode = "AccessDenied") }`],
    ];
    const regions = props.allowedRegions;
    if (regions !== undefined) {
      validateAllowedRegions(regions, path);
      signals.push(['WebIdentityOutsideAllowedRegions', 'web identity federation was used outside the allowed regions',
        `{ ($.eventSource = "sts.amazonaws.com") && ${anyOf('eventName', [GET_WEB_IDENTITY_TOKEN_OPERATION, ASSUME_ROLE_WITH_WEB_IDENTITY_OPERATION])} && ${regions.map((r) => `($.awsRegion != "${r}")`).join(' && ')} }`]);
    }

    for (const [metricName, what, pattern] of signals) {
      const filter = new logs.MetricFilter(this, `${metricName}Filter`, {
        logGroup: props.logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: namespace,
        metricName,
        metricValue: '1',
        defaultValue: 0,
      });
      const alarm = new cloudwatch.Alarm(this, `${metricName}Alarm`, {
        alarmDescription: `cdk-keyless: ${what} (CloudTrail, log group metric filter)`,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      this.metricFilters[metricName] = filter;
      this.alarms[metricName] = alarm;
    }
  }
}
