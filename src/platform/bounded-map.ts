/**
 * Sets `key` in a map used as a cache of at most `max` entries: when it is full, the oldest entry goes first (a
 * Map keeps insertion order). Setting a key again moves it to the newest place.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
