/**
 * EventBridge event pattern matching for the detection tests, limited to what the rules emit: objects nest, an
 * array lists the accepted values (exact match, any of them), `{ "anything-but": [...] }` accepts every other
 * value. A field the pattern names must exist in the event. Anything else in a pattern throws.
 */
export function matchesPattern(pattern: any, event: any): boolean {
  for (const [field, expected] of Object.entries(pattern)) {
    const actual = event?.[field];
    if (Array.isArray(expected)) {
      if (actual === undefined) return false;
      const accepted = expected.some((e) => {
        if (e !== null && typeof e === 'object') {
          const keys = Object.keys(e);
          if (keys.length !== 1 || keys[0] !== 'anything-but' || !Array.isArray(e['anything-but'])) throw new Error(`unsupported pattern ${JSON.stringify(e)}`);
          return !e['anything-but'].includes(actual);
        }
        return e === actual;
      });
      if (!accepted) return false;
    } else if (expected !== null && typeof expected === 'object') {
      if (actual === null || typeof actual !== 'object' || !matchesPattern(expected, actual)) return false;
    } else {
      throw new Error(`a pattern value is an array or an object, got ${JSON.stringify(expected)} for ${field}`);
    }
  }
  return true;
}

/** A CloudTrail management event as EventBridge delivers it. */
export function cloudTrailEvent(service: 'iam' | 'sts', eventName: string, region: string, extra: { [key: string]: unknown } = {}): any {
  return {
    'version': '0',
    'detail-type': 'AWS API Call via CloudTrail',
    'source': `aws.${service}`,
    'account': '111122223333',
    'region': region,
    'detail': {
      eventVersion: '1.10',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/orders-app/session' },
      eventSource: `${service}.amazonaws.com`,
      eventName,
      awsRegion: region,
      ...extra,
    },
  };
}
