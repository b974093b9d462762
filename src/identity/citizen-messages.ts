import type { Catalog } from '../platform/i18n.ts';

/** Strings of the citizens' sign-in and of the sandbox's test identity provider. */
export const citizenMessages: Catalog = {
  // ── the citizen's space ──
  'citizen.space.title': { fr: 'Mon espace usager', en: 'My citizen space' },
  'citizen.space.hello': { fr: 'Bonjour {name}', en: 'Hello {name}' },
  'citizen.space.identity': { fr: 'Mon identité', en: 'My identity' },
  'citizen.space.identity_source': {
    fr: 'Ces informations viennent de votre fournisseur d’identité ; mesref les met à jour à chaque connexion.',
    en: 'This information comes from your identity provider; mesref refreshes it at each sign-in.',
  },
  'citizen.field.name': { fr: 'Nom et prénom', en: 'Name' },
  'citizen.field.birthdate': { fr: 'Date de naissance', en: 'Date of birth' },
  'citizen.field.ins': { fr: 'INS de test', en: 'Test INS' },
  'citizen.field.ins_hint': {
    fr: 'Identifiant national de santé fictif (INS-NIR-TEST, {system})',
    en: 'Fictitious national health identifier (INS-NIR-TEST, {system})',
  },
  'citizen.field.unknown': { fr: 'Non communiqué', en: 'Not provided' },
  'citizen.space.minors': { fr: 'Les mineurs que je représente', en: 'The minors I represent' },
  'citizen.space.minors_lead': {
    fr: 'Vous êtes représentant légal de ces personnes : vous agissez pour elles dans leur espace.',
    en: 'You are the legal guardian of these people: you act for them in their space.',
  },
  'citizen.space.minors_caption': {
    fr: 'Mineurs représentés',
    en: 'Minors represented',
  },
  'citizen.space.next': {
    fr: 'Seuls les services que vous avez autorisés accèdent à vos données, pour les finalités que vous avez choisies ; chaque accès figure dans votre historique d’activité.',
    en: 'Only the services you authorised reach your data, for the purposes you chose; every access is in your activity history.',
  },

  // ── sign-in failures ──
  'citizen.sign_in.failed_title': { fr: 'La connexion n’a pas abouti', en: 'Sign-in did not complete' },
  'citizen.sign_in.retry': { fr: 'Réessayer de me connecter', en: 'Try signing in again' },
  'citizen.sign_in.error.no_request': {
    fr: 'Cette demande de connexion a expiré ou a déjà servi. Recommencez depuis le début.',
    en: 'This sign-in request has expired or was already used. Please start again.',
  },
  'citizen.sign_in.error.state_mismatch': {
    fr: 'La réponse du fournisseur d’identité ne correspond pas à la demande faite par ce navigateur : elle a été refusée par sécurité.',
    en: 'The identity provider’s answer does not match the request made by this browser: it was refused for safety.',
  },
  'citizen.sign_in.error.cancelled': {
    fr: 'Vous avez annulé la connexion auprès du fournisseur d’identité.',
    en: 'You cancelled the sign-in at the identity provider.',
  },
  'citizen.sign_in.error.refused': {
    fr: 'Le fournisseur d’identité a refusé la connexion (code : {detail}).',
    en: 'The identity provider refused the sign-in (code: {detail}).',
  },
  'citizen.sign_in.error.provider_error': {
    fr: 'Le fournisseur d’identité n’a pas pu confirmer votre identité. Réessayez dans quelques instants.',
    en: 'The identity provider could not confirm your identity. Please try again in a moment.',
  },
  'citizen.sign_in.error.unavailable': {
    fr: 'Le fournisseur d’identité ne répond pas pour le moment. Réessayez dans quelques instants.',
    en: 'The identity provider is not answering at the moment. Please try again in a moment.',
  },
  'citizen.sign_in.error.missing_claims': {
    fr: 'Le fournisseur d’identité n’a pas transmis les informations nécessaires ({claims}).',
    en: 'The identity provider did not send the information needed ({claims}).',
  },

  // ── the sandbox's test identity provider ──
  'test_idp.title': { fr: 'Fournisseur d’identité de test', en: 'Test identity provider' },
  'test_idp.notice': {
    fr: 'Bac à sable : ces personnes sont fictives, leurs INS sont des valeurs de test. Aucune donnée réelle.',
    en: 'Sandbox: these people are fictitious and their INS are test values. No real data.',
  },
  'test_idp.lead': {
    fr: '{client} vous demande de vous identifier. Choisissez la personne que vous incarnez.',
    en: '{client} asks you to identify yourself. Choose the person you act as.',
  },
  'test_idp.caption': { fr: 'Identités de test', en: 'Test identities' },
  'test_idp.col.person': { fr: 'Personne', en: 'Person' },
  'test_idp.col.birthdate': { fr: 'Date de naissance', en: 'Date of birth' },
  'test_idp.col.ins': { fr: 'INS de test', en: 'Test INS' },
  'test_idp.col.action': { fr: 'Connexion', en: 'Sign-in' },
  'test_idp.no_ins': { fr: 'Aucun (identité non qualifiée)', en: 'None (identity not qualified)' },
  'test_idp.sign_in_as': { fr: 'Se connecter en tant que {name}', en: 'Sign in as {name}' },
  'test_idp.cancel': { fr: 'Annuler et revenir au service', en: 'Cancel and go back to the service' },
  'test_idp.expired': {
    fr: 'Cette demande de connexion a expiré ou n’existe pas. Revenez au service et recommencez.',
    en: 'This sign-in request has expired or does not exist. Go back to the service and start again.',
  },
  'test_idp.unknown_identity': {
    fr: 'Cette identité de test n’existe pas.',
    en: 'This test identity does not exist.',
  },
  'test_idp.logout.title': { fr: 'Se déconnecter', en: 'Sign out' },
  'test_idp.logout.question': {
    fr: 'Voulez-vous aussi vous déconnecter du fournisseur d’identité de test ?',
    en: 'Do you also want to sign out of the test identity provider?',
  },
  'test_idp.logout.yes': { fr: 'Oui, me déconnecter', en: 'Yes, sign me out' },
  'test_idp.logout.no': { fr: 'Non, rester connecté', en: 'No, stay signed in' },
  'test_idp.logged_out': {
    fr: 'Vous êtes déconnecté du fournisseur d’identité de test.',
    en: 'You are signed out of the test identity provider.',
  },
  'test_idp.error': {
    fr: 'Le fournisseur d’identité de test a refusé la demande : {description}',
    en: 'The test identity provider refused the request: {description}',
  },
};
