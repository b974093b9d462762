/**
 * Messages of the JSON reading (`json.ts`) and of the base FHIR R4 structure check (`structure.ts`),
 * French first, English beside it. `{name}` is the element's JSON name, `{type}` the FHIR type or the
 * path of the element that holds it.
 */
export const structureMessages: Record<string, { fr: string; en: string }> = {
  'json-empty': {
    fr: 'Le texte est vide : une ressource FHIR au format JSON est attendue.',
    en: 'The text is empty: a FHIR resource in JSON is expected.',
  },
  'json-unexpected-end': {
    fr: 'JSON incomplet : le texte s’arrête avant la fin ; il manque au moins « {closers} ».',
    en: 'Incomplete JSON: the text ends too early; at least "{closers}" is missing.',
  },
  'json-expected-value': {
    fr: 'JSON invalide : une valeur (objet, tableau, chaîne, nombre, true, false ou null) est attendue ici, pas « {found} ».',
    en: 'Invalid JSON: a value (object, array, string, number, true, false or null) is expected here, not "{found}".',
  },
  'json-expected-property-name': {
    fr: 'JSON invalide : un nom de propriété entre guillemets droits (") est attendu ici, pas « {found} ».',
    en: 'Invalid JSON: a property name in double quotes is expected here, not "{found}".',
  },
  'json-expected-colon': {
    fr: 'JSON invalide : « : » est attendu après le nom de propriété, pas « {found} ».',
    en: 'Invalid JSON: ":" is expected after the property name, not "{found}".',
  },
  'json-expected-comma-or-brace': {
    fr: 'JSON invalide : « , » (propriété suivante) ou « } » (fin de l’objet) est attendu ici, pas « {found} ».',
    en: 'Invalid JSON: "," (next property) or "}" (end of the object) is expected here, not "{found}".',
  },
  'json-expected-comma-or-bracket': {
    fr: 'JSON invalide : « , » (élément suivant) ou « ] » (fin du tableau) est attendu ici, pas « {found} ».',
    en: 'Invalid JSON: "," (next item) or "]" (end of the array) is expected here, not "{found}".',
  },
  'json-invalid-escape': {
    fr: 'JSON invalide : séquence d’échappement « {found} » incorrecte dans une chaîne (permises : \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX).',
    en: 'Invalid JSON: wrong escape sequence "{found}" in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX).',
  },
  'json-control-character': {
    fr: 'JSON invalide : le caractère de contrôle {found} doit être échappé dans une chaîne (par exemple \\n).',
    en: 'Invalid JSON: control character {found} must be escaped in a string (for example \\n).',
  },
  'json-invalid-number': {
    fr: 'JSON invalide : nombre mal formé, « {found} » inattendu (format : -12.5e3, sans zéro initial).',
    en: 'Invalid JSON: malformed number, unexpected "{found}" (format: -12.5e3, no leading zero).',
  },
  'json-invalid-literal': {
    fr: 'JSON invalide : « {found} » n’est pas une valeur ; true, false ou null est attendu (en minuscules).',
    en: 'Invalid JSON: "{found}" is not a value; true, false or null is expected (lower case).',
  },
  'json-trailing-content': {
    fr: 'JSON invalide : « {found} » après la fin de la ressource ; un seul objet JSON est attendu.',
    en: 'Invalid JSON: "{found}" after the end of the resource; a single JSON object is expected.',
  },
  'json-too-deep': {
    fr: 'Le JSON est imbriqué sur plus de {maxDepth} niveaux : il n’est pas lu plus loin.',
    en: 'The JSON is nested more than {maxDepth} levels deep: it is not read further.',
  },
  'json-duplicate-key': {
    fr: 'La propriété « {name} » apparaît deux fois dans le même objet JSON ; FHIR l’interdit.',
    en: 'Property "{name}" appears twice in the same JSON object; FHIR forbids it.',
  },
  'json-invalid': {
    fr: 'Le texte n’est pas du JSON valide.',
    en: 'The text is not valid JSON.',
  },
  'resource-type-missing': {
    fr: 'L’élément « resourceType » est absent : il donne le type de la ressource (par exemple « Observation »).',
    en: 'Element "resourceType" is missing: it gives the type of the resource (for example "Observation").',
  },
  'resource-type-not-string': {
    fr: 'L’élément « resourceType » doit être une chaîne, le nom d’un type de ressource FHIR R4.',
    en: 'Element "resourceType" must be a string, the name of a FHIR R4 resource type.',
  },
  'resource-type-unknown': {
    fr: '« {resourceType} » n’est pas un type de ressource FHIR R4.',
    en: '"{resourceType}" is not a FHIR R4 resource type.',
  },
  'resource-type-unknown-hint': {
    fr: '« {resourceType} » n’est pas un type de ressource FHIR R4 ; vouliez-vous dire « {suggestion} » ?',
    en: '"{resourceType}" is not a FHIR R4 resource type; did you mean "{suggestion}"?',
  },
  'resource-type-abstract': {
    fr: '« {resourceType} » est un type abstrait : une ressource a un type concret (Observation, Patient…).',
    en: '"{resourceType}" is an abstract type: a resource has a concrete type (Observation, Patient…).',
  },
  'unknown-element': {
    fr: 'L’élément « {name} » n’existe pas dans {type} (FHIR R4).',
    en: 'Element "{name}" does not exist in {type} (FHIR R4).',
  },
  'unknown-element-hint': {
    fr: 'L’élément « {name} » n’existe pas dans {type} (FHIR R4) ; vouliez-vous dire « {suggestion} » ?',
    en: 'Element "{name}" does not exist in {type} (FHIR R4); did you mean "{suggestion}"?',
  },
  'choice-type-invalid': {
    fr: '« {name} » : le type {choiceType} n’est pas permis pour {element} ; types permis : {allowed}.',
    en: '"{name}": type {choiceType} is not allowed for {element}; allowed types: {allowed}.',
  },
  'choice-multiple': {
    fr: '« {name} » et « {other} » sont deux valeurs de {element} : une seule est permise.',
    en: '"{name}" and "{other}" are two values of {element}: only one is allowed.',
  },
  'element-required': {
    fr: 'L’élément obligatoire « {name} » est absent de {type}.',
    en: 'Required element "{name}" is missing from {type}.',
  },
  'choice-required': {
    fr: 'L’élément obligatoire {element} est absent de {type} (une de ces formes : {allowed}).',
    en: 'Required element {element} is missing from {type} (one of: {allowed}).',
  },
  'array-expected': {
    fr: '« {name} » peut se répéter : sa valeur doit être un tableau JSON, même pour un seul élément ([ … ]).',
    en: '"{name}" can repeat: its value must be a JSON array, even for a single item ([ … ]).',
  },
  'array-unexpected': {
    fr: '« {name} » ne se répète pas : sa valeur ne doit pas être un tableau JSON.',
    en: '"{name}" does not repeat: its value must not be a JSON array.',
  },
  'object-expected': {
    fr: '« {name} » est de type {type} : sa valeur doit être un objet JSON ({ … }).',
    en: '"{name}" is of type {type}: its value must be a JSON object ({ … }).',
  },
  'null-value': {
    fr: '« {name} » vaut null : FHIR interdit null, sauf pour garder l’alignement avec les extensions « _{name} ».',
    en: '"{name}" is null: FHIR forbids null, except to keep alignment with the "_{name}" extensions.',
  },
  'empty-object': {
    fr: '« {name} » est vide : un élément FHIR a une valeur ou des éléments enfants.',
    en: '"{name}" is empty: a FHIR element has a value or child elements.',
  },
  'empty-array': {
    fr: '« {name} » est un tableau vide : omettez l’élément plutôt.',
    en: '"{name}" is an empty array: leave the element out instead.',
  },
  'empty-string': {
    fr: '« {name} » est une chaîne vide : omettez l’élément plutôt.',
    en: '"{name}" is an empty string: leave the element out instead.',
  },
  'primitive-expects-string': {
    fr: '« {name} » est de type {type} : sa valeur doit être une chaîne JSON (entre guillemets).',
    en: '"{name}" is of type {type}: its value must be a JSON string (in quotes).',
  },
  'primitive-expects-number': {
    fr: '« {name} » est de type {type} : sa valeur doit être un nombre JSON (sans guillemets).',
    en: '"{name}" is of type {type}: its value must be a JSON number (without quotes).',
  },
  'primitive-expects-boolean': {
    fr: '« {name} » est de type boolean : sa valeur doit être true ou false (sans guillemets).',
    en: '"{name}" is of type boolean: its value must be true or false (without quotes).',
  },
  'integer-invalid': {
    fr: '« {name} » est de type {type} : {value} n’est pas un nombre entier.',
    en: '"{name}" is of type {type}: {value} is not a whole number.',
  },
  'integer-range': {
    fr: '« {name} » est de type {type} : {value} est hors de l’intervalle permis ({min} à {max}).',
    en: '"{name}" is of type {type}: {value} is outside the allowed range ({min} to {max}).',
  },
  'decimal-invalid': {
    fr: '« {name} » est de type decimal : la valeur est trop grande pour être un nombre fini.',
    en: '"{name}" is of type decimal: the value is too large to be a finite number.',
  },
  'string-too-long': {
    fr: '« {name} » dépasse la taille maximale d’une chaîne FHIR (1 Mio de caractères).',
    en: '"{name}" exceeds the maximum size of a FHIR string (1 MiB of characters).',
  },
  'string-control-character': {
    fr: '« {name} » contient un caractère de contrôle (code inférieur à 32 autre que tabulation ou fin de ligne).',
    en: '"{name}" contains a control character (code below 32 other than tab or line break).',
  },
  'format-code': {
    fr: '« {name} » ({type}) « {value} » : un code n’a pas d’espace au début ni à la fin, ni deux espaces de suite.',
    en: '"{name}" ({type}) "{value}": a code has no leading or trailing whitespace and no double whitespace.',
  },
  'format-id': {
    fr: '« {name} » « {value} » : un id a de 1 à 64 caractères parmi A-Z, a-z, 0-9, « - » et « . ».',
    en: '"{name}" "{value}": an id has 1 to 64 characters among A-Z, a-z, 0-9, "-" and ".".',
  },
  'format-uri': {
    fr: '« {name} » ({type}) « {value} » : une URI ne contient pas d’espace.',
    en: '"{name}" ({type}) "{value}": a URI contains no whitespace.',
  },
  'format-oid': {
    fr: '« {name} » « {value} » : un oid s’écrit urn:oid: suivi de chiffres séparés par des points (urn:oid:1.2.250.1).',
    en: '"{name}" "{value}": an oid is urn:oid: followed by dot-separated numbers (urn:oid:1.2.250.1).',
  },
  'format-uuid': {
    fr: '« {name} » « {value} » : un uuid s’écrit urn:uuid: suivi de 36 caractères hexadécimaux en minuscules (8-4-4-4-12).',
    en: '"{name}" "{value}": a uuid is urn:uuid: followed by 36 lower-case hexadecimal characters (8-4-4-4-12).',
  },
  'format-date': {
    fr: '« {name} » « {value} » n’est pas une date FHIR : AAAA, AAAA-MM ou AAAA-MM-JJ (2024, 2024-03, 2024-03-31).',
    en: '"{name}" "{value}" is not a FHIR date: YYYY, YYYY-MM or YYYY-MM-DD (2024, 2024-03, 2024-03-31).',
  },
  'format-dateTime': {
    fr: '« {name} » « {value} » n’est pas un dateTime FHIR : AAAA, AAAA-MM, AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss avec fuseau horaire (2024-03-31T08:30:00+02:00).',
    en: '"{name}" "{value}" is not a FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with a time zone (2024-03-31T08:30:00+02:00).',
  },
  'format-instant': {
    fr: '« {name} » « {value} » n’est pas un instant FHIR : date et heure complètes avec fuseau horaire (2024-03-31T08:30:00.000Z).',
    en: '"{name}" "{value}" is not a FHIR instant: full date and time with a time zone (2024-03-31T08:30:00.000Z).',
  },
  'format-time': {
    fr: '« {name} » « {value} » n’est pas une heure FHIR : hh:mm:ss (08:30:00).',
    en: '"{name}" "{value}" is not a FHIR time: hh:mm:ss (08:30:00).',
  },
  'date-invalid': {
    fr: '« {name} » « {value} » : ce jour n’existe pas dans le calendrier.',
    en: '"{name}" "{value}": this day does not exist in the calendar.',
  },
  'format-base64': {
    fr: '« {name} » n’est pas du base64 valide (caractères A-Z, a-z, 0-9, +, /, complétés par = jusqu’à un multiple de 4).',
    en: '"{name}" is not valid base64 (characters A-Z, a-z, 0-9, +, /, padded with = to a multiple of 4).',
  },
  'format-xhtml': {
    fr: '« {name} » doit être un élément <div xmlns="http://www.w3.org/1999/xhtml"> … </div>.',
    en: '"{name}" must be a <div xmlns="http://www.w3.org/1999/xhtml"> … </div> element.',
  },
  'xhtml-forbidden': {
    fr: '« {name} » contient un élément <{tag}>, interdit dans la narration FHIR (txt-1).',
    en: '"{name}" contains a <{tag}> element, which FHIR narrative forbids (txt-1).',
  },
  'code-invalid': {
    fr: '« {name} » : le code « {value} » n’est pas permis ; codes permis : {allowed}.',
    en: '"{name}": code "{value}" is not allowed; allowed codes: {allowed}.',
  },
  'code-invalid-value-set': {
    fr: '« {name} » : le code « {value} » n’est pas dans le jeu de valeurs obligatoire {valueSet}.',
    en: '"{name}": code "{value}" is not in the required value set {valueSet}.',
  },
  'primitive-extension-not-primitive': {
    fr: '« _{name} » est réservé aux extensions d’un élément primitif ; « {name} » est de type {type}.',
    en: '"_{name}" is reserved for the extensions of a primitive element; "{name}" is of type {type}.',
  },
  'primitive-extension-misaligned': {
    fr: '« {name} » et « _{name} » doivent être des tableaux de même longueur, alignés élément par élément.',
    en: '"{name}" and "_{name}" must be arrays of the same length, aligned item by item.',
  },
  'primitive-extension-unknown': {
    fr: '« {key} » n’est pas permis dans « _{name} » : seuls « id » et « extension » le sont.',
    en: '"{key}" is not allowed in "_{name}": only "id" and "extension" are.',
  },
  'extension-url-missing': {
    fr: 'Cette extension n’a pas d’« url » : l’url dit de quelle extension il s’agit.',
    en: 'This extension has no "url": the url says which extension it is.',
  },
  'extension-value-and-children': {
    fr: 'L’extension {url} a à la fois une valeur ({value}) et des extensions imbriquées : l’une ou l’autre (ext-1).',
    en: 'Extension {url} has both a value ({value}) and nested extensions: one or the other (ext-1).',
  },
  'extension-empty': {
    fr: 'L’extension {url} n’a ni valeur (value[x]) ni extensions imbriquées (ext-1).',
    en: 'Extension {url} has neither a value (value[x]) nor nested extensions (ext-1).',
  },
  'structure-too-deep': {
    fr: 'La ressource est imbriquée sur plus de {maxDepth} niveaux : elle n’est pas contrôlée plus loin.',
    en: 'The resource is nested more than {maxDepth} levels deep: it is not checked further.',
  },
};
