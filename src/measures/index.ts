/** What other modules may use of health measures: the FHIR API's entry points and the citizen's own views. */
export {
  classify,
  codesOf,
  type MeasureCategory,
  type MeasureValue,
  parseSearch,
  valuesOf,
} from './model.ts';
export { measuresRoutes } from './routes.ts';
export {
  eraseMeasures,
  type MeasureRow,
  measureCategories,
  measureCategoriesOf,
  measuresForExport,
  measuresOf,
  pushMeasures,
} from './service.ts';
