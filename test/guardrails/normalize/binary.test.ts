/**
 * Error messages never echo raw bytes (issue 11, robustness): binary content is said to be binary, and a parser's
 * excerpt of ordinary text is escaped to printable ASCII.
 */
import { parseCloudFormationYaml } from '../../../lib/guardrails/normalize/cloudformation-yaml';
import { parseHcl } from '../../../lib/guardrails/normalize/hcl';
import { InputError, isBinaryText, parseJson, printable } from '../../../lib/guardrails/normalize/input-error';

/** Bytes as a UTF-8 read gives them: NUL, controls, an ANSI escape, bytes that are not UTF-8. */
const BYTES = Buffer.from([0x00, 0x01, 0x02, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x42, 0x41, 0x44, 0x7f, 0xff, 0xfe, 0x9b, 0x07]).toString('utf8');
const CONTROL = /[^\x20-\x7e]/;

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).message;
  }
  throw new Error('expected an InputError');
}

test('binary content: a NUL, or many control characters or non-UTF-8 bytes; text with a stray one is still text', () => {
  expect(isBinaryText(BYTES)).toBe(true);
  expect(isBinaryText('{"a": 1}\u0000')).toBe(true);
  expect(isBinaryText(`{"Description": "caf\ufffd", "Resources": {}}`)).toBe(false);
  expect(isBinaryText('{"a": "\u001b[31m red"}')).toBe(false);
  expect(isBinaryText('\u0001\u0002\u0003\u0004ab')).toBe(true);
  expect(isBinaryText('')).toBe(false);
});

test('printable escapes everything outside printable ASCII', () => {
  expect(printable('a\u0000b\u001b[2Jc\u00e9\ufffd\td')).toBe('a\\x00b\\x1b[2Jc\\xe9\\ufffd\\x09d');
  expect(printable('a\n  b\r\nc')).toBe('a b c');
  expect(printable('Unexpected token \'}\', "{"a": }" is not valid JSON')).toBe('Unexpected token \'}\', "{"a": }" is not valid JSON');
});

describe('a binary file named as a template', () => {
  test.each([
    ['main.tf.json (JSON)', () => parseJson(BYTES, 'main.tf.json'), 'main.tf.json: not a text file (binary content)'],
    ['template.json (JSON)', () => parseJson(`{"Resources": ${BYTES}}`, 'template.json'), 'template.json: not a text file (binary content)'],
    ['template.yaml (YAML reads it as a scalar)', () => parseCloudFormationYaml(BYTES, 'template.yaml'), 'template.yaml: not a text file (binary content)'],
  ])('%s', (_, read, message) => {
    const text = reasonOf(read);
    expect(text).toBe(message);
    expect(text).not.toMatch(CONTROL);
  });

  test('main.tf (HCL)', async () => {
    const error = await parseHcl(BYTES, 'main.tf').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('main.tf: not a text file (binary content)');
  });
});

describe('malformed text keeps its message, with the excerpt escaped', () => {
  test('a control sequence in malformed JSON is shown escaped, not sent to the terminal', () => {
    const text = reasonOf(() => parseJson('{"Resources": \u001b[2J}', 'template.json'));
    expect(text).toBe('template.json: malformed JSON: Unexpected token \'\\x1b\', "{"Resources": \\x1b[2J}" is not valid JSON');
    expect(text).not.toMatch(CONTROL);
  });

  test('ordinary malformed JSON is unchanged (line breaks in the excerpt were always one space)', () => {
    expect(reasonOf(() => parseJson('{\n  "a": }', 'bad.json'))).toBe('bad.json: malformed JSON: Unexpected token \'}\', "{ "a": }" is not valid JSON');
  });
});
