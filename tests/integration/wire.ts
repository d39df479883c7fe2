/**
 * Every answer the integration tests receive is held to its route's contract (contracts/), strictly:
 * a key the contract does not name, a missing field or a value of another type fails the test that
 * received it. `api(server)` is supertest with that check on every request; `parse(schema, res)`
 * returns the typed body where a test reads it. Answers of routes without a contract (Strapi's
 * own, GraphQL, the CSV export) and bodies that are not JSON are left alone.
 */
import request from 'supertest';
import { z } from 'zod';

import { adminResponses } from '../../contracts/admin';
import { errorResponse } from '../../contracts/common';
import { getChunkResponse, resolveAssetResponse } from '../../contracts/delivery';
import { getInsightsResponse, promoteVariantResponse } from '../../contracts/insights';
import { getManifestResponse } from '../../contracts/manifest';
import { getProfileSummaryResponse } from '../../contracts/summary';
import {
  eraseProfileResponse,
  exportProfileResponse,
  identifyResponse,
  recordImpressionsResponse,
  trackEventsResponse,
} from '../../contracts/tracking';

/** What the check reads of a supertest response. */
export interface WireResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const segment = '[^/]+';
const route = (method: string, path: string, schema: z.ZodType) => ({
  method,
  pattern: new RegExp(`^${path.replace(/:\w+/g, segment)}$`),
  schema,
});

/** Each route of contracts/ with the schema of its successful answer. */
const ROUTES = [
  route('GET', '/api/mosaic/assets/:slug', resolveAssetResponse),
  route('GET', '/api/mosaic/chunks/:slug', getChunkResponse),
  route('POST', '/api/mosaic/events', trackEventsResponse),
  route('POST', '/api/mosaic/identify', identifyResponse),
  route('POST', '/api/mosaic/impressions', recordImpressionsResponse),
  route('GET', '/api/mosaic/profile', exportProfileResponse),
  route('DELETE', '/api/mosaic/profile', eraseProfileResponse),
  route('GET', '/api/mosaic/profiles/:visitorId', exportProfileResponse),
  route('DELETE', '/api/mosaic/profiles/:visitorId', eraseProfileResponse),
  route('GET', '/api/mosaic/manifest', getManifestResponse),
  route('GET', '/api/mosaic/profile/summary', getProfileSummaryResponse),
  route('GET', '/mosaic/taxonomy', adminResponses.taxonomy),
  route('GET', '/mosaic/assets', adminResponses.listAssets),
  route('GET', '/mosaic/assets/:documentId', adminResponses.getAsset),
  route('POST', '/mosaic/assets', adminResponses.createAsset),
  route('PUT', '/mosaic/assets/:documentId', adminResponses.saveAsset),
  route('POST', '/mosaic/assets/:documentId/publish', adminResponses.publishAsset),
  route('POST', '/mosaic/assets/:documentId/copy', adminResponses.copyAsset),
  route('DELETE', '/mosaic/assets/:documentId', adminResponses.deleteAsset),
  route('GET', '/mosaic/library', adminResponses.searchLibrary),
  route('POST', '/mosaic/preview', adminResponses.preview),
  route('POST', '/mosaic/preview/compare', adminResponses.compare),
  route('GET', '/mosaic/coverage/:documentId', adminResponses.coverage),
  route('POST', '/mosaic/rules/validate', adminResponses.validateRule),
  route('POST', '/mosaic/rules/test', adminResponses.testRule),
  route('POST', '/mosaic/segments', adminResponses.saveSegment),
  route('PUT', '/mosaic/segments/:documentId', adminResponses.saveSegment),
  route('POST', '/mosaic/segments/:documentId/duplicate', adminResponses.duplicateSegment),
  route('GET', '/mosaic/segments/:documentId/where-used', adminResponses.segmentUses),
  route('DELETE', '/mosaic/segments/:documentId', adminResponses.deleteSegment),
  route('GET', '/mosaic/where-used/:documentId', adminResponses.whereUsed),
  route('GET', '/mosaic/settings', adminResponses.settings),
  route('PUT', '/mosaic/settings', adminResponses.settings),
  route('GET', '/mosaic/cache', adminResponses.cacheStats),
  route('POST', '/mosaic/audience', adminResponses.audience),
  route('GET', '/mosaic/insights/:documentId', getInsightsResponse),
  route('POST', '/mosaic/insights/:documentId/slots/:slotKey/promote', promoteVariantResponse),
];

/**
 * What an app's `afterResolve` hooks add to the delivery answers' `meta` (an extension point:
 * the contract holds Mosaic's own keys), each key optional.
 */
export type HookedMeta = Record<string, z.ZodType>;

type DeliveryAnswer = typeof resolveAssetResponse | typeof getChunkResponse;

/** A delivery answer's contract with the hooks' keys allowed in `meta` (typed as the contract). */
export function withHookedMeta<S extends DeliveryAnswer>(schema: S, hooked: HookedMeta): S {
  const meta = schema.shape.meta.extend(z.object(hooked).partial().shape);
  return schema.extend({ meta }) as unknown as S;
}

/** The schema a response to `method path` must match, or null when the route has no contract. */
export function contractOf(
  method: string,
  url: string,
  status: number,
  hooked: HookedMeta = {}
): z.ZodType | null {
  const path = new URL(url, 'http://localhost').pathname;
  const known = ROUTES.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
  if (!known) return null;
  if (status >= 400) return errorResponse;
  const delivery = known.schema === resolveAssetResponse || known.schema === getChunkResponse;
  if (!delivery || Object.keys(hooked).length === 0) return known.schema;
  return withHookedMeta(known.schema as DeliveryAnswer, hooked);
}

const isJson = (res: WireResponse) =>
  /^application\/json\b/.test(String(res.headers['content-type'] ?? ''));

/**
 * `res.body` parsed with `schema`, typed; throws what differs from the contract, with the body, so
 * that the failing test says which field drifted.
 */
export function parse<S extends z.ZodType>(schema: S, res: WireResponse): z.output<S> {
  const result = schema.safeParse(res.body);
  if (result.success) return result.data;
  throw new Error(
    `The answer (${res.status}) does not match its contract:\n${z.prettifyError(result.error)}\n` +
      `Body: ${JSON.stringify(res.body).slice(0, 2000)}`
  );
}

/** An error answer (`{ data: null, error }`), typed. */
export const parseError = (res: WireResponse) => parse(errorResponse, res);

/** Holds one response to its route's contract (nothing for routes without one). */
export function checkWire(
  method: string,
  url: string,
  res: WireResponse,
  hooked: HookedMeta = {}
): void {
  if (res.status === 204 || res.status === 304 || !isJson(res)) return;
  const schema = contractOf(method, url, res.status, hooked);
  if (!schema) return;
  try {
    parse(schema, res);
  } catch (error) {
    throw new Error(`${method.toUpperCase()} ${url}: ${(error as Error).message}`);
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

/**
 * Supertest on `server`, each response held to its route's contract before the test sees it.
 * `hooked`: the keys the app's `afterResolve` hooks add to delivery answers' `meta`.
 */
export function wireRequest(server: Parameters<typeof request>[0], hooked: HookedMeta = {}) {
  const agent = request(server);
  const checked = {} as Pick<typeof agent, (typeof METHODS)[number]>;
  for (const method of METHODS) {
    checked[method] = (url: string) => {
      const test = agent[method](url);
      const then = test.then.bind(test);
      // Every `await`, `.then` and `.expect(…)` chain ends in `then`: the check runs there.
      test.then = ((resolve, reject) =>
        then((res) => {
          checkWire(method, url, res, hooked);
          return res;
        }).then(resolve, reject)) as typeof test.then;
      return test;
    };
  }
  return checked;
}
