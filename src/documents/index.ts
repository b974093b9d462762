/** What other modules (the citizen's space, the app) may use of health documents. */
export { documentsMessages } from './messages.ts';
export { DOCUMENTS_CATEGORY } from './model.ts';
export { documentsRoutes } from './routes.ts';
export {
  type CitizenDocument,
  documentCountOf,
  documentFile,
  documentsForExport,
  documentsOf,
  eraseDocuments,
  provideDocuments,
} from './service.ts';
