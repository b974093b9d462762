import type { Catalog } from '../platform/i18n.ts';

/** Strings of the citizen's « Mes mesures » page, of the health data links of their space and of erasure. */
export const measuresPageMessages: Catalog = {
  'measures_page.title': { fr: 'Mes mesures de santé', en: 'My health measures' },
  'measures_page.lead': {
    fr: 'Les mesures que les services connectés ont ajoutées à votre profil, avec votre accord : une courbe et le tableau des valeurs pour chaque type de mesure.',
    en: 'The measures the connected services added to your profile, with your consent: a chart and the table of values for each kind of measure.',
  },
  'measures_page.for_minor': { fr: 'Profil de {name}', en: 'Profile of {name}' },
  'measures_page.filters': { fr: 'Profil et période affichés', en: 'Profile and period shown' },
  'measures_page.person': { fr: 'Profil', en: 'Profile' },
  'measures_page.who_self': { fr: 'Moi', en: 'Me' },
  'measures_page.period': { fr: 'Période', en: 'Period' },
  'measures_page.period.30j': { fr: '30 derniers jours', en: 'Last 30 days' },
  'measures_page.period.1an': { fr: '12 derniers mois', en: 'Last 12 months' },
  'measures_page.period.tout': { fr: 'Tout', en: 'All' },
  'measures_page.show': { fr: 'Afficher', en: 'Show' },
  'measures_page.none': {
    fr: 'Aucun service n’a encore ajouté de mesure à ce profil. Un service connecté peut le faire si vous l’y avez autorisé.',
    en: 'No service has added any measure to this profile yet. A connected service may do so if you allowed it.',
  },
  'measures_page.to_services': { fr: 'Gérer mes services connectés', en: 'Manage my connected services' },
  'measures_page.none_in_period': {
    fr: 'Aucune mesure sur cette période ; la dernière date du {date}.',
    en: 'No measure in this period; the latest dates from {date}.',
  },
  'measures_page.count': {
    fr: '{count} mesure(s) sur la période, du {from} au {to}.',
    en: '{count} measure(s) in this period, from {from} to {to}.',
  },
  'measures_page.truncated': {
    fr: 'Seules les {max} mesures les plus récentes de la période sont montrées : choisissez une période plus courte pour voir les autres.',
    en: 'Only the {max} most recent measures of the period are shown: choose a shorter period to see the others.',
  },
  'measures_page.sources': { fr: 'Ajoutées par', en: 'Added by' },
  'measures_page.caption': { fr: '{title} : valeurs mesurées', en: '{title}: measured values' },
  'measures_page.col.date': { fr: 'Date', en: 'Date' },
  'measures_page.col.value': { fr: 'Valeur', en: 'Value' },
  'measures_page.col.unit': { fr: 'Unité', en: 'Unit' },
  'measures_page.col.service': { fr: 'Service', en: 'Service' },
  'measures_page.chart_summary': {
    fr: 'Courbe {title} : {count} mesure(s) du {from} au {to}. {series}',
    en: 'Chart of {title}: {count} measure(s) from {from} to {to}. {series}',
  },
  'measures_page.chart_series': {
    fr: '{label} : minimum {min}, maximum {max}, dernière valeur {last} {unit}.',
    en: '{label}: minimum {min}, maximum {max}, latest value {last} {unit}.',
  },
  'measures_page.series.systolic': { fr: 'Systolique', en: 'Systolic' },
  'measures_page.series.diastolic': { fr: 'Diastolique', en: 'Diastolic' },
  'measures_page.unit.steps': { fr: 'pas par jour', en: 'steps per day' },
  // the health data of the citizen's space (/usager)
  'measures_page.space_title': { fr: 'Mes données de santé', en: 'My health data' },
  'measures_page.space_lead': {
    fr: 'Les mesures et les documents que les services connectés ont ajoutés à votre profil (et à celui des mineurs dont vous avez la charge).',
    en: 'The measures and documents the connected services added to your profile (and to that of the minors in your care).',
  },
  // closing the space
  'measures_page.erase': {
    fr: 'Vos mesures de santé et les appareils de mesure qui les accompagnent, avec leurs versions successives.',
    en: 'Your health measures and the measuring devices that came with them, with their successive versions.',
  },
};
