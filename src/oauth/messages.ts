import type { Catalog } from '../platform/i18n.ts';

/** The authorization server's texts: the pairing pages (French first, English too) and MES's API wording. */
export const oauthMessages: Catalog = {
  // ── the pairing (appariement) pages ────────────────────────────────────────
  'oauth.pairing.title': {
    fr: 'Autoriser {service} à accéder à votre espace santé',
    en: 'Allow {service} to access your health space',
  },
  'oauth.pairing.title_for': {
    fr: 'Autoriser {service} à accéder à l’espace santé de {name}',
    en: 'Allow {service} to access the health space of {name}',
  },
  'oauth.pairing.publisher': {
    fr: 'Service édité par {organisation}',
    en: 'Service published by {organisation}',
  },
  'oauth.pairing.version': { fr: 'Version {version}', en: 'Version {version}' },
  'oauth.pairing.intro': {
    fr: '{service} vous demande l’accès à certaines données de votre espace santé. Rien n’est partagé sans votre accord : cochez ce que vous acceptez, puis choisissez « Autoriser » ou « Refuser ».',
    en: '{service} asks for access to some data of your health space. Nothing is shared without your consent: tick what you accept, then choose “Allow” or “Refuse”.',
  },
  'oauth.pairing.for_minor': {
    fr: 'Vous décidez pour {name}, mineur dont vous avez la charge. Ses autorisations devront être confirmées par lui ou elle à sa majorité ({date}).',
    en: 'You decide for {name}, a minor in your care. They will have to confirm these permissions when they come of age ({date}).',
  },
  'oauth.pairing.information': { fr: 'Ce que le service vous dit', en: 'What the service tells you' },
  'oauth.pairing.information_hint': {
    fr: 'Texte d’information du service (article R.1111-39 du code de la santé publique).',
    en: 'The service’s information text (article R.1111-39 of the French public health code).',
  },
  'oauth.pairing.links': { fr: 'Documents du service', en: 'The service’s documents' },
  'oauth.pairing.cgu': { fr: 'Conditions générales d’utilisation', en: 'Terms of use' },
  'oauth.pairing.privacy': { fr: 'Politique de confidentialité', en: 'Privacy policy' },
  'oauth.pairing.new_window': { fr: '(nouvelle fenêtre)', en: '(new window)' },
  'oauth.pairing.choices': { fr: 'Ce que vous autorisez', en: 'What you allow' },
  'oauth.pairing.legend': {
    fr: 'Pour quelles finalités {service} peut-il accéder à vos données ?',
    en: 'For which purposes may {service} access your data?',
  },
  'oauth.pairing.hint': {
    fr: 'Cochez au moins une finalité pour autoriser le service. « Consulter » : le service lit ces données ; « ajouter » : il en dépose dans votre espace.',
    en: 'Tick at least one purpose to allow the service. “View”: the service reads these data; “add”: it puts data into your space.',
  },
  'oauth.pairing.revocable': {
    fr: 'Vous pourrez modifier ou retirer ces autorisations à tout moment depuis votre espace, rubrique « Mes services ».',
    en: 'You can change or withdraw these permissions at any time from your space, under “My services”.',
  },
  'oauth.pairing.allow': { fr: 'Autoriser', en: 'Allow' },
  'oauth.pairing.refuse': { fr: 'Refuser', en: 'Refuse' },
  'oauth.pairing.choose_none': {
    fr: 'Cochez au moins une finalité, ou choisissez « Refuser ».',
    en: 'Tick at least one purpose, or choose “Refuse”.',
  },
  'oauth.pairing.error_title': {
    fr: 'L’autorisation n’a pas été enregistrée',
    en: 'The permission was not saved',
  },
  'oauth.pairing.whose.title': {
    fr: 'Pour quel espace santé autorisez-vous {service} ?',
    en: 'For which health space do you authorise {service}?',
  },
  'oauth.pairing.whose.legend': { fr: 'Espace santé concerné', en: 'Health space concerned' },
  'oauth.pairing.whose.hint': {
    fr: 'Vous gérez aussi l’espace des mineurs dont vous avez la charge.',
    en: 'You also manage the space of the minors in your care.',
  },
  'oauth.pairing.whose.self': { fr: 'Mon espace ({name})', en: 'My space ({name})' },
  'oauth.pairing.whose.minor': {
    fr: 'L’espace de {name} (mineur dont j’ai la charge)',
    en: 'The space of {name} (a minor in my care)',
  },
  'oauth.pairing.whose.continue': { fr: 'Continuer', en: 'Continue' },
  'oauth.pairing.whose.required': {
    fr: 'Choisissez l’espace santé concerné.',
    en: 'Choose the health space concerned.',
  },
  'oauth.pairing.expired.title': { fr: 'Demande expirée', en: 'Request expired' },
  'oauth.pairing.expired': {
    fr: 'Cette demande d’autorisation a expiré ou n’existe pas. Retournez dans l’application du service pour la recommencer.',
    en: 'This authorisation request has expired or does not exist. Go back to the service’s application to start again.',
  },
  'oauth.pairing.unavailable': {
    fr: 'Ce service ne peut pas être autorisé aujourd’hui : il n’est pas disponible dans le catalogue, ou il n’échange pas de données.',
    en: 'This service cannot be authorised today: it is not available in the catalogue, or it exchanges no data.',
  },
  'oauth.pairing.no_scope': {
    fr: 'Le service ne demande aucune donnée que sa convention lui permet d’échanger.',
    en: 'The service asks for no data its agreement allows it to exchange.',
  },
  'oauth.pairing.back_to_service': { fr: 'Retourner au service', en: 'Back to the service' },
  'oauth.error.title': { fr: 'La demande du service n’a pas abouti', en: 'The service’s request failed' },
  'oauth.error.intro': {
    fr: 'Le service qui vous a envoyé ici a fait une demande que mesref ne peut pas accepter. Retournez dans son application ; si le problème continue, signalez-le à son éditeur.',
    en: 'The service that sent you here made a request mesref cannot accept. Go back to its application; if the problem persists, tell its publisher.',
  },
  'oauth.error.detail': { fr: 'Détail technique : {detail}', en: 'Technical detail: {detail}' },
  // ── the pairing API (MES wording, the same in both languages) ───────────────
  'oauth.error.invalid_token': {
    fr: 'The access_token is not valid.',
    en: 'The access_token is not valid.',
  },
  'oauth.error.idpe_mismatch': {
    fr: 'idPe requested do not match authorized idPe.',
    en: 'idPe requested do not match authorized idPe.',
  },
  'oauth.error.oid_conflict': {
    fr: 'OID conflict between the one from id_token and the one in the system',
    en: 'OID conflict between the one from id_token and the one in the system',
  },
  'oauth.error.consent_refused': {
    fr: 'Consent not given, access refused.',
    en: 'Consent not given, access refused.',
  },
};
