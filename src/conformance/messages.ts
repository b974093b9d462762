import type { Catalog } from '../platform/i18n.ts';

/** Texts of the connection tests' API and command, French first. The pages' texts are in page-messages.ts. */
export const conformanceMessages: Catalog = {
  'conformance.error.not_found': {
    fr: 'Session de tests d’accrochage introuvable.',
    en: 'Connection-test session not found.',
  },
  'conformance.error.closed': {
    fr: 'Cette session de tests est close : ouvrez-en une nouvelle.',
    en: 'This test session is closed: open a new one.',
  },
  'conformance.error.no_exchange': {
    fr: 'Ce service ne déclare pas d’échange de données avec Mon espace santé.',
    en: 'This service does not declare data exchange with Mon espace santé.',
  },
  'conformance.error.not_paired': {
    fr: 'Ce citoyen de test n’a pas apparié le service de la session.',
    en: 'This test citizen has not paired the session’s service.',
  },
  'conformance.error.authorize': {
    fr: 'L’autorisation n’a pas abouti (étape {step}, réponse {status}).',
    en: 'The authorization did not complete (step {step}, answer {status}).',
  },
  'conformance.field.finalites': {
    fr: 'Choisissez au moins une finalité connue du référentiel.',
    en: 'Choose at least one finalité of the referential.',
  },
  'conformance.field.categories': {
    fr: 'Choisissez au moins une catégorie de données connue, en lecture ou en écriture.',
    en: 'Choose at least one known data category, for reading or writing.',
  },
  'conformance.field.redirect_uris': {
    fr: 'Donnez de 1 à 10 adresses de redirection en https (ou http sur 127.0.0.1 / localhost), sans fragment.',
    en: 'Give 1 to 10 redirect URIs in https (or http on 127.0.0.1 / localhost), without a fragment.',
  },
  'conformance.field.jwks': {
    fr: 'Le JWKS doit être un objet { "keys": [...] } de clés publiques (sans partie privée).',
    en: 'The JWKS must be an object { "keys": [...] } of public keys (no private part).',
  },
  'conformance.field.authorization_url': {
    fr: 'L’adresse d’autorisation doit être celle du serveur d’autorisation de ce bac à sable, pour le client de la session.',
    en: 'The authorization URL must be this sandbox’s authorization endpoint, for the session’s client.',
  },
  'conformance.field.citizen': {
    fr: 'Choisissez un des citoyens de test de la session.',
    en: 'Choose one of the session’s test citizens.',
  },
  'conformance.field.category': {
    fr: 'Choisissez une catégorie de données déclarée par la session.',
    en: 'Choose a data category the session declared.',
  },
  'conformance.refused_on_request': {
    fr: 'Le bac à sable a refusé cet envoi à la demande (action « refuser le prochain envoi » d’un test d’accrochage) : rien n’a été enregistré.',
    en: 'The sandbox refused this push on request (connection-test action “refuse the next push”): nothing was stored.',
  },
  'conformance.cli.usage': {
    fr: 'Usage : mesref conformance status <session>',
    en: 'Usage: mesref conformance status <session>',
  },
  'conformance.cli.production': {
    fr: 'Les tests d’accrochage n’existent que dans un bac à sable (MESREF_MODE=sandbox).',
    en: 'Connection tests exist only in a sandbox (MESREF_MODE=sandbox).',
  },
  'conformance.cli.not_found': {
    fr: 'Session de tests introuvable : {id}',
    en: 'Test session not found: {id}',
  },
  'conformance.cli.passed': { fr: 'réussi', en: 'passed' },
  'conformance.cli.failed': { fr: 'échoué', en: 'failed' },
  'conformance.cli.not_run': { fr: 'non joué', en: 'not run' },
  'conformance.cli.session': {
    fr: 'Session {id} : {product} (OID {oid}, client {clientId}), {status}',
    en: 'Session {id}: {product} (OID {oid}, client {clientId}), {status}',
  },
  'conformance.cli.open': { fr: 'ouverte', en: 'open' },
  'conformance.cli.closed': { fr: 'close', en: 'closed' },
  'conformance.cli.all_passed': {
    fr: 'Tous les plans requis sont réussis.',
    en: 'Every required plan passed.',
  },
  'conformance.cli.not_all_passed': {
    fr: 'Des plans requis ne sont pas réussis.',
    en: 'Some required plans have not passed.',
  },
};
