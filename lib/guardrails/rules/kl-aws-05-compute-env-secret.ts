import type { AnalysisContext } from '../analysis';
import { NormalizedResource, Rule, RuleHit } from '../model';
import { NestingError, nestsDeeperThan } from '../nesting';
import { callsTo } from '../normalize/custom-resource';
import { isSecretName, isBenignLiteral, keyShape } from '../policy/secrets';
import { computeRole } from '../policy/sources';
import { interpolations, tfReferences } from '../policy/interpolation';
import { alternatives, cfnReferences, isIntrinsic } from '../policy/intrinsics';
import { asArray, block, blocks, getCi, isObject, Obj } from '../policy/json';
import { origin } from '../policy/origin';
import { flatten, literalFragments, staticString } from '../policy/static-value';

/** One environment variable of a compute resource. */
interface EnvVar {
  readonly name: string;
  readonly value: unknown;
  /** `Lambda environment variable`, `container "app" environment variable`, ... */
  readonly where: string;
}

/**
 * The objects a block may be when deployed: each branch of an `Fn::If` around the whole block is a possible
 * deployment (see `alternatives`); an intrinsic that is not a condition cannot be read.
 */
function objects(value: unknown): Obj[] {
  return alternatives(value).filter((v): v is Obj => isObject(v) && !isIntrinsic(v));
}

function fromMap(map: unknown, where: string): EnvVar[] {
  return objects(map).flatMap((m) => Object.entries(m).map(([name, value]) => ({ name, value, where })));
}

function fromList(list: unknown, where: string, skip?: (entry: Obj) => boolean): EnvVar[] {
  const out: EnvVar[] = [];
  for (const entry of alternatives(list).flatMap(asArray).flatMap(alternatives)) {
    if (!isObject(entry) || isIntrinsic(entry) || (skip && skip(entry))) continue;
    const name = flatten(getCi(entry, 'Name'), '*');
    if (name === undefined) continue;
    out.push({ name, value: getCi(entry, 'Value'), where });
  }
  return out;
}

/** Container definitions: a list (CloudFormation, or Terraform after jsonencode) or a JSON string (Terraform). */
function containers(value: unknown): Obj[] {
  if (typeof value === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
    // The values are walked recursively: too deep is "could not be checked" (an error finding), never a stack overflow.
    if (nestsDeeperThan(parsed)) throw new NestingError('the container definitions JSON');
    return asArray(parsed).filter(isObject);
  }
  return alternatives(value).flatMap(asArray).flatMap(objects);
}

function containerVars(defs: unknown, label: string): EnvVar[] {
  return containers(defs).flatMap((c) => {
    const name = staticString(getCi(c, 'Name'));
    return fromList(getCi(c, 'Environment'), `${label}${name ? ` "${name}"` : ''} environment variable`);
  });
}

const notPlaintext = (e: Obj): boolean => {
  const type = staticString(getCi(e, 'Type'));
  return type !== undefined && type.toUpperCase() !== 'PLAINTEXT';
};

/** Environment variables of the compute resource types this rule knows. */
export function environmentVariables(resource: NormalizedResource): EnvVar[] {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::Lambda::Function':
    case 'AWS::Serverless::Function':
      return objects(p.Environment).flatMap((env) => fromMap(env.Variables, 'Lambda environment variable'));
    case 'aws_lambda_function':
      return fromMap(block(p.environment)?.variables, 'Lambda environment variable');
    case 'AWS::ECS::TaskDefinition':
    case 'aws_ecs_task_definition':
      return containerVars(p.ContainerDefinitions ?? p.container_definitions, 'container');
    case 'AWS::Batch::JobDefinition': {
      const tasks = objects(p.EcsProperties).flatMap((ecs) => alternatives(ecs.TaskProperties).flatMap(asArray).flatMap(objects));
      return [
        ...objects(p.ContainerProperties).flatMap((cp) => fromList(cp.Environment, 'Batch job environment variable')),
        ...tasks.flatMap((t) => containerVars(t.Containers, 'Batch container')),
      ];
    }
    case 'aws_batch_job_definition': {
      const cp = typeof p.container_properties === 'string' ? containers(`[${p.container_properties}]`)[0] : block(p.container_properties);
      return fromList(cp ? getCi(cp, 'environment') : undefined, 'Batch job environment variable');
    }
    case 'AWS::AppRunner::Service': {
      const sc = objects(p.SourceConfiguration);
      const image = sc.flatMap((c) => objects(c.ImageRepository)).flatMap((r) => objects(r.ImageConfiguration));
      const code = sc.flatMap((c) => objects(c.CodeRepository)).flatMap((r) => objects(r.CodeConfiguration)).flatMap((c) => objects(c.CodeConfigurationValues));
      return [...image, ...code].flatMap((c) => fromList(c.RuntimeEnvironmentVariables, 'App Runner environment variable'));
    }
    case 'aws_apprunner_service': {
      const sc = block(p.source_configuration);
      const image = block(block(sc?.image_repository)?.image_configuration);
      const code = block(block(block(sc?.code_repository)?.code_configuration)?.code_configuration_values);
      return [
        ...fromMap(image?.runtime_environment_variables, 'App Runner environment variable'),
        ...fromMap(code?.runtime_environment_variables, 'App Runner environment variable'),
      ];
    }
    case 'AWS::CodeBuild::Project':
      return objects(p.Environment).flatMap((env) => fromList(env.EnvironmentVariables, 'CodeBuild environment variable', notPlaintext));
    case 'aws_codebuild_project':
      return blocks(block(p.environment)?.environment_variable)
        .filter((e) => !notPlaintext(e))
        .map((e) => ({ name: String(e.name ?? '*'), value: e.value, where: 'CodeBuild environment variable' }));
    default:
      return [];
  }
}

/** The IAM access key whose secret a value injects (`Fn::GetAtt [Key, SecretAccessKey]`, `${aws_iam_access_key.k.secret}`). */
function accessKeySecret(value: unknown, context: AnalysisContext): string | undefined {
  for (const ref of cfnReferences(value)) {
    if (ref.attribute === 'SecretAccessKey') return ref.id;
  }
  const strings = typeof value === 'string' ? [value] : [];
  for (const s of strings) {
    for (const expr of interpolations(s)) {
      for (const ref of tfReferences(expr, context)) {
        if (ref.address.startsWith('aws_iam_access_key.') && (ref.attribute === 'secret' || ref.attribute === 'ses_smtp_password_v4')) return ref.address;
      }
    }
  }
  return undefined;
}

/** Response fields of IAM calls that return a long-lived secret, and the calls that return them. */
const RETURNED_SECRETS = new Set(['SecretAccessKey', 'ServicePassword', 'ServiceCredentialSecret']);
const RETURNING_CALLS = ['createaccesskey', 'createservicespecificcredential', 'resetservicespecificcredential'];

/**
 * The custom resource whose IAM call returned the secret a value injects: `Fn::GetAtt [KeyCall, AccessKey.SecretAccessKey]`
 * (what `AwsCustomResource.getResponseField` writes), with the call it makes.
 */
function returnedSecret(value: unknown, context: AnalysisContext): string | undefined {
  for (const ref of cfnReferences(value)) {
    const field = ref.attribute?.split('.').pop();
    if (field === undefined || !RETURNED_SECRETS.has(field)) continue;
    const source = context.resource(ref.id);
    const group = source ? callsTo(source, 'iam', RETURNING_CALLS, context)[0] : undefined;
    if (source && group) return `the secret that custom resource ${source.address}'s ${group.call.service} ${group.call.action} call returns (${ref.attribute})`;
  }
  return undefined;
}

const WHY = 'a static secret in a compute environment is readable by anyone who can read the function or task configuration, lives until someone rotates it, and keeps working after the workload moves to federation';

/** KL-AWS-05: a static credential in a compute environment. */
export const KL_AWS_05: Rule = {
  id: 'KL-AWS-05',
  severity: 'error',
  category: 'credential',
  title: 'static credential in a compute environment',
  fix: 'Delete the variable and let the workload mint a short-lived token with its own role: grant sts:GetWebIdentityToken bound to the target\'s audience and register the account\'s issuer with the target (Snowflake, Entra, OpenAI, Anthropic). If the service cannot federate yet, keep only a Secrets Manager ARN in the environment and read the secret at run time.',
  appliesTo: [
    'AWS::Lambda::Function', 'AWS::Serverless::Function', 'AWS::ECS::TaskDefinition', 'AWS::Batch::JobDefinition', 'AWS::AppRunner::Service', 'AWS::CodeBuild::Project',
    'aws_lambda_function', 'aws_ecs_task_definition', 'aws_batch_job_definition', 'aws_apprunner_service', 'aws_codebuild_project',
  ],
  reads: {
    'AWS::Lambda::Function': ['Environment'], 'AWS::Serverless::Function': ['Environment'], 'AWS::ECS::TaskDefinition': ['ContainerDefinitions'],
    'AWS::Batch::JobDefinition': ['ContainerProperties', 'EcsProperties'], 'AWS::AppRunner::Service': ['SourceConfiguration'], 'AWS::CodeBuild::Project': ['Environment'],
    aws_lambda_function: ['environment'], aws_ecs_task_definition: ['container_definitions'], aws_batch_job_definition: ['container_properties'],
    aws_apprunner_service: ['source_configuration'], aws_codebuild_project: ['environment'],
  },
  check(resource, context) {
    if (resource.kind !== 'resource') return [];
    const hits: RuleHit[] = [];
    // The role is only needed on a hit: most compute resources have none, and finding it walks the role reference.
    let identityOf: { identity?: string } | undefined;
    const identity = (): { identity?: string } => {
      if (!identityOf) {
        const role = computeRole(resource, context);
        identityOf = role ? { identity: role } : {};
      }
      return identityOf;
    };
    // Both branches of an Fn::If around a block may name the same variable: one finding per message.
    const seen = new Set<string>();
    const push = (hit: RuleHit): void => {
      if (seen.has(hit.message)) return;
      seen.add(hit.message);
      hits.push(hit);
    };
    for (const v of environmentVariables(resource)) {
      const at = `${v.where} ${v.name} of ${resource.address}`;
      const shape = literalFragments(v.value, context.set).map(keyShape).find((s) => s !== undefined);
      if (shape) {
        push({ message: `${at} holds ${shape} (value not shown): ${WHY}. Fix: ${KL_AWS_05.fix}`, ...identity() });
        continue;
      }
      const key = accessKeySecret(v.value, context);
      if (key) {
        const known = context.resource(key) ? key : `access key ${key}`;
        push({ message: `${at} injects the secret of IAM access key ${known}: ${WHY}. Fix: ${KL_AWS_05.fix}`, ...identity() });
        continue;
      }
      const returned = returnedSecret(v.value, context);
      if (returned) {
        push({ message: `${at} injects ${returned}: ${WHY}. Fix: ${KL_AWS_05.fix}`, ...identity() });
        continue;
      }
      if (!isSecretName(v.name, context)) continue;
      const o = origin(v.value, resource, context);
      if (o.kind === 'literal' && !isBenignLiteral(o.text)) {
        push({ message: `${at} holds a literal secret (value not shown): ${WHY}. Fix: ${KL_AWS_05.fix}`, ...identity() });
      } else if (o.kind === 'parameter') {
        push({ message: `${at} is set from the parameter ${o.name}, i.e. a secret typed in at deploy time and stored in the ${resource.engine === 'cloudformation' ? 'stack' : 'state'}: ${WHY}. Fix: ${KL_AWS_05.fix}`, ...identity() });
      }
    }
    return hits;
  },
};
