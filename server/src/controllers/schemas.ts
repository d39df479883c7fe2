/**
 * The API's inputs, as zod schemas: they live in contracts/ (one source for the server, the admin
 * and the tests) and are re-exported here under the names the controllers import.
 */
export {
  compareBody,
  copyAssetBody,
  coverageQuery,
  createAssetBody,
  createSegmentBody,
  libraryQuery,
  listAssetsQuery,
  localeQuery,
  paramsSchema,
  previewBody,
  ruleBody,
  saveAssetBody,
  testRuleBody,
  updateSegmentBody,
} from '../../../contracts/admin';
export { mosaicSettingsSchema, settingsBody } from '../../../contracts/admin';
export { deliveryQuerySchema } from '../../../contracts/delivery';
export { insightsQuery, promoteBody } from '../../../contracts/insights';
export {
  behaviourEventSchema,
  eventBatchSchema,
  identifyBody,
  recordImpressionsBody,
  traitsSchema,
} from '../../../contracts/tracking';
