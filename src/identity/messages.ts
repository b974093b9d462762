import type { Catalog } from '../platform/i18n.ts';

/** Strings of sign-in, registration, accounts, organisations, API tokens, the admin console and citizens' sign-in. */
export const identityMessages: Catalog = {
  'role.mandataire': { fr: 'Mandataire', en: 'Authorised agent (mandataire)' },
  'role.representant': { fr: 'Représentant', en: 'Representative' },
  'role.salarie': { fr: 'Salarié', en: 'Employee' },
  'role.instructeur': { fr: 'Instructeur', en: 'Instructor' },
  'role.commission': { fr: 'Membre de la commission', en: 'Commission member' },
  'role.decideur': { fr: 'Décideur', en: 'Decision maker' },
  'role.admin': { fr: 'Administrateur', en: 'Administrator' },
};
