import { NormalizedResource, RuleContext, Rule, RuleHit } from '../model';
import { isBenignLiteral, isSecretName, keyShape } from '../policy/secrets';
import { Origin, flatten, literalFragments, origin, staticString } from '../policy/values';

const WHY = 'the secret is written in the template/configuration (and so in source control, build artifacts and state), never rotates on its own, and is a static credential that outlives any federated path';

function describeOrigin(o: Origin, engine: NormalizedResource['engine']): string | undefined {
  if (o.kind === 'literal') return 'a literal value';
  if (o.kind === 'parameter') return `the ${engine === 'cloudformation' ? 'parameter' : 'variable'} ${o.name}, a secret typed in at deploy time`;
  return undefined;
}

function secretsManager(resource: NormalizedResource, context: RuleContext): RuleHit[] {
  const p = resource.properties;
  const fields = resource.engine === 'cloudformation' ? ['SecretString'] : ['secret_string', 'secret_binary', 'secret_string_wo'];
  const hits: RuleHit[] = [];
  for (const field of fields) {
    const o = origin(p[field], resource, context.set);
    const what = describeOrigin(o, resource.engine);
    if (!what || (o.kind === 'literal' && o.text.trim() === '')) continue;
    hits.push({
      message: `${resource.address} stores ${what} in ${field} (value not shown): ${WHY}. Fix: ${KL_AWS_06.fix}`,
    });
  }
  return hits;
}

function ssmParameter(resource: NormalizedResource, context: RuleContext): RuleHit[] {
  const p = resource.properties;
  const cfn = resource.engine === 'cloudformation';
  const type = (staticString(cfn ? p.Type : p.type) ?? 'String').toLowerCase();
  const name = flatten(cfn ? p.Name : p.name, ' ') ?? '';
  const hits: RuleHit[] = [];
  const fields = cfn ? ['Value'] : ['value', 'insecure_value', 'value_wo'];
  for (const field of fields) {
    const value = p[field];
    const o = origin(value, resource, context.set);
    if (o.kind !== 'literal' && o.kind !== 'parameter') continue;
    if (o.kind === 'literal' && o.text.trim() === '') continue;
    const shape = literalFragments(value).map(keyShape).find((s) => s !== undefined);
    if (type === 'securestring') {
      hits.push({ message: `SecureString parameter ${resource.address} is set from ${describeOrigin(o, resource.engine)} in ${field} (value not shown): ${WHY}. Fix: ${KL_AWS_06.fix}` });
    } else if (shape) {
      hits.push({ message: `parameter ${resource.address} (type ${type === 'stringlist' ? 'StringList' : 'String'}, not even encrypted) holds ${shape} in ${field} (value not shown): ${WHY}. Fix: ${KL_AWS_06.fix}` });
    } else if (isSecretName(name) && (o.kind === 'parameter' || !isBenignLiteral(o.text))) {
      hits.push({ message: `parameter ${resource.address} is named like a secret (${JSON.stringify(name.trim())}) and holds ${describeOrigin(o, resource.engine)} in ${field}, unencrypted (value not shown): ${WHY}. Fix: ${KL_AWS_06.fix}` });
    }
  }
  return hits;
}

/** KL-AWS-06: a plaintext secret literal in a secret store resource. */
export const KL_AWS_06: Rule = {
  id: 'KL-AWS-06',
  severity: 'error',
  title: 'plaintext secret literal in a secret store resource',
  fix: 'Replace the credential with federation (the workload mints a short-lived token with its role). Where a stored secret is still needed, let the store generate it (GenerateSecretString, random_password) and rotate it; never write the value into the template.',
  appliesTo: ['AWS::SecretsManager::Secret', 'AWS::SSM::Parameter', 'aws_secretsmanager_secret_version', 'aws_ssm_parameter'],
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    if (resource.type === 'AWS::SecretsManager::Secret' || resource.type === 'aws_secretsmanager_secret_version') return secretsManager(resource, context);
    return ssmParameter(resource, context);
  },
};
