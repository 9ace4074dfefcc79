import * as fc from 'fast-check';
import { EvaluationScope, evaluateHclExpression, NOT_STATIC, readHclExpression, renderTemplate, singleCallArgument } from '../../../lib/guardrails/normalize/hcl-expression';

describe('readHclExpression', () => {
  test('an IAM trust policy object literal with references, comments and both key styles', () => {
    const text = `{
      Version = "2012-10-17"
      Statement = [{
        Effect    = "Allow"
        Principal = { Federated = aws_iam_openid_connect_provider.gh.arn }
        Action    = "sts:AssumeRoleWithWebIdentity"
        Condition = {
          StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com", "x:n" = 3 }
          # a comment
          StringLike: { "token.actions.githubusercontent.com:sub": "repo:\${var.org}/app:*" } // another
          /* block */ Bool = { "aws:MultiFactorAuthPresent" = true }
        }
      }]
    }`;
    expect(readHclExpression(text)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: '${aws_iam_openid_connect_provider.gh.arn}' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'x:n': 3 },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:${var.org}/app:*' },
          Bool: { 'aws:MultiFactorAuthPresent': true },
        },
      }],
    });
  });

  test('expressions that are not literals become ${...} strings', () => {
    expect(readHclExpression(`[
      var.a ? "x" : "y",
      1 + 2,
      "a" == var.b,
      [for s in var.l : upper(s)],
      {for k, v in var.m : k => v},
      format("%s-%s", var.a, "}"),
      -1.5e2,
      null,
      false,
      local.x[0].y,
      (var.z),
    ]`)).toEqual([
      '${var.a ? "x" : "y"}', '${1 + 2}', '${"a" == var.b}', '${[for s in var.l : upper(s)]}', '${{for k, v in var.m : k => v}}',
      '${format("%s-%s", var.a, "}")}', -150, null, false, '${local.x[0].y}', '${(var.z)}',
    ]);
  });

  test('string escapes are decoded; template sequences and their escapes are kept', () => {
    expect(readHclExpression('"a\\"b\\\\c\\n\\t\\u0041\\U0001F600 ${var.x} $${lit} %%{lit} %{ if var.y }y%{ endif }"'))
      .toBe('a"b\\c\n\tA\u{1F600} ${var.x} $${lit} %%{lit} %{ if var.y }y%{ endif }');
    expect(readHclExpression('"${jsonencode({a = "}"})}"')).toBe('${jsonencode({a = "}"})}');
  });

  test('heredocs, with <<- stripping the common indentation', () => {
    expect(readHclExpression('{ a = <<EOT\n  {"x": 1}\nEOT\n  b = <<-EOF\n    one\n      two\n    EOF\n}'))
      .toEqual({ a: '  {"x": 1}\n', b: 'one\n  two\n' });
  });

  test('keys: identifiers, quoted strings, parenthesized expressions, numbers', () => {
    expect(readHclExpression('{ plain = 1, "quo ted" = 2, (var.k) = 3, 4 = 5, with-dash = 6 }'))
      .toEqual({ 'plain': 1, 'quo ted': 2, '${var.k}': 3, '4': 5, 'with-dash': 6 });
  });

  test('trailing commas and empty collections', () => {
    expect(readHclExpression('{ a = [], b = {}, c = [1, 2,], }')).toEqual({ a: [], b: {}, c: [1, 2] });
  });

  test.each([
    '{ a = "unterminated }',
    '{ a = 1',
    '[1, 2',
    '{ = 1 }',
    '"bad \\q escape"',
    '<<EOT\nno end',
    '{ a = ( }',
    '/* open',
    '',
  ])('unreadable text returns undefined, never throws: %j', (text) => {
    expect(readHclExpression(text)).toBeUndefined();
  });
});

describe('singleCallArgument', () => {
  test.each([
    ['${jsonencode({a = 1})}', '{a = 1}'],
    ['${ jsonencode ( [1] ) }', ' [1] '],
    ['${jsonencode({a = "}"})}', '{a = "}"}'],
    ['${jsonencode({a = "${var.x})"})}', '{a = "${var.x})"}'],
    ['${jsonencode(a)}-${x}', undefined],
    ['p${jsonencode(a)}', undefined],
    ['${jsonencode(a)', undefined],
    ['${jsondecode(a)}', undefined],
    ['${jsonencode(a) + 1}', undefined],
    ['jsonencode(a)', undefined],
  ])('%s → %j', (text, expected) => {
    expect(singleCallArgument(text, 'jsonencode')).toBe(expected);
  });
});

describe('evaluateHclExpression', () => {
  const locals: Record<string, unknown> = {
    sqls: ['SELECT 1', "ALTER USER etl SET PASSWORD = 'x'"],
    user: 'ETL',
    byEnv: { prod: 'PROD_ETL', dev: 'DEV_ETL' },
    role: '${aws_iam_role.etl.arn}',
  };
  const files: Record<string, string> = { 'key.pub': 'MIIBIjANBg\n', './key.pub': 'MIIBIjANBg\n', 'grant.sql.tftpl': 'ALTER USER ${user} SET RSA_PUBLIC_KEY = \'${key}\'', 'loop.tftpl': '%{ for u in users }${u}%{ endfor }' };
  const scope = (notes: string[] = []): EvaluationScope => ({
    local: (name) => locals[name],
    readFile: (path) => {
      if (path in files) return files[path];
      notes.push(`cannot read ${path}`);
      return undefined;
    },
    note: (m) => notes.push(m),
  });

  test.each([
    ['join("-", ["a", "b"], ["c"])', 'a-b-c'],
    ['format("%s-%d-%%-%q", local.user, 3, "x")', 'ETL-3-%-"x"'],
    ['lower(local.user)', 'etl'],
    ['upper("etl_${local.user}")', 'ETL_ETL'],
    ['replace("ALTER USER X", "X", local.user)', 'ALTER USER ETL'],
    ['concat(["a"], local.sqls)', ['a', 'SELECT 1', "ALTER USER etl SET PASSWORD = 'x'"]],
    ['element(local.sqls, 3)', "ALTER USER etl SET PASSWORD = 'x'"],
    ['local.sqls[1]', "ALTER USER etl SET PASSWORD = 'x'"],
    ['local.byEnv["prod"]', 'PROD_ETL'],
    ['local.byEnv.dev', 'DEV_ETL'],
    ['(local.user)', 'ETL'],
    ['trimspace(file("key.pub"))', 'MIIBIjANBg'],
    ['file("${path.module}/key.pub")', 'MIIBIjANBg\n'],
    ['templatefile("grant.sql.tftpl", { user = local.user, key = "MII" })', "ALTER USER ETL SET RSA_PUBLIC_KEY = 'MII'"],
    ['jsonencode({ a = lower("X"), b = var.b })', '{"a":"x","b":"${var.b}"}'],
    // a value only known at apply time stays an interpolation, exactly as Terraform JSON writes it
    ['join(":", ["arn", local.role])', 'arn:${aws_iam_role.etl.arn}'],
  ])('%s', (text, expected) => {
    expect(evaluateHclExpression(text, scope())).toEqual(expected);
  });

  test.each([
    'var.password', 'lower(var.x)', 'join("-", var.list)', 'upper(local.role)', 'local.missing', 'local.sqls[5]', 'element([], 0)',
    'replace("a", "/a/", "b")', 'format("%08.3f", 1)', 'tomap({})', 'local.user == "ETL" ? "a" : "b"', 'aws_iam_role.r.arn',
    '[for s in var.subjects : upper(s)]', 'file(var.path)', 'concat(local.sqls...)', 'lower("a", "b") extra', '(((',
  ])('not statically known: %s', (text) => {
    expect(evaluateHclExpression(text, scope())).toBe(NOT_STATIC);
  });

  describe('for expressions, module variables and list functions (terraform-aws-modules idioms)', () => {
    // what a called module's call passes (or its defaults); a value the caller knows only at apply stays `${...}`
    const moduleVariables: Record<string, unknown> = {
      oidc_subjects: ['repo:acme/infra:ref:refs/heads/main', 'acme/app:environment:prod'],
      policies: { S3ReadOnly: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', Admin: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      create: true,
      off: false,
      audiences: [],
      urls: ['https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA'],
      provider_arn: '${aws_iam_openid_connect_provider.gh.arn}',
      arns: ['${aws_iam_role.a.arn}'],
    };
    const inModule = (): EvaluationScope => ({ ...scope(), variable: (name) => moduleVariables[name] });

    test.each([
      ['[for subject in var.oidc_subjects : "repo:${trimprefix(subject, "repo:")}"]', ['repo:acme/infra:ref:refs/heads/main', 'repo:acme/app:environment:prod']],
      ['{ for k, v in var.policies : k => v if var.create }', { Admin: 'arn:aws:iam::aws:policy/AdministratorAccess', S3ReadOnly: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }],
      ['{ for k, v in var.policies : k => v if var.off }', {}],
      ['[for url in var.urls : replace(url, "https://", "")]', ['oidc.eks.eu-west-1.amazonaws.com/id/AAAA']],
      ['[for i, s in local.sqls : "${i}:${s}"]', ['0:SELECT 1', "1:ALTER USER etl SET PASSWORD = 'x'"]],
      ['{ for env, user in local.byEnv : user => env }', { DEV_ETL: 'dev', PROD_ETL: 'prod' }],
      ['[for s in local.sqls : s if s != "x"]', NOT_STATIC], // operators are not read
      ['[for a in var.arns : a]', ['${aws_iam_role.a.arn}']], // an element known at apply stays what the caller wrote
      ['[\n  for s in var.oidc_subjects :\n  upper(s)\n]', ['REPO:ACME/INFRA:REF:REFS/HEADS/MAIN', 'ACME/APP:ENVIRONMENT:PROD']],
      ['coalescelist(var.audiences, ["sts.amazonaws.com"])', ['sts.amazonaws.com']],
      ['coalesce("", local.user)', 'ETL'],
      ['trimsuffix("role/etl/", "/")', 'role/etl'],
      ['tolist(["a"])', ['a']],
      ['flatten([["a"], [["b"]], []])', ['a', 'b']],
      ['compact(["a", "", null])', ['a']],
      ['distinct(["a", "b", "a"])', ['a', 'b']],
      ['keys(var.policies)', ['Admin', 'S3ReadOnly']],
      ['values(local.byEnv)', ['DEV_ETL', 'PROD_ETL']],
      ['length(var.oidc_subjects)', 2],
      ['lower(var.provider_arn)', NOT_STATIC], // known only at apply
      ['[for s in var.unbound : s]', NOT_STATIC],
      ['{ for k, v in var.policies : "same" => v }', NOT_STATIC], // a duplicate key needs grouping
      ['{ for k, v in var.policies : v => k... }', NOT_STATIC], // grouping is not read
      // an apply-time reference beside the iterator stays, as in Terraform JSON
      ['[for s in var.urls : "${s}-${aws_iam_role.r.name}"]', ['https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA-${aws_iam_role.r.name}']],
      ['[for s in var.urls : "${aws_iam_role.r[s].name}"]', NOT_STATIC], // the result would name the iterator out of scope
      ['[for s in var.create : s]', NOT_STATIC],
      ['[for s in var.oidc_subjects : s if s]', NOT_STATIC], // a condition that is not a bool
    ])('%s', (text, expected) => {
      expect(evaluateHclExpression(text, inModule())).toEqual(expected);
    });

    test('a root module (no module variables): var.X stays unknown', () => {
      expect(evaluateHclExpression('[for s in var.oidc_subjects : s]', scope())).toBe(NOT_STATIC);
      expect(evaluateHclExpression('length(var.oidc_subjects)', scope())).toBe(NOT_STATIC);
    });

    test('property: a for expression over a list of known strings maps it element for element, in order', () => {
      fc.assert(fc.property(fc.array(fc.stringMatching(/^[a-z0-9:/._-]{0,12}$/), { maxLength: 8 }), (items) => {
        const within: EvaluationScope = { ...scope(), variable: (name) => (name === 'items' ? items : undefined) };
        expect(evaluateHclExpression('[for i, x in var.items : "${i}=${upper(x)}"]', within)).toEqual(items.map((x, i) => `${i}=${x.toUpperCase()}`));
        expect(evaluateHclExpression('{ for x in var.items : x => trimprefix(x, "a") }', within))
          .toEqual(new Set(items).size === items.length ? Object.fromEntries(items.map((x) => [x, x.startsWith('a') ? x.slice(1) : x])) : NOT_STATIC);
      }));
    });
  });

  test('a file that cannot be read, or a template with directives, is not evaluated and the scope is told', () => {
    const notes: string[] = [];
    expect(evaluateHclExpression('file("missing.pem")', scope(notes))).toBe(NOT_STATIC);
    expect(evaluateHclExpression('templatefile("loop.tftpl", { users = ["a"] })', scope(notes))).toBe(NOT_STATIC);
    expect(evaluateHclExpression('templatefile("grant.sql.tftpl", { user = "ETL" })', scope(notes))).toBe(NOT_STATIC);
    expect(notes).toEqual([
      'cannot read missing.pem',
      'templatefile("loop.tftpl") uses template directives (%{...}), which are not read statically; rules see the expression text',
      'templatefile("grant.sql.tftpl") has interpolations that are not statically known; rules see the expression text',
    ]);
  });

  test('file content is escaped: a literal ${ in a file is not an interpolation', () => {
    files['literal.txt'] = 'cost: ${5} %{x}';
    expect(evaluateHclExpression('file("literal.txt")', scope())).toBe('cost: $${5} %%{x}');
  });

  test('renderTemplate: known interpolations in text are replaced, the others kept', () => {
    expect(renderTemplate('ALTER USER ${local.user} SET X = ${var.x} ${lower("A")}', scope())).toBe('ALTER USER ETL SET X = ${var.x} a');
    expect(renderTemplate('${local.sqls}', scope())).toEqual(locals.sqls);
    expect(renderTemplate('${var.x}-${var.y}', scope())).toBe('${var.x}-${var.y}');
    expect(renderTemplate('%{ if true }${local.user}%{ endif }', scope())).toBe('%{ if true }${local.user}%{ endif }');
  });

  const word = fc.stringMatching(/^[A-Za-z0-9 _.:'\/-]{0,12}$/);
  const quote = (v: string): string => JSON.stringify(v);

  test('property: join, format, lower, upper and replace over literals agree with their definitions', () => {
    fc.assert(fc.property(fc.array(word, { maxLength: 5 }), word, word, word, (items, sep, a, b) => {
      const s = scope();
      expect(evaluateHclExpression(`join(${quote(sep)}, [${items.map(quote).join(', ')}])`, s)).toBe(items.join(sep));
      expect(evaluateHclExpression(`format("%s/%s", ${quote(a)}, ${quote(b)})`, s)).toBe(`${a}/${b}`);
      expect(evaluateHclExpression(`lower(${quote(a)})`, s)).toBe(a.toLowerCase());
      expect(evaluateHclExpression(`upper(${quote(a)})`, s)).toBe(a.toUpperCase());
      if (b !== '' && !(b.length >= 2 && b.startsWith('/') && b.endsWith('/'))) {
        expect(evaluateHclExpression(`replace(${quote(a)}, ${quote(b)}, "#")`, s)).toBe(a.split(b).join('#'));
      }
      expect(evaluateHclExpression(`element([${items.map(quote).join(', ')}], 1)`, s)).toBe(items.length === 0 ? NOT_STATIC : items[1 % items.length]);
    }));
  });

  test('property: a variable never disappears: the call stays unresolved, or its value still holds the interpolation', () => {
    const call = fc.constantFrom('join("-", [@])', 'format("%s", @)', 'lower(@)', 'upper(@)', 'replace(@, "a", "b")', 'element([@], 0) == 1 ? 1 : 2', 'trimspace(@)', 'file(@)', 'concat(["x"], [@])', 'jsonencode({ a = @ })');
    fc.assert(fc.property(call, fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), (template, name) => {
      const value = evaluateHclExpression(template.replace('@', `var.${name}`), scope());
      if (value !== NOT_STATIC) expect(JSON.stringify(value)).toContain(`\${var.${name}}`);
    }));
    expect(evaluateHclExpression('lower(var.x)', scope())).toBe(NOT_STATIC);
  });

  test('property: never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
      expect(() => evaluateHclExpression(text, scope())).not.toThrow();
      expect(() => renderTemplate(`\${${text}}`, scope())).not.toThrow();
    }), { numRuns: 500 });
    expect(evaluateHclExpression(`${'('.repeat(5000)}1${')'.repeat(5000)}`, scope())).toBe(NOT_STATIC);
  });
});
