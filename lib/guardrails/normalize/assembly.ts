/**
 * The one reader of CDK cloud assembly output (`cdk.out`), for both routes that check it:
 * - `keyless check cdk.out` (`loadPath`): {@link readCloudAssembly} lists a directory's stack templates, its
 *   nested Stage assemblies and the construct paths recorded in `manifest.json`; {@link loadStackTemplates}
 *   reads the templates;
 * - the CDK validation plugin (`KeylessGuardrails`): the CDK hands it the stack templates of the App or Stage
 *   (`templatePaths`, every nested Stage's included) and the construct tree gives the construct paths; it calls
 *   {@link loadStackTemplates} the same way.
 *
 * Nested stack templates are assets of their parent, not stack artifacts: neither `manifest.json` nor
 * `templatePaths` lists them. They are found next to the stack templates (`*.nested.template.json`) and through
 * the parent's `aws:asset:path` resource metadata, and each is read once.
 *
 * Engine-neutral (no CDK import: it reads the files the CDK wrote); internal module.
 */
import { basename, dirname, isAbsolute, join, resolve } from 'path';
import { normalizeCloudFormation } from './cloudformation';
import { isFile, readDirectory, readText, requireListedFile, skippedNote, statOrUndefined, withNotes } from './files';
import { isObject } from '../policy/json';
import { InputError, parseJson } from './input-error';
import type { NormalizedSet } from './set';
import { withDeployedTemplates } from './deployed-templates';

/** How nested stack templates are named in an assembly directory. */
const NESTED_TEMPLATE_SUFFIX = '.nested.template.json';

/** Options of {@link loadStackTemplates}. */
export interface StackTemplateOptions {
  /**
   * Logical id -> construct path for a template (given its absolute path), for templates synthesized without
   * `aws:cdk:path` resource metadata (`app.synth()` outside the CDK CLI). Default: none.
   */
  readonly constructPaths?: (templateFile: string) => ReadonlyMap<string, string> | undefined;
  /**
   * Collects a note for each `*.nested.template.json` entry that is not a regular file (a FIFO, socket or device
   * is never opened). Default: the notes go on the first set returned.
   */
  readonly skipped?: string[];
  /**
   * The assembly directory, searched for nested stack templates even when it holds no listed template.
   * Default: the directories of `templates` only.
   */
  readonly assemblyDirectory?: string;
  /**
   * The AWS account a stack template deploys to (given its absolute path), from its environment. A nested stack
   * template deploys with its parent. Default: none known.
   */
  readonly accounts?: (templateFile: string) => string | undefined;
}

/**
 * Reads stack templates (CloudFormation JSON, as the CDK writes them) and their nested stack templates: one set per
 * template, the listed templates first, then the nested ones of each template's directory (sorted), then any
 * nested template found only through `aws:asset:path` metadata. A listed template that is missing or not a regular
 * file, and a template that is not JSON, is unusable input ({@link InputError} naming the file).
 */
export function loadStackTemplates(templates: readonly string[], options: StackTemplateOptions = {}): NormalizedSet[] {
  const queue: string[] = [];
  const queued = new Set<string>();
  const enqueue = (file: string) => {
    const key = resolve(file);
    if (queued.has(key)) return;
    queued.add(key);
    queue.push(file);
  };
  templates.forEach(enqueue);
  const skipped = options.skipped ?? [];
  // Without asset metadata (app.synth() outside the CDK CLI) nothing links a parent to its nested stack template
  // but the asset hash; every nested stack template of an assembly directory belongs to a stack of that assembly.
  const directories = [...(options.assemblyDirectory !== undefined ? [options.assemblyDirectory] : []), ...templates.map((t) => dirname(t))];
  for (const dir of new Set(directories)) {
    for (const name of readDirectory(dir)) {
      if (!name.endsWith(NESTED_TEMPLATE_SUFFIX)) continue;
      const file = join(dir, name);
      const stat = statOrUndefined(file);
      if (stat?.isFile()) enqueue(file);
      else if (stat && !stat.isDirectory()) skipped.push(skippedNote(file, stat));
    }
  }
  const sets: NormalizedSet[] = [];
  // Account per template: a listed stack's own, a nested stack's parent's; a nested template found only by the
  // directory listing gets the account when every listed template of its directory has that one account.
  const accountOf = new Map<string, string | undefined>();
  for (const t of templates) accountOf.set(resolve(t), options.accounts?.(resolve(t)));
  const directoryAccount = (file: string): string | undefined => {
    const listed = templates.filter((t) => dirname(resolve(t)) === dirname(resolve(file))).map((t) => accountOf.get(resolve(t)));
    return listed.length > 0 && listed.every((a) => a !== undefined && a === listed[0]) ? listed[0] : undefined;
  };
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i];
    requireListedFile(file);
    const doc = parseJson(readText(file), file);
    const paths = options.constructPaths?.(resolve(file));
    const account = accountOf.has(resolve(file)) ? accountOf.get(resolve(file)) : directoryAccount(file);
    const set = normalizeCloudFormation(doc, file, paths ? { constructPaths: paths } : {});
    // the templates its StackSets deploy go to their target accounts, not this stack's
    sets.push(...withDeployedTemplates(account !== undefined ? { ...set, account } : set, { constructPaths: options.constructPaths }));
    for (const asset of nestedStackAssets(doc)) {
      const nested = isAbsolute(asset) ? asset : join(dirname(file), asset);
      if (isFile(nested)) {
        if (!accountOf.has(resolve(nested))) accountOf.set(resolve(nested), account);
        enqueue(nested);
      }
    }
  }
  return options.skipped === undefined ? withNotes(sets, skipped) : sets;
}

/** The `aws:asset:path` (a `.json` template) of each `AWS::CloudFormation::Stack` resource of a template. */
function nestedStackAssets(doc: unknown): string[] {
  const resources = isObject(doc) && isObject(doc.Resources) ? doc.Resources : {};
  const assets: string[] = [];
  for (const resource of Object.values(resources)) {
    if (!isObject(resource) || resource.Type !== 'AWS::CloudFormation::Stack' || !isObject(resource.Metadata)) continue;
    const asset = resource.Metadata['aws:asset:path'];
    if (typeof asset === 'string' && asset.endsWith('.json')) assets.push(asset);
  }
  return assets;
}

/** What `manifest.json` of a cloud assembly lists. */
export interface CloudAssemblyContents {
  /** Stack templates (`aws:cloudformation:stack` artifacts), in manifest order. */
  readonly templates: string[];
  /** Nested Stage assemblies (`cdk:cloud-assembly` artifacts), in manifest order. */
  readonly assemblies: string[];
  /** Construct paths from the artifacts' metadata, for {@link StackTemplateOptions.constructPaths}. */
  readonly constructPaths: (templateFile: string) => ReadonlyMap<string, string>;
  /** Each stack template's account, from its `environment` (`aws://ACCOUNT/REGION`), for {@link StackTemplateOptions.accounts}. */
  readonly accounts: (templateFile: string) => string | undefined;
}

/** The account of a stack environment `aws://111122223333/eu-west-1`; undefined for an environment-agnostic stack. */
export function environmentAccount(environment: unknown): string | undefined {
  const account = typeof environment === 'string' ? /^aws:\/\/(\d{12})\//.exec(environment)?.[1] : undefined;
  return account;
}

/**
 * Reads `manifest.json` of the cloud assembly in `dir` (one with `artifacts`). An artifact without its
 * `templateFile` / `directoryName` is unusable input.
 */
export function readCloudAssembly(dir: string): CloudAssemblyContents {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = parseJson(readText(manifestPath), manifestPath) as { artifacts: Record<string, unknown> };
  const paths = new ConstructPaths();
  const templates: string[] = [];
  const assemblies: string[] = [];
  const accounts = new Map<string, string>();
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    if (!isObject(artifact)) continue;
    const properties = isObject(artifact.properties) ? artifact.properties : {};
    if (artifact.type === 'aws:cloudformation:stack') {
      if (typeof properties.templateFile !== 'string') {
        throw new InputError(manifestPath, `artifact ${id} has no templateFile`);
      }
      templates.push(join(dir, properties.templateFile));
      const account = environmentAccount(artifact.environment);
      if (account !== undefined) accounts.set(resolve(join(dir, properties.templateFile)), account);
      if (isObject(artifact.metadata)) paths.add(artifact.metadata);
      if (typeof artifact.additionalMetadataFile === 'string') {
        const metadataPath = join(dir, artifact.additionalMetadataFile);
        if (isFile(metadataPath)) {
          const metadata = parseJson(readText(metadataPath), metadataPath);
          if (isObject(metadata)) paths.add(metadata);
        }
      }
    } else if (artifact.type === 'cdk:cloud-assembly') {
      if (typeof properties.directoryName !== 'string') {
        throw new InputError(manifestPath, `artifact ${id} has no directoryName`);
      }
      assemblies.push(join(dir, properties.directoryName));
    }
  }
  return {
    templates,
    assemblies,
    constructPaths: (templateFile) => paths.forTemplate(basename(templateFile)),
    accounts: (templateFile) => accounts.get(resolve(templateFile)),
  };
}

/**
 * Construct paths from cloud assembly metadata (`aws:cdk:logicalId` entries), for templates synthesized without
 * `aws:cdk:path` resource metadata. A logical id belongs to the template of its nearest ancestor carrying an
 * `aws:cdk:templateFile` entry (the stack or nested stack).
 */
class ConstructPaths {
  private readonly templateFiles = new Map<string, string>();
  private readonly logicalIds: Array<[string, string]> = [];

  add(metadata: Record<string, unknown>): void {
    for (const [path, entries] of Object.entries(metadata)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (!isObject(entry) || typeof entry.data !== 'string') continue;
        if (entry.type === 'aws:cdk:templateFile') this.templateFiles.set(path, entry.data);
        if (entry.type === 'aws:cdk:logicalId') this.logicalIds.push([path, entry.data]);
      }
    }
  }

  forTemplate(templateFile: string): Map<string, string> {
    const result = new Map<string, string>();
    for (const [path, logicalId] of this.logicalIds) {
      let owner: string | undefined;
      let ownerLength = -1;
      for (const [prefix, file] of this.templateFiles) {
        if (path.startsWith(`${prefix}/`) && prefix.length > ownerLength) {
          owner = file;
          ownerLength = prefix.length;
        }
      }
      if (owner === templateFile && !result.has(logicalId)) result.set(logicalId, path.replace(/^\//, ''));
    }
    return result;
  }
}
