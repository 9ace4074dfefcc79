/**
 * Adds `values` to the list `map` holds for `key`, creating it on first use. The list grows in place: copying it on
 * every add (`map.set(k, [...map.get(k), v])`) made an index of N entries under one key cost N²/2 copies (a managed
 * policy attached to every role of an account, every role of one account).
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, values);
  else list.push(...values);
}
