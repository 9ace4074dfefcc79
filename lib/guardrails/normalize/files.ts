/**
 * The file-system reads of the loaders ({@link ./load} and {@link ./assembly}): each failure that makes input
 * unusable is an `InputError` naming the path; a FIFO, socket or device is named as such and never opened.
 * Engine-neutral; internal module.
 */
import * as fs from 'fs';
import { InputError, ioReason } from './input-error';

export function statPath(path: string): fs.Stats {
  try {
    return fs.statSync(path);
  } catch (e) {
    throw new InputError(path, ioReason(e, 'cannot read'));
  }
}

export function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch {
    return undefined;
  }
}

export function isFile(path: string): boolean {
  return statOrUndefined(path)?.isFile() ?? false;
}

export function readText(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(path, ioReason(e, 'cannot read file'));
  }
}

/** The names in `dir`, sorted. */
export function readDirectory(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(dir, ioReason(e, 'cannot read directory'));
  }
}

export function realPath(path: string): string {
  try {
    return fs.realpathSync(path);
  } catch {
    return path;
  }
}

/** The reason for a path that is neither a regular file nor a directory. */
export function notRegular(stat: fs.Stats): string {
  return `not a regular file (${specialKind(stat)})`;
}

function specialKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'special file';
}

/** The note for a non-regular file met in a directory walk. */
export function skippedNote(path: string, stat: fs.Stats): string {
  return `${path}: ${notRegular(stat)}; skipped, not read`;
}

/** A file a manifest lists: missing, or not a regular file (which would block or is no template), is unusable input. */
export function requireListedFile(path: string): void {
  const stat = statOrUndefined(path);
  if (!stat) throw new InputError(path, 'listed in manifest.json but missing');
  if (!stat.isFile()) throw new InputError(path, stat.isDirectory() ? 'listed in manifest.json but a directory' : notRegular(stat));
}

/**
 * Notes about what a read skipped, carried by the first set it returned (the evaluation reports every set's
 * notes). A read that found no set has nowhere to put them: the CLI then says the directory has no templates.
 */
export function withNotes<T extends { readonly notes?: readonly string[] }>(sets: T[], notes: readonly string[]): T[] {
  if (notes.length === 0 || sets.length === 0) return sets;
  const [first, ...rest] = sets;
  return [{ ...first, notes: [...(first.notes ?? []), ...notes] }, ...rest];
}
