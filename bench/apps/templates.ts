/**
 * Generated inputs for B4 (`keyless check`): a Terraform JSON configuration of N resources and CloudFormation
 * templates of M resources, with a realistic mix: IAM roles whose trust and permission policies are JSON strings
 * (Terraform) or objects (CloudFormation), Lambda functions with environment variables, buckets, queues,
 * security groups, Snowflake users and Entra federated credentials, and about 2 % credential resources so that
 * rules fire (access keys, passwords, a literal API key in an environment, an OIDC trust with a wildcard subject,
 * a ForAnyValue token grant).
 */
import { ACCOUNT, ISSUER } from './plan';

const GITHUB = 'token.actions.githubusercontent.com';

function trustLambda(): object {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
}

function trustGithub(sub: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GITHUB}:sub`]: sub } },
    }],
  };
}

function appPolicy(i: number, table: unknown): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: table },
      { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::data-bucket-${i}/*` },
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/fn-${i}:*` },
    ],
  };
}

function tokenPolicy(loose: boolean): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Action: 'sts:GetWebIdentityToken',
      Resource: '*',
      Condition: loose
        ? { 'ForAnyValue:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] } }
        : {
          'ForAllValues:StringEquals': { 'sts:IdentityTokenAudience': ['snowflakecomputing.com'] },
          'Null': { 'sts:IdentityTokenAudience': 'false' },
          'StringEquals': { 'sts:SigningAlgorithm': 'ES384' },
          'NumericLessThanEqualsIfExists': { 'sts:DurationSeconds': '300' },
        },
    }],
  };
}

type TfBlocks = { [type: string]: { [name: string]: object } };

/** A Terraform JSON configuration (`*.tf.json`) with `resources` resources (a multiple of 100 is exact). */
export function terraformConfig(resources: number): object {
  const resource: TfBlocks = {};
  const add = (type: string, name: string, body: object) => {
    (resource[type] ??= {})[name] = body;
  };
  let count = 0;
  for (let g = 0; count < resources; g++) {
    // One group = 100 resources.
    const block: [string, string, object][] = [];
    for (let k = 0; k < 20; k++) {
      const i = g * 20 + k;
      const oidc = k % 4 === 0;
      const trust = oidc ? trustGithub(k === 0 && g % 2 === 0 ? 'repo:*' : `repo:example-org/service-${i}:ref:refs/heads/main`) : trustLambda();
      block.push(['aws_iam_role', `role_${i}`, { name: `role-${i}`, path: '/workloads/', assume_role_policy: JSON.stringify(trust), tags: { team: `team-${i % 7}` } }]);
      const token = k % 4 === 1;
      const doc = token ? tokenPolicy(k === 1 && g % 2 === 1) : appPolicy(i, `\${aws_dynamodb_table.table_${i % 50}.arn}`);
      block.push(['aws_iam_role_policy', `policy_${i}`, { name: `policy-${i}`, role: `\${aws_iam_role.role_${i}.id}`, policy: JSON.stringify(doc) }]);
    }
    for (let k = 0; k < 15; k++) {
      const i = g * 15 + k;
      const variables: { [k: string]: string } = { LOG_LEVEL: 'info', TABLE_NAME: `table-${i}`, POWERTOOLS_SERVICE_NAME: `svc-${i}` };
      if (k === 0 && g % 2 === 0) variables.PAYMENT_API_KEY = `sk_live_${'9'.repeat(24)}${i}`;
      block.push(['aws_lambda_function', `fn_${i}`, {
        function_name: `fn-${i}`, role: `\${aws_iam_role.role_${g * 20 + k}.arn}`, handler: 'index.handler', runtime: 'nodejs20.x',
        filename: 'dist/fn.zip', memory_size: 512, timeout: 30, environment: [{ variables }],
      }]);
    }
    for (let k = 0; k < 10; k++) {
      const i = g * 10 + k;
      block.push(['aws_s3_bucket', `bucket_${i}`, { bucket: `data-bucket-${i}`, tags: { team: `team-${i % 7}` } }]);
      block.push(['aws_security_group', `sg_${i}`, {
        name: `sg-${i}`, vpc_id: '${aws_vpc.main.id}',
        ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'], description: 'https', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }],
      }]);
    }
    for (let k = 0; k < 5; k++) {
      const i = g * 5 + k;
      block.push(['snowflake_service_user', `svc_${i}`, { name: `SVC_${i}`, comment: 'workload identity only' }]);
      block.push(['snowflake_execute', `wif_${i}`, {
        execute: `ALTER USER \${snowflake_service_user.svc_${i}.fully_qualified_name} SET WORKLOAD_IDENTITY = (TYPE = AWS ARN = 'arn:aws:iam::${ACCOUNT}:role/workloads/role-${i}' ISSUER = '${ISSUER}')`,
        revert: `ALTER USER IF EXISTS \${snowflake_service_user.svc_${i}.fully_qualified_name} UNSET WORKLOAD_IDENTITY`,
      }]);
      block.push(['azuread_application_federated_identity_credential', `fic_${i}`, {
        application_id: `\${azuread_application.app_${Math.floor(i / 20)}.id}`, display_name: `wl-${i}`, issuer: ISSUER,
        subject: `arn:aws:iam::${ACCOUNT}:role/workloads/role-${i}`, audiences: ['api://AzureADTokenExchange'],
      }]);
      block.push(['aws_sqs_queue', `queue_${i}`, { name: `queue-${i}`, visibility_timeout_seconds: 60 }]);
    }
    for (let k = 0; k < 3; k++) {
      const i = g * 3 + k;
      block.push(['aws_secretsmanager_secret', `secret_${i}`, { name: `app/secret-${i}`, recovery_window_in_days: 7 }]);
    }
    // Credentials (2 per 100): an access key and, alternately, a Snowflake password or an Entra application password.
    block.push(['aws_iam_access_key', `key_${g}`, { user: `legacy-user-${g}` }]);
    if (g % 2 === 0) block.push(['snowflake_user', `legacy_${g}`, { name: `LEGACY_${g}`, password: '${var.snowflake_password}' }]);
    else block.push(['azuread_application_password', `pw_${g}`, { application_id: `\${azuread_application.app_${Math.floor(g / 20)}.id}`, display_name: 'ci' }]);
    for (const [type, name, body] of block) {
      if (count >= resources) break;
      add(type, name, body);
      count++;
    }
  }
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '6.25.0' }, snowflake: { source: 'snowflakedb/snowflake', version: '2.11.0' }, azuread: { source: 'hashicorp/azuread', version: '3.7.0' } } },
    provider: { aws: [{ region: 'eu-west-1' }], snowflake: [{ organization_name: 'org', account_name: 'acct', authenticator: 'WORKLOAD_IDENTITY' }], azuread: [{ use_oidc: true }] },
    resource,
  };
}

/** A CloudFormation template (as `cdk synth` writes it) with `resources` resources (a multiple of 48 is exact). */
export function cloudFormationTemplate(index: number, resources: number): object {
  const out: { [id: string]: object } = {};
  const meta = (id: string) => ({ 'aws:cdk:path': `Stack${index}/${id}/Resource` });
  let count = 0;
  const add = (id: string, body: object) => {
    if (count < resources) out[id] = { ...body, Metadata: meta(id) };
    count++;
  };
  for (let g = 0; count < resources; g++) {
    // One group = 48 resources.
    for (let k = 0; k < 12; k++) {
      const i = g * 12 + k;
      const oidc = k % 4 === 0;
      add(`Role${i}`, {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: oidc ? trustGithub(k === 0 && g % 4 === 0 ? 'repo:example-org*' : `repo:example-org/svc-${i}:environment:prod`) : trustLambda(),
          Path: '/workloads/',
          Policies: [{ PolicyName: 'app', PolicyDocument: appPolicy(i, { 'Fn::GetAtt': [`Table${i % 10}`, 'Arn'] }) }],
        },
      });
    }
    for (let k = 0; k < 6; k++) {
      const i = g * 6 + k;
      add(`TokenPolicy${i}`, {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: `tokens-${i}`, Roles: [{ Ref: `Role${g * 12 + k}` }], PolicyDocument: tokenPolicy(k === 0 && g % 4 === 1) },
      });
    }
    for (let k = 0; k < 12; k++) {
      const i = g * 12 + k;
      const variables: { [k: string]: unknown } = { LOG_LEVEL: 'info', TABLE_NAME: { Ref: `Table${i % 10}` }, QUEUE_URL: { Ref: `Queue${i % 6}` } };
      if (k === 0 && g % 4 === 2) variables.DB_PASSWORD = 'hunter2-correct-horse';
      add(`Function${i}`, {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' }, S3Key: `${'a'.repeat(64)}.zip` },
          Role: { 'Fn::GetAtt': [`Role${i}`, 'Arn'] }, Handler: 'index.handler', Runtime: 'nodejs20.x', MemorySize: 512, Timeout: 30,
          Environment: { Variables: variables },
        },
      });
    }
    for (let k = 0; k < 6; k++) {
      const i = g * 6 + k;
      add(`Bucket${i}`, { Type: 'AWS::S3::Bucket', Properties: { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] }, VersioningConfiguration: { Status: 'Enabled' } } });
      add(`Queue${i}`, { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60, KmsMasterKeyId: 'alias/aws/sqs' } });
    }
    for (let k = 0; k < 4; k++) {
      const i = g * 4 + k;
      add(`Secret${i}`, {
        Type: 'AWS::SecretsManager::Secret',
        Properties: k === 0 && g % 4 === 3
          ? { Name: `app/literal-${i}`, SecretString: '{"password":"Sup3rS3cret!"}' }
          : { Name: `app/generated-${i}`, GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: 'password', ExcludePunctuation: true } },
      });
    }
    for (let k = 0; k < 2; k++) {
      const i = g * 2 + k;
      add(`Table${i}`, { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } });
    }
    add(`LegacyKey${g}`, { Type: 'AWS::IAM::AccessKey', Properties: { UserName: `legacy-${g}` } });
    add(`Topic${g}`, { Type: 'AWS::SNS::Topic', Properties: { TopicName: `topic-${g}` } });
    add(`LogGroup${g}`, { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    add(`Alarm${g}`, { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum', Period: 60 } });
  }
  return {
    Resources: out,
    Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } },
  };
}
