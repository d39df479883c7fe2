/**
 * The one typed client of Mosaic's admin API (contracts/admin.ts), over Strapi's `useFetchClient`
 * so requests carry the admin's token and are aborted when the page unmounts. Failures become an
 * `ApiFailure` the pages can place next to the field at fault.
 */
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import { useMemo } from 'react';

import type {
  Compare,
  CopyAsset,
  Coverage,
  CreateAsset,
  DeleteSegment,
  DuplicateSegment,
  DeleteAsset,
  GetAsset,
  GetTaxonomy,
  ListAssets,
  MosaicSettings,
  Preview,
  PublishAsset,
  SaveAsset,
  SaveSegment,
  SearchLibrary,
  SegmentUses,
  Settings,
  TestRule,
  ValidateRule,
  WhereUsed,
} from '../../../contracts/admin';
import type { GetInsights, PromoteVariant } from '../../../contracts/insights';

export interface FieldError {
  path: string[];
  message: string;
}

export interface ApiFailure {
  status: number | null;
  message: string;
  errors: FieldError[];
  /** Asset slugs of a refused nesting cycle, the first repeated at the end. */
  cycle: string[] | null;
  /** A refused delete: the assets that nest the one to delete (`details.usedBy`). */
  usedBy?: WhereUsed.Response['data'];
}

/** The period and goal the insights page reads (empty: the server's defaults). */
export interface InsightsQuery {
  from?: string;
  to?: string;
  goal?: string;
}

const insightsParams = (query: InsightsQuery) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value));

export interface AudienceEstimate {
  matching: number;
  total: number;
  exact: boolean;
}

const asPath = (path: unknown): string[] =>
  Array.isArray(path) ? path.map(String) : typeof path === 'string' && path ? path.split('.') : [];

/** Any thrown value → what the page shows; never throws itself. */
export function toFailure(error: unknown): ApiFailure {
  if (isFetchError(error)) {
    const body = error.response?.data?.error;
    const details = (body?.details ?? {}) as {
      errors?: unknown;
      cycle?: unknown;
      usedBy?: WhereUsed.Response['data'];
    };
    const errors = Array.isArray(details.errors)
      ? details.errors.map((e: { path?: unknown; message?: unknown }) => ({
          path: asPath(e.path),
          message: String(e.message ?? ''),
        }))
      : [];
    return {
      status: body?.status ?? error.status ?? null,
      message: body?.message || error.message,
      errors,
      cycle: Array.isArray(details.cycle) ? details.cycle.map(String) : null,
      ...(details.usedBy ? { usedBy: details.usedBy } : {}),
    };
  }
  return {
    status: null,
    message: error instanceof Error ? error.message : String(error),
    errors: [],
    cycle: null,
  };
}

const withLocale = (locale?: string | null) => (locale ? { locale } : {});

export function useMosaicApi() {
  const { get, post, put, del } = useFetchClient();
  return useMemo(
    () => ({
      listAssets: async (query: ListAssets.Request['query']) =>
        (await get<ListAssets.Response>('/mosaic/assets', { params: query })).data.data,

      getAsset: async (documentId: string, locale?: string | null) =>
        (
          await get<GetAsset.Response>(`/mosaic/assets/${documentId}`, {
            params: withLocale(locale),
          })
        ).data.data,

      createAsset: async (body: CreateAsset.Request['body']) =>
        (await post<CreateAsset.Response>('/mosaic/assets', body)).data.data,

      saveAsset: async (
        documentId: string,
        locale: string | null,
        body: SaveAsset.Request['body']
      ) =>
        (
          await put<SaveAsset.Response>(`/mosaic/assets/${documentId}`, body, {
            params: withLocale(locale),
          })
        ).data.data,

      publishAsset: async (documentId: string, locale: string | null) =>
        (
          await post<PublishAsset.Response>(`/mosaic/assets/${documentId}/publish`, undefined, {
            params: withLocale(locale),
          })
        ).data.data,

      copyAsset: async (
        documentId: string,
        locale: string | null,
        body: CopyAsset.Request['body'] = {}
      ) =>
        (
          await post<CopyAsset.Response>(`/mosaic/assets/${documentId}/copy`, body, {
            params: withLocale(locale),
          })
        ).data.data,

      deleteAsset: async (documentId: string, locale: string | null) =>
        (
          await del<DeleteAsset.Response>(`/mosaic/assets/${documentId}`, {
            params: withLocale(locale),
          })
        ).data.data,

      searchLibrary: async (query: SearchLibrary.Request['query']) =>
        (await get<SearchLibrary.Response>('/mosaic/library', { params: query })).data,

      taxonomy: async () => (await get<GetTaxonomy.Response>('/mosaic/taxonomy')).data.data,

      preview: async (body: Preview.Request['body']) =>
        (await post<Preview.Response>('/mosaic/preview', body)).data,

      compare: async (body: Compare.Request['body']) =>
        (await post<Compare.Response>('/mosaic/preview/compare', body)).data.data,

      coverage: async (documentId: string, locale?: string | null) =>
        (
          await get<Coverage.Response>(`/mosaic/coverage/${documentId}`, {
            params: withLocale(locale),
          })
        ).data.data,

      validateRule: async (rule: unknown) =>
        (await post<ValidateRule.Response>('/mosaic/rules/validate', { rule })).data.data,

      testRule: async (body: TestRule.Request['body']) =>
        (await post<TestRule.Response>('/mosaic/rules/test', body)).data.data,

      audience: async (rule: unknown) =>
        (await post<{ data: AudienceEstimate }>('/mosaic/audience', { rule })).data.data,

      saveSegment: async (documentId: string | null, body: SaveSegment.Request['body']) =>
        documentId
          ? (await put<SaveSegment.Response>(`/mosaic/segments/${documentId}`, body)).data.data
          : (await post<SaveSegment.Response>('/mosaic/segments', body)).data.data,

      duplicateSegment: async (documentId: string) =>
        (await post<DuplicateSegment.Response>(`/mosaic/segments/${documentId}/duplicate`)).data
          .data,

      segmentUses: async (documentId: string) =>
        (await get<SegmentUses.Response>(`/mosaic/segments/${documentId}/where-used`)).data.data,

      deleteSegment: async (documentId: string) =>
        (await del<DeleteSegment.Response>(`/mosaic/segments/${documentId}`)).data.data,

      whereUsed: async (documentId: string) =>
        (await get<WhereUsed.Response>(`/mosaic/where-used/${documentId}`)).data.data,

      getSettings: async () => (await get<Settings.Response>('/mosaic/settings')).data.data,

      saveSettings: async (body: Partial<MosaicSettings>) =>
        (await put<Settings.Response>('/mosaic/settings', body)).data.data,

      insights: async (documentId: string, query: InsightsQuery) =>
        (
          await get<GetInsights.Response>(`/mosaic/insights/${documentId}`, {
            params: insightsParams(query),
          })
        ).data.data,

      insightsCsv: async (documentId: string, query: InsightsQuery) =>
        (
          await get(`/mosaic/insights/${documentId}/export`, {
            params: insightsParams(query),
            responseType: 'blob',
          })
        ).data,

      promote: async (documentId: string, slot: string, variant: string) =>
        (
          await post<PromoteVariant.Response, PromoteVariant.Request['body']>(
            `/mosaic/insights/${documentId}/slots/${encodeURIComponent(slot)}/promote`,
            { variant }
          )
        ).data.data,
    }),
    [get, post, put, del]
  );
}

export type MosaicApi = ReturnType<typeof useMosaicApi>;
