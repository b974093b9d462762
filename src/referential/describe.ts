import type { Locale, Translate } from '../platform/i18n.ts';
import { type Criterion, describeCondition, type ReferentialVersion } from './model.ts';

/** How the pages and the command line say a criterion's fields to a person. */
export interface Speaker {
  t: Translate;
  locale: Locale;
}

export function rubriqueTitle(locale: Locale, version: ReferentialVersion, id: string): string {
  return version.rubriques.find((r) => r.id === id)?.title[locale] ?? id;
}

export function themeTitle(
  locale: Locale,
  version: ReferentialVersion,
  rubrique: string,
  theme: string,
): string {
  const found = version.rubriques.find((r) => r.id === rubrique)?.themes.find((t) => t.id === theme);
  return found ? found.title[locale] : theme;
}

/** A criterion field's value for a person: the text in the page's language, a condition in words. */
export function fieldValue(
  ctx: Speaker,
  version: ReferentialVersion,
  criterion: Criterion,
  field: string,
): string {
  const { t, locale } = ctx;
  switch (field) {
    case 'title':
    case 'requirement':
    case 'guidance':
      return criterion[field][locale];
    case 'targetLevels':
      return criterion.targetLevels?.map((level) => level[locale]).join(' ; ') ?? t('referential.value.none');
    case 'appliesWhen':
      return describeCondition(version, criterion.appliesWhen, locale);
    case 'notApplicableWhen':
      return criterion.notApplicableWhen
        ? describeCondition(version, criterion.notApplicableWhen, locale)
        : t('referential.value.none');
    case 'evidence':
      return criterion.evidence.map((kind) => t(`referential.evidence.${kind}`)).join(', ');
    case 'level':
      return t(`referential.level.${criterion.level}`);
    case 'rubrique':
      return rubriqueTitle(locale, version, criterion.rubrique);
    case 'theme':
      return themeTitle(locale, version, criterion.rubrique, criterion.theme);
    case 'part':
      return criterion.part;
    default:
      return String(criterion[field as keyof Criterion] ?? '');
  }
}
