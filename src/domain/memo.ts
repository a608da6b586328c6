/**
 * Memoization of pure functions whose inputs repeat across a batch: a daily reminder run asks for
 * the same (instant, zone) and (date, reminder time, zone) answers for every user sharing a zone,
 * and each answer costs several time-zone offset lookups in the date library. Bounded: the cache is
 * emptied when it reaches `max` entries. Results that are mutable (Dates) are copied by `copy`.
 */
export function memoized<A extends unknown[], V>(key: (...args: A) => string, fn: (...args: A) => V, copy: (value: V) => V = (v) => v, max = 2000): (...args: A) => V {
  const cache = new Map<string, V>();
  return (...args: A): V => {
    const k = key(...args);
    const hit = cache.get(k);
    if (hit !== undefined) return copy(hit);
    const value = fn(...args);
    if (cache.size >= max) cache.clear();
    cache.set(k, value);
    return copy(value);
  };
}
