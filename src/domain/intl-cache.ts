/**
 * Memoized Intl objects. Building an Intl.NumberFormat or Intl.DateTimeFormat costs far more than
 * using one (tens of microseconds each, and lists format one per row), while their output depends
 * only on the locale and options: so they are built once per (locale, options) and reused. The
 * caches are bounded: user-supplied locale tags cannot grow them without limit.
 */

const MAX_ENTRIES = 500;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(key, value);
  return value;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `new Intl.NumberFormat(locale, options)`, built once per arguments; throws as the constructor does. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  return numberFormats.get(key) ?? remember(numberFormats, key, new Intl.NumberFormat(locale, options));
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** `new Intl.DateTimeFormat(locale, options)`, built once per arguments; throws as the constructor does. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  return dateFormats.get(key) ?? remember(dateFormats, key, new Intl.DateTimeFormat(locale, options));
}

const knownLocales = new Map<string, boolean>();

/** Whether Intl accepts `locale` as a language tag (`new Intl.DateTimeFormat(locale)` does not throw). */
export function isWellFormedLocale(locale: string): boolean {
  const known = knownLocales.get(locale);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat(locale);
    ok = true;
  } catch {
    ok = false;
  }
  return remember(knownLocales, locale, ok);
}

/** Memoizes a pure predicate over short strings (bounded). */
export function memoizedPredicate(test: (value: string) => boolean): (value: string) => boolean {
  const cache = new Map<string, boolean>();
  return (value) => {
    const hit = cache.get(value);
    return hit !== undefined ? hit : remember(cache, value, test(value));
  };
}
