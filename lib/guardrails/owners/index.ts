/**
 * Owners of findings and federated trusts, for the inventory report's per-owner counts ("which teams are lagging").
 * Sources, most specific first:
 * 1. the resource's owner tags (`owner`, `team` by default); a credential resource without one (an IAM access key)
 *    takes its identity's (the IAM user's);
 * 2. the exemption's owner, for a finding under an exemption;
 * 3. CODEOWNERS (GitHub / GitLab), matched against the resource's source file (see `./sources`): the `.tf` file, the
 *    CDK / cdktf app's entry file, or the configured source file;
 * 4. the configured default owner. Else no owner: the report counts it under `(unowned)`.
 *
 * {@link OwnerAttribution} is built once per report from the resource sets checked and is then a lookup; it keeps no
 * state beyond what it read from the sets and the CODEOWNERS files.
 *
 * Engine-neutral; internal module (not part of the jsii API).
 */
import * as fs from 'fs';
import * as path from 'path';
import { FederatedTrust, Finding, NormalizedResource, ResourceSet } from '../model';
import { InputError } from '../normalize/input-error';
import { ReportOwner, UNOWNED } from '../report/model';
import { Codeowners, codeownersRoot, findCodeowners, matchCodeowners, parseCodeowners } from './codeowners';
import { sourceFileOf } from './sources';
import { DEFAULT_OWNER_TAG_KEYS, ownerTag } from './tags';

export * from './codeowners';
export * from './sources';
export * from './tags';

export { UNOWNED };

/** How owners are attributed. */
export interface OwnerOptions {
  /** Tag keys that name an owner, tried in order, matched case-insensitively. Default `owner`, `team`. */
  readonly tagKeys?: readonly string[];
  /** A CODEOWNERS file to use for every input, instead of the one found walking up from each source file. */
  readonly codeowners?: Codeowners;
  /** The owner of what no other source attributes. */
  readonly defaultOwner?: string;
  /**
   * The source file of every input (the CDK plugin / cdktf aspect: the running app's entry). Default: each file's own
   * source (see `sourceFileOf`).
   */
  readonly sourceFile?: string;
}

/** The owner of one finding or trust, and a note when an owner tag could not be read and nothing else gave one. */
export interface OwnerLookup {
  readonly owner?: ReportOwner;
  readonly note?: string;
}

/** Reads a CODEOWNERS file; throws {@link InputError} naming it when it cannot be read. */
export function readCodeowners(file: string): Codeowners {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'is a directory, expected a CODEOWNERS file' : `cannot read file: ${code ?? (e as Error).message}`);
  }
  return parseCodeowners(text, path.resolve(file), codeownersRoot(file));
}

/** Attributes owners to the findings and trusts of one report. */
export class OwnerAttribution {
  /** Builds the attribution over the resource sets of one check. */
  public static fromSets(sets: readonly ResourceSet[], options: OwnerOptions = {}): OwnerAttribution {
    return new OwnerAttribution(sets, options);
  }

  /** What could not be read (CODEOWNERS lines skipped, unreadable CODEOWNERS files), one line each. */
  public readonly notes: string[] = [];
  private readonly tagKeys: readonly string[];
  private readonly resources = new Map<string, { resource: NormalizedResource; set: ResourceSet }>();
  private readonly bySet = new Map<ResourceSet, Map<string, NormalizedResource>>();
  /** Directory -> the CODEOWNERS that governs it (undefined: none), so each file is read once per report. */
  private readonly codeownersByDir = new Map<string, Codeowners | undefined>();
  /** Checked file -> its source file (see `sourceFileOf`), so the walk up is done once per file. */
  private readonly sourceByFile = new Map<string, string>();
  /** File as findings and sets name it -> its absolute path (resolved once per file, not per lookup). */
  private readonly absoluteByFile = new Map<string, string>();
  /** Checked file -> the owner its CODEOWNERS or the default gives, when no tag was unreadable (once per file). */
  private readonly fileOwnerByFile = new Map<string, OwnerLookup>();

  private constructor(sets: readonly ResourceSet[], private readonly options: OwnerOptions) {
    this.tagKeys = options.tagKeys && options.tagKeys.length > 0 ? options.tagKeys : DEFAULT_OWNER_TAG_KEYS;
    for (const set of sets) {
      const byAddress = new Map<string, NormalizedResource>();
      for (const resource of set.resources) {
        byAddress.set(resource.address, resource);
        this.resources.set(this.key(resource.file, resource.address), { resource, set });
        if (resource.file !== set.file) this.resources.set(this.key(set.file, resource.address), { resource, set });
      }
      this.bySet.set(set, byAddress);
    }
    if (options.codeowners) this.notes.push(...codeownersNotes(options.codeowners));
  }

  /** The owner of a finding: tags (the resource's, then its identity's), the exemption, CODEOWNERS, the default. */
  public ofFinding(finding: Finding): OwnerLookup {
    const found = this.resources.get(this.key(finding.file, finding.resource));
    const unresolved: string[] = [];
    const candidates = found ? [found.resource] : [];
    const identity = found && finding.identity !== undefined ? this.bySet.get(found.set)?.get(finding.identity) : undefined;
    if (identity && identity !== found?.resource) candidates.push(identity);
    for (const resource of candidates) {
      const tag = ownerTag(resource, this.tagKeys);
      if (tag.owner !== undefined) return { owner: { name: tag.owner, source: 'tag' } };
      unresolved.push(...tag.unresolved.map((u) => `${resource.address}: ${u}`));
    }
    if (finding.exemption) return { owner: { name: finding.exemption.owner, source: 'exemption' } };
    return this.fromFile(finding.file, `${finding.ruleId} on ${finding.resource}`, unresolved);
  }

  /** The owner of a federated trust: the trust resource's tags, CODEOWNERS, the default. */
  public ofTrust(trust: FederatedTrust): OwnerLookup {
    const found = this.resources.get(this.key(trust.file, trust.resource));
    const unresolved: string[] = [];
    if (found) {
      const tag = ownerTag(found.resource, this.tagKeys);
      if (tag.owner !== undefined) return { owner: { name: tag.owner, source: 'tag' } };
      unresolved.push(...tag.unresolved.map((u) => `${found.resource.address}: ${u}`));
    }
    return this.fromFile(trust.file, `the trust ${trust.resource}`, unresolved);
  }

  private fromFile(file: string, what: string, unresolved: readonly string[]): OwnerLookup {
    if (unresolved.length > 0) return this.readFileOwner(file, what, unresolved);
    let lookup = this.fileOwnerByFile.get(file);
    if (lookup === undefined) {
      lookup = this.readFileOwner(file, what, unresolved);
      this.fileOwnerByFile.set(file, lookup);
    }
    return lookup;
  }

  private readFileOwner(file: string, what: string, unresolved: readonly string[]): OwnerLookup {
    const source = this.options.sourceFile ?? this.sourceOf(file);
    const codeowners = this.options.codeowners ?? this.codeownersFor(source);
    const match = codeowners ? matchCodeowners(codeowners, source) : undefined;
    if (match && match.owners.length > 0) return { owner: { name: match.owners[0], source: 'codeowners' } };
    if (this.options.defaultOwner !== undefined) return { owner: { name: this.options.defaultOwner, source: 'default' } };
    if (unresolved.length === 0) return {};
    return { note: `owner of ${what} (${file}): the owner tag is not a literal value (${unresolved.join('; ')}); counted as ${UNOWNED}` };
  }

  private key(file: string, address: string): string {
    let absolute = this.absoluteByFile.get(file);
    if (absolute === undefined) {
      absolute = path.resolve(file);
      this.absoluteByFile.set(file, absolute);
    }
    return `${absolute}\u0000${address}`;
  }

  private sourceOf(file: string): string {
    let source = this.sourceByFile.get(file);
    if (source === undefined) {
      source = sourceFileOf(file);
      this.sourceByFile.set(file, source);
    }
    return source;
  }

  private codeownersFor(source: string): Codeowners | undefined {
    const dir = path.dirname(path.resolve(source));
    if (this.codeownersByDir.has(dir)) return this.codeownersByDir.get(dir);
    const file = findCodeowners(dir);
    let codeowners: Codeowners | undefined;
    if (file !== undefined) {
      try {
        codeowners = readCodeowners(file);
        this.notes.push(...codeownersNotes(codeowners));
      } catch (e) {
        this.notes.push(`CODEOWNERS ${file}: ${(e as InputError).reason ?? (e as Error).message}; no owners read from it`);
      }
    }
    this.codeownersByDir.set(dir, codeowners);
    return codeowners;
  }
}

function codeownersNotes(codeowners: Codeowners): string[] {
  return codeowners.problems.map((p) => `CODEOWNERS ${codeowners.file}: ${p}`);
}


