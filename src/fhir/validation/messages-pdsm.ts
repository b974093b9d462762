/** Messages of the PDSm rules (ITI-65 provide bundle, ITI-105 simplified publish), French first, English. */
export const pdsmMessages: Record<string, { fr: string; en: string }> = {
  'pdsm-fullurl-duplicate': {
    fr: 'Le fullUrl « {fullUrl} » est déjà celui de l’entrée {first} : chaque entrée du Bundle a le sien.',
    en: 'fullUrl "{fullUrl}" is already that of entry {first}: each entry of the Bundle has its own.',
  },
  'pdsm-request-url': {
    fr: 'Avec la méthode {method}, request.url doit valoir « {expected} », reçu « {actual} ».',
    en: 'With method {method}, request.url must be "{expected}", received "{actual}".',
  },
  'pdsm-attachment-unresolved': {
    fr: 'L’URL du document « {url} » ne désigne aucune entrée du Bundle : elle doit viser la ressource Binary du document (son fullUrl ou Binary/[id]).',
    en: 'Document URL "{url}" designates no entry of the Bundle: it must point to the document’s Binary resource (its fullUrl or Binary/[id]).',
  },
  'pdsm-attachment-not-binary': {
    fr: 'L’URL du document « {url} » désigne une ressource {type} : elle doit viser une ressource Binary du Bundle.',
    en: 'Document URL "{url}" designates a {type} resource: it must point to a Binary resource of the Bundle.',
  },
  'pdsm-binary-data-missing': {
    fr: 'Cette ressource Binary ne porte pas le document (data absent).',
    en: 'This Binary resource does not carry the document (data is missing).',
  },
  'pdsm-size-mismatch': {
    fr: 'La taille déclarée ({declared} octets) n’est pas celle du document ({actual} octets).',
    en: 'The declared size ({declared} bytes) is not the document’s ({actual} bytes).',
  },
  'pdsm-hash-not-sha1': {
    fr: 'hash doit être l’empreinte SHA-1 du document en base64 (20 octets) ; la valeur décodée fait {length} octets (une empreinte hexadécimale n’est pas acceptée).',
    en: 'hash must be the base64 SHA-1 digest of the document (20 bytes); the decoded value is {length} bytes long (a hexadecimal digest is not accepted).',
  },
  'pdsm-hash-mismatch': {
    fr: 'L’empreinte déclarée « {declared} » n’est pas le SHA-1 du document ; attendu « {actual} ».',
    en: 'Declared hash "{declared}" is not the SHA-1 of the document; expected "{actual}".',
  },
  'pdsm-content-type-mismatch': {
    fr: 'Le type MIME déclaré « {declared} » diffère de celui de la ressource Binary (« {actual} ») ; le document sera servi avec le type déclaré.',
    en: 'The declared MIME type "{declared}" differs from the Binary resource’s ("{actual}"); the document will be served with the declared type.',
  },
  'pdsm-reference-not-contained': {
    fr: 'Cette référence doit viser une ressource contenue (« #id ») ; reçu « {reference} ».',
    en: 'This reference must point to a contained resource ("#id"); received "{reference}".',
  },
  'pdsm-contained-missing': {
    fr: 'Aucune ressource contenue n’a l’identifiant visé par « {reference} ».',
    en: 'No contained resource has the id that "{reference}" points to.',
  },
  'pdsm-relatesto-target': {
    fr: 'Une relation vers une autre fiche nomme sa cible (target.reference ou target.identifier).',
    en: 'A relation to another document entry names its target (target.reference or target.identifier).',
  },
  'pdsm-relatesto-replaces-max': {
    fr: 'Une fiche remplace au plus un document : {count} relations « replaces » trouvées.',
    en: 'A document entry replaces at most one document: {count} "replaces" relations found.',
  },
  'pdsm-terminology': {
    fr: 'Règle {rule} : le code devrait provenir de {allowed} ; reçu le(s) système(s) {systems}.',
    en: 'Rule {rule}: the code should come from {allowed}; received system(s) {systems}.',
  },
  'pdsm-item-unresolved': {
    fr: 'La référence « {reference} » ne désigne aucune entrée du Bundle.',
    en: 'Reference "{reference}" designates no entry of the Bundle.',
  },
  'pdsm-not-in-submissionset': {
    fr: 'Cette ressource {type} n’est pas référencée par le lot de soumission (List.entry.item).',
    en: 'This {type} resource is not referenced by the submission set (List.entry.item).',
  },
  'pdsm-subject-mismatch': {
    fr: 'Le patient de cette fiche n’est pas celui du lot de soumission.',
    en: 'The patient of this document entry is not the submission set’s.',
  },
  'pdsm-source-author': {
    fr: 'L’auteur du lot de soumission est une ressource contenue désignée par source.reference, ou une organisation par l’extension authorOrg.',
    en: 'The submission set’s author is a contained resource designated by source.reference, or an organization by the authorOrg extension.',
  },
};
