import type { Catalog } from '../platform/i18n.ts';

/** Strings of the citizen's « Mes documents » page and of the erasure of their documents. */
export const documentsPageMessages: Catalog = {
  'documents_page.title': { fr: 'Mes documents de santé', en: 'My health documents' },
  'documents_page.lead': {
    fr: 'Les documents que les services connectés ont déposés dans votre profil, avec votre accord. Téléchargez-les pour les lire.',
    en: 'The documents the connected services placed in your profile, with your consent. Download them to read them.',
  },
  'documents_page.for_minor': { fr: 'Profil de {name}', en: 'Profile of {name}' },
  'documents_page.person': { fr: 'Profil', en: 'Profile' },
  'documents_page.who_self': { fr: 'Moi', en: 'Me' },
  'documents_page.show': { fr: 'Afficher', en: 'Show' },
  'documents_page.none': {
    fr: 'Aucun service n’a encore déposé de document dans ce profil. Un service connecté peut le faire si vous l’y avez autorisé.',
    en: 'No service has placed any document in this profile yet. A connected service may do so if you allowed it.',
  },
  'documents_page.none_here': {
    fr: 'Aucun document sur cette page.',
    en: 'No document on this page.',
  },
  'documents_page.first_page': { fr: 'Revenir à la première page', en: 'Back to the first page' },
  'documents_page.to_services': { fr: 'Gérer mes services connectés', en: 'Manage my connected services' },
  'documents_page.caption': { fr: 'Documents de {who}', en: 'Documents of {who}' },
  'documents_page.caption_self': { fr: 'Mes documents', en: 'My documents' },
  'documents_page.col.document': { fr: 'Document', en: 'Document' },
  'documents_page.col.type': { fr: 'Type', en: 'Type' },
  'documents_page.col.date': { fr: 'Date', en: 'Date' },
  'documents_page.col.service': { fr: 'Déposé par', en: 'Provided by' },
  'documents_page.download': { fr: 'Télécharger {title}', en: 'Download {title}' },
  'documents_page.detail': { fr: '{format} – {size}', en: '{format} – {size}' },
  'documents_page.size.bytes': { fr: '{n} octets', en: '{n} bytes' },
  'documents_page.size.kb': { fr: '{n} ko', en: '{n} KB' },
  'documents_page.size.mb': { fr: '{n} Mo', en: '{n} MB' },
  'documents_page.pages': { fr: 'Pages de mes documents', en: 'Pages of my documents' },
  // closing the space
  'documents_page.erase': {
    fr: 'Vos documents de santé et leurs fichiers, avec leurs versions successives, lots de soumission et classeurs.',
    en: 'Your health documents and their files, with their successive versions, submission sets and folders.',
  },
};
