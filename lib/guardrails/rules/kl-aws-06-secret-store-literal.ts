import type { AnalysisContext } from '../analysis';
import { NormalizedResource, Rule, RuleHit } from '../model';
import {
  CUSTOM_RESOURCE_TYPES, CustomResourceCall, REQUEST_EXPOSURE, callsTo, customResourceCalls, describeCall, isCustomResourceType,
} from '../normalize/custom-resource';
import { isBenignLiteral, isSecretName, keyShape } from '../policy/secrets';
import { alternatives, isIntrinsic } from '../policy/intrinsics';
import { isObject } from '../policy/json';
import { Origin, origin } from '../policy/origin';
import { flatten, literalFragments, staticString } from '../policy/static-value';

const WHY = 'the secret is written in the template/configuration (and so in source control, build artifacts and state), never rotates on its own, and is a static credential that outlives any federated path';
/** Why a secret typed in as a parameter is a fallback: it is not in the template, so the template's WHY would be wrong. */
const PARAMETER_WHY: Record<NormalizedResource['engine'], string> = {
  cloudformation: 'the secret is typed in by whoever deploys the stack and handed to CloudFormation as a stack parameter (NoEcho only masks it in the '
    + 'console and API output), nothing rotates it, and it is a static credential that outlives any federated path',
  terraform: 'the secret is typed in (or kept in a tfvars file) by whoever applies the configuration and is stored in plain text in the state, '
    + 'nothing rotates it, and it is a static credential that outlives any federated path',
};

/** Why a value written to a secret store resource is a fallback, by where it comes from. */
const storeWhy = (o: Origin, engine: NormalizedResource['engine']): string => (o.kind === 'parameter' ? PARAMETER_WHY[engine] : WHY);

function describeOrigin(o: Origin, engine: NormalizedResource['engine']): string | undefined {
  if (o.kind === 'literal') return 'a literal value';
  if (o.kind === 'parameter') {
    return `the ${engine === 'cloudformation' ? 'parameter' : 'variable'} ${o.name}${o.noEcho ? ' (NoEcho)' : ''}, a secret typed in at deploy time`;
  }
  return undefined;
}

/** Why a finding is a fallback, given where its value comes from. */
type Why = (o: Origin, engine: NormalizedResource['engine']) => string;

/** A value written to a secret store, and the name it goes by in the message. */
interface Field {
  readonly field: string;
  readonly value: unknown;
}

/**
 * Secrets Manager values (`SecretString`, `secret_string`, ... or the same parameters of an SDK call): a literal or a
 * parameter is a finding; a dynamic reference or a value from another resource is not. `subject` starts the message.
 */
function secretValues(subject: string, fields: readonly Field[], resource: NormalizedResource, context: AnalysisContext, why: Why): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { field, value } of fields) {
    const o = origin(value, resource, context);
    const what = describeOrigin(o, resource.engine);
    if (!what || (o.kind === 'literal' && o.text.trim() === '')) continue;
    hits.push({ message: `${subject} stores ${what} in ${field} (value not shown): ${why(o, resource.engine)}. Fix: ${KL_AWS_06.fix}` });
  }
  return hits;
}

function secretsManager(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  const p = resource.properties;
  const fields = resource.engine === 'cloudformation' ? ['SecretString'] : ['secret_string', 'secret_binary', 'secret_string_wo'];
  return secretValues(resource.address, fields.map((field) => ({ field, value: p[field] })), resource, context, storeWhy);
}

/**
 * An SSM parameter's value: a SecureString set from a literal or parameter; a String holding a key-shaped value, or
 * named like a secret and holding a literal or parameter. `prefix` and `who` place it in the message.
 */
function parameterValues(
  prefix: string, who: string, type: string, name: string, fields: readonly Field[], resource: NormalizedResource, context: AnalysisContext, whyOf: Why,
): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { field, value } of fields) {
    const o = origin(value, resource, context);
    if (o.kind !== 'literal' && o.kind !== 'parameter') continue;
    if (o.kind === 'literal' && o.text.trim() === '') continue;
    const why = whyOf(o, resource.engine);
    const shape = literalFragments(value, context.set).map(keyShape).find((s) => s !== undefined);
    if (type === 'securestring') {
      hits.push({ message: `${prefix}SecureString parameter ${who} is set from ${describeOrigin(o, resource.engine)} in ${field} (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
    } else if (shape) {
      hits.push({ message: `${prefix}parameter ${who} (type ${type === 'stringlist' ? 'StringList' : 'String'}, not even encrypted) holds ${shape} in ${field} (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
    } else if (isSecretName(name, context) && (o.kind === 'parameter' || !isBenignLiteral(o.text))) {
      hits.push({ message: `${prefix}parameter ${who} is named like a secret (${JSON.stringify(name.trim())}) and holds ${describeOrigin(o, resource.engine)} in ${field}, unencrypted (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
    }
  }
  return hits;
}

function ssmParameter(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  const p = resource.properties;
  const cfn = resource.engine === 'cloudformation';
  const type = (staticString(cfn ? p.Type : p.type) ?? 'String').toLowerCase();
  const name = flatten(cfn ? p.Name : p.name, ' ') ?? '';
  const fields = (cfn ? ['Value'] : ['value', 'insecure_value', 'value_wo']).map((field) => ({ field, value: p[field] }));
  return parameterValues('', resource.address, type, name, fields, resource, context, storeWhy);
}

const CALL_WHY = 'the secret travels as a parameter of a call made at deploy time (a literal one is written in the template, and so in source control '
  + `and the cloud assembly); ${REQUEST_EXPOSURE}; and it is a static credential that outlives any federated path`;

/** Calls this rule reads parameter by parameter; every other call's parameters get the generic scan. */
const SECRET_STORE_CALLS: Record<string, readonly string[]> = {
  secretsmanager: ['createsecret', 'putsecretvalue', 'updatesecret'],
  ssm: ['putparameter'],
};
/** Calls other rules report whatever they pass (KL-AWS-01/02/03): their password parameter is that finding's business. */
const CREDENTIAL_CALLS: Record<string, readonly string[]> = {
  iam: ['createaccesskey', 'createloginprofile', 'updateloginprofile', 'createservicespecificcredential', 'resetservicespecificcredential', 'uploadsshpublickey', 'uploadsigningcertificate'],
};
const known = (call: CustomResourceCall, table: Record<string, readonly string[]>): boolean => table[call.serviceKey]?.includes(call.actionKey) ?? false;

/** Secrets Manager and SSM calls of a custom resource (`AwsCustomResource`). */
function secretStoreCalls(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { calls } of callsTo(resource, 'secretsmanager', SECRET_STORE_CALLS.secretsmanager, context)) {
    const fields = ['SecretString', 'SecretBinary'].map((field) => ({ field, value: calls.map((c) => c.parameters[field]).find((v) => v !== undefined) }));
    hits.push(...secretValues(`${describeCall(resource, calls)}, which`, fields, resource, context, () => CALL_WHY));
  }
  for (const { calls } of callsTo(resource, 'ssm', SECRET_STORE_CALLS.ssm, context)) {
    const params = calls.find((c) => c.parameters.Value !== undefined)?.parameters ?? calls[0].parameters;
    const type = (staticString(params.Type) ?? 'String').toLowerCase();
    const name = flatten(params.Name, ' ') ?? '';
    const who = staticString(params.Name) !== undefined ? JSON.stringify(params.Name) : '(name known at deploy time)';
    hits.push(...parameterValues(`${describeCall(resource, calls)}: `, who, type, name, [{ field: 'Value', value: params.Value }], resource, context, () => CALL_WHY));
  }
  return hits;
}

const MAX_DEPTH = 6;

/** A custom resource type that creates a user or login on the provider's side (`Custom::SnowflakeUser`, `Custom::DbLogin`). */
const USER_CREATING_TYPE = /^Custom::.*(?:Users?|Logins?)$/;

const USER_PASSWORD_WHY = 'the user it creates has a password (or key) that still exists and does not expire: anyone who can read the secret it comes from, '
  + 'and the provider function CloudFormation hands the resolved value to in plain text, can log in as that user from anywhere, so it is a fallback '
  + 'path next to any federation (keeping the value out of the template does not remove the credential)';

/**
 * Values a custom resource hands to its provider: its properties (besides `ServiceToken` and the calls read above),
 * and the parameters of any other SDK call it makes. A value shaped like a known key is a finding wherever it is; a
 * property named like a secret (`Password`, `PrivateKey`, `ApiToken`) holding a literal or a parameter is a finding.
 * In SDK call parameters only top-level names count (nested names such as Cognito's
 * `TokenValidityUnits.AccessToken: "hours"` are settings, not secrets).
 */
function customResourceValues(resource: NormalizedResource, context: AnalysisContext): RuleHit[] {
  const hits: RuleHit[] = [];
  // A top-level property of a custom resource that creates a user: a password kept elsewhere is still its password.
  const userCreating = USER_CREATING_TYPE.test(resource.type);
  const judge = (where: string, name: string, value: unknown, byName: boolean, why: string, userProperty: boolean): void => {
    const shape = literalFragments(value, context.set).map(keyShape).find((s) => s !== undefined);
    if (shape) {
      hits.push({ message: `${where} holds ${shape} (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
      return;
    }
    if (!byName || !isSecretName(name, context)) return;
    const o = origin(value, resource, context);
    if (o.kind === 'literal' && !isBenignLiteral(o.text)) {
      hits.push({ message: `${where} is named like a secret and holds a literal value (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
    } else if (o.kind === 'parameter') {
      hits.push({ message: `${where} is named like a secret and is set from ${describeOrigin(o, resource.engine)} (value not shown): ${why}. Fix: ${KL_AWS_06.fix}` });
    } else if ((o.kind === 'dynamic-reference' || o.kind === 'reference') && userProperty && alternatives(value).length > 0) {
      const from = o.kind === 'dynamic-reference'
        ? `a ${/\{\{resolve:secretsmanager:/.test(o.text) ? 'Secrets Manager' : 'Parameter Store'} dynamic reference`
        : o.refs.length > 0 ? `${o.refs.length === 1 ? 'the resource' : 'the resources'} ${o.refs.join(', ')}` : 'a value known only at deploy time';
      hits.push({ message: `${where} sets a credential on the user it creates, from ${from} (value not shown): ${USER_PASSWORD_WHY}. Fix: ${USER_FIX}` });
    }
  };
  const walk = (
    value: unknown, path: string, name: string, depth: number, where: (path: string) => string, names: (depth: number) => boolean, why: string, users: boolean,
  ): void => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`, name, depth + 1, where, names, why, users));
    } else if (isObject(value) && !isIntrinsic(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k, k, depth + 1, where, names, why, users);
    } else {
      judge(where(path), name, value, names(depth), why, users && depth === 1);
    }
  };

  const { calls } = customResourceCalls(resource, context);
  // Phases read as calls are judged call by call below; a phase that did not read is still scanned for key shapes.
  const read = new Set<string>(calls.map((c) => c.phase));
  const properties = Object.fromEntries(Object.entries(resource.properties).filter(([k]) => k !== 'ServiceToken' && k !== 'ServiceTimeout' && !read.has(k)));
  const why = 'the secret is a property of the custom resource (a literal one is written in the template, and so in source control and the cloud '
    + 'assembly), the custom resource hands it to its provider function in plain text, and it is a static credential that outlives any federated path';
  walk(properties, '', '', 0, (path) => `custom resource ${resource.address} (${resource.type}) property ${path}`, () => true, why, userCreating);

  const others = calls.filter((c) => !known(c, SECRET_STORE_CALLS) && !known(c, CREDENTIAL_CALLS));
  const seen = new Set<string>();
  for (const call of others) {
    const callsOfAction = others.filter((c) => c.serviceKey === call.serviceKey && c.actionKey === call.actionKey);
    const before = hits.length;
    walk(call.parameters, '', '', 0, (path) => `${describeCall(resource, callsOfAction)} with parameter ${path}`, (depth) => depth === 1, CALL_WHY, false);
    // The same action on Create and Update passes the same parameters: one finding per message.
    const fresh = hits.splice(before).filter((h) => !seen.has(h.message));
    fresh.forEach((h) => seen.add(h.message));
    hits.push(...fresh);
  }
  return hits;
}

const USER_FIX = 'Create the user without a password or key and let the workload federate (Snowflake: TYPE = SERVICE with WORKLOAD_IDENTITY, '
  + 'as SnowflakeWorkloadUser writes it); if the service cannot federate yet, rotate the secret and keep the user\'s other login methods closed.';

/** KL-AWS-06: a plaintext secret literal in a secret store resource, or written by (or handed to) a custom resource. */
export const KL_AWS_06: Rule = {
  id: 'KL-AWS-06',
  severity: 'error',
  category: 'credential',
  title: 'plaintext secret literal in a secret store resource',
  fix: 'Replace the credential with federation (the workload mints a short-lived token with its role). Where a stored secret is still needed, let the store generate it (GenerateSecretString, random_password) and rotate it; never write the value into the template.',
  appliesTo: ['AWS::SecretsManager::Secret', 'AWS::SSM::Parameter', 'aws_secretsmanager_secret_version', 'aws_ssm_parameter', ...CUSTOM_RESOURCE_TYPES],
  reads: {
    'AWS::SecretsManager::Secret': ['SecretString', 'GenerateSecretString'], 'AWS::SSM::Parameter': ['Value'],
    aws_secretsmanager_secret_version: ['secret_string', 'secret_binary', 'secret_string_wo'], aws_ssm_parameter: ['value', 'insecure_value', 'value_wo'],
  },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (isCustomResourceType(resource.type)) {
      if (resource.engine !== 'cloudformation') return [];
      return [...secretStoreCalls(resource, context), ...customResourceValues(resource, context)];
    }
    if (resource.type === 'AWS::SecretsManager::Secret' || resource.type === 'aws_secretsmanager_secret_version') return secretsManager(resource, context);
    return ssmParameter(resource, context);
  },
};
