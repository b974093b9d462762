import type { Catalog } from '../platform/i18n.ts';

/** Strings of the consent module's API errors, field problems, decision reasons and notifications. */
export const consentMessages: Catalog = {
  // errors
  'consent.error.not_found': { fr: 'Appariement introuvable.', en: 'Pairing not found.' },
  'consent.error.not_yours': {
    fr: 'Vous ne pouvez gérer que votre propre espace ou celui d’un mineur dont vous avez la charge.',
    en: 'You may only manage your own space or that of a minor in your care.',
  },
  'consent.error.conflict': {
    fr: 'Cet appariement a été modifié entre-temps (version {version}). Rechargez-le et recommencez.',
    en: 'This pairing was changed in the meantime (version {version}). Reload it and try again.',
  },
  'consent.error.pairing_race': {
    fr: 'Ce service vient d’être apparié à cet espace. Rechargez la page.',
    en: 'This service was just paired with this space. Reload the page.',
  },
  'consent.error.service_unknown': {
    fr: 'Aucun service référencé ne porte cet identifiant.',
    en: 'No referenced service has this identifier.',
  },
  'consent.error.no_exchange': {
    fr: 'Ce service n’échange pas de données avec Mon espace santé.',
    en: 'This service exchanges no data with Mon espace santé.',
  },
  'consent.error.service_unavailable': {
    fr: 'Ce service ne peut pas être apparié : il n’est pas en ligne dans le catalogue.',
    en: 'This service cannot be paired: it is not online in the catalogue.',
  },
  'consent.error.unpaired': {
    fr: 'Ce service n’est plus apparié à cet espace.',
    en: 'This service is no longer paired with this space.',
  },
  // field problems
  'consent.field.finalites': {
    fr: 'Choisissez au moins une finalité (une liste de codes).',
    en: 'Choose at least one purpose (a list of codes).',
  },
  'consent.field.finalite_not_offered': {
    fr: 'Une finalité choisie n’est pas prévue par la convention de ce service.',
    en: 'A chosen purpose is not provided for by this service’s agreement.',
  },
  'consent.field.scopes': { fr: 'Une liste de portées est attendue.', en: 'A list of scopes is expected.' },
  'consent.field.scope_not_allowed': {
    fr: 'Une portée demandée n’est pas autorisée par la convention de ce service.',
    en: 'A requested scope is not allowed by this service’s agreement.',
  },
  'consent.field.service_user_id': {
    fr: 'L’identifiant de l’utilisateur chez le service est trop long.',
    en: 'The service’s user identifier is too long.',
  },
  'consent.field.row_version': {
    fr: 'La version de l’appariement lue est attendue (un entier).',
    en: 'The row version of the pairing you read is expected (an integer).',
  },
  // why an access is refused
  'consent.reason.not_paired': { fr: 'Service non apparié', en: 'Service not paired' },
  'consent.reason.unpaired': { fr: 'Service désynchronisé', en: 'Service unpaired' },
  'consent.reason.service_suspended': { fr: 'Service suspendu', en: 'Service suspended' },
  'consent.reason.service_unavailable': {
    fr: 'Service hors ligne ou déréférencé',
    en: 'Service offline or dereferenced',
  },
  'consent.reason.reapproval_version': {
    fr: 'Nouvelle version : autorisations à renouveler',
    en: 'New version: permissions to renew',
  },
  'consent.reason.reapproval_majority': {
    fr: 'Majorité atteinte : autorisations à renouveler',
    en: 'Coming of age: permissions to renew',
  },
  'consent.reason.no_consent': { fr: 'Pas d’accord donné', en: 'No consent given' },
  // notifications
  'consent.notify.reapproval.subject': {
    fr: 'Nouvelle version de {service} : vos autorisations sont à renouveler',
    en: 'New version of {service}: your permissions need renewing',
  },
  'consent.notify.reapproval.body': {
    fr: 'Le service {service} publie sa version {version}. La mise à jour des autorisations pour ce service est nécessaire : tant que vous ne les avez pas renouvelées, il ne peut plus consulter ni ajouter de données à votre profil.',
    en: 'The service {service} publishes its version {version}. Its permissions need updating: until you renew them, it can no longer read or add data to your profile.',
  },
};
