/**
 * Message catalogs. Every string a person reads comes from here, French first, English beside it.
 * Each module exports its own catalog (`messages.ts`); the app merges them with `mergeCatalogs`.
 */
export type Locale = 'fr' | 'en';
export const locales: readonly Locale[] = ['fr', 'en'];

export type Catalog = Record<string, { fr: string; en: string }>;

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function mergeCatalogs(...catalogs: Catalog[]): Catalog {
  const merged: Catalog = {};
  for (const catalog of catalogs) {
    for (const [key, value] of Object.entries(catalog)) {
      if (key in merged) throw new Error(`message key defined twice: ${key}`);
      merged[key] = value;
    }
  }
  return merged;
}

export function translator(catalog: Catalog, locale: Locale): Translate {
  return (key, params) => {
    const entry = catalog[key];
    // A missing key shows itself rather than failing the page; the catalog test keeps this from shipping.
    let text = entry ? entry[locale] : key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      );
    }
    return text;
  };
}

export function isLocale(value: unknown): value is Locale {
  return value === 'fr' || value === 'en';
}

/** The locale from an explicit choice, else from Accept-Language, else French. */
export function negotiateLocale(choice: string | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(choice)) return choice;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part) => {
        const [tag, ...rest] = part.trim().split(';');
        const q = rest.find((p) => p.trim().startsWith('q='));
        return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
      })
      .filter((entry) => isLocale(entry.lang) && entry.q > 0)
      .sort((a, b) => b.q - a.q);
    if (ranked.length > 0) return ranked[0].lang as Locale;
  }
  return 'fr';
}
