import type { Catalog, Locale, Translate } from '../platform/i18n.ts';

/**
 * Strings of the validator's surroundings: the `mesref fhir validate` command, the `$validate` answers that
 * are not the validator's own, and the « Valider une ressource » page. The validator's issue messages are
 * in `validation/messages.ts`.
 */
export const fhirMessages: Catalog = {
  // counts ({count} is a number; `.one` for 0 and 1 in French, for 1 in English)
  'fhir.count.error.one': { fr: '{count} erreur', en: '{count} error' },
  'fhir.count.error.other': { fr: '{count} erreurs', en: '{count} errors' },
  'fhir.count.warning.one': { fr: '{count} avertissement', en: '{count} warning' },
  'fhir.count.warning.other': { fr: '{count} avertissements', en: '{count} warnings' },
  'fhir.count.information.one': { fr: '{count} information', en: '{count} note' },
  'fhir.count.information.other': { fr: '{count} informations', en: '{count} notes' },
  'fhir.count.file.one': { fr: '{count} fichier', en: '{count} file' },
  'fhir.count.file.other': { fr: '{count} fichiers', en: '{count} files' },
  'fhir.count.line.one': { fr: '{count} ligne', en: '{count} line' },
  'fhir.count.line.other': { fr: '{count} lignes', en: '{count} lines' },

  'fhir.severity.fatal': { fr: 'Erreur fatale', en: 'Fatal error' },
  'fhir.severity.error': { fr: 'Erreur', en: 'Error' },
  'fhir.severity.warning': { fr: 'Avertissement', en: 'Warning' },
  'fhir.severity.information': { fr: 'Information', en: 'Information' },

  // sizes
  'fhir.size.mib': { fr: '{count} Mio', en: '{count} MiB' },
  'fhir.size.kib': { fr: '{count} Kio', en: '{count} KiB' },
  'fhir.size.bytes': { fr: '{count} octets', en: '{count} bytes' },

  // outcomes that do not come from the validator
  'fhir.outcome.unreadable': {
    fr: 'Le fichier n’a pas pu être lu : {reason}.',
    en: 'The file could not be read: {reason}.',
  },
  'fhir.outcome.too_large': {
    fr: 'La ressource dépasse la taille maximale acceptée ({limit}).',
    en: 'The resource is over the largest size accepted ({limit}).',
  },
  'fhir.outcome.media_type': {
    fr: 'Le corps doit être une ressource FHIR en JSON (application/fhir+json ou application/json).',
    en: 'The body must be a FHIR resource in JSON (application/fhir+json or application/json).',
  },
  'fhir.outcome.bad_request': {
    fr: 'La requête est invalide : {detail}',
    en: 'The request is invalid: {detail}',
  },
  'fhir.outcome.internal': {
    fr: 'Le validateur n’a pas pu examiner cette ressource (erreur interne). Signalez-la avec la ressource en cause.',
    en: 'The validator could not examine this resource (internal error). Report it with the resource concerned.',
  },

  // command line
  'fhir.cli.reason.ENOENT': { fr: 'fichier introuvable', en: 'no such file' },
  'fhir.cli.reason.EISDIR': { fr: 'c’est un dossier', en: 'it is a directory' },
  'fhir.cli.reason.EACCES': { fr: 'accès refusé', en: 'permission denied' },
  'fhir.cli.reason.EPERM': { fr: 'opération non permise', en: 'operation not permitted' },
  'fhir.cli.cannot_read': { fr: 'impossible de lire {file} : {reason}', en: 'cannot read {file}: {reason}' },
  'fhir.cli.file_valid': { fr: '{file} : valide', en: '{file}: valid' },
  'fhir.cli.file_valid_with': { fr: '{file} : valide, avec {counts}', en: '{file}: valid, with {counts}' },
  'fhir.cli.file_invalid': { fr: '{file} : {counts}', en: '{file}: {counts}' },
  'fhir.cli.summary': {
    fr: 'Bilan : {files} validé(s), {failed} avec des erreurs.',
    en: 'Summary: {files} validated, {failed} with errors.',
  },
  'fhir.cli.mes': { fr: 'MES : {diagnostic}', en: 'MES: {diagnostic}' },
  'fhir.cli.usage_line': {
    fr: 'Usage : mesref fhir validate [--format json|text] [--ig-only] [--lang fr|en] [--max-bytes N] <fichier...>',
    en: 'Usage: mesref fhir validate [--format json|text] [--ig-only] [--lang fr|en] [--max-bytes N] <file...>',
  },
  'fhir.cli.help': {
    fr: [
      'Valide des ressources FHIR R4 (JSON) contre les profils de Mon espace santé, hors ligne.',
      'Un fichier « - » est lu sur l’entrée standard.',
      '',
      'Options :',
      '  --format json|text  json (défaut) : un OperationOutcome par fichier, un par ligne, dans l’ordre',
      '                      des arguments ; text : pour une personne, une ligne par problème',
      '  --ig-only           les profils de l’IG seulement, sans les règles de l’API MES',
      '  --lang fr|en        langue des messages (défaut : fr)',
      '  --max-bytes N       taille maximale d’un fichier (défaut : MESREF_FHIR_MAX_BYTES, sinon 5 Mio)',
      '  -h, --help          cette aide',
      '',
      'Codes de sortie : 0 aucun fichier avec une erreur, 1 au moins un (ou un fichier illisible),',
      '2 usage incorrect.',
    ].join('\n'),
    en: [
      'Validates FHIR R4 resources (JSON) against the Mon espace santé profiles, offline.',
      'A file "-" is read from standard input.',
      '',
      'Options:',
      '  --format json|text  json (default): one OperationOutcome per file, one per line, in the order',
      '                      of the arguments; text: for a person, one line per issue',
      '  --ig-only           the IG profiles only, without the MES API rules',
      '  --lang fr|en        language of the messages (default: fr)',
      '  --max-bytes N       largest file size (default: MESREF_FHIR_MAX_BYTES, else 5 MiB)',
      '  -h, --help          this help',
      '',
      'Exit codes: 0 no file with an error, 1 at least one (or an unreadable file), 2 usage error.',
    ].join('\n'),
  },
  'fhir.cli.usage.no_file': {
    fr: 'aucun fichier à valider (« - » pour l’entrée standard)',
    en: 'no file to validate ("-" for standard input)',
  },
  'fhir.cli.usage.unknown_option': { fr: 'option inconnue : {option}', en: 'unknown option: {option}' },
  'fhir.cli.usage.bad_option': {
    fr: 'option mal formée : {detail}',
    en: 'malformed option: {detail}',
  },
  'fhir.cli.usage.format': {
    fr: '--format vaut json ou text (reçu « {value} »)',
    en: '--format is json or text (got "{value}")',
  },
  'fhir.cli.usage.lang': {
    fr: '--lang vaut fr ou en (reçu « {value} »)',
    en: '--lang is fr or en (got "{value}")',
  },
  'fhir.cli.usage.max_bytes': {
    fr: '--max-bytes est un nombre d’octets entre 1 et {max} (reçu « {value} »)',
    en: '--max-bytes is a number of bytes between 1 and {max} (got "{value}")',
  },

  // the page
  'fhir.page.title': { fr: 'Valider une ressource', en: 'Validate a resource' },
  'fhir.page.title_result': {
    fr: 'Résultat : {summary} — Valider une ressource',
    en: 'Result: {summary} — Validate a resource',
  },
  'fhir.page.lead': {
    fr: 'Vérifiez une ressource FHIR R4 avant de l’envoyer à Mon espace santé : une mesure (Observation), son objet connecté (Device), un Bundle de mesures ou de documents. Chaque problème est montré à côté de la ligne qu’il concerne.',
    en: 'Check a FHIR R4 resource before you send it to Mon espace santé: a measure (Observation), its connected device (Device), a Bundle of measures or documents. Each issue is shown next to the line it concerns.',
  },
  'fhir.page.privacy': {
    fr: 'La ressource est examinée puis oubliée : rien n’est enregistré. N’y mettez que des données de test.',
    en: 'The resource is examined then forgotten: nothing is stored. Put only test data in it.',
  },
  'fhir.page.form_title': { fr: 'Ressource à valider', en: 'Resource to validate' },
  'fhir.page.again_title': { fr: 'Valider une autre ressource', en: 'Validate another resource' },
  'fhir.page.text_label': { fr: 'Ressource FHIR en JSON', en: 'FHIR resource in JSON' },
  'fhir.page.text_hint': {
    fr: 'Collez le texte JSON de la ressource, tel que votre service l’envoie.',
    en: 'Paste the JSON text of the resource, as your service sends it.',
  },
  'fhir.page.file_label': { fr: 'Ou déposez un fichier', en: 'Or upload a file' },
  'fhir.page.file_hint': {
    fr: 'Fichier JSON de {max} au plus. Un fichier choisi est validé à la place du texte collé.',
    en: 'A JSON file of at most {max}. A chosen file is validated instead of the pasted text.',
  },
  'fhir.page.ig_only': { fr: 'Profils de l’IG seulement', en: 'IG profiles only' },
  'fhir.page.ig_only_hint': {
    fr: 'Sans les règles propres à l’API de Mon espace santé (meta.profile exigé, patient désigné par identifiant, forme du Bundle, IMC non créable…).',
    en: 'Without the rules of the Mon espace santé API itself (meta.profile required, patient given by identifier, Bundle shape, BMI not creatable…).',
  },
  'fhir.page.submit': { fr: 'Valider', en: 'Validate' },
  'fhir.page.form_error': {
    fr: 'La ressource n’a pas pu être validée',
    en: 'The resource could not be validated',
  },
  'fhir.page.empty': {
    fr: 'Collez une ressource ou choisissez un fichier.',
    en: 'Paste a resource or choose a file.',
  },
  'fhir.page.too_large': {
    fr: 'La ressource dépasse la taille maximale acceptée ({limit}).',
    en: 'The resource is over the largest size accepted ({limit}).',
  },
  'fhir.page.form_unreadable': {
    fr: 'Le formulaire envoyé n’a pas pu être lu. Rechargez la page et recommencez.',
    en: 'The form sent could not be read. Reload the page and try again.',
  },
  'fhir.page.result_title': { fr: 'Résultat', en: 'Result' },
  'fhir.page.valid': { fr: 'La ressource est valide', en: 'The resource is valid' },
  'fhir.page.invalid': { fr: 'La ressource n’est pas valide', en: 'The resource is not valid' },
  'fhir.page.counts': { fr: '{errors}, {warnings}.', en: '{errors}, {warnings}.' },
  'fhir.page.counts_with_information': {
    fr: '{errors}, {warnings}, {information}.',
    en: '{errors}, {warnings}, {information}.',
  },
  'fhir.page.rules.mes': {
    fr: 'Règles appliquées : profils de l’IG et règles de l’API de Mon espace santé.',
    en: 'Rules applied: IG profiles and the rules of the Mon espace santé API.',
  },
  'fhir.page.rules.ig': {
    fr: 'Règles appliquées : profils de l’IG seulement.',
    en: 'Rules applied: IG profiles only.',
  },
  'fhir.page.source.file': {
    fr: 'Texte validé : le fichier {name}.',
    en: 'Text validated: the file {name}.',
  },
  'fhir.page.source.text': { fr: 'Texte validé : le texte collé.', en: 'Text validated: the pasted text.' },
  'fhir.page.issues_title': { fr: 'Problèmes trouvés', en: 'Issues found' },
  'fhir.page.at': { fr: 'Ligne {line}, colonne {column}', en: 'Line {line}, column {column}' },
  'fhir.page.colon': { fr: ' : ', en: ': ' },
  'fhir.page.no_location': { fr: 'Ressource entière', en: 'Whole resource' },
  'fhir.page.element': { fr: 'Élément :', en: 'Element:' },
  'fhir.page.mes_answer': { fr: 'Réponse de MES :', en: 'MES answer:' },
  'fhir.page.to_listing': { fr: 'Voir le texte annoté', en: 'See the annotated text' },
  'fhir.page.listing_title': { fr: 'Texte validé, ligne par ligne', en: 'Validated text, line by line' },
  'fhir.page.listing_caption': {
    fr: 'Texte validé : chaque problème est montré juste après la ligne qu’il concerne.',
    en: 'Validated text: each issue is shown just after the line it concerns.',
  },
  'fhir.page.listing_partial': {
    fr: 'Le texte compte {lines} : seules les lignes proches d’un problème sont montrées.',
    en: 'The text has {lines}: only the lines near an issue are shown.',
  },
  'fhir.page.line': { fr: 'Ligne', en: 'Line' },
  'fhir.page.text': { fr: 'Texte', en: 'Text' },
  'fhir.page.gap': { fr: '{lines} non montrée(s)', en: '{lines} not shown' },
  'fhir.page.line_cut': { fr: '… ({count} caractères de plus)', en: '… ({count} more characters)' },
  'fhir.page.issues_of_line': { fr: 'Problèmes de la ligne {line}', en: 'Issues of line {line}' },
};

/** A count with the word that goes with it: `plural(t, 'fhir.count.error', 2)` → « 2 erreurs ». */
export function plural(t: Translate, key: string, count: number, locale: Locale): string {
  const one = locale === 'fr' ? count <= 1 : count === 1;
  return t(`${key}.${one ? 'one' : 'other'}`, { count });
}

/** A size limit as people read it: « 5 Mio », « 512 Kio », « 1000 octets ». */
export function formatBytes(t: Translate, bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0)
    return t('fhir.size.mib', { count: bytes / 1048576 });
  if (bytes >= 1024 && bytes % 1024 === 0) return t('fhir.size.kib', { count: bytes / 1024 });
  return t('fhir.size.bytes', { count: bytes });
}
