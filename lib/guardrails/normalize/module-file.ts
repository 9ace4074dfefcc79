import * as fs from 'fs';
import { isAbsolute, join, normalize, relative, sep } from 'path';
import { ioReason } from './input-error';

/** Files larger than this are not read by `file()` / `templatefile()` (a key, a SQL script or a policy is far smaller). */
const MAX_MODULE_FILE_BYTES = 1024 * 1024;

/**
 * Reads the file a `file("...")` / `templatefile("...")` call names, relative to the module directory
 * (`path.module`; for a Terraform JSON file or a cdktf stack, the file's directory). A path outside that directory
 * (absolute, `~`, or escaping it with `..`, also through a symbolic link) is refused. Returns the text, or why it
 * could not be read.
 */
export function readModuleFile(moduleDir: string, path: string): { text: string } | { problem: string } {
  if (path === '' || isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('~')) {
    return { problem: 'refused: the path is not relative to the module directory' };
  }
  const full = join(moduleDir, path);
  const inside = (dir: string, file: string): boolean => {
    const rel = relative(dir, file);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
  };
  if (!inside(normalize(moduleDir), normalize(full))) return { problem: 'refused: the path leaves the module directory' };
  try {
    const real = fs.realpathSync(full);
    if (!inside(fs.realpathSync(moduleDir), real)) return { problem: 'refused: the path leaves the module directory (symbolic link)' };
    const stat = fs.statSync(real);
    if (!stat.isFile()) return { problem: 'not a file' };
    if (stat.size > MAX_MODULE_FILE_BYTES) return { problem: `larger than ${MAX_MODULE_FILE_BYTES} bytes` };
    return { text: fs.readFileSync(real, 'utf8') };
  } catch (e) {
    return { problem: ioReason(e, 'cannot read file') };
  }
}
