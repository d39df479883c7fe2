/** The insights admin API (contracts/insights.ts), typed, over Strapi's authenticated fetch client. */
import { useFetchClient } from '@strapi/strapi/admin';
import { useMemo } from 'react';

import type { GetInsights, PromoteVariant } from '../../../contracts/insights';

export interface InsightsRange {
  from?: string;
  to?: string;
  goal?: string;
}

export interface AssetOption {
  documentId: string;
  title: string;
  slug: string;
}

const params = (range: InsightsRange) =>
  Object.fromEntries(Object.entries(range).filter(([, value]) => value));

export function useInsightsApi() {
  const { get, post } = useFetchClient();
  return useMemo(
    () => ({
      async assets(): Promise<AssetOption[]> {
        const { data } = await get<{ results: AssetOption[] }>(
          '/content-manager/collection-types/plugin::mosaic.asset',
          { params: { page: 1, pageSize: 100, sort: 'title:ASC' } }
        );
        return data.results;
      },

      async insights(documentId: string, range: InsightsRange) {
        const { data } = await get<GetInsights.Response>(
          `/mosaic/insights/${encodeURIComponent(documentId)}`,
          { params: params(range) }
        );
        return data.data;
      },

      async csv(documentId: string, range: InsightsRange): Promise<Blob> {
        const { data } = await get(`/mosaic/insights/${encodeURIComponent(documentId)}/export`, {
          params: params(range),
          responseType: 'blob',
        });
        return data;
      },

      async promote(documentId: string, slot: string, variant: string) {
        const { data } = await post<PromoteVariant.Response, PromoteVariant.Request['body']>(
          `/mosaic/insights/${encodeURIComponent(documentId)}/slots/${encodeURIComponent(slot)}/promote`,
          { variant }
        );
        return data.data;
      },
    }),
    [get, post]
  );
}
