import type { Catalog } from '../platform/i18n.ts';

/** Strings of the referential pages (`/referentiels…`) and of `mesref referential`. */
export const referentialMessages: Catalog = {
  /** French puts a (non-breaking) space before a colon, English does not. */
  'referential.colon': { fr: '\u00a0: ', en: ': ' },
  'referential.list.title': { fr: 'Référentiels de référencement', en: 'Referencing frameworks' },
  'referential.list.lead': {
    fr: 'Les versions du référentiel de référencement à Mon espace santé que mesref connaît : leurs critères, les conditions dans lesquelles chacun s’applique, et ce qui change d’une version à l’autre.',
    en: 'The versions of the Mon espace santé referencing framework that mesref knows: their criteria, when each applies, and what changes from one version to the next.',
  },
  'referential.list.caption': { fr: 'Versions du référentiel', en: 'Framework versions' },
  'referential.list.compare_previous': {
    fr: 'Comparer avec {id}',
    en: 'Compare with {id}',
  },
  'referential.list.none': { fr: 'Aucune version à comparer', en: 'No version to compare with' },
  'referential.compare.title': { fr: 'Comparer deux versions', en: 'Compare two versions' },
  'referential.compare.from': { fr: 'Version de départ', en: 'From version' },
  'referential.compare.to': { fr: 'Version d’arrivée', en: 'To version' },
  'referential.compare.submit': { fr: 'Comparer', en: 'Compare' },

  'referential.col.version': { fr: 'Version', en: 'Version' },
  'referential.col.title': { fr: 'Intitulé', en: 'Title' },
  'referential.col.status': { fr: 'Statut', en: 'Status' },
  'referential.col.legal': { fr: 'Texte', en: 'Legal text' },
  'referential.col.effective': { fr: 'En vigueur depuis', en: 'In force since' },
  'referential.col.criteria': { fr: 'Critères', en: 'Criteria' },
  'referential.col.compare': { fr: 'Comparaison', en: 'Comparison' },
  'referential.col.id': { fr: 'Identifiant', en: 'Identifier' },
  'referential.col.criterion': { fr: 'Critère', en: 'Criterion' },
  'referential.col.level': { fr: 'Niveau', en: 'Level' },
  'referential.col.applies': { fr: 'S’applique', en: 'Applies' },
  'referential.col.rubrique': { fr: 'Rubrique', en: 'Section' },
  'referential.col.themes': { fr: 'Thèmes', en: 'Themes' },
  'referential.col.mandatory': { fr: 'Obligatoires', en: 'Mandatory' },
  'referential.col.optional': { fr: 'Optionnels', en: 'Optional' },
  'referential.col.field': { fr: 'Champ', en: 'Field' },
  'referential.col.before': { fr: 'Avant ({id})', en: 'Before ({id})' },
  'referential.col.after': { fr: 'Après ({id})', en: 'After ({id})' },
  'referential.col.question': { fr: 'Question', en: 'Question' },
  'referential.col.asked_when': { fr: 'Posée', en: 'Asked' },

  'referential.status.official': { fr: 'Officielle', en: 'Official' },
  'referential.status.demonstration': { fr: 'Démonstration', en: 'Demonstration' },
  'referential.newest': { fr: 'En vigueur', en: 'In force' },
  'referential.criteria_count': {
    fr: '{count} critères dont {mandatory} obligatoires',
    en: '{count} criteria, {mandatory} mandatory',
  },

  'referential.demo.title': { fr: 'Version de démonstration', en: 'Demonstration version' },
  'referential.demo.text': {
    fr: 'La version {id} n’est pas l’annexe officielle : mesref l’a rédigée à partir des informations publiques (rubriques, thèmes, nombre de critères, critère ETH 32). Les autres libellés sont ceux de mesref. Pour un dossier réel, importez l’annexe officielle.',
    en: 'Version {id} is not the official annex: mesref wrote it from public information (sections, themes, criteria counts, criterion ETH 32). The other wordings are mesref’s own. For a real application, import the official annex.',
  },

  'referential.version.legal': { fr: 'Texte', en: 'Legal text' },
  'referential.version.legal_date': { fr: 'du {date}', en: 'of {date}' },
  'referential.version.effective': { fr: 'En vigueur depuis le {date}', en: 'In force since {date}' },
  'referential.version.based_on': { fr: 'Construite sur', en: 'Built on' },
  'referential.version.compare_base': {
    fr: 'Voir ce qui change depuis {id}',
    en: 'See what changed since {id}',
  },
  'referential.version.summary': { fr: 'Critères par rubrique', en: 'Criteria per section' },
  'referential.version.total': { fr: 'Total', en: 'Total' },
  'referential.version.theme_caption': {
    fr: 'Critères du thème « {theme} »',
    en: 'Criteria of the theme « {theme} »',
  },
  'referential.version.no_criteria': {
    fr: 'Aucun critère dans ce thème pour cette version.',
    en: 'No criterion in this theme for this version.',
  },
  'referential.version.questionnaire': { fr: 'Questionnaire d’orientation', en: 'Orientation questionnaire' },
  'referential.version.questionnaire_lead': {
    fr: 'Les réponses à ces questions décident des critères qui s’appliquent à un service.',
    en: 'The answers to these questions decide which criteria apply to a service.',
  },
  'referential.version.target_levels': { fr: 'Niveaux cibles', en: 'Target levels' },
  'referential.version.not_applicable_when': {
    fr: 'Peut être déclaré non applicable si\u00a0: {condition}',
    en: 'May be declared not applicable if: {condition}',
  },
  'referential.version.evidence': { fr: 'Preuves attendues', en: 'Evidence expected' },
  'referential.version.source': { fr: 'Source', en: 'Source' },
  'referential.version.part.securite-echange': {
    fr: 'Sécurité des échanges de données',
    en: 'Data exchange security',
  },
  'referential.version.part.finalites': { fr: 'Finalités', en: 'Purposes' },
  'referential.version.always_asked': { fr: 'toujours', en: 'always' },

  'referential.level.obligatoire': { fr: 'Obligatoire', en: 'Mandatory' },
  'referential.level.optionnel': { fr: 'Optionnel', en: 'Optional' },

  'referential.evidence.document': { fr: 'document', en: 'document' },
  'referential.evidence.url': { fr: 'adresse web', en: 'web address' },
  'referential.evidence.declaration': { fr: 'déclaration', en: 'declaration' },
  'referential.evidence.ecoscore': { fr: 'résultat d’écoscore', en: 'écoscore result' },
  'referential.evidence.connection-test': {
    fr: 'rapport de tests d’accrochage',
    en: 'connection-test report',
  },
  'referential.evidence.automated-check': { fr: 'contrôle automatisé', en: 'automated check' },

  'referential.diff.title': { fr: 'De {from} à {to}', en: 'From {from} to {to}' },
  'referential.diff.lead': {
    fr: 'Critères ajoutés, retirés et modifiés entre la version {from} et la version {to}.',
    en: 'Criteria added, removed and changed between version {from} and version {to}.',
  },
  'referential.diff.added': { fr: 'Critères ajoutés ({count})', en: 'Criteria added ({count})' },
  'referential.diff.removed': { fr: 'Critères retirés ({count})', en: 'Criteria removed ({count})' },
  'referential.diff.changed': { fr: 'Critères modifiés ({count})', en: 'Criteria changed ({count})' },
  'referential.diff.none': { fr: 'Aucun.', en: 'None.' },
  'referential.diff.same': {
    fr: 'Les deux versions ont les mêmes critères.',
    en: 'Both versions have the same criteria.',
  },
  'referential.diff.changed_fields': { fr: 'Champs modifiés : {fields}', en: 'Changed fields: {fields}' },

  'referential.field.rubrique': { fr: 'rubrique', en: 'section' },
  'referential.field.theme': { fr: 'thème', en: 'theme' },
  'referential.field.part': { fr: 'partie', en: 'part' },
  'referential.field.title': { fr: 'titre', en: 'title' },
  'referential.field.requirement': { fr: 'exigence', en: 'requirement' },
  'referential.field.level': { fr: 'niveau', en: 'level' },
  'referential.field.targetLevels': { fr: 'niveaux cibles', en: 'target levels' },
  'referential.field.appliesWhen': { fr: 'condition d’applicabilité', en: 'applicability condition' },
  'referential.field.notApplicableWhen': { fr: 'non applicable si', en: 'not applicable if' },
  'referential.field.evidence': { fr: 'preuves attendues', en: 'evidence expected' },
  'referential.field.guidance': { fr: 'aide', en: 'guidance' },
  'referential.field.source': { fr: 'source', en: 'source' },
  'referential.value.none': { fr: '(aucun)', en: '(none)' },

  'referential.not_found': {
    fr: 'Cette version du référentiel n’existe pas.',
    en: 'This framework version does not exist.',
  },
};
