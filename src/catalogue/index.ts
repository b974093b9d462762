/** What other modules (and the app) may use of the public catalogue. */
export { catalogueMessages } from './messages.ts';
export { CATALOGUE_PATH, servicePath } from './pages.tsx';
export { cataloguePlugin } from './plugin.ts';
