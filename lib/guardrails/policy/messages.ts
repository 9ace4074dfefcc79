/**
 * How values and places are named in finding messages.
 */
import { Engine } from '../model';

/** Short human form of a value for messages (never used for secret values). */
export function shortValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Engine-specific name for where a finding lives, for messages. */
export function engineNoun(engine: Engine): string {
  return engine === 'cloudformation' ? 'template' : 'configuration';
}
