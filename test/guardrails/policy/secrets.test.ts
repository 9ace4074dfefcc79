import { isBenignLiteral, isSecretName, keyShape, nameWords } from '../../../lib/guardrails/policy/secrets';

describe('isSecretName', () => {
  test.each(['DB_PASSWORD', 'dbPassword', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GITHUB_TOKEN', 'CLIENT_SECRET', 'AWS_SECRET_ACCESS_KEY', 'SNOWFLAKE_PRIVATE_KEY', 'apiKey', 'APIKEY', 'SLACK_BOT_TOKEN', 'SERVICE_CREDENTIALS', 'DB_PASS', 'PRIVATE_KEY_PASSPHRASE', 'STRIPE_SECRET_KEY', 'DB_USER_PASSWORD', 'SNOWFLAKE_PAT'])('%s names a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each(['KEYLESS_SNOWFLAKE_AUDIENCE', 'TOKEN_AUDIENCE', 'SECRET_ARN', 'PASSWORD_SECRET_NAME', 'TOKEN_DURATION_SECONDS', 'MAX_TOKENS', 'AWS_ACCESS_KEY_ID', 'KMS_KEY_ID', 'CACHE_KEY', 'S3_KEY', 'PARTITION_KEY', 'TOKEN_URL', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'SECRET_ID', 'DB_HOST', 'LOG_LEVEL', 'TOKEN_ENDPOINT', 'OPENAI_API_KEY_SECRET_ARN', 'PASSWORD_POLICY'])('%s does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  test.each(['MYSECRET', 'DBPASSWORD', 'githubtoken', '/app/MYSECRET', 'SNOWFLAKEPRIVATEKEY'])('%s (secret words run together in one case) names a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each(['key', 'KEY', 'Key', 'COMPASS', 'BYPASS', 'MAXTOKENS', 'MAXTOKEN', 'TOKENIZER', 'PASSWORDLESS'])('%s (a bare key, or a word that only contains a short secret word) does not', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  test('nameWords splits camelCase, snake, kebab and paths', () => {
    expect(nameWords('openAIApiKey')).toEqual(['OPEN', 'AI', 'API', 'KEY']);
    expect(nameWords('/prod/db-password')).toEqual(['PROD', 'DB', 'PASSWORD']);
  });
});

describe('keyShape', () => {
  test.each([
    ['AKIAIOSFODNN7EXAMPLE', /AWS access key/],
    ['ASIAY34FZKBOKMUTVV7A', /AWS access key/],
    ['sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123', /Anthropic/],
    ['sk-proj-abcdefghijklmnopqrstuvwxyz0123', /OpenAI API key/],
    ['sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD', /OpenAI-style/],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', /GitHub/],
    ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', /GitHub/],
    ['xoxb-1234567890-abcdefghij', /Slack/],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE...', /private key/],
    ['-----BEGIN ENCRYPTED PRIVATE KEY-----', /private key/],
    ['-----BEGIN PRIVATE KEY-----', /private key/],
    ['postgres://app:s3cret@db.internal:5432/app', /URL with a password/],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJldGwifQ.abcdefghijklmnopqrstuvwxyz', /JWT/],
    ['sk_live_abcdefghijklmnop1234', /Stripe/],
  ])('%s', (value, label) => {
    expect(keyShape(value)).toMatch(label);
  });

  test.each([
    'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf',
    'snowflakecomputing.com',
    'api://AzureADTokenExchange',
    'https://api.openai.com/v1',
    'postgres://db.internal:5432/app',
    'postgres://app@db.internal:5432/app',
    'sk-learn',
    'task-123',
    'AKIA',
    'my-skill-set',
    '-----BEGIN PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----',
  ])('%s is not a key', (value) => {
    expect(keyShape(value)).toBeUndefined();
  });
});

describe('isBenignLiteral', () => {
  test.each(['', '300', 'true', 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x', '{{resolve:secretsmanager:x}}', 'https://example.com/token', '/prod/db/password'])('%j is configuration', (v) => {
    expect(isBenignLiteral(v)).toBe(true);
  });
  test.each(['hunter2', 'changeme', 'postgres://a:b@h/db'])('%j may be a secret', (v) => {
    expect(isBenignLiteral(v)).toBe(false);
  });
});
