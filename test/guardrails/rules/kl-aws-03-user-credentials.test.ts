import { KL_AWS_03 } from '../../../lib/guardrails/rules/kl-aws-03-user-credentials';
import { sdkCall } from './custom-resource-fixtures';
import { cfn, check, checkSet, setOf, tf } from './helpers';

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

describe('KL-AWS-03 through custom resources (user credentials created at deploy time)', () => {
  test('createServiceSpecificCredential (a Bedrock API key), uploadSSHPublicKey, uploadSigningCertificate: one finding each', () => {
    const user = cfn('AWS::IAM::User', 'Bot');
    const bedrock = sdkCall('BedrockKey', 'IAM', 'createServiceSpecificCredential', { UserName: { Ref: 'Bot' }, ServiceName: 'bedrock.amazonaws.com' }, ['Create']);
    const ssh = sdkCall('Ssh', '@aws-sdk/client-iam', 'UploadSSHPublicKeyCommand', { UserName: 'bot', SSHPublicKeyBody: 'ssh-ed25519 AAAA' }, ['Create']);
    const cert = sdkCall('Cert', 'iam', 'uploadSigningCertificate', { UserName: 'bot', CertificateBody: '-----BEGIN CERTIFICATE-----' }, ['Create']);
    const set = setOf(user, bedrock, ssh, cert);
    const hits = checkSet(KL_AWS_03, set);
    expect(hits.map((h) => h.resource)).toEqual(['BedrockKey', 'Ssh', 'Cert']);
    expect(hits[0].hit.message).toMatch(/it creates a service-specific credential for bedrock\.amazonaws\.com on IAM user Bot at deploy time.*response data/);
    expect(hits[0].hit.identity).toBe('Bot');
    expect(hits[1].hit.message).toMatch(/it creates an SSH public key on IAM user "bot"/);
    expect(hits[2].hit.message).toMatch(/a signing certificate.*Fix: Remove the user credential/);
  });

  test('clean: listing or deleting service-specific credentials', () => {
    const set = setOf(
      sdkCall('List', 'IAM', 'listServiceSpecificCredentials', { UserName: 'bot' }),
      sdkCall('Del', 'IAM', 'deleteServiceSpecificCredential', { UserName: 'bot', ServiceSpecificCredentialId: 'x' }, ['Delete']),
    );
    expect(checkSet(KL_AWS_03, set)).toEqual([]);
  });
});
