/**
 * The CloudFormation templates a set deploys to other stacks. Organization-wide IAM is often rolled out this way (a
 * role, a user and its access key in every account of an OU), so each such template is checked as a template of its
 * own:
 * - an `AWS::CloudFormation::StackSet`'s `TemplateBody` (JSON or YAML text): a set in the same file, its resources
 *   at their logical ids in that template (references between them work as in any template), with the construct
 *   path `<StackSet path or id>/TemplateBody/<logical id>` so that reports and exemptions can tell them from the
 *   outer template's resources;
 * - a StackSet's `TemplateURL` that names a file asset of the cloud assembly the template is in (cdk-stacksets'
 *   `StackSetStack` writes `<id>.stackset.template.json` and lists it in the stack's `*.assets.json`; the URL ends
 *   with the asset's object key): a set in that file, its resources at the construct paths of their `aws:cdk:path`
 *   metadata or of the construct tree (the CDK plugin's), else `<StackSet path or id>/TemplateURL/<logical id>`;
 * - the `template_body` of a Terraform `aws_cloudformation_stack_set` or `aws_cloudformation_stack` (a string once
 *   read: `jsonencode({...})`, `file(...)`, a heredoc): a set in the Terraform file, its resources at the construct
 *   path `<resource construct path or address>/template_body/<logical id>`; Terraform's `$${` escapes are read as
 *   the `${` the deployed template holds.
 * The set has no account: a StackSet deploys to its targets (and a Terraform stack to its provider's account, which
 * the set does not carry).
 *
 * What cannot be read is a note on the outer set: a `TemplateURL` / `template_url` that names no asset beside the
 * template (the template is in S3 only), a body that is not a literal string (an intrinsic, a Terraform value known
 * only at apply), an asset manifest that is not JSON, or a template that is not one.
 *
 * Engine-neutral; internal module of the CloudFormation and Terraform readers.
 */
import { dirname, isAbsolute, join, resolve } from 'path';
import { NormalizedResource, Writable } from '../model';
import { isObject } from '../policy/json';
import { normalizeCloudFormation } from './cloudformation';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import { isFile, readDirectory, readText } from './files';
import { interpolations } from '../policy/interpolation';
import { InputError, parseJson } from './input-error';
import type { NormalizedSet } from './set';
import { abbreviate } from '../display';

const STACK_SET = 'AWS::CloudFormation::StackSet';
/** Terraform resources that deploy the CloudFormation template in their `template_body` / `template_url`. */
const TERRAFORM_TEMPLATE_DEPLOYERS: ReadonlySet<string> = new Set(['aws_cloudformation_stack_set', 'aws_cloudformation_stack']);
/** How the CDK names a stack's asset manifest in its assembly directory. */
const ASSET_MANIFEST_SUFFIX = '.assets.json';

/** Options of {@link withDeployedTemplates}. */
export interface DeployedTemplateOptions {
  /** Logical id -> construct path for a template file (the CDK plugin's construct tree), as for stack templates. */
  readonly constructPaths?: (templateFile: string) => ReadonlyMap<string, string> | undefined;
}

/** `set`, then one set per template it deploys (see above); `set` gets the notes of what could not be read. */
export function withDeployedTemplates(set: NormalizedSet, options: DeployedTemplateOptions = {}): NormalizedSet[] {
  if (set.engine === 'terraform') return withTerraformTemplates(set, options);
  return readStackSetTemplates(set, options, new Set([resolve(set.file)]));
}

function withTerraformTemplates(set: NormalizedSet, options: DeployedTemplateOptions): NormalizedSet[] {
  if (!set.resources.some((r) => r.kind === 'resource' && TERRAFORM_TEMPLATE_DEPLOYERS.has(r.type))) return [set];
  const inner: NormalizedSet[] = [];
  const notes: string[] = [];
  for (const deployer of set.resources) {
    if (deployer.kind !== 'resource' || !TERRAFORM_TEMPLATE_DEPLOYERS.has(deployer.type)) continue;
    const where = `${deployer.file}: ${deployer.address}`;
    const body = deployer.properties.template_body;
    if (body === undefined || body === null) {
      const url = deployer.properties.template_url;
      if (url === undefined || url === null) continue; // the provider refuses a stack with neither
      notes.push(`${where} deploys the template at template_url${typeof url === 'string' ? ` ${url}` : ''}, which is not read: its resources are not checked`);
      continue;
    }
    if (typeof body !== 'string') {
      notes.push(`${where}: its template_body is not a string (${typeof body}): the template it deploys is not checked`);
      continue;
    }
    const expressions = interpolations(body);
    if (expressions.length === 1 && body.trim() === `\${${expressions[0]}}`) {
      notes.push(`${where}: its template_body ${abbreviate(body)} is not statically known: the template it deploys is not checked`);
      continue;
    }
    // the deployed template holds `${` where the Terraform representation escapes it
    const text = body.replace(/\$\$\{/g, () => '${').replace(/%%\{/g, () => '%{');
    const template = readTemplate(text, deployer.file, where, notes, undefined, 'its template_body');
    if (template === undefined) continue;
    const owner = deployer.constructPath ?? deployer.address;
    for (const resource of template.resources) (resource as Writable<NormalizedResource>).constructPath = `${owner}/template_body/${resource.address}`;
    // the template may hold StackSets of its own
    inner.push(...readStackSetTemplates(template, options, new Set([resolve(deployer.file)])));
  }
  const outer: NormalizedSet = notes.length === 0 ? set : { ...set, notes: [...(set.notes ?? []), ...notes] };
  return [outer, ...inner];
}

function readStackSetTemplates(set: NormalizedSet, options: DeployedTemplateOptions, reading: ReadonlySet<string>): NormalizedSet[] {
  if (set.engine !== 'cloudformation' || !set.resources.some((r) => r.type === STACK_SET)) return [set];
  const inner: NormalizedSet[] = [];
  const notes: string[] = [];
  let assets: AssetTemplates | undefined;
  for (const stackSet of set.resources) {
    if (stackSet.type !== STACK_SET) continue;
    const where = `${set.file}: ${stackSet.address} (${STACK_SET})`;
    const owner = stackSet.constructPath ?? stackSet.address;
    const body = stackSet.properties.TemplateBody;
    if (body === undefined) {
      const url = stackSet.properties.TemplateURL;
      assets ??= assetTemplates(dirname(set.file));
      notes.push(...assets.notes.splice(0));
      const asset = assets.at(url);
      if (asset === undefined) {
        const shown = urlText(url);
        notes.push(`${where} deploys the template at TemplateURL${shown !== undefined ? ` ${shown}` : ''}, which is not read: its resources are not checked`);
        continue;
      }
      if (reading.has(resolve(asset.file))) continue; // a template that deploys itself: read once
      if (!isFile(asset.file)) {
        notes.push(`${where} deploys the asset ${asset.file} (listed in ${asset.manifest}), which is missing: the template it deploys is not checked`);
        continue;
      }
      const template = readTemplate(readText(asset.file), asset.file, where, notes, options.constructPaths?.(resolve(asset.file)));
      if (template === undefined) continue;
      for (const resource of template.resources) {
        (resource as Writable<NormalizedResource>).constructPath ??= `${owner}/TemplateURL/${resource.address}`;
      }
      inner.push(...readStackSetTemplates(template, options, new Set([...reading, resolve(asset.file)])));
      continue;
    }
    if (typeof body !== 'string') {
      notes.push(`${where}: its TemplateBody is not a literal string (${isObject(body) ? Object.keys(body).join(', ') : typeof body}): the template it deploys is not checked`);
      continue;
    }
    const template = readTemplate(body, set.file, where, notes, undefined, 'its TemplateBody');
    if (template === undefined) continue;
    for (const resource of template.resources) (resource as Writable<NormalizedResource>).constructPath = `${owner}/TemplateBody/${resource.address}`;
    // a StackSet template may hold StackSets of its own
    inner.push(...readStackSetTemplates(template, options, reading));
  }
  const outer: NormalizedSet = notes.length === 0 ? set : { ...set, notes: [...(set.notes ?? []), ...notes] };
  return [outer, ...inner];
}

/** The template in `text` as a set in `file`; a note (and undefined) when it is no template. */
function readTemplate(
  text: string, file: string, where: string, notes: string[], constructPaths: ReadonlyMap<string, string> | undefined, what = `the template ${file}`,
): NormalizedSet | undefined {
  try {
    return normalizeCloudFormation(parseCloudFormationYaml(text, file), file, constructPaths ? { constructPaths } : {});
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    notes.push(`${where}: ${what} is not a template (${e.reason}): the template it deploys is not checked`);
    return undefined;
  }
}

/** The file assets of the asset manifests in one assembly directory, by the URL a StackSet names them with. */
interface AssetTemplates {
  /** The asset a `TemplateURL` value ends with (its object key after a `/`), when one asset manifest lists it. */
  at(url: unknown): { readonly file: string; readonly manifest: string } | undefined;
  /** Asset manifests that could not be read (taken by the first StackSet that looks). */
  readonly notes: string[];
}

function assetTemplates(dir: string): AssetTemplates {
  const byKey: Array<{ objectKey: string; file: string; manifest: string }> = [];
  const notes: string[] = [];
  let names: string[];
  try {
    names = readDirectory(dir);
  } catch {
    names = [];
  }
  for (const name of names) {
    if (!name.endsWith(ASSET_MANIFEST_SUFFIX)) continue;
    const manifest = join(dir, name);
    if (!isFile(manifest)) continue;
    let doc: unknown;
    try {
      doc = parseJson(readText(manifest), manifest);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      notes.push(`${manifest}: not an asset manifest (${e.reason}): a StackSet TemplateURL it may list is not read`);
      continue;
    }
    const files = isObject(doc) && isObject(doc.files) ? doc.files : {};
    for (const asset of Object.values(files)) {
      if (!isObject(asset) || !isObject(asset.source) || typeof asset.source.path !== 'string') continue;
      if (asset.source.packaging !== undefined && asset.source.packaging !== 'file') continue;
      const source = asset.source.path;
      const file = isAbsolute(source) ? source : join(dir, source);
      for (const destination of Object.values(isObject(asset.destinations) ? asset.destinations : {})) {
        if (isObject(destination) && typeof destination.objectKey === 'string' && destination.objectKey !== '') {
          byKey.push({ objectKey: destination.objectKey, file, manifest });
        }
      }
    }
  }
  return {
    notes,
    at(url) {
      const tail = literalTail(url);
      if (tail === undefined) return undefined;
      const matches = new Set(byKey.filter((a) => tail.endsWith(`/${a.objectKey}`)).map((a) => a.file));
      if (matches.size !== 1) return undefined;
      const file = [...matches][0];
      return { file, manifest: byKey.find((a) => a.file === file)!.manifest };
    },
  };
}

/**
 * The literal end of a `TemplateURL`: a string; the template of an `Fn::Sub` (the synthesizers write
 * `https://s3.${AWS::Region}.${AWS::URLSuffix}/<bucket>/<object key>`); the trailing literal parts of an `Fn::Join`.
 */
function literalTail(url: unknown): string | undefined {
  if (typeof url === 'string') return url;
  if (!isObject(url)) return undefined;
  const sub = url['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  const join = url['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const [separator, items] = join as [string, unknown[]];
    let first = items.length;
    while (first > 0 && typeof items[first - 1] === 'string') first--;
    if (first === items.length) return undefined;
    // after a part that is not literal, the separator still stands before the literal end
    return `${first > 0 ? separator : ''}${items.slice(first).join(separator)}`;
  }
  return undefined;
}

/** How a note shows a `TemplateURL`: the string, or the text of an `Fn::Sub`. */
function urlText(url: unknown): string | undefined {
  if (typeof url === 'string') return url;
  const sub = isObject(url) ? url['Fn::Sub'] : undefined;
  return typeof sub === 'string' ? sub : undefined;
}
