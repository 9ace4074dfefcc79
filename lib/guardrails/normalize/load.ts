import * as fs from 'fs';
import { basename, dirname, join } from 'path';
import { loadStackTemplates, readCloudAssembly } from './assembly';
import { hasTemplateSection, looksLikeCloudFormation, normalizeCloudFormation } from './cloudformation';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import {
  isFile, notRegular, readDirectory, readText, realPath, requireListedFile, skippedNote, statPath, withNotes,
} from './files';
import { ModuleFile, ModuleReader, normalizeTerraformModule, ParsedHcl } from './hcl';
import { isObject } from '../policy/json';
import { InputError, parseJson, stripBom } from './input-error';
import type { NormalizedSet } from './set';
import { withDeployedTemplates } from './deployed-templates';
import { looksLikeTerraformJson, normalizeTerraformJson } from './terraform-json';
import { looksLikeTerraformPlan, normalizeTerraformPlan } from './terraform-plan';

export { InputError } from './input-error';

const SUPPORTED = 'expected a cdk.out or cdktf.out directory, a CloudFormation template (.json, .yaml, .yml), '
  + 'a Terraform file (.tf, .tf.json), a Terraform plan (terraform show -json, .json) or a directory of them';

/** How {@link loadPath} reads Terraform module calls. */
export interface LoadOptions {
  /**
   * Also follow module calls with a non-local source (registry, git, ...) into the directories `terraform init`
   * downloaded them into, as listed in the root module's `.terraform/modules/modules.json`. Local module calls
   * (`./...`, `../...`) are always followed. Off by default: downloaded code is third-party code.
   */
  readonly followDownloadedModules?: boolean;
}

/** Where `terraform init` records the modules it downloaded, relative to the root module's directory. */
const MODULES_MANIFEST = join('.terraform', 'modules', 'modules.json');

/** Directories a recursive walk never enters. Hidden directories (`.git`, `.terraform`, ...) are skipped too. */
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/**
 * Loads everything `keyless check PATH` checks:
 * - a cdk.out directory (a `manifest.json` with `artifacts`): every `aws:cloudformation:stack` template, nested
 *   stage assemblies (`cdk:cloud-assembly`) recursively, and nested stack templates (`*.nested.template.json`);
 *   one set per template;
 * - a cdktf.out directory (a `manifest.json` with `stacks`): every stack's `cdk.tf.json`; one set per stack;
 * - a CloudFormation template (`.json`, `.yaml`, `.yml`, `.template`), a Terraform JSON file (`*.tf.json`, or a
 *   `.json` whose content is a Terraform configuration) or a Terraform HCL file (`*.tf`);
 * - any other directory, recursively (skipping `node_modules` and hidden directories): cloud assemblies and
 *   cdktf.out directories found inside load as above; the `.tf` and `.tf.json` files of each directory form ONE
 *   set (one Terraform module); `.json`/`.yaml`/`.yml` files that are not templates (package.json,
 *   tsconfig.json, CI configs) are skipped, but a file that looks like a template and does not parse is an error.
 *
 * Terraform module calls to local modules are followed, with the caller's arguments bound to the module's
 * variables; the module's resources join the caller's set at their module address (see `normalizeTerraformModule`).
 * A module directory met by the walk is ALSO read on its own, as a root module (its variables unbound); its
 * resources are then reported at `type.name` in that set and at `module.NAME.type.name` in each caller's set.
 * A FIFO, socket or device is never opened: given as `path` (or listed in a manifest) it is unusable input
 * (`<path>: not a regular file (FIFO)`); met in a directory walk it is skipped with a note on the first set
 * (`<path>: not a regular file (FIFO); skipped, not read`).
 *
 * Unusable input throws {@link InputError} naming the file and the reason. An empty directory yields `[]`.
 */
export async function loadPath(path: string, options: LoadOptions = {}): Promise<NormalizedSet[]> {
  const stat = statPath(path);
  const loading: Loading = { options, visited: new Set(), skipped: [], parsed: new Map() };
  if (stat.isDirectory()) return withNotes(await loadDirectory(path, loading), loading.skipped);
  if (stat.isFile()) return withDeployedTemplates(await loadFile(path, loading));
  // A FIFO would block the read until something writes to it; a socket or device is no template either.
  throw new InputError(path, notRegular(stat));
}

/**
 * Loads one template file synchronously: CloudFormation JSON or YAML, or Terraform JSON. HCL needs the
 * asynchronous {@link loadPath}. (The CDK validation plugin reads its `templatePaths` with `loadStackTemplates`
 * of `./assembly`, which also finds their nested stack templates.)
 */
export function loadTemplateFile(path: string): NormalizedSet {
  const stat = statPath(path);
  if (!stat.isFile() && !stat.isDirectory()) throw new InputError(path, notRegular(stat));
  if (path.endsWith('.tf')) throw new InputError(path, 'HCL files are read by loadPath (asynchronous)');
  return loadDocumentFile(path);
}

/** What one {@link loadPath} keeps while it reads. */
interface Loading {
  readonly options: LoadOptions;
  /** The real paths of the directories read, so a directory met again (a symlink, a nested assembly) is read once. */
  readonly visited: Set<string>;
  /** A note for each non-regular file met (FIFOs, sockets, devices), in any subdirectory. */
  readonly skipped: string[];
  /** The HCL parsed so far: a module called from several roots is parsed once. */
  readonly parsed: ParsedHcl;
}

async function loadFile(path: string, loading: Loading): Promise<NormalizedSet> {
  if (path.endsWith('.tf') || basename(path).toLowerCase().endsWith('.tf.json')) {
    return normalizeTerraformModule(readModuleFiles([path]), path, moduleReader(dirname(path), loading));
  }
  return loadDocumentFile(path);
}

/** A file given explicitly: it must be a template. */
function loadDocumentFile(path: string): NormalizedSet {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.tf.json')) return normalizeTerraformJson(parseJson(readText(path), path), path);
  if (name.endsWith('.json')) return fromJsonDocument(parseJson(readText(path), path), path);
  if (name.endsWith('.yaml') || name.endsWith('.yml')) {
    return normalizeCloudFormation(parseCloudFormationYaml(readText(path), path), path);
  }
  if (name.endsWith('.template')) {
    const text = readText(path);
    if (stripBom(text).trimStart().startsWith('{')) return fromJsonDocument(parseJson(text, path), path);
    return normalizeCloudFormation(parseCloudFormationYaml(text, path), path);
  }
  throw new InputError(path, `unsupported file type; ${SUPPORTED}`);
}

/** A parsed `.json` file: CloudFormation or Terraform JSON, decided by content. */
function fromJsonDocument(doc: unknown, path: string): NormalizedSet {
  if (isObject(doc) && ('Resources' in doc || 'AWSTemplateFormatVersion' in doc)) return normalizeCloudFormation(doc, path);
  if (looksLikeTerraformJson(doc)) return normalizeTerraformJson(doc, path);
  // given as a PATH only: a directory walk does not pick plans up (they repeat the configuration beside them)
  if (looksLikeTerraformPlan(doc)) return normalizeTerraformPlan(doc, path);
  throw new InputError(path, 'not a CloudFormation template (no Resources section), a Terraform JSON configuration (no resource, data or provider block) or a Terraform plan (terraform show -json)');
}

async function loadDirectory(dir: string, loading: Loading): Promise<NormalizedSet[]> {
  const real = realPath(dir);
  if (loading.visited.has(real)) return [];
  loading.visited.add(real);
  const kind = assemblyKind(dir);
  if (kind === 'cdk') return loadCloudAssembly(dir, loading);
  if (kind === 'cdktf') return loadCdktfOut(dir, loading);
  return walk(dir, loading);
}

async function walk(dir: string, loading: Loading): Promise<NormalizedSet[]> {
  const terraform: string[] = [];
  const documents: string[] = [];
  const directories: string[] = [];
  for (const name of readDirectory(dir)) {
    const path = join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path);
    } catch {
      continue; // dangling symlink
    }
    if (stat.isDirectory()) {
      if (!name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name)) directories.push(path);
    } else if (stat.isFile()) {
      if (name.endsWith('.tf') || name.endsWith('.tf.json')) terraform.push(path);
      else if (/\.(json|ya?ml|template)$/i.test(name)) documents.push(path);
    } else {
      // Never opened (a FIFO would block the walk), never skipped silently: the output says what was not read.
      loading.skipped.push(skippedNote(path, stat));
    }
  }
  const sets: NormalizedSet[] = [];
  if (terraform.length > 0) {
    sets.push(...withDeployedTemplates(await normalizeTerraformModule(readModuleFiles(terraform), terraform.length === 1 ? terraform[0] : dir, moduleReader(dir, loading))));
  }
  for (const path of documents) {
    const set = loadCandidate(path, loading.skipped);
    if (set) sets.push(...withDeployedTemplates(set));
  }
  for (const path of directories) sets.push(...await loadDirectory(path, loading));
  return sets;
}

/** Reads the `.tf` (HCL text) and `.tf.json` (parsed) files of one module. */
function readModuleFiles(paths: readonly string[]): ModuleFile[] {
  return paths.map((file) => (file.endsWith('.tf')
    ? { file, hcl: readText(file) }
    : { file, json: parseJson(readText(file), file) }));
}

/** The `.tf` and `.tf.json` files directly in `dir`, sorted. */
function terraformFiles(dir: string): string[] {
  return readDirectory(dir)
    .filter((name) => name.endsWith('.tf') || name.endsWith('.tf.json'))
    .map((name) => join(dir, name))
    .filter(isFile);
}

/** How the module calls of the root module in `rootDir` are followed (see {@link LoadOptions}). */
function moduleReader(rootDir: string, loading: Pick<Loading, 'options' | 'parsed'>): ModuleReader {
  const { options } = loading;
  const manifest = join(rootDir, MODULES_MANIFEST);
  let downloaded: Map<string, string> | undefined;
  let notDownloaded = 'downloaded modules are not read (after terraform init, pass --follow-downloaded-modules)';
  if (options.followDownloadedModules) {
    if (isFile(manifest)) {
      downloaded = downloadedModules(manifest, rootDir);
      notDownloaded = `is not listed in ${manifest} (run terraform init again)`;
    } else {
      notDownloaded = `${manifest} does not exist (run terraform init in ${rootDir})`;
    }
  }
  return {
    rootDirectory: realPath(rootDir),
    downloaded,
    notDownloaded,
    parsed: loading.parsed,
    read: (dir) => {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(dir);
      } catch {
        return { problem: 'names no directory' };
      }
      if (!stat.isDirectory()) return { problem: 'is not a directory' };
      const files = terraformFiles(dir);
      if (files.length === 0) return { problem: 'names a directory with no .tf or .tf.json files' };
      return { directory: realPath(dir), files: readModuleFiles(files) };
    },
  };
}

/**
 * How the cdktf aspect follows the module calls of a stack (synchronously, see `normalizeTerraformJsonModules`): local
 * sources relative to the stack's output directory, and absolute paths (what `TerraformHclModule` keeps until it copies
 * the module as an asset); registry and git sources are named in a note.
 */
export function stackModuleReader(stackDirectory: string): ModuleReader {
  return {
    ...moduleReader(stackDirectory, { options: {}, parsed: new Map() }),
    absoluteSources: true,
    notDownloaded: 'downloaded modules are not read by the cdktf aspect (keyless check --follow-downloaded-modules on the synthesized cdktf.out reads them after terraform init)',
  };
}

/** `modules.json` as `terraform init` writes it: `{"Modules": [{"Key": "etl.inner", "Source": "...", "Dir": "..."}]}`. */
function downloadedModules(manifest: string, rootDir: string): Map<string, string> {
  const doc = parseJson(readText(manifest), manifest);
  const entries = isObject(doc) ? doc.Modules : undefined;
  if (!Array.isArray(entries)) throw new InputError(manifest, 'not a terraform init modules manifest: expected {"Modules": [...]}');
  const out = new Map<string, string>();
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.Key !== 'string' || typeof entry.Dir !== 'string') {
      throw new InputError(manifest, 'not a terraform init modules manifest: every entry of Modules needs a Key and a Dir');
    }
    if (entry.Key !== '') out.set(entry.Key, join(rootDir, entry.Dir));
  }
  return out;
}

/**
 * A `.json`/`.yaml` file met while walking a directory: a template, or skipped when it clearly is not one. A Terraform
 * plan is skipped with a note in `skipped` (it repeats the configuration beside it; given as a PATH it is read).
 */
function loadCandidate(path: string, skipped: string[]): NormalizedSet | undefined {
  const text = readText(path);
  const named = /\.template(\.(json|ya?ml))?$/i.test(path);
  const templateLike = named || /AWSTemplateFormatVersion|^\s*"?Resources"?\s*:|"(resource|provider)"\s*:\s*\{/m.test(text);
  let doc: unknown;
  const isJson = path.toLowerCase().endsWith('.json') || stripBom(text).trimStart().startsWith('{');
  try {
    doc = isJson ? parseJson(text, path) : parseCloudFormationYaml(text, path);
  } catch (e) {
    if (templateLike) throw e;
    return undefined;
  }
  // Template-shaped (a Resources object or a format version): normalized strictly, so a broken resource fails.
  if (looksLikeCloudFormation(doc) || (isObject(doc) && (isObject(doc.Resources) || (named && 'Resources' in doc)))) {
    return normalizeCloudFormation(doc, path);
  }
  if (isJson && looksLikeTerraformJson(doc)) return normalizeTerraformJson(doc, path);
  if (named) {
    if (hasTemplateSection(doc)) return normalizeCloudFormation(doc, path);
    // `config.json.template`, `appsettings.template.json`: another tool's template, which parses and is no stack
    skipped.push(`${path}: named like a CloudFormation template but has none of its sections (Resources, Parameters, ...); skipped, not read`);
    return undefined;
  }
  if (isJson && looksLikeTerraformPlan(doc)) {
    skipped.push(`${path}: a Terraform plan (terraform show -json), not read in a directory walk because it repeats the configuration beside it; give it as a PATH to check it`);
  }
  return undefined;
}

function assemblyKind(dir: string): 'cdk' | 'cdktf' | undefined {
  const manifestPath = join(dir, 'manifest.json');
  if (!isFile(manifestPath)) return undefined;
  let manifest: unknown;
  try {
    manifest = parseJson(readText(manifestPath), manifestPath);
  } catch (e) {
    // A broken manifest in something that is clearly an assembly is unusable input; elsewhere it is not ours.
    if (isFile(join(dir, 'cdk.out')) || fs.existsSync(join(dir, 'stacks'))) throw e;
    return undefined;
  }
  if (isObject(manifest) && isObject(manifest.artifacts)) return 'cdk';
  if (isObject(manifest) && isObject(manifest.stacks)) return 'cdktf';
  return undefined;
}

/**
 * Reads a cloud assembly (cdk.out): its stacks and their nested stack templates (see `./assembly`, the reader the
 * CDK validation plugin uses too), then its nested Stage assemblies, recursively.
 */
async function loadCloudAssembly(dir: string, loading: Loading): Promise<NormalizedSet[]> {
  const assembly = readCloudAssembly(dir);
  const sets = loadStackTemplates(assembly.templates, { constructPaths: assembly.constructPaths, accounts: assembly.accounts, skipped: loading.skipped, assemblyDirectory: dir });
  for (const nested of assembly.assemblies) {
    if (!fs.existsSync(nested)) throw new InputError(nested, 'nested cloud assembly listed in manifest.json but missing');
    sets.push(...await loadDirectory(nested, loading));
  }
  return sets;
}

/** Reads a cdktf.out directory: one set per stack's `cdk.tf.json`. */
async function loadCdktfOut(dir: string, loading: Loading): Promise<NormalizedSet[]> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = parseJson(readText(manifestPath), manifestPath) as { stacks: Record<string, unknown> };
  const sets: NormalizedSet[] = [];
  for (const [name, stack] of Object.entries(manifest.stacks)) {
    if (!isObject(stack) || typeof stack.synthesizedStackPath !== 'string') {
      throw new InputError(manifestPath, `stack ${name} has no synthesizedStackPath`);
    }
    const path = join(dir, stack.synthesizedStackPath);
    requireListedFile(path);
    sets.push(...withDeployedTemplates(await normalizeTerraformModule(readModuleFiles([path]), path, moduleReader(dirname(path), loading))));
  }
  return sets;
}
