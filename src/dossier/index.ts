/** What other modules (and the CLI) may use of the referencing-file module. */
import { mergeCatalogs } from '../platform/i18n.ts';
import { adminFileMessages } from './admin-file-messages.ts';
import { complaintMessages } from './complaint-messages.ts';
import { instructionMessages } from './instruction-messages.ts';
import { dossierMessages } from './messages.ts';
import { oauthClientMessages } from './oauth-client-messages.ts';
import { dossierPdfMessages } from './pdf-messages.ts';
import { publicPageMessages } from './public-pages.tsx';
import { publisherMessages } from './publisher-messages.ts';

export const dossierCatalog = mergeCatalogs(
  dossierMessages,
  adminFileMessages,
  dossierPdfMessages,
  instructionMessages,
  publisherMessages,
  complaintMessages,
  publicPageMessages,
  oauthClientMessages,
);
export { isAdminFileValidated, seedDemoAdminFile } from './admin-file-service.ts';
export { dossierDeps, dossierPlugin } from './plugin.ts';
export { type DossierDeps, publishedDossierOf, runClock } from './service.ts';
