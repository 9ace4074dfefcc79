import { parseDocument } from 'yaml';
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { InputError, stripBom } from './input-error';

/** Short-form tags whose long form is `{"Fn::<Name>": value}`. `!Ref`, `!GetAtt` and `!Condition` are special. */
const FN_TAGS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'Or', 'Select',
  'Split', 'Sub', 'Transform',
  // AWS::LanguageExtensions
  'Contains', 'Length', 'ToJsonString', 'ForEach',
];

type Tag = ScalarTag | CollectionTag;

function toJs(node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown {
  return node.toJSON();
}

/** `!GetAtt Res.Attr.Sub` → `["Res", "Attr.Sub"]` (CloudFormation splits at the first dot). */
function getAttFromScalar(value: string): unknown {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function tagsFor(name: string, wrap: (value: unknown) => unknown, scalar: (value: string) => unknown = (v) => v): Tag[] {
  return [
    { tag: `!${name}`, resolve: (value: string) => wrap(scalar(value)) },
    { tag: `!${name}`, collection: 'seq', resolve: (node) => wrap(toJs(node)) },
    { tag: `!${name}`, collection: 'map', resolve: (node) => wrap(toJs(node)) },
  ];
}

/** The CloudFormation short-form tags, converted to long form while parsing. */
export const CLOUDFORMATION_TAGS: Tag[] = [
  ...tagsFor('Ref', (v) => ({ Ref: v })),
  ...tagsFor('Condition', (v) => ({ Condition: v })),
  ...tagsFor('GetAtt', (v) => ({ 'Fn::GetAtt': v }), getAttFromScalar),
  ...FN_TAGS.flatMap((name) => tagsFor(name, (v) => ({ [`Fn::${name}`]: v }))),
];

/**
 * Parses a CloudFormation YAML template, converting short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`,
 * `!Sub "..."`, `!Join [..]`, ...) into their long JSON form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, ...)
 * so rules see the same document as for a JSON template. Malformed YAML throws {@link InputError}.
 *
 * YAML 1.2 core schema: `2012-10-17` stays a string and `yes`/`no` stay strings, as CloudFormation reads them.
 */
export function parseCloudFormationYaml(text: string, file: string): unknown {
  let doc;
  try {
    doc = parseDocument(stripBom(text), { customTags: CLOUDFORMATION_TAGS, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new InputError(file, `malformed YAML: ${firstLine((e as Error).message)}`);
  }
  if (doc.errors.length > 0) {
    throw new InputError(file, `malformed YAML: ${firstLine(doc.errors[0].message)}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new InputError(file, `malformed YAML: ${firstLine((e as Error).message)}`);
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:$/, '').trim();
}
