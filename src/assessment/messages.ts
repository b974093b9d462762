import type { Catalog } from '../platform/i18n.ts';

/** Strings of the self-assessment pages and API: French first, English beside it. */
export const assessmentMessages: Catalog = {
  'assessment.title': { fr: 'Auto-évaluation', en: 'Self-assessment' },
  'assessment.title_for': { fr: 'Auto-évaluation — {name}', en: 'Self-assessment — {name}' },
  'assessment.intro': {
    fr: 'Évaluez le service au regard d’une version du référentiel de référencement : le questionnaire d’orientation donne les critères applicables ; répondez à chacun avec vos preuves.',
    en: 'Assess the service against a version of the referencing framework: the orientation questionnaire gives the applicable criteria; answer each one with your evidence.',
  },
  'assessment.list.caption': { fr: 'Auto-évaluations du service', en: 'Self-assessments of the service' },
  'assessment.list.none': {
    fr: 'Aucune auto-évaluation pour ce service.',
    en: 'No self-assessment for this service yet.',
  },
  'assessment.list.version': { fr: 'Version du référentiel', en: 'Framework version' },
  'assessment.list.progress': { fr: 'Avancement', en: 'Progress' },
  'assessment.list.state': { fr: 'État', en: 'State' },
  'assessment.list.open': { fr: 'Ouvrir', en: 'Open' },
  'assessment.list.open_named': {
    fr: 'Ouvrir l’auto-évaluation {version}',
    en: 'Open the {version} self-assessment',
  },
  'assessment.start.title': { fr: 'Commencer une auto-évaluation', en: 'Start a self-assessment' },
  'assessment.start.version': { fr: 'Version du référentiel', en: 'Framework version' },
  'assessment.start.newest': { fr: '(la plus récente)', en: '(the newest)' },
  'assessment.start.submit': { fr: 'Commencer', en: 'Start' },
  'assessment.start.read_only': {
    fr: 'Vous consultez ce service : seuls les membres de son éditeur peuvent l’évaluer.',
    en: 'You are viewing this service: only members of its publisher can assess it.',
  },
  'assessment.demo.title': { fr: 'Version de démonstration', en: 'Demonstration version' },
  'assessment.demo.body': {
    fr: 'La version « {version} » est une version de démonstration écrite à partir des informations publiques ; ce n’est pas le référentiel officiel.',
    en: 'Version “{version}” is a demonstration version written from public information; it is not the official framework.',
  },
  'assessment.nav.label': { fr: 'Étapes de l’auto-évaluation', en: 'Self-assessment steps' },
  'assessment.nav.overview': { fr: 'Synthèse', en: 'Summary' },
  'assessment.nav.orientation': { fr: 'Questionnaire d’orientation', en: 'Orientation questionnaire' },
  'assessment.nav.plan': { fr: 'Plan d’action', en: 'Action plan' },
  'assessment.nav.file': { fr: 'Fichier de réponses (YAML)', en: 'Answers file (YAML)' },
  'assessment.nav.version': { fr: 'Changer de version', en: 'Change version' },

  'assessment.ready.yes': {
    fr: 'Prêt pour le dépôt : chaque critère obligatoire applicable est conforme avec preuve.',
    en: 'Ready to file: every applicable mandatory criterion is compliant with evidence.',
  },
  'assessment.ready.no': { fr: 'Pas encore prêt pour le dépôt.', en: 'Not ready to file yet.' },
  'assessment.ready.badge_yes': { fr: 'Prêt', en: 'Ready' },
  'assessment.ready.badge_no': { fr: 'En cours', en: 'In progress' },
  'assessment.ready.missing_questions': {
    fr: 'Questions d’orientation sans réponse : {count}.',
    en: 'Orientation questions not answered: {count}.',
  },
  'assessment.ready.blocking': {
    fr: 'Critères obligatoires non satisfaits : {count}.',
    en: 'Mandatory criteria not met: {count}.',
  },
  'assessment.counts': {
    fr: '{applicable} critères applicables dont {mandatory} obligatoires ; {answered} répondus, {ready} satisfaits.',
    en: '{applicable} applicable criteria, {mandatory} of them mandatory; {answered} answered, {ready} met.',
  },
  'assessment.progress.title': { fr: 'Avancement par rubrique', en: 'Progress by section' },
  'assessment.progress.label': {
    fr: '{rubrique} : {ready} critères satisfaits sur {applicable}',
    en: '{rubrique}: {ready} of {applicable} criteria met',
  },
  'assessment.progress.detail': {
    fr: '{answered} répondus ; obligatoires satisfaits : {mandatoryReady} sur {mandatory}',
    en: '{answered} answered; mandatory met: {mandatoryReady} of {mandatory}',
  },
  'assessment.progress.open': {
    fr: 'Répondre aux critères : {rubrique}',
    en: 'Answer the criteria: {rubrique}',
  },
  'assessment.progress.none': { fr: 'Aucun critère applicable', en: 'No applicable criterion' },
  'assessment.reports.title': { fr: 'Rapports', en: 'Reports' },
  'assessment.reports.html': { fr: 'Rapport (page web)', en: 'Report (web page)' },
  'assessment.reports.json': { fr: 'Rapport (JSON)', en: 'Report (JSON)' },
  'assessment.reports.pdf': { fr: 'Rapport (PDF)', en: 'Report (PDF)' },

  'assessment.orientation.intro': {
    fr: 'Vos réponses décident des critères applicables. Certaines questions n’apparaissent qu’après une réponse : enregistrez pour les voir.',
    en: 'Your answers decide which criteria apply. Some questions appear only after an answer: save to see them.',
  },
  'assessment.orientation.submit': { fr: 'Enregistrer les réponses', en: 'Save the answers' },
  'assessment.orientation.saved': {
    fr: 'Réponses d’orientation enregistrées.',
    en: 'Orientation answers saved.',
  },
  'assessment.orientation.new_questions': {
    fr: 'De nouvelles questions sont apparues : répondez-y puis enregistrez.',
    en: 'New questions appeared: answer them, then save.',
  },
  'assessment.yes': { fr: 'Oui', en: 'Yes' },
  'assessment.no': { fr: 'Non', en: 'No' },

  'assessment.criteria.title': { fr: 'Critères — {rubrique}', en: 'Criteria — {rubrique}' },
  'assessment.criteria.none': {
    fr: 'Aucun critère de cette rubrique ne s’applique au service.',
    en: 'No criterion of this section applies to the service.',
  },
  'assessment.criterion.reason': { fr: 'Pourquoi il s’applique :', en: 'Why it applies:' },
  'assessment.criterion.requirement': { fr: 'Exigence', en: 'Requirement' },
  'assessment.criterion.guidance': { fr: 'Conseils', en: 'Guidance' },
  'assessment.criterion.source': { fr: 'Source :', en: 'Source:' },
  'assessment.criterion.expected': { fr: 'Preuves attendues :', en: 'Evidence expected:' },
  'assessment.criterion.target_levels': { fr: 'Niveaux cibles :', en: 'Target levels:' },
  'assessment.criterion.last_change': {
    fr: 'Dernière modification par {who} le {when}.',
    en: 'Last changed by {who} on {when}.',
  },
  'assessment.level.obligatoire': { fr: 'Obligatoire', en: 'Mandatory' },
  'assessment.level.optionnel': { fr: 'Optionnel', en: 'Optional' },
  'assessment.state.ready': { fr: 'Satisfait', en: 'Met' },
  'assessment.state.unanswered': { fr: 'Sans réponse', en: 'Not answered' },
  'assessment.state.non-conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'assessment.state.no-evidence': { fr: 'Preuve manquante', en: 'Evidence missing' },
  'assessment.state.not-applicable-refused': {
    fr: 'Non applicable refusé',
    en: 'Not applicable refused',
  },
  'assessment.state.justification-missing': { fr: 'Justification manquante', en: 'Justification missing' },
  'assessment.status.legend': { fr: 'Réponse', en: 'Answer' },
  'assessment.status.none': { fr: 'Pas encore de réponse', en: 'No answer yet' },
  'assessment.status.conforme': { fr: 'Conforme', en: 'Compliant' },
  'assessment.status.non-conforme': { fr: 'Non conforme', en: 'Not compliant' },
  'assessment.status.non-applicable': { fr: 'Non applicable', en: 'Not applicable' },
  'assessment.field.justification': { fr: 'Justification', en: 'Justification' },
  'assessment.field.justification_hint': {
    fr: 'Obligatoire pour « non conforme » et « non applicable ».',
    en: 'Required for “not compliant” and “not applicable”.',
  },
  'assessment.field.target_date': {
    fr: 'Date cible de mise en conformité',
    en: 'Target date for compliance',
  },
  'assessment.field.target_date_hint': { fr: 'Format : AAAA-MM-JJ', en: 'Format: YYYY-MM-DD' },
  'assessment.field.evidence_url': {
    fr: 'Ajouter une preuve : adresse web',
    en: 'Add evidence: web address',
  },
  'assessment.field.evidence_url_hint': { fr: 'Commence par https://', en: 'Starts with https://' },
  'assessment.field.evidence_text': { fr: 'Ajouter une preuve : déclaration', en: 'Add evidence: statement' },
  'assessment.field.evidence_file': { fr: 'Ajouter une preuve : fichier', en: 'Add evidence: file' },
  'assessment.field.evidence_file_hint': {
    fr: 'PDF, image, document bureautique ou texte ; {max} au plus.',
    en: 'PDF, image, office document or text; {max} at most.',
  },
  'assessment.save': { fr: 'Enregistrer la réponse', en: 'Save the answer' },
  'assessment.save_named': {
    fr: 'Enregistrer la réponse au critère {id}',
    en: 'Save the answer to criterion {id}',
  },
  'assessment.saved': { fr: 'Réponse au critère {id} enregistrée.', en: 'Answer to criterion {id} saved.' },
  'assessment.evidence.title': { fr: 'Preuves', en: 'Evidence' },
  'assessment.evidence.none': { fr: 'Aucune preuve pour l’instant.', en: 'No evidence yet.' },
  'assessment.evidence.download': { fr: 'Télécharger {name} ({size})', en: 'Download {name} ({size})' },
  'assessment.evidence.not_stored': {
    fr: '{name} (nommé dans le fichier importé, pas encore déposé)',
    en: '{name} (named in the imported file, not uploaded yet)',
  },
  'assessment.evidence.remove': { fr: 'Retirer', en: 'Remove' },
  'assessment.evidence.remove_named': { fr: 'Retirer la preuve {name}', en: 'Remove evidence {name}' },
  'assessment.evidence.removed': { fr: 'Preuve retirée.', en: 'Evidence removed.' },
  'assessment.size.mib': { fr: '{count} Mio', en: '{count} MiB' },
  'assessment.size.kib': { fr: '{count} Kio', en: '{count} KiB' },
  'assessment.size.bytes': { fr: '{count} octets', en: '{count} bytes' },

  'assessment.conflict.answer': {
    fr: 'Un ou une collègue a modifié la réponse au critère {criterion} pendant que vous la saisissiez. Rien n’a été écrasé : comparez sa réponse et la vôtre, puis enregistrez à nouveau.',
    en: 'A colleague changed the answer to criterion {criterion} while you were editing it. Nothing was overwritten: compare their answer with yours, then save again.',
  },
  'assessment.conflict.orientation': {
    fr: 'Un ou une collègue a modifié le questionnaire d’orientation entre-temps. Rien n’a été écrasé : relisez ses réponses, puis enregistrez à nouveau.',
    en: 'A colleague changed the orientation questionnaire in the meantime. Nothing was overwritten: read their answers, then save again.',
  },
  'assessment.conflict.theirs': {
    fr: 'Réponse enregistrée par votre collègue',
    en: 'Answer saved by your colleague',
  },
  'assessment.conflict.yours': { fr: 'Votre saisie (non enregistrée)', en: 'What you typed (not saved)' },
  'assessment.conflict.form': {
    fr: 'Le formulaire ci-dessous garde votre saisie : l’enregistrer remplacera la réponse de votre collègue. Un fichier joint n’a pas été gardé : joignez-le de nouveau.',
    en: 'The form below keeps what you typed: saving it will replace your colleague’s answer. An attached file was not kept: attach it again.',
  },
  'assessment.conflict.exists': {
    fr: 'Ce service a déjà une auto-évaluation sur cette version.',
    en: 'This service already has a self-assessment on this version.',
  },
  'assessment.conflict.exists_on': {
    fr: 'Ce service a déjà une auto-évaluation sur la version {version}.',
    en: 'This service already has a self-assessment on version {version}.',
  },
  'assessment.version.missing': {
    fr: 'La version {id} du référentiel n’est plus chargée.',
    en: 'Framework version {id} is no longer loaded.',
  },
  'assessment.read_only': {
    fr: 'Seuls les membres de l’éditeur du service peuvent modifier son auto-évaluation.',
    en: 'Only members of the service’s publisher can change its self-assessment.',
  },
  'assessment.field.status': {
    fr: 'Choisissez une réponse proposée.',
    en: 'Choose one of the answers offered.',
  },
  'assessment.field.not_applicable_refused': {
    fr: 'Ce critère obligatoire ne peut pas être déclaré non applicable pour ce service.',
    en: 'This mandatory criterion cannot be declared not applicable for this service.',
  },
  'assessment.field.too_long': { fr: 'Ce texte est trop long.', en: 'This text is too long.' },
  'assessment.field.invalid_characters': {
    fr: 'Ce texte contient des caractères non autorisés.',
    en: 'This text contains characters that are not allowed.',
  },
  'assessment.field.date': {
    fr: 'Saisissez une date au format AAAA-MM-JJ.',
    en: 'Enter a date in the YYYY-MM-DD format.',
  },
  'assessment.field.version': { fr: 'Version de la réponse invalide.', en: 'Invalid answer version.' },
  'assessment.field.evidence_url_invalid': {
    fr: 'Saisissez une adresse web complète (https://…).',
    en: 'Enter a full web address (https://…).',
  },
  'assessment.field.file_too_large': {
    fr: 'Le fichier dépasse la taille maximale acceptée.',
    en: 'The file is over the largest size accepted.',
  },
  'assessment.field.file_empty': { fr: 'Le fichier est vide.', en: 'The file is empty.' },
  'assessment.field.file_type': {
    fr: 'Ce type de fichier n’est pas accepté : déposez un PDF, une image, un document bureautique ou un texte.',
    en: 'This type of file is not accepted: upload a PDF, an image, an office document or a text.',
  },
  'assessment.field.version_unknown': {
    fr: 'Choisissez une version du référentiel proposée.',
    en: 'Choose one of the framework versions offered.',
  },
  'assessment.field.orientation_unknown': { fr: 'Question inconnue.', en: 'Unknown question.' },
  'assessment.field.orientation_boolean': { fr: 'Répondez par oui ou non.', en: 'Answer yes or no.' },
  'assessment.field.orientation_option': {
    fr: 'Choisissez parmi les réponses proposées.',
    en: 'Choose among the answers offered.',
  },
  'assessment.form.error': { fr: 'La réponse n’a pas été enregistrée', en: 'The answer was not saved' },
  'assessment.form.fields': { fr: 'Certains champs sont à corriger.', en: 'Some fields need correcting.' },

  'assessment.plan.intro': {
    fr: 'Les écarts à combler, obligatoires d’abord, chacun avec sa date cible.',
    en: 'The gaps to close, mandatory first, each with its target date.',
  },
  'assessment.plan.none': {
    fr: 'Aucun écart : tous les critères applicables sont satisfaits.',
    en: 'No gap: every applicable criterion is met.',
  },
  'assessment.plan.caption': { fr: 'Écarts et dates cibles', en: 'Gaps and target dates' },
  'assessment.plan.criterion': { fr: 'Critère', en: 'Criterion' },
  'assessment.plan.state': { fr: 'État', en: 'State' },
  'assessment.plan.target': { fr: 'Date cible', en: 'Target date' },
  'assessment.plan.target_for': { fr: 'Date cible du critère {id}', en: 'Target date of criterion {id}' },
  'assessment.plan.save_for': {
    fr: 'Enregistrer la date du critère {id}',
    en: 'Save the date of criterion {id}',
  },
  'assessment.plan.save': { fr: 'Enregistrer', en: 'Save' },
  'assessment.plan.saved': { fr: 'Date cible enregistrée.', en: 'Target date saved.' },

  'assessment.file.intro': {
    fr: 'Gardez vos réponses dans votre propre dépôt : exportez-les en YAML, vérifiez-les avec « mesref check » dans votre intégration continue, puis importez-les ici.',
    en: 'Keep your answers in your own repository: export them as YAML, check them with “mesref check” in your continuous integration, then import them here.',
  },
  'assessment.file.export': { fr: 'Exporter les réponses (YAML)', en: 'Export the answers (YAML)' },
  'assessment.file.import_title': { fr: 'Importer un fichier de réponses', en: 'Import an answers file' },
  'assessment.file.import_warning': {
    fr: 'L’import remplace le questionnaire d’orientation et toutes les réponses. Les fichiers déjà déposés restent quand le fichier les nomme encore.',
    en: 'Importing replaces the orientation questionnaire and every answer. Files already uploaded stay when the file still names them.',
  },
  'assessment.file.field': { fr: 'Fichier de réponses', en: 'Answers file' },
  'assessment.file.field_hint': { fr: 'Fichier YAML (.yaml ou .yml).', en: 'YAML file (.yaml or .yml).' },
  'assessment.file.submit': { fr: 'Importer', en: 'Import' },
  'assessment.file.imported': { fr: 'Fichier de réponses importé.', en: 'Answers file imported.' },
  'assessment.file.empty': { fr: 'Choisissez un fichier à importer.', en: 'Choose a file to import.' },
  'assessment.import.refused': {
    fr: 'Le fichier de réponses n’a pas été importé ({count} problème(s)) ; rien n’a été modifié.',
    en: 'The answers file was not imported ({count} problem(s)); nothing was changed.',
  },
  'assessment.import.problems_caption': { fr: 'Problèmes du fichier', en: 'Problems of the file' },
  'assessment.import.line': { fr: 'Ligne', en: 'Line' },
  'assessment.import.path': { fr: 'Emplacement', en: 'Path' },
  'assessment.import.message': { fr: 'Problème', en: 'Problem' },
  'assessment.import.media_type': {
    fr: 'Envoyez le fichier en text/yaml ou application/yaml.',
    en: 'Send the file as text/yaml or application/yaml.',
  },

  'assessment.move.intro': {
    fr: 'Commencez l’auto-évaluation du service sur une autre version : les réponses qui valent encore sont reprises, avec leurs preuves ; les autres sont à donner de nouveau. Cette auto-évaluation reste telle quelle.',
    en: 'Start the service’s self-assessment on another version: answers that still hold are carried over, with their evidence; the others must be given again. This self-assessment stays as it is.',
  },
  'assessment.move.choose': { fr: 'Version cible', en: 'Target version' },
  'assessment.move.preview': { fr: 'Voir ce qui change', en: 'See what changes' },
  'assessment.move.summary': {
    fr: 'Vers {version} : {kept} réponses reprises, {toAnswer} critères à renseigner, {dropped} réponses qui ne comptent plus.',
    en: 'To {version}: {kept} answers carried over, {toAnswer} criteria to answer, {dropped} answers that no longer count.',
  },
  'assessment.move.to_answer': { fr: 'À renseigner de nouveau', en: 'To answer again' },
  'assessment.move.submit': { fr: 'Commencer sur cette version', en: 'Start on this version' },
  'assessment.move.none': { fr: 'Aucune autre version disponible.', en: 'No other version available.' },
};
