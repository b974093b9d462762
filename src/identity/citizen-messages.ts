import type { Catalog } from '../platform/i18n.ts';

/** Strings of the citizens' sign-in and of the sandbox's test identity provider. */
export const citizenMessages: Catalog = {};
