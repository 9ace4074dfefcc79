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
    // format's %s / %v of an argument not known: the interpolation the template "...${X}..." would hold
    ['format("arn:%s:iam::aws:policy/%s", data.aws_partition.current.partition, "AdministratorAccess")', 'arn:${data.aws_partition.current.partition}:iam::aws:policy/AdministratorAccess'],
    ['format("%s-%v", local.user, lookup(var.m, "}"))', 'ETL-${lookup(var.m, "}")}'],
    ['format("%s", var.on ? "a" : "b")', '${var.on ? "a" : "b"}'],
  ])('%s', (text, expected) => {
    expect(evaluateHclExpression(text, scope())).toEqual(expected);
  });

  test.each([
    'var.password', 'lower(var.x)', 'join("-", var.list)', 'upper(local.role)', 'local.missing', 'local.sqls[5]', 'element([], 0)',
    'replace("a", "/a/", "b")', 'format("%08.3f", 1)', 'tomap({})', 'local.user == var.x ? "a" : "b"', 'aws_iam_role.r.arn',
    '[for s in var.subjects : upper(s)]', 'file(var.path)', 'concat(local.sqls...)', 'lower("a", "b") extra', '(((',
    // an unknown argument of another verb, an unknown spec, too few arguments
    'format("%d", var.n)', 'format("%q", aws_iam_role.r.name)', 'format(var.spec, "a")', 'format("%s %s", var.a)',
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
      ['[for s in local.sqls : s if s != "SELECT 1"]', ["ALTER USER etl SET PASSWORD = 'x'"]],
      ['[for s in var.oidc_subjects : s if length(var.audiences) > 0]', []],
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
      // range: Terraform's sequences, e.g. one statement per audience index
      ['range(3)', [0, 1, 2]],
      ['range(1, 4)', [1, 2, 3]],
      ['range(0, 1, 0.25)', [0, 0.25, 0.5, 0.75]],
      ['range(3, 0)', [3, 2, 1]],
      ['range(10, 0, -4)', [10, 6, 2]],
      ['range("2")', [0, 1]],
      ['range(0)', []],
      ['[for i in range(length(var.oidc_subjects)) : "Sub${i}=${var.oidc_subjects[i]}"]', ['Sub0=repo:acme/infra:ref:refs/heads/main', 'Sub1=acme/app:environment:prod']],
      ['range(var.n)', NOT_STATIC], // not known
      ['range(1, 5, 0)', NOT_STATIC], // Terraform fails: step 0
      ['range(0, 5, -1)', NOT_STATIC], // Terraform fails: a negative step for an increasing sequence
      ['range(1025)', NOT_STATIC], // Terraform fails past 1,024 numbers
      ['try(range(0, 5, -1), ["fallback"])', ['fallback']], // a failure, so try goes on
      ['range()', NOT_STATIC],
      ['range(1, 2, 3, 4)', NOT_STATIC],
      // string and list functions policy code uses to build ARNs, subjects and audiences
      ['split("/", "role/ci/deploy")', ['role', 'ci', 'deploy']],
      ['split(",", "")', ['']],
      ['split("", "ab")', ['a', 'b']],
      ['formatlist("repo:acme/%s:ref:refs/heads/main", ["infra", "app"])', ['repo:acme/infra:ref:refs/heads/main', 'repo:acme/app:ref:refs/heads/main']],
      ['formatlist("%s:%s", ["a", "b"], ["1", "2"])', ['a:1', 'b:2']],
      ['formatlist("%s=%s", "k", ["1", "2"])', ['k=1', 'k=2']],
      ['formatlist("%s", "a")', ['a']], // no list among the arguments: formatted once
      ['formatlist("%s", [])', []],
      ['tostring(3)', '3'],
      ['tostring(true)', 'true'],
      ['tostring(null)', null],
      ['tonumber("900")', 900],
      ['tonumber(900)', 900],
      ['startswith("repo:acme/infra", "repo:")', true],
      ['endswith("repo:acme/infra", "prod")', false],
      ['strcontains("repo:acme/infra:*", "*")', true],
      ['one([])', null],
      ['one(var.urls)', 'https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA'],
      ['reverse(["a", "b", "c"])', ['c', 'b', 'a']],
      ['sort(["b", "a", "c"])', ['a', 'b', 'c']],
      ['slice(["a", "b", "c"], 1, 3)', ['b', 'c']],
      ['slice(var.arns, 0, 1)', ['${aws_iam_role.a.arn}']], // elements known only at apply stay as written
      ['alltrue([true, "true"])', true],
      ['alltrue([])', true],
      ['anytrue([false, true])', true],
      ['anytrue([])', false],
      ['try(one(var.oidc_subjects), "several")', 'several'], // Terraform fails on a list of two: try goes on
      ['try(slice(["a"], 0, 2), [])', []],
      ['try(tonumber("x"), 0)', 0],
      ['try(formatlist("%s%s", ["a"], ["b", "c"]), [])', []],
      ['split("/", var.provider_arn)', NOT_STATIC], // known only at apply
      ['split("/")', NOT_STATIC],
      ['sort(var.arns)', NOT_STATIC], // the order of values known only at apply is not known
      ['alltrue([var.unbound])', NOT_STATIC],
      ['alltrue(["yes"])', NOT_STATIC],
      ['tostring(["a"])', NOT_STATIC],
      ['startswith(var.provider_arn, "arn:")', NOT_STATIC],
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

    test('property: range(start, limit, step) is the numbers start, start+step, ... before limit, as Terraform builds them', () => {
      fc.assert(fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 7 }), (start, limit, size) => {
        const step = limit >= start ? size : -size;
        const expected: number[] = [];
        for (let n = start; step > 0 ? n < limit : n > limit; n += step) expected.push(n);
        expect(evaluateHclExpression(`range(${start}, ${limit}, ${step})`, inModule())).toEqual(expected);
        expect(evaluateHclExpression(`range(${start}, ${limit}, ${-step})`, inModule())).toEqual(start === limit ? [] : NOT_STATIC);
      }));
    });

    test('property: formatlist builds one text per element; split undoes join over elements without the separator', () => {
      const item = fc.stringMatching(/^[a-z0-9._]{0,10}$/);
      fc.assert(fc.property(fc.array(item, { maxLength: 6 }), fc.constantFrom('/', ',', ':', '--'), (items, sep) => {
        const within: EvaluationScope = { ...scope(), variable: (name) => (name === 'items' ? items : undefined) };
        expect(evaluateHclExpression('formatlist("repo:acme/%s:ref:refs/heads/main", var.items)', within)).toEqual(items.map((x) => `repo:acme/${x}:ref:refs/heads/main`));
        const joined = evaluateHclExpression(`split(${JSON.stringify(sep)}, join(${JSON.stringify(sep)}, var.items))`, within);
        expect(joined).toEqual(items.length === 0 ? [''] : items);
      }));
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

  test('property: format with an argument not known is the template that interpolates it', () => {
    const text = fc.stringMatching(/^[A-Za-z0-9 _.:\/-]{0,12}$/);
    fc.assert(fc.property(text, text, text, fc.constantFrom('s', 'v'), (before, between, after, verb) => {
      const spec = `${before}%${verb}${between}%s${after}`;
      expect(evaluateHclExpression(`format(${quote(spec)}, data.aws_partition.current.partition, local.user)`, scope()))
        .toBe(`${before}\${data.aws_partition.current.partition}${between}ETL${after}`);
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

/**
 * Operators and conditionals, as modules switch their optional resources and blocks on and off
 * (terraform-aws-modules' `count = var.create && var.create_access_key ? 1 : 0`, `for_each = var.enable_oidc ?
 * local.oidc_providers : []`): the value when every part it needs is known, else NOT_STATIC.
 */
describe('evaluateHclExpression: operators and conditionals', () => {
  const variables: Record<string, unknown> = {
    create: true, create_access_key: false, users: ['a', 'b'], policies: {}, name: 'svc', none: null, arn: '${aws_iam_role.r.arn}', n: 3,
    settings: { enabled: true },
  };
  const locals: Record<string, unknown> = { off: false, providers: ['oidc.eks.eu-west-1.amazonaws.com/id/AAAA'], refs: { main: 'repo:acme/infra:ref:refs/heads/main' }, later: '${aws_iam_role.r.name}' };
  const inModule = (bound: Record<string, unknown> = variables): EvaluationScope => ({
    local: (name) => (Object.prototype.hasOwnProperty.call(locals, name) ? locals[name] : undefined),
    variable: (name) => (Object.prototype.hasOwnProperty.call(bound, name) ? bound[name] : undefined),
    readFile: () => undefined,
    note: () => undefined,
  });

  test.each([
    ['var.create ? 1 : 0', 1],
    ['var.create && var.create_access_key ? 1 : 0', 0],
    ['var.create || var.create_access_key ? 1 : 0', 1],
    ['!var.create_access_key ? 2 : 0', 2],
    ['local.off ? 1 : 0', 0],
    ['length(var.policies) > 0 ? 1 : 0', 0],
    ['var.name != null ? 1 : 0', 1],
    ['var.none == null ? 1 : 0', 1],
    ['var.name == "svc" ? 1 : 0', 1],
    ['(var.create && !var.create_access_key) ? 1 : 0', 1],
    ['var.n >= 3 ? 1 : 0', 1],
    ['var.create == true == true ? 1 : 0', 1], // left to right
    ['var.create && var.n > 2 == true ? 1 : 0', 1], // comparisons bind tighter than &&, relations tighter than ==
    ['var.create ? (var.create_access_key ? 2 : 1) : 0', 1],
    ['var.create ? var.create_access_key ? 2 : 1 : 0', 1], // nested without parentheses
    ['var.create_access_key && var.unbound ? 1 : 0', 0], // false && X, whatever X is
    ['var.create || var.unbound ? 1 : 0', 1], // true || X
    ['var.create ? 1 : var.unbound', 1], // the branch not taken may be anything
    ['var.create_access_key ? aws_iam_role.r.arn : "none"', 'none'],
    ['var.n * 2 + 1 - 4 / 2 % 3', 5], // * / % before + -, left to right
    ['-var.n + 1', -2],
    ['var.settings.enabled ? 1 : 0', 1],
    ['contains(var.users, "a") ? 1 : 0', 1],
    ['contains(var.users, "z")', false],
    ['var.create ? local.providers : []', ['oidc.eks.eu-west-1.amazonaws.com/id/AAAA']],
    ['var.create ? local.refs : {}', { main: 'repo:acme/infra:ref:refs/heads/main' }],
    ['var.create ? { main = "x" } : {}', { main: 'x' }],
    ['var.create ? ["a", "b",] : []', ['a', 'b']],
    ['var.create ? [var.arn] : []', ['${aws_iam_role.r.arn}']], // an element known at apply stays the caller's text
    ['var.create ? var.arn : ""', '${aws_iam_role.r.arn}'],
    // a list or object is never null, even with elements known only at apply
    ['var.settings != null ? 1 : 0', 1],
    ['null == var.users', false],
    ['{ ami = var.arn } != null', true],
    ['lookup(var.settings, "enabled", false)', true],
    ['lookup(var.settings, "missing", "fallback")', 'fallback'],
    ['lookup(var.settings, "missing", null)', null],
    ['merge({ a = 1, b = 2 }, var.settings, { b = 3 })', { a: 1, b: 3, enabled: true }],
    ['length(merge(var.policies, { x = var.arn })) > 0 ? 1 : 0', 1],
    // terraform-aws-lambda: `{ for k, v in local.qualifiers : k => v if v != null }` over such a map
    ['zipmap(["current", "alias"], [var.create ? true : null, var.create_access_key ? true : null])', { current: true, alias: null }],
    // try: the first argument Terraform evaluates without failing (terraform-aws-lambda:
    // `for_each = try(statement.value.principals, [])` over statements without principals)
    ['try(var.settings.principals, [])', []],
    ['try(var.settings.enabled, false)', true],
    ['try(var.users[5], "none")', 'none'],
    ['try(format("%s", var.users[5]), "none")', 'none'], // format fails with its argument
    ['try(format("%s", aws_iam_role.r.name), "none")', NOT_STATIC], // known only at apply: it may not fail
    ['try(var.none.name, "unnamed")', 'unnamed'], // an attribute of null fails
    ['try(lookup(var.settings, "missing"), 2)', 2],
    ['try(zipmap(["a", "b"], [1]), {})', {}],
    ['try(try(var.settings.a, var.settings.b), 3)', 3], // an inner try whose arguments all fail fails
    ['try(var.settings.enabled, data.aws_partition.current.partition)', true], // later arguments are not read
    ['try(var.settings.missing, var.arn)', '${aws_iam_role.r.arn}'], // the first that does not fail, as it is
    ['try(var.settings.missing ? 1 : 2, 3)', 3],
    ['var.create ? try(var.settings.missing, "x") : "y"', 'x'],
    ['length(try(var.settings.principals, ["p"])) > 0 ? 1 : 0', 1],
    ['can(var.settings.enabled)', true],
    ['can(var.settings.principals) ? 1 : 0', 0],
    ['can(var.users[1])', true],
    ['can(var.users[2])', false],
    ['{ for k, v in zipmap(["current", "alias"], [var.create ? true : null, null]) : k => v if v != null }', { current: true }],
    ['var.create\n  ? 1\n  : 0', 1],
  ])('%s is %j', (text, expected) => {
    expect(evaluateHclExpression(text, inModule())).toEqual(expected);
  });

  test.each([
    'var.unbound ? 1 : 0',
    'var.create && var.unbound ? 1 : 0',
    'var.arn != null ? 1 : 0', // known only at apply
    'local.later == "x"',
    'local.missing ? 1 : 0',
    'var.users ? 1 : 0', // not a bool
    'var.users == []', // lists are not compared (their types differ in Terraform)
    'var.n / 0',
    '"3" + 1', // no conversions
    'var.name + 1',
    'var.create ? 1 : 0 extra',
    'var.create ?',
    'var.create ? 1',
    'regexall("a", var.name) ? 1 : 0', // functions not read
    'contains(var.users, var.arn)',
    'aws_iam_role.r.arn == "" || true', // an expression starting with a reference is not read
  ])('%s is not known', (text) => {
    expect(evaluateHclExpression(text, inModule())).toBe(NOT_STATIC);
  });

  test('a root module (no module variables): a switch over var.X is not known', () => {
    const root: EvaluationScope = { ...inModule(), variable: undefined };
    expect(evaluateHclExpression('var.create ? 1 : 0', root)).toBe(NOT_STATIC);
    expect(evaluateHclExpression('local.off ? 1 : 0', root)).toBe(0);
  });

  // A formula of bound and unbound booleans: the answer is the formula's value when it is determined (the same for
  // every value of the unbound ones), and NOT_STATIC otherwise; it is never a value the formula cannot have.
  type Formula = { text: string; value: (unbound: Record<string, boolean>) => boolean };
  const names = ['a', 'b', 'c', 'u', 'w'];
  const boundValues: Record<string, boolean> = { a: true, b: false, c: true };
  const formula: fc.Arbitrary<Formula> = fc.letrec<{ f: Formula }>((tie) => ({
    f: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...names).map((n): Formula => ({ text: `var.${n}`, value: (u) => (n in boundValues ? boundValues[n] : u[n]) })),
      fc.constantFrom(true, false).map((b): Formula => ({ text: String(b), value: () => b })),
      tie('f').map((x): Formula => ({ text: `!${x.text}`, value: (u) => !x.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} && ${y.text})`, value: (u) => x.value(u) && y.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} || ${y.text})`, value: (u) => x.value(u) || y.value(u) })),
      fc.tuple(tie('f'), tie('f')).map(([x, y]): Formula => ({ text: `(${x.text} == ${y.text})`, value: (u) => x.value(u) === y.value(u) })),
      fc.tuple(tie('f'), tie('f'), tie('f')).map(([c, x, y]): Formula => ({ text: `(${c.text} ? ${x.text} : ${y.text})`, value: (u) => (c.value(u) ? x.value(u) : y.value(u)) })),
    ),
  })).f;

  test('property: a switch over bound and unbound booleans is read as its value exactly when that value is determined', () => {
    const assignments = [false, true].flatMap((u) => [false, true].map((w) => ({ u, w })));
    fc.assert(fc.property(formula, (f) => {
      const outcomes = new Set(assignments.map((u) => f.value(u)));
      const read = evaluateHclExpression(`${f.text} ? 1 : 0`, inModule(boundValues));
      if (read !== NOT_STATIC) {
        // never wrong: the formula has that value whatever the unbound variables are
        expect(outcomes).toEqual(new Set([read === 1]));
      } else {
        // not known only when an unbound variable is read and no short cut decides it
        expect(f.text).toMatch(/var\.[uw]/);
      }
    }), { numRuns: 2000 });
  });

  test('property: with every variable bound, the value is the formula\'s', () => {
    const all = inModule({ a: true, b: false, c: true, u: false, w: true });
    fc.assert(fc.property(formula, (f) => {
      expect(evaluateHclExpression(`${f.text} ? 1 : 0`, all)).toBe(f.value({ u: false, w: true }) ? 1 : 0);
    }), { numRuns: 2000 });
  });

  test.each([
    'lookup(var.settings, "missing")', // Terraform: an error without a default
    'lookup(var.users, "a", 1)', // a list is no map
    'merge(var.settings, var.arn)', // a value known only at apply
    'merge(var.settings, null)',
    'zipmap(["a", "b"], [1])', // Terraform: an error
    'zipmap([var.arn], [1])', // a key known only at apply
    'try(aws_iam_role.r.arn, null)', // known only at apply: it may not fail then
    'try(var.settings.missing, aws_iam_role.r.arn)',
    'try(var.settings.missing, var.users[9])', // every argument fails: Terraform refuses it
    'try()',
    'can(aws_iam_role.r.arn)', // known only at apply
    'can(data.aws_partition.current.partition)',
    'var.arn == null ? 1 : 0', // an attribute known only at apply may be null
  ])('%s is not known', (text) => {
    expect(evaluateHclExpression(text, inModule())).toBe(NOT_STATIC);
  });

  test.each(['-1 * 0', '0 * -5', '-(0)', '-var.zero', '-2 % 2', '0 / -3'])('%s is 0, not negative zero (Terraform has none)', (text) => {
    expect(evaluateHclExpression(text, inModule({ zero: 0 }))).toBe(0);
  });

  test('property: try is its first argument that does not fail; one known only at apply before it makes it not known', () => {
    const argument = fc.oneof(
      fc.constantFrom('var.settings.missing', 'var.users[7]', 'var.none.name', 'lookup(var.settings, "x")').map((text) => ({ text, kind: 'fails' as const })),
      fc.constantFrom('aws_iam_role.r.arn', 'data.aws_partition.current.partition', 'var.unbound').map((text) => ({ text, kind: 'unknown' as const })),
      fc.integer({ min: 0, max: 99 }).map((n) => ({ text: String(n), kind: 'known' as const, value: n })),
    );
    fc.assert(fc.property(fc.array(argument, { minLength: 1, maxLength: 5 }), (args) => {
      const first = args.find((a) => a.kind !== 'fails');
      const expected = first === undefined || first.kind === 'unknown' ? NOT_STATIC : (first as { value: number }).value;
      expect(evaluateHclExpression(`try(${args.map((a) => a.text).join(', ')})`, inModule())).toBe(expected);
    }), { numRuns: 500 });
  });

  test('property: integer arithmetic over bound numbers is JavaScript\'s, with HCL precedence', () => {
    const ops = ['+', '-', '*'] as const;
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 5 }), fc.array(fc.constantFrom(...ops), { minLength: 4, maxLength: 4 }), (numbers, chosen) => {
      const text = numbers.map((n, i) => (i === 0 ? `(${n})` : ` ${chosen[i - 1]} (${n})`)).join('');
      const expected = new Function(`return ${text}`)() as number;
      expect(evaluateHclExpression(text, inModule())).toBe(expected === 0 ? 0 : expected); // Terraform has no -0
    }));
  });
});

describe('evaluateHclExpression: splats and policy documents', () => {
  const documents: Record<string, unknown> = {
    read: [{ json: '{"Statement":[{"Action":"s3:GetObject"}]}', minified_json: '{"Statement":[{"Action":"s3:GetObject"}]}' }],
    off: [],
    single: { json: '{"Statement":[]}' },
  };
  const seen: string[] = [];
  const scope: EvaluationScope = {
    local: (name) => ({ roles: [{ name: 'a', arn: 'arn:1' }, { name: 'b', arn: 'arn:2' }], none: null, one: { name: 'c' } } as Record<string, unknown>)[name],
    readFile: () => undefined,
    note: () => undefined,
    variable: () => undefined,
    dataSource: (type, name) => {
      seen.push(`${type}.${name}`);
      return type === 'aws_iam_policy_document' ? documents[name] : undefined;
    },
  };

  test.each([
    ['local.roles[*].arn', ['arn:1', 'arn:2']],
    ['local.roles[ * ].name', ['a', 'b']],
    ['local.none[*].name', []], // null splats to no element
    ['local.one[*].name', ['c']], // a value that is no list is one element
    ['length(local.roles[*].arn) > 1', true],
    ['flatten(concat(data.aws_iam_policy_document.read[*].json, data.aws_iam_policy_document.off[*].json))', ['{"Statement":[{"Action":"s3:GetObject"}]}']],
    ['length(concat(data.aws_iam_policy_document.off[*].json, [])) > 0', false],
    ['concat(data.aws_iam_policy_document.single[*].json)', ['{"Statement":[]}']],
    // inside a called module the reader writes its own data sources with the module address in front
    ['concat(module.irsa.data.aws_iam_policy_document.read[*].json)', ['{"Statement":[{"Action":"s3:GetObject"}]}']],
    ['concat(module.a["x"].module.b[0].data.aws_iam_policy_document.read[*].minified_json)', ['{"Statement":[{"Action":"s3:GetObject"}]}']],
    // an instance a known count does not have fails, and try() reads on
    ['try(data.aws_iam_policy_document.off[0].json, "")', ''],
  ])('%s is %j', (text, expected) => {
    expect(evaluateHclExpression(text, scope)).toEqual(expected);
  });

  test.each([
    'concat(data.aws_iam_policy_document.unknown[*].json)',
    'concat(data.aws_partition.current[*].partition)', // other data sources are not known
    'concat(module.irsa.iam_role_arn)', // a module output
    'concat(data.aws_iam_policy_document.read[*].missing)',
    // a data source's other attributes are not known to the reader, which is not a failure try() would read past
    'try(data.aws_iam_policy_document.single.id, "none")',
    'try(data.aws_iam_policy_document.read[0].id, "none")',
    'lookup(data.aws_iam_policy_document.single, "id", "none")',
  ])('%s is not known', (text) => {
    expect(evaluateHclExpression(text, scope)).toBe(NOT_STATIC);
  });

  test('the data source asked for is the one named, with or without the module address', () => {
    seen.length = 0;
    evaluateHclExpression('concat(module.m.data.aws_iam_policy_document.read[*].json, data.aws_partition.current[*].id)', scope);
    expect(seen).toEqual(['aws_iam_policy_document.read', 'aws_partition.current']);
  });
});
