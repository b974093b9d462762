import type { Catalog } from '../platform/i18n.ts';

/** Strings of a published service's OAuth2 credentials (identifiants OAuth2) on the publisher's file. */
export const oauthClientMessages: Catalog = {
  // the file's timeline
  'dossier.action.client_secret_issued': { fr: 'Secret client généré', en: 'Client secret generated' },
  'dossier.action.client_secret_dropped': {
    fr: 'Retour à l’authentification par clé (private_key_jwt)',
    en: 'Back to key authentication (private_key_jwt)',
  },
  'dossier.publisher.flash.client_secret_dropped': {
    fr: 'Le secret client est supprimé : votre service s’authentifie de nouveau avec sa clé (private_key_jwt).',
    en: 'The client secret is deleted: your service authenticates with its key again (private_key_jwt).',
  },

  // the section
  'dossier.client.title': { fr: 'Identifiants OAuth2', en: 'OAuth2 credentials' },
  'dossier.client.intro': {
    fr: 'Votre service est un client OAuth2 du serveur d’autorisation de cette plateforme : il s’en sert pour l’appariement avec l’espace d’un usager puis pour appeler les API d’échange de données.',
    en: 'Your service is an OAuth2 client of this platform’s authorization server: it uses it to pair with a citizen’s space, then to call the data-exchange APIs.',
  },
  'dossier.client.client_id': {
    fr: 'Identifiant client (client_id : l’OID du service)',
    en: 'Client id (client_id: the service’s OID)',
  },
  'dossier.client.status': { fr: 'État du client', en: 'Client status' },
  'dossier.client.status.active': { fr: 'Actif', en: 'Active' },
  'dossier.client.status.suspended': { fr: 'Suspendu', en: 'Suspended' },
  'dossier.client.status.revoked': { fr: 'Révoqué', en: 'Revoked' },
  'dossier.client.status_hint.active': {
    fr: 'Le service peut obtenir des jetons.',
    en: 'The service can obtain tokens.',
  },
  'dossier.client.status_hint.suspended': {
    fr: 'Le service est suspendu au catalogue : il n’obtient aucun jeton et ceux qu’il détient sont refusés.',
    en: 'The service is suspended in the catalogue: it gets no token and the ones it holds are refused.',
  },
  'dossier.client.status_hint.revoked': {
    fr: 'Le service est déréférencé : son client ne fonctionne plus.',
    en: 'The service is dereferenced: its client no longer works.',
  },
  'dossier.client.issuer': { fr: 'Émetteur (issuer)', en: 'Issuer' },
  'dossier.client.discovery': { fr: 'Découverte (OpenID Connect)', en: 'Discovery (OpenID Connect)' },
  'dossier.client.authorization': { fr: 'Point d’autorisation', en: 'Authorization endpoint' },
  'dossier.client.token': { fr: 'Point de jeton', en: 'Token endpoint' },
  'dossier.client.redirect_uris': { fr: 'URI de redirection enregistrées', en: 'Registered redirect URIs' },
  'dossier.client.redirect_uris_none': { fr: 'Aucune', en: 'None' },
  'dossier.client.method': { fr: 'Authentification du client', en: 'Client authentication' },
  'dossier.client.method.private_key_jwt': {
    fr: 'private_key_jwt : une assertion signée avec votre clé privée',
    en: 'private_key_jwt: an assertion signed with your private key',
  },
  'dossier.client.method.client_secret_basic': {
    fr: 'client_secret_basic : le secret client (en-tête Authorization: Basic)',
    en: 'client_secret_basic: the client secret (Authorization: Basic header)',
  },
  'dossier.client.method.client_secret_post': {
    fr: 'client_secret_post : le secret client dans le corps de la requête',
    en: 'client_secret_post: the client secret in the request body',
  },
  'dossier.client.jwks_uri': { fr: 'Clés publiques (jwks_uri)', en: 'Public keys (jwks_uri)' },
  'dossier.client.jwks': { fr: 'Clés publiques déclarées (JWKS)', en: 'Declared public keys (JWKS)' },
  'dossier.client.key': { fr: 'clé {kid} ({kty}, {alg})', en: 'key {kid} ({kty}, {alg})' },
  'dossier.client.keys_none': {
    fr: 'Aucune clé déclarée : seul un secret client permet à votre service de s’authentifier.',
    en: 'No key declared: only a client secret lets your service authenticate.',
  },
  'dossier.client.keys_kept': {
    fr: 'Vos clés restent enregistrées : vous pourrez revenir à private_key_jwt.',
    en: 'Your keys stay registered: you can go back to private_key_jwt.',
  },
  'dossier.client.doc': {
    fr: 'Le guide d’appariement (points d’accès, requêtes, jetons, erreurs) est le fichier docs/pairing.md des sources de cette plateforme ; les API sont décrites dans la',
    en: 'The pairing guide (endpoints, requests, tokens, errors) is the file docs/pairing.md in this platform’s sources; the APIs are described in the',
  },
  'dossier.client.api_doc': { fr: 'documentation de l’API', en: 'API documentation' },
  'dossier.client.manage_title': { fr: 'Gérer l’authentification', en: 'Manage authentication' },
  'dossier.client.manage_role': {
    fr: 'Seuls le mandataire et le représentant légal de l’organisation peuvent générer ou supprimer un secret client.',
    en: 'Only the organisation’s mandataire and legal representative can generate or delete a client secret.',
  },
  'dossier.client.manage_inactive': {
    fr: 'Un secret client ne peut être généré ou supprimé que lorsque le client est actif.',
    en: 'A client secret can be generated or deleted only while the client is active.',
  },
  'dossier.client.issue': { fr: 'Générer un secret client', en: 'Generate a client secret' },
  'dossier.client.issue_again': {
    fr: 'Générer un nouveau secret client',
    en: 'Generate a new client secret',
  },
  'dossier.client.drop': {
    fr: 'Revenir à l’authentification par clé (private_key_jwt)',
    en: 'Go back to key authentication (private_key_jwt)',
  },

  // confirmation pages
  'dossier.client.issue_confirm.intro': {
    fr: 'Un nouveau secret client va être généré pour {oid}. Votre service devra l’envoyer au point de jeton avec la méthode client_secret_basic.',
    en: 'A new client secret will be generated for {oid}. Your service will have to send it to the token endpoint with the client_secret_basic method.',
  },
  'dossier.client.confirm.warning_title': { fr: 'Effet immédiat', en: 'Immediate effect' },
  'dossier.client.issue_confirm.warning': {
    fr: 'Dès la confirmation, le secret précédent (s’il y en a un) cesse de fonctionner et votre service ne peut plus s’authentifier par clé (private_key_jwt) tant que vous n’y revenez pas. Le nouveau secret ne sera affiché qu’une fois.',
    en: 'As soon as you confirm, the previous secret (if any) stops working and your service can no longer authenticate with its key (private_key_jwt) until you go back to it. The new secret will be shown only once.',
  },
  'dossier.client.issue_confirm.submit': {
    fr: 'Confirmer : générer le secret client',
    en: 'Confirm: generate the client secret',
  },
  'dossier.client.drop_confirm.intro': {
    fr: 'Le secret client de {oid} va être supprimé : votre service s’authentifiera de nouveau avec une assertion signée par sa clé privée (private_key_jwt).',
    en: 'The client secret of {oid} will be deleted: your service will authenticate again with an assertion signed by its private key (private_key_jwt).',
  },
  'dossier.client.drop_confirm.warning': {
    fr: 'Dès la confirmation, le secret actuel cesse de fonctionner.',
    en: 'As soon as you confirm, the current secret stops working.',
  },
  'dossier.client.drop_confirm.submit': {
    fr: 'Confirmer : revenir à private_key_jwt',
    en: 'Confirm: go back to private_key_jwt',
  },
  'dossier.client.cancel': { fr: 'Annuler et revenir au dossier', en: 'Cancel and go back to the file' },
  'dossier.client.back': { fr: 'Revenir au dossier', en: 'Back to the file' },

  // the result
  'dossier.client.issued.title': { fr: 'Votre nouveau secret client', en: 'Your new client secret' },
  'dossier.client.issued.warning_title': {
    fr: 'Ce secret ne sera plus jamais affiché',
    en: 'This secret will never be shown again',
  },
  'dossier.client.issued.warning': {
    fr: 'Copiez-le maintenant dans le coffre de secrets de votre service. Cette plateforme ne le conserve pas : s’il est perdu, générez-en un nouveau.',
    en: 'Copy it now into your service’s secret store. This platform does not keep it: if it is lost, generate a new one.',
  },
  'dossier.client.issued.secret': {
    fr: 'Secret client (client_secret)',
    en: 'Client secret (client_secret)',
  },
  'dossier.client.issued.secret_hint': {
    fr: 'Sélectionnez le champ puis copiez son contenu.',
    en: 'Select the field, then copy its content.',
  },
  'dossier.client.issued.usage': {
    fr: 'Au point de jeton {token}, envoyez l’en-tête Authorization: Basic base64(urlencode(client_id):urlencode(client_secret)).',
    en: 'At the token endpoint {token}, send the header Authorization: Basic base64(urlencode(client_id):urlencode(client_secret)).',
  },

  // errors
  'dossier.client.error.role': {
    fr: 'Seuls le mandataire et le représentant légal de l’organisation peuvent gérer les identifiants OAuth2 du service.',
    en: 'Only the organisation’s mandataire and legal representative can manage the service’s OAuth2 credentials.',
  },
  'dossier.client.error.not_published': {
    fr: 'Ce dossier n’est pas celui d’un service publié avec échange de données : il n’a pas de client OAuth2.',
    en: 'This file is not that of a service published with data exchange: it has no OAuth2 client.',
  },
  'dossier.client.error.suspended': {
    fr: 'Le client OAuth2 est suspendu (service suspendu au catalogue) : ses identifiants ne peuvent pas être changés.',
    en: 'The OAuth2 client is suspended (service suspended in the catalogue): its credentials cannot be changed.',
  },
  'dossier.client.error.revoked': {
    fr: 'Le client OAuth2 est révoqué (service déréférencé) : ses identifiants ne peuvent pas être changés.',
    en: 'The OAuth2 client is revoked (service dereferenced): its credentials cannot be changed.',
  },
  'dossier.client.error.no_secret': {
    fr: 'Votre service s’authentifie déjà par clé (private_key_jwt) : il n’y a pas de secret client à supprimer.',
    en: 'Your service already authenticates with its key (private_key_jwt): there is no client secret to delete.',
  },
  'dossier.client.error.no_keys': {
    fr: 'Aucune clé publique n’est déclarée pour ce service : sans elle, il ne pourrait plus s’authentifier. Le secret client est conservé.',
    en: 'No public key is declared for this service: without one it could no longer authenticate. The client secret is kept.',
  },
};
