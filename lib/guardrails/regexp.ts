/**
 * Text as a regular expression matches it literally. Engine-neutral; internal module (not part of the jsii API).
 */

/** `text` with every character a regular expression gives a meaning to escaped (`a.b[0]` → `a\.b\[0\]`). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
