import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { isStackOverflow, nestsDeeperThan, TOO_DEEP } from '../nesting';
import { yaml } from '../yaml';
import { BINARY, InputError, isBinaryText, printable, stripBom } from './input-error';

/** Short-form tags whose long form is `{"Fn::<Name>": value}`. `!Ref`, `!GetAtt` and `!Condition` are special. */
const FN_TAGS = [
  'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'Or', 'Select',
  'Split', 'Sub', 'Transform',
  // AWS::LanguageExtensions
  'Contains', 'Length', 'ToJsonString', 'ForEach',
  // the Rules section's assertions
  'EachMemberEquals', 'EachMemberIn', 'RefAll', 'ValueOf', 'ValueOfAll',
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

/**
 * The directives of Rain (aws-cloudformation/rain), which `rain pkg` replaces before the template is deployed:
 * `Type: !Rain::Module ./bucket.yml` becomes the module's resources, `!Rain::Embed file` the file's text. They are
 * read in their long form, `{"Rain::Module": "./bucket.yml"}`, as Rain's JSON templates write them.
 */
const RAIN_TAGS = ['Module', 'Embed', 'Include', 'Env', 'S3Http', 'S3', 'Constant'];

/** The CloudFormation short-form tags (and Rain's directives), converted to long form while parsing. */
export const CLOUDFORMATION_TAGS: Tag[] = [
  ...tagsFor('Ref', (v) => ({ Ref: v })),
  ...tagsFor('Condition', (v) => ({ Condition: v })),
  ...tagsFor('GetAtt', (v) => ({ 'Fn::GetAtt': v }), getAttFromScalar),
  ...FN_TAGS.flatMap((name) => tagsFor(name, (v) => ({ [`Fn::${name}`]: v }))),
  ...RAIN_TAGS.flatMap((name) => tagsFor(`Rain::${name}`, (v) => ({ [`Rain::${name}`]: v }))),
];

/**
 * Parses a CloudFormation YAML template, converting short-form intrinsic tags (`!Ref X`, `!GetAtt A.B`,
 * `!Sub "..."`, `!Join [..]`, ...) into their long JSON form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`, ...)
 * so rules see the same document as for a JSON template. Malformed YAML throws {@link InputError}, and so does YAML
 * nested deeper than 512 levels (`MAX_NESTING`): `<file>: nested deeper than 512 levels`.
 *
 * YAML 1.2 core schema: `2012-10-17` stays a string and `yes`/`no` stay strings, as CloudFormation reads them.
 */
export function parseCloudFormationYaml(text: string, file: string): unknown {
  // YAML reads almost any bytes as a scalar: binary content is said to be binary, not "not a template".
  if (isBinaryText(text)) throw new InputError(file, BINARY);
  let doc;
  try {
    doc = yaml().parseDocument(stripBom(text), { customTags: CLOUDFORMATION_TAGS, prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw yamlError(e, file);
  }
  if (doc.errors.length > 0) throw yamlError(doc.errors[0], file);
  // The parser keeps a tag it does not know as a plain string (`Type: !Foo x` would read as `Type: x`): what the tag
  // means is not known, so the template is not read rather than read wrong. CloudFormation refuses it too.
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) throw new InputError(file, `unknown YAML tag: ${printable(firstLine(unknownTag.message.replace(/^Unresolved tag: /, '')))} (CloudFormation's short forms are !Ref, !GetAtt, !Sub, !Join, ...)`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw yamlError(e, file);
  }
  // The parser itself gives up (stack overflow) near 950 levels; the bound is the one every reader uses.
  if (nestsDeeperThan(value)) throw new InputError(file, TOO_DEEP);
  return value;
}

/** A YAML error as unusable input. The parser reports running out of stack as an error of its own: that is nesting. */
function yamlError(e: unknown, file: string): InputError {
  if (isStackOverflow(e)) return new InputError(file, TOO_DEEP);
  return new InputError(file, `malformed YAML: ${printable(firstLine((e as Error).message))}`);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:$/, '').trim();
}
