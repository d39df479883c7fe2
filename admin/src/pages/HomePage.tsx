/**
 * Mosaic's home in the admin: the assets editors have assembled, with a way into each one and into
 * the content the assets are built from. The assembly builder replaces the list in a later issue.
 */
import {
  Box,
  Flex,
  Link,
  Main,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Layouts, useFetchClient } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

interface AssetRow {
  documentId: string;
  title: string;
  slug: string;
  kind: string;
  status?: string;
}

const CONTENT_TYPES = ['chunk', 'asset', 'persona', 'segment', 'tag'] as const;
const editLink = (model: string, documentId?: string) =>
  `/admin/content-manager/collection-types/plugin::mosaic.${model}${documentId ? `/${documentId}` : ''}`;

export const HomePage = () => {
  const { formatMessage } = useIntl();
  const { get } = useFetchClient();
  const [assets, setAssets] = useState<AssetRow[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    get<{ results: AssetRow[] }>('/content-manager/collection-types/plugin::mosaic.asset', {
      params: { page: 1, pageSize: 100, sort: 'title:ASC' },
    })
      .then(({ data }) => setAssets(data.results))
      .catch(() => setFailed(true));
  }, [get]);

  const t = (id: string, defaultMessage: string) =>
    formatMessage({ id: getTranslation(id), defaultMessage });

  return (
    <Main>
      <Layouts.Header
        title={t('plugin.name', 'Mosaic')}
        subtitle={t('home.subtitle', 'Chunks written once, assembled into assets for every reader')}
      />
      <Layouts.Content>
        <Flex gap={3} paddingBottom={6} wrap="wrap">
          {CONTENT_TYPES.map((model) => (
            <Link key={model} href={editLink(model)}>
              {t(`home.link.${model}`, model)}
            </Link>
          ))}
        </Flex>
        <Box background="neutral0" hasRadius shadow="tableShadow">
          {failed ? (
            <Box padding={6}>
              <Typography>{t('home.error', 'The assets could not be loaded.')}</Typography>
            </Box>
          ) : (
            <Table colCount={3} rowCount={(assets?.length ?? 0) + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('home.column.title', 'Asset')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('home.column.slug', 'Slug')}</Typography>
                  </Th>
                  <Th>
                    <Typography variant="sigma">{t('home.column.kind', 'Kind')}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {(assets ?? []).map((asset) => (
                  <Tr key={asset.documentId}>
                    <Td>
                      <Link href={editLink('asset', asset.documentId)}>{asset.title}</Link>
                    </Td>
                    <Td>
                      <Typography>{asset.slug}</Typography>
                    </Td>
                    <Td>
                      <Typography>{asset.kind}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
        </Box>
      </Layouts.Content>
    </Main>
  );
};
