import type { Catalog, Locale, Translate } from '../platform/i18n.ts';

/**
 * Strings of the self-assessment reports (HTML, PDF; the JSON report carries the state labels too). French
 * first, English beside it. `{name}` style parameters are filled by `translator`.
 */
export const reportMessages: Catalog = {
  'report.title': { fr: 'Rapport d’auto-évaluation', en: 'Self-assessment report' },
  'report.title_for': { fr: 'Rapport d’auto-évaluation — {name}', en: 'Self-assessment report — {name}' },
  'report.generator': {
    fr: 'Rapport produit par mesref le {date}.',
    en: 'Report produced by mesref on {date}.',
  },
  'report.subject': { fr: 'Service évalué', en: 'Service assessed' },
  'report.service': { fr: 'Service', en: 'Service' },
  'report.service_version': { fr: 'Version du service', en: 'Service version' },
  'report.organisation': { fr: 'Éditeur', en: 'Publisher' },
  'report.referential': { fr: 'Référentiel', en: 'Referential' },
  'report.legal_source': { fr: 'Texte de référence', en: 'Legal source' },
  'report.generated_at': { fr: 'Date du rapport', en: 'Report date' },

  'report.demo.title': { fr: 'Version de démonstration', en: 'Demonstration version' },
  'report.demo.body': {
    fr: 'Ce rapport repose sur la version de démonstration « {version} » du référentiel, écrite par mesref à partir des informations publiques. Ce n’est pas le référentiel officiel : le résultat ne vaut pas avis de conformité.',
    en: 'This report rests on the demonstration version “{version}” of the referential, written by mesref from public information. It is not the official referential: the result is no statement of compliance.',
  },

  'report.verdict.heading': { fr: 'Verdict', en: 'Verdict' },
  'report.verdict.ready': {
    fr: 'Prêt pour le dépôt : chaque critère obligatoire applicable est satisfait.',
    en: 'Ready to file: every applicable mandatory criterion is met.',
  },
  'report.verdict.not_ready': { fr: 'Pas encore prêt pour le dépôt.', en: 'Not ready to file yet.' },
  'report.verdict.blocking.one': {
    fr: '{count} critère obligatoire n’est pas satisfait.',
    en: '{count} mandatory criterion is not met.',
  },
  'report.verdict.blocking.other': {
    fr: '{count} critères obligatoires ne sont pas satisfaits.',
    en: '{count} mandatory criteria are not met.',
  },
  'report.verdict.questions.one': {
    fr: '{count} question d’orientation est sans réponse : la liste des critères applicables peut encore changer.',
    en: '{count} orientation question is not answered: the list of applicable criteria may still change.',
  },
  'report.verdict.questions.other': {
    fr: '{count} questions d’orientation sont sans réponse : la liste des critères applicables peut encore changer.',
    en: '{count} orientation questions are not answered: the list of applicable criteria may still change.',
  },
  'report.verdict.counts': {
    fr: 'Critères satisfaits : {ready} sur {applicable} applicables (dont {mandatory} obligatoires) ; avec réponse : {answered}.',
    en: 'Criteria met: {ready} of {applicable} applicable ({mandatory} mandatory); answered: {answered}.',
  },
  'report.missing_questions': {
    fr: 'Questions d’orientation sans réponse',
    en: 'Orientation questions not answered',
  },

  'report.progress.heading': { fr: 'Avancement par rubrique', en: 'Progress per rubrique' },
  'report.progress.rubrique': { fr: 'Rubrique', en: 'Rubrique' },
  'report.progress.applicable': { fr: 'Applicables', en: 'Applicable' },
  'report.progress.answered': { fr: 'Avec réponse', en: 'Answered' },
  'report.progress.ready': { fr: 'Satisfaits', en: 'Met' },
  'report.progress.mandatory': { fr: 'Obligatoires satisfaits', en: 'Mandatory met' },
  'report.progress.bar': { fr: 'Avancement', en: 'Progress' },
  'report.progress.value': {
    fr: '{ready} sur {applicable} ({percent}\u00a0%)',
    en: '{ready} of {applicable} ({percent}%)',
  },
  'report.progress.none': { fr: 'aucun critère applicable', en: 'no applicable criterion' },

  'report.plan.heading': { fr: 'Plan d’action', en: 'Action plan' },
  'report.plan.intro': {
    fr: 'Les écarts à combler, les critères obligatoires d’abord, avec la date cible de chacun.',
    en: 'The gaps to close, mandatory criteria first, each with its target date.',
  },
  'report.plan.none': {
    fr: 'Aucun écart : chaque critère applicable est satisfait.',
    en: 'No gap: every applicable criterion is met.',
  },
  'report.plan.criterion': { fr: 'Critère', en: 'Criterion' },
  'report.plan.state': { fr: 'État', en: 'State' },
  'report.plan.target': { fr: 'Date cible', en: 'Target date' },
  'report.plan.no_target': { fr: 'non fixée', en: 'not set' },
  'report.plan.blocking': { fr: 'bloquant', en: 'blocking' },

  'report.criteria.heading': { fr: 'Critères applicables', en: 'Applicable criteria' },
  'report.criteria.none': { fr: 'Aucun critère applicable.', en: 'No applicable criterion.' },
  'report.criteria.theme': { fr: 'Thème', en: 'Theme' },
  'report.criteria.level': { fr: 'Niveau', en: 'Level' },
  'report.criteria.applies_because': { fr: 'S’applique car', en: 'Applies because' },
  'report.criteria.requirement': { fr: 'Exigence', en: 'Requirement' },
  'report.criteria.answer': { fr: 'Réponse', en: 'Answer' },
  'report.criteria.no_answer': { fr: 'aucune', en: 'none' },
  'report.criteria.justification': { fr: 'Justification', en: 'Justification' },
  'report.criteria.evidence': { fr: 'Preuves', en: 'Evidence' },
  'report.criteria.no_evidence': { fr: 'aucune', en: 'none' },
  'report.criteria.state': { fr: 'État', en: 'State' },
  'report.criteria.source': { fr: 'Source', en: 'Source' },

  'report.not_applicable.heading': { fr: 'Critères non applicables', en: 'Criteria that do not apply' },
  'report.not_applicable.none': {
    fr: 'Tous les critères du référentiel s’appliquent à ce service.',
    en: 'Every criterion of the referential applies to this service.',
  },
  'report.not_applicable.reason': { fr: 'S’appliquerait si', en: 'Would apply if' },

  'report.evidence.file': { fr: 'Fichier « {name} »', en: 'File “{name}”' },
  'report.evidence.link': { fr: 'Lien', en: 'Link' },
  'report.evidence.text': { fr: 'Déclaration : {text}', en: 'Statement: {text}' },
  'report.evidence.sha256': { fr: 'empreinte SHA-256', en: 'SHA-256 digest' },

  'report.size.mib': { fr: '{count} Mio', en: '{count} MiB' },
  'report.size.kib': { fr: '{count} Kio', en: '{count} KiB' },
  'report.size.bytes': { fr: '{count} octets', en: '{count} bytes' },

  'report.level.obligatoire': { fr: 'Obligatoire', en: 'Mandatory' },
  'report.level.optionnel': { fr: 'Optionnel', en: 'Optional' },

  'report.status.conforme': { fr: 'Conforme', en: 'Compliant' },
  'report.status.non-conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'report.status.non-applicable': { fr: 'Non applicable', en: 'Not applicable' },

  'report.state.ready': { fr: 'Satisfait', en: 'Met' },
  'report.state.unanswered': { fr: 'Sans réponse', en: 'Not answered' },
  'report.state.non-conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'report.state.no-evidence': { fr: 'Preuve manquante', en: 'Evidence missing' },
  'report.state.not-applicable-refused': {
    fr: '« Non applicable » non admis pour ce service',
    en: '“Not applicable” not allowed for this service',
  },
  'report.state.justification-missing': { fr: 'Justification manquante', en: 'Justification missing' },

  'report.pdf.page': { fr: 'Page {page} sur {pages}', en: 'Page {page} of {pages}' },
};

/** A count with the word that goes with it (`.one` for 0 and 1 in French, for 1 in English). */
export function reportPlural(t: Translate, key: string, count: number, locale: Locale): string {
  const one = locale === 'fr' ? count <= 1 : count === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { count });
}

/** A file size as people read it: « 1,5 Mio », « 12 Kio », « 830 octets ». */
export function reportBytes(t: Translate, bytes: number, locale: Locale): string {
  const number = (value: number) =>
    new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(value);
  if (bytes >= 1024 * 1024) return t('report.size.mib', { count: number(bytes / 1048576) });
  if (bytes >= 1024) return t('report.size.kib', { count: number(bytes / 1024) });
  return t('report.size.bytes', { count: bytes });
}
