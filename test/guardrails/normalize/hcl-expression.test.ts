import { readHclExpression, singleCallArgument } from '../../../lib/guardrails/normalize/hcl-expression';

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
