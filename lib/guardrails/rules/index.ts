/**
 * The guardrail rule catalog (DESIGN §3): one file per rule, in catalog order. IDs are a public
 * contract and never change meaning.
 */
import { Rule } from '../model';
import { KL_AWS_01 } from './kl-aws-01-access-key';
import { KL_AWS_02 } from './kl-aws-02-console-password';
import { KL_AWS_03 } from './kl-aws-03-user-credentials';
import { KL_AWS_05 } from './kl-aws-05-compute-env-secret';
import { KL_AWS_06 } from './kl-aws-06-secret-store-literal';
import { KL_AZ_01 } from './kl-az-01-application-password';
import { KL_AZ_02 } from './kl-az-02-service-principal-password';
import { KL_AZ_03 } from './kl-az-03-certificate';
import { KL_AZ_04 } from './kl-az-04-provider-login';
import { KL_GCP_01 } from './kl-gcp-01-service-account-key';
import { KL_GCP_02 } from './kl-gcp-02-hmac-key';
import { KL_GCP_03 } from './kl-gcp-03-pool-provider-condition';
import { KL_SF_01 } from './kl-sf-01-password';
import { KL_SF_02 } from './kl-sf-02-key-pair';
import { KL_SF_03 } from './kl-sf-03-programmatic-access-token';
import { KL_SF_04 } from './kl-sf-04-legacy-service-user';
import { KL_SF_05 } from './kl-sf-05-authentication-policy';
import { KL_SF_06 } from './kl-sf-06-sql-credential';
import { KL_SF_07 } from './kl-sf-07-provider-login';
import { KL_TR_01 } from './kl-tr-01-oidc-audience';
import { KL_TR_02 } from './kl-tr-02-oidc-subject';
import { KL_TR_03 } from './kl-tr-03-minting-audience';
import { KL_TR_04 } from './kl-tr-04-token-lifetime';
import { KL_TR_05 } from './kl-tr-05-federated-credential';

export {
  KL_AWS_01, KL_AWS_02, KL_AWS_03, KL_AWS_05, KL_AWS_06,
  KL_SF_01, KL_SF_02, KL_SF_03, KL_SF_04, KL_SF_05, KL_SF_06, KL_SF_07,
  KL_AZ_01, KL_AZ_02, KL_AZ_03, KL_AZ_04,
  KL_TR_01, KL_TR_02, KL_TR_03, KL_TR_04, KL_TR_05,
  KL_GCP_01, KL_GCP_02, KL_GCP_03,
};

/** Every rule, in catalog order. */
export const CATALOG: readonly Rule[] = Object.freeze([
  KL_AWS_01, KL_AWS_02, KL_AWS_03, KL_AWS_05, KL_AWS_06,
  KL_SF_01, KL_SF_02, KL_SF_03, KL_SF_04, KL_SF_05, KL_SF_06, KL_SF_07,
  KL_AZ_01, KL_AZ_02, KL_AZ_03, KL_AZ_04,
  KL_TR_01, KL_TR_02, KL_TR_03, KL_TR_04, KL_TR_05,
  KL_GCP_01, KL_GCP_02, KL_GCP_03,
]);

const BY_ID = new Map(CATALOG.map((r) => [r.id, r]));

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}
