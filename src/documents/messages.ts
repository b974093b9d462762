import type { Catalog } from '../platform/i18n.ts';

/**
 * Texts of the documents API's refusals, for the person reading the OperationOutcome (`details.text`); the
 * `diagnostics` stay in English, as MES words its own.
 */
export const documentsMessages: Catalog = {
  'documents.problem.subject_identifier': {
    fr: 'Le patient doit être désigné par son identifiant idPe (subject.identifier), pas par une référence.',
    en: 'The patient must be named by their idPe (subject.identifier), not by a reference.',
  },
  'documents.problem.subject_system': {
    fr: 'L’identifiant du patient doit être dans le système de l’idPe ({system}).',
    en: 'The patient identifier must be in the idPe system ({system}).',
  },
  'documents.problem.entry_not_supported': {
    fr: 'Une ressource {type} envoyée par {method} n’est pas acceptée dans un ajout de documents.',
    en: 'A {type} resource sent with {method} is not accepted in a documents provide.',
  },
  'documents.problem.folder_unknown': {
    fr: '{url} ne désigne pas un classeur de ce patient.',
    en: '{url} does not name a folder of this patient.',
  },
  'documents.problem.item_unknown': {
    fr: '{reference} ne désigne ni un document de ce lot ni un document de ce patient.',
    en: '{reference} names neither a document of this bundle nor a document of this patient.',
  },
  'documents.problem.replaced_unknown': {
    fr: 'Le document remplacé ({target}) n’est pas un document en vigueur de ce patient.',
    en: 'The replaced document ({target}) is not a current document of this patient.',
  },
  'documents.problem.duplicate': {
    fr: 'Ce patient a déjà un document d’identifiant {identifier} : pour le remplacer, utilisez relatesTo (replaces).',
    en: 'This patient already has a document with identifier {identifier}: to replace it, use relatesTo (replaces).',
  },
  'documents.problem.too_long': {
    fr: '{element} dépasse {max} caractères.',
    en: '{element} is longer than {max} characters.',
  },
};
