/**
 * `dynamic "statement"` in `data "aws_iam_policy_document"`, as role modules build trust policies: a statement per
 * switch or per element (`for_each = var.enable_github_oidc ? [1] : []`, `for_each = var.oidc_providers`), conditions
 * added by nested dynamic blocks (`length(var.oidc_subjects) > 0 ? [1] : []`, a list of condition objects). The policy
 * JSON is what the provider renders for the values the call passes; a statement with a `for_each` not known stays
 * unexpanded, with the note.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPath } from '../../../lib/guardrails/normalize/load';
import type { NormalizedSet } from '../../../lib/guardrails/normalize/set';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-dynamic-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function write(files: { [name: string]: string }): void {
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

const PROVIDER_ARN = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

/** A role module in the shape of terraform-aws-modules' iam-role: GitHub OIDC and per-provider OIDC statements behind switches. */
const ROLE_MODULE = {
  'modules/oidc-role/variables.tf': `
variable "name" {
  type = string
}
variable "enable_github_oidc" {
  type    = bool
  default = false
}
variable "oidc_subjects" {
  type    = list(string)
  default = []
}
variable "oidc_providers" {
  type    = list(string)
  default = []
}
variable "trust_conditions" {
  type = list(object({
    test     = string
    variable = string
    values   = list(string)
  }))
  default = []
}
`,
  'modules/oidc-role/main.tf': `
data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Ec2"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = var.enable_github_oidc ? [1] : []
    content {
      sid     = "GithubOidc"
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["${PROVIDER_ARN}"]
      }
      condition {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:aud"
        values   = ["sts.amazonaws.com"]
      }
      dynamic "condition" {
        for_each = length(var.oidc_subjects) > 0 ? [1] : []
        content {
          test     = "StringLike"
          variable = "token.actions.githubusercontent.com:sub"
          values   = var.oidc_subjects
        }
      }
      dynamic "condition" {
        for_each = var.trust_conditions
        iterator = extra
        content {
          test     = extra.value.test
          variable = extra.value.variable
          values   = extra.value.values
        }
      }
    }
  }

  dynamic "statement" {
    for_each = var.oidc_providers
    content {
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["arn:aws:iam::111122223333:oidc-provider/\${statement.value}"]
      }
      condition {
        test     = "StringEquals"
        variable = "\${statement.value}:sub"
        values   = ["system:serviceaccount:etl:loader"]
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
};

async function trustOf(calls: string): Promise<{ set: NormalizedSet; trust: (module: string) => { Statement: unknown[] } }> {
  write({ ...ROLE_MODULE, 'main.tf': calls });
  const [set] = await loadPath(path.join(tmp, 'main.tf'));
  const trust = (module: string): { Statement: unknown[] } => {
    const role = set.resources.find((r) => r.address === `module.${module}.aws_iam_role.this`);
    if (!role) throw new Error(`module.${module}.aws_iam_role.this not in ${set.resources.map((r) => r.address).join(', ')}`);
    return JSON.parse(role.properties.assume_role_policy as string);
  };
  return { set, trust };
}

const EC2 = { Sid: 'Ec2', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } };

describe('dynamic "statement" whose for_each the call decides', () => {
  test('a switched-on GitHub statement with the subjects the call passes, and its extra conditions from a list of objects', async () => {
    const { set, trust } = await trustOf(`
module "deploy" {
  source             = "./modules/oidc-role"
  name               = "deploy"
  enable_github_oidc = true
  oidc_subjects      = ["repo:acme/infra:ref:refs/heads/main", "repo:acme/infra:environment:prod"]
  trust_conditions = [{
    test     = "StringEquals"
    variable = "token.actions.githubusercontent.com:repository_owner"
    values   = ["acme"]
  }]
}
`);
    expect(trust('deploy')).toEqual({
      Version: '2012-10-17',
      Statement: [EC2, {
        Sid: 'GithubOidc',
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: PROVIDER_ARN },
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:repository_owner': 'acme',
          },
          StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/infra:ref:refs/heads/main', 'repo:acme/infra:environment:prod'] },
        },
      }],
    });
    expect(set.notes ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/dynamic "statement"/)]));
  });

  test('switched on without subjects: the statement has no sub condition, as Terraform renders it', async () => {
    const { trust } = await trustOf(`
module "open" {
  source             = "./modules/oidc-role"
  name               = "open"
  enable_github_oidc = true
}
`);
    expect(trust('open')).toEqual({
      Version: '2012-10-17',
      Statement: [EC2, {
        Sid: 'GithubOidc',
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: PROVIDER_ARN },
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
      }],
    });
  });

  test('left at the defaults: no dynamic statement is generated, only the static one', async () => {
    const { trust, set } = await trustOf(`
module "service" {
  source = "./modules/oidc-role"
  name   = "service"
}
`);
    expect(trust('service')).toEqual({ Version: '2012-10-17', Statement: [EC2] });
    expect((set.notes ?? []).filter((n) => n.includes('module.service'))).toEqual([]);
  });

  test('one statement per element of a list, statement.value substituted in the principal and the condition key', async () => {
    const { trust } = await trustOf(`
module "irsa" {
  source         = "./modules/oidc-role"
  name           = "irsa"
  oidc_providers = ["oidc.eks.eu-west-1.amazonaws.com/id/AAAA", "oidc.eks.us-east-1.amazonaws.com/id/BBBB"]
}
`);
    const statement = (host: string) => ({
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${host}` },
      Condition: { StringEquals: { [`${host}:sub`]: 'system:serviceaccount:etl:loader' } },
    });
    expect(trust('irsa').Statement).toEqual([
      EC2, statement('oidc.eks.eu-west-1.amazonaws.com/id/AAAA'), statement('oidc.eks.us-east-1.amazonaws.com/id/BBBB'),
    ]);
  });
});

describe('dynamic "statement" whose for_each is not known', () => {
  test('a nested for_each the call passes from an apply-time value: the statement is not expanded and the note says so', async () => {
    const { trust, set } = await trustOf(`
resource "aws_ssm_parameter" "conditions" {
  name  = "conditions"
  type  = "String"
  value = "[]"
}
module "later" {
  source             = "./modules/oidc-role"
  name               = "later"
  enable_github_oidc = true
  trust_conditions   = aws_ssm_parameter.conditions.value
}
`);
    // a GitHub statement without its extra conditions would be made up: it is left out, and the note names it
    expect(trust('later').Statement).toEqual([EC2]);
    expect(set.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/module\.later\.data\.aws_iam_policy_document\.trust: dynamic "statement" blocks whose for_each is not known statically are not expanded/),
    ]));
  });

  test('a root module: a for_each over a root variable (tfvars decide it) stays unexpanded; a local is known', async () => {
    write({
      'main.tf': `
variable "providers" {
  type    = list(string)
  default = ["oidc.eks.eu-west-1.amazonaws.com/id/AAAA"]
}
locals {
  github = true
  refs   = { main = "repo:acme/infra:ref:refs/heads/main" }
}
data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = var.providers
    content {
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["arn:aws:iam::111122223333:oidc-provider/\${statement.value}"]
      }
    }
  }
  dynamic "statement" {
    for_each = local.github ? local.refs : {}
    iterator = ref
    content {
      sid     = "Github\${ref.key}"
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["${PROVIDER_ARN}"]
      }
      condition {
        test     = "StringEquals"
        variable = "token.actions.githubusercontent.com:sub"
        values   = [ref.value]
      }
    }
  }
}
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
    });
    const [set] = await loadPath(path.join(tmp, 'main.tf'));
    const role = set.resources.find((r) => r.address === 'aws_iam_role.r')!;
    expect(JSON.parse(role.properties.assume_role_policy as string).Statement).toEqual([{
      Sid: 'Githubmain',
      Effect: 'Allow',
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: { Federated: PROVIDER_ARN },
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/infra:ref:refs/heads/main' } },
    }]);
    expect(set.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/data\.aws_iam_policy_document\.trust: dynamic "statement" blocks whose for_each is not known statically are not expanded/),
    ]));
  });
});
