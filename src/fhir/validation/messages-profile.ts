/** Messages of the profile engine, the MES API rules and the validator itself (French first, English). */
export const profileMessages: Record<string, { fr: string; en: string }> = {
  valid: { fr: 'La ressource est valide.', en: 'The resource is valid.' },
  'resource-too-large': {
    fr: 'Le texte fait {size} octets, au-delà de la limite de {max} octets.',
    en: 'The text is {size} bytes long, over the limit of {max} bytes.',
  },
  'resource-not-object': {
    fr: 'Une ressource FHIR est un objet JSON avec un élément « resourceType ».',
    en: 'A FHIR resource is a JSON object with a "resourceType" element.',
  },
  'resource-type-mismatch': {
    fr: 'Une ressource {expected} est attendue ici, pas {actual}.',
    en: 'A {expected} resource is expected here, not {actual}.',
  },
  'profile-unknown': {
    fr: 'Le profil {url} n’est pas connu de mesref : la ressource n’est pas contrôlée selon ce profil.',
    en: 'Profile {url} is not known to mesref: the resource is not checked against it.',
  },
  'profile-inferred': {
    fr: 'Sans meta.profile, la ressource est contrôlée selon le profil « {title} », déduit de son code {code}.',
    en: 'Without meta.profile, the resource is checked against profile "{title}", inferred from its code {code}.',
  },
  'profile-none': {
    fr: 'Aucun profil MES ne correspond à cette ressource : seule la structure FHIR R4 est contrôlée.',
    en: 'No MES profile matches this resource: only its FHIR R4 structure is checked.',
  },
  'profile-min': {
    fr: 'Élément obligatoire « {name} » absent : au moins {min} attendu(s), {count} trouvé(s){since}.',
    en: 'Required element "{name}" missing: at least {min} expected, {count} found{since}.',
  },
  'profile-max': {
    fr: 'Trop d’occurrences : au plus {max} permise(s), {count} trouvée(s).',
    en: 'Too many occurrences: at most {max} allowed, {count} found.',
  },
  'profile-forbidden': {
    fr: 'Cet élément est interdit par le profil.',
    en: 'This element is not allowed by the profile.',
  },
  'profile-type': {
    fr: 'Le type {type} n’est pas permis ici ; types permis : {allowed}.',
    en: 'Type {type} is not allowed here; allowed: {allowed}.',
  },
  'profile-pattern': {
    fr: 'Valeur attendue : {expected} ; reçue : {actual}{since}.',
    en: 'Expected value: {expected}; received: {actual}{since}.',
  },
  'profile-pattern-missing': {
    fr: 'Valeur obligatoire absente : {expected} est attendu{since}.',
    en: 'Required value missing: {expected} is expected{since}.',
  },
  'profile-pattern-item': {
    fr: 'Il manque l’élément attendu {expected}{since}.',
    en: 'The expected item {expected} is missing{since}.',
  },
  'profile-regex': {
    fr: 'La valeur « {value} » n’a pas la forme attendue par le profil.',
    en: 'Value "{value}" does not have the form the profile expects.',
  },
  'slice-min': {
    fr: 'Il manque « {slice} » ({expected}) : au moins {min} attendu(s){since}.',
    en: '"{slice}" ({expected}) is missing: at least {min} expected{since}.',
  },
  'slice-max': {
    fr: '« {slice} » apparaît {count} fois ; au plus {max} permis.',
    en: '"{slice}" appears {count} times; at most {max} allowed.',
  },
  'binding-required': {
    fr: 'Code hors du jeu de valeurs obligatoire « {valueSet} ». Codes permis : {allowed}.',
    en: 'Code outside the required value set "{valueSet}". Allowed codes: {allowed}.',
  },
  'binding-extensible': {
    fr: 'Code hors du jeu de valeurs « {valueSet} » (liaison extensible : accepté, mais un code du jeu est attendu s’il convient). Codes du jeu : {allowed}.',
    en: 'Code outside value set "{valueSet}" (extensible binding: accepted, but a code of the set is expected when one fits). Codes of the set: {allowed}.',
  },
  'reference-type': {
    fr: 'La référence « {reference} » doit viser une ressource {allowed}.',
    en: 'Reference "{reference}" must point to a {allowed} resource.',
  },
  'invariant-failed': {
    fr: 'Règle {key} non respectée : {rule}.',
    en: 'Rule {key} not met: {rule}.',
  },
  'extension-missing': {
    fr: 'Extension obligatoire absente : {slice} ({url}).',
    en: 'Required extension missing: {slice} ({url}).',
  },
  'extension-max': {
    fr: 'L’extension {slice} apparaît {count} fois ; au plus {max} permise(s).',
    en: 'Extension {slice} appears {count} times; at most {max} allowed.',
  },
  'extension-value-missing': {
    fr: 'Cette extension doit porter une valeur ({allowed}).',
    en: 'This extension must carry a value ({allowed}).',
  },
  'extension-value-forbidden': {
    fr: 'Cette extension est complexe : elle porte des sous-extensions, pas de valeur.',
    en: 'This extension is complex: it carries sub-extensions, not a value.',
  },
  'extension-part-missing': {
    fr: 'Sous-extension obligatoire absente : {part}.',
    en: 'Required sub-extension missing: {part}.',
  },
  'extension-part-max': {
    fr: 'La sous-extension {part} apparaît trop souvent (au plus {max}).',
    en: 'Sub-extension {part} appears too often (at most {max}).',
  },
  'extension-part-unknown': {
    fr: 'Sous-extension inconnue pour cette extension : {part}.',
    en: 'Unknown sub-extension for this extension: {part}.',
  },
  'extension-retired': {
    fr: 'L’extension « {title} » a été retirée dans la version {version} de l’IG ; elle est acceptée mais ignorée.',
    en: 'Extension "{title}" was removed in version {version} of the IG; it is accepted but ignored.',
  },
  'extension-context': {
    fr: 'L’extension {url} ne s’emploie pas sur une ressource {type}.',
    en: 'Extension {url} is not used on a {type} resource.',
  },
  'extension-unknown': {
    fr: 'Extension inconnue de l’IG : {url}. Vérifiez son URL.',
    en: 'Extension unknown to the IG: {url}. Check its URL.',
  },
  'mes-meta-profile': {
    fr: 'L’API MES exige meta.profile : indiquez le profil de la ressource.',
    en: 'The MES API requires meta.profile: name the resource’s profile.',
  },
  'mes-subject-identifier': {
    fr: 'L’API MES exige un sujet désigné par identifiant (subject.identifier : système urn:oid de l’autorité, valeur = idPe).',
    en: 'The MES API requires the subject by identifier (subject.identifier: the authority’s urn:oid system, value = idPe).',
  },
  'mes-subject-system': {
    fr: 'Le système de l’identifiant du sujet doit être un OID (urn:oid:…), reçu « {system} ».',
    en: 'The subject identifier’s system must be an OID (urn:oid:…), received "{system}".',
  },
  'mes-value-quantity': {
    fr: 'L’API MES exige une valeur mesurée (valueQuantity).',
    en: 'The MES API requires a measured value (valueQuantity).',
  },
  'mes-bmi-not-creatable': {
    fr: 'L’IMC ne peut pas être créé : MES le calcule à partir du poids et de la taille.',
    en: 'BMI cannot be created: MES computes it from weight and height.',
  },
  'mes-effective-datetime': {
    fr: 'L’API MES exige la date de mesure en effectiveDateTime.',
    en: 'The MES API requires the measurement date as effectiveDateTime.',
  },
  'mes-meta-source': {
    fr: 'meta.source doit être l’OID de la solution (urn:oid:…), reçu « {value} ».',
    en: 'meta.source must be the solution’s OID (urn:oid:…), received "{value}".',
  },
  'mes-meta-source-root': {
    fr: 'L’OID de meta.source n’appartient pas à l’OID racine de l’éditeur ({oid}).',
    en: 'The OID in meta.source does not belong to the publisher’s root OID ({oid}).',
  },
  'mes-extension-required': {
    fr: 'Pour ce type de glycémie ({code}), l’extension {extension} est obligatoire.',
    en: 'For this glucose type ({code}), extension {extension} is required.',
  },
  'mes-extension-forbidden': {
    fr: 'Pour ce type de glycémie ({code}), l’extension {extension} est interdite.',
    en: 'For this glucose type ({code}), extension {extension} is not allowed.',
  },
  'mes-device-meta-profile': {
    fr: 'L’API MES exige meta.profile sur le dispositif (PhdDevice).',
    en: 'The MES API requires meta.profile on the device (PhdDevice).',
  },
  'mes-bundle-entry-not-acceptable': {
    fr: 'Un Bundle d’alimentation ne contient que la création (POST) d’une Observation et d’un Device ; reçu {type} en {method}.',
    en: 'A push Bundle only holds the creation (POST) of an Observation and a Device; received {type} with {method}.',
  },
  'mes-bundle-one-observation': {
    fr: 'Un Bundle d’alimentation contient exactement une création d’Observation (POST) ; {count} trouvée(s).',
    en: 'A push Bundle holds exactly one Observation creation (POST); {count} found.',
  },
  'mes-bundle-one-device': {
    fr: 'Un Bundle d’alimentation contient au plus un Device ; {count} trouvés.',
    en: 'A push Bundle holds at most one Device; {count} found.',
  },
  'mes-bundle-type': {
    fr: 'Un Bundle d’alimentation est de type « transaction », reçu « {type} ».',
    en: 'A push Bundle has type "transaction", received "{type}".',
  },
  'mes-device-if-none-exist': {
    fr: 'La création du Device doit porter request.ifNoneExist de la forme identifier=urn:oid:<OID>|<identifiant du dispositif>.',
    en: 'The Device creation must carry request.ifNoneExist as identifier=urn:oid:<OID>|<device identifier>.',
  },
  'mes-device-reference-missing': {
    fr: 'Avec un Device dans le Bundle, l’Observation doit le référencer (device.reference).',
    en: 'With a Device in the Bundle, the Observation must reference it (device.reference).',
  },
  'mes-device-not-linked': {
    fr: 'Observation.device.reference doit valoir Device/<id du Device du Bundle> (« {expected} »), reçu « {actual} ».',
    en: 'Observation.device.reference must be Device/<id of the Bundle’s Device> ("{expected}"), received "{actual}".',
  },
  'mes-full-url': {
    fr: 'Chaque entrée du Bundle doit avoir un fullUrl.',
    en: 'Every entry of the Bundle must have a fullUrl.',
  },
  'mes-push-profile': {
    fr: 'Le profil « {title} » n’est pas accepté dans un Bundle d’alimentation des mesures.',
    en: 'Profile "{title}" is not accepted in a measures push Bundle.',
  },
  'mes-push-empty': {
    fr: 'Aucun Bundle fourni.',
    en: 'No bundle provided.',
  },
};
