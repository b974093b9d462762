/**
 * Texts of the measures API's own refusals (those MES does not word itself), French and English. The
 * OperationOutcome carries them in `details.text`; `diagnostics` stays in MES's English style.
 */
import type { Locale } from '../platform/i18n.ts';

export const measuresMessages = {
  'measures.subject_system': {
    fr: 'Le système de subject.identifier doit être celui des idPe de cette plateforme : {system}.',
    en: 'The system of subject.identifier must be this platform’s idPe system: {system}.',
  },
  'measures.no_category': {
    fr: 'Le code de l’observation ({codes}) n’appartient à aucune catégorie de données de Mon espace santé.',
    en: 'The observation’s code ({codes}) belongs to no data category of Mon espace santé.',
  },
  'measures.device_unknown': {
    fr: 'Observation.device.reference doit désigner le Device du Bundle ou un Device déjà enregistré pour cet usager.',
    en: 'Observation.device.reference must designate the Bundle’s Device or a Device already stored for this person.',
  },
  'measures.effective': {
    fr: 'effectiveDateTime n’est pas une date lisible.',
    en: 'effectiveDateTime is not a readable date.',
  },
  'measures.not_push_bundle': {
    fr: 'Le Bundle doit porter une création d’Observation et au plus un Device (POST).',
    en: 'The Bundle must hold one Observation creation and at most one Device (POST).',
  },
} as const;

export type MeasuresMessage = keyof typeof measuresMessages;

export function measuresText(
  key: MeasuresMessage,
  locale: Locale,
  params: Record<string, string> = {},
): string {
  return measuresMessages[key][locale].replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
