/** What other modules may use of health measures: the FHIR API's entry points and the citizen's own views. */
export { type MeasureCategory, type MeasureValue, valuesOf } from './model.ts';
export { measuresRoutes } from './routes.ts';
export {
  eraseMeasures,
  type MeasureRow,
  measureCategoriesOf,
  measuresForExport,
  measuresOf,
  pushMeasures,
} from './service.ts';
