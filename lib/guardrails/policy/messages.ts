/**
 * How values and places are named in finding messages.
 */
import { Engine } from '../model';

/** Short human form of a value for messages, strings quoted (never used for secret values). */
export function shortValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(clip(value, 120));
  return clip(JSON.stringify(value) ?? String(value), 120);
}

/**
 * Short form of a value as the configuration wrote it, for notes about an argument (`count = ${var.n}`): a string as
 * it is, anything else as JSON (never used for secret values).
 */
export function shortExpression(value: unknown, max = 80): string {
  return clip(typeof value === 'string' ? value : JSON.stringify(value) ?? String(value), max);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Engine-specific name for where a finding lives, for messages. */
export function engineNoun(engine: Engine): string {
  return engine === 'cloudformation' ? 'template' : 'configuration';
}
