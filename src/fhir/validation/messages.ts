import { pdsmMessages } from './messages-pdsm.ts';
import { profileMessages } from './messages-profile.ts';
import { structureMessages } from './messages-structure.ts';
export const validationMessages: Record<string, { fr: string; en: string }> = {
  ...structureMessages,
  ...profileMessages,
  ...pdsmMessages,
};
