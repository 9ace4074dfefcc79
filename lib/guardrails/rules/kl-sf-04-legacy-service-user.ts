import { Rule } from '../model';

/** KL-SF-04: a legacy service user (TYPE = LEGACY_SERVICE can hold a password). */
export const KL_SF_04: Rule = {
  id: 'KL-SF-04',
  severity: 'error',
  category: 'credential',
  title: 'legacy service user type (password-capable)',
  fix: 'Use snowflake_service_user (TYPE = SERVICE: no password, no MFA prompts) with WORKLOAD_IDENTITY and an authentication policy that allows only WORKLOAD_IDENTITY.',
  appliesTo: ['snowflake_legacy_service_user'],
  reads: {},
  check(resource) {
    if (resource.kind !== 'resource') return [];
    return [{
      message: `${resource.address} is a LEGACY_SERVICE user: this user type can log in with a password (Snowflake keeps it only for clients that cannot do better), so it leaves a password path open next to any federated login. Fix: ${KL_SF_04.fix}`,
      identity: resource.address,
    }];
  },
};
