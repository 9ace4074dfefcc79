import { KL_AWS_03 } from '../../../lib/guardrails/rules/kl-aws-03-user-credentials';
import { check, checkSet, setOf, tf } from './helpers';

describe('KL-AWS-03 other IAM user credentials', () => {
  const user = tf('aws_iam_user', 'bot', { name: 'bot' });

  test('a Bedrock API key (service-specific credential)', () => {
    const cred = tf('aws_iam_service_specific_credential', 'bedrock', { service_name: 'bedrock.amazonaws.com', user_name: '${aws_iam_user.bot.name}' });
    const hits = check(KL_AWS_03, cred, setOf(user, cred));
    expect(hits).toHaveLength(1);
    expect(hits[0].identity).toBe('aws_iam_user.bot');
    expect(hits[0].message).toMatch(/service-specific credential for bedrock\.amazonaws\.com on aws_iam_user\.bot/);
    expect(hits[0].message).toMatch(/Fix: .*IAM role/);
  });

  test('SSH key and signing certificate', () => {
    const set = setOf(
      user,
      tf('aws_iam_user_ssh_key', 'k', { username: '${aws_iam_user.bot.name}', encoding: 'SSH', public_key: 'ssh-rsa AAAA' }),
      tf('aws_iam_signing_certificate', 'c', { user_name: 'bot', certificate_body: '-----BEGIN CERTIFICATE-----' }),
    );
    const hits = checkSet(KL_AWS_03, set);
    expect(hits.map((h) => h.resource)).toEqual(['aws_iam_user_ssh_key.k', 'aws_iam_signing_certificate.c']);
    expect(hits[0].hit.message).toMatch(/an SSH public key/);
    expect(hits[1].hit.message).toMatch(/a signing certificate/);
  });

  test('a plain user is clean', () => {
    expect(checkSet(KL_AWS_03, setOf(user))).toEqual([]);
  });
});
