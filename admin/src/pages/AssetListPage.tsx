/**
 * Mosaic's home: the assets editors assemble, searchable by title or slug and by locale, with their
 * status and a way to create one. Links to the segments and insights pages and to the content types
 * behind it.
 */
import {
  Box,
  Button,
  EmptyStateLayout,
  Field,
  Flex,
  Link,
  Main,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Plus } from '@strapi/icons';
import { Layouts, Page } from '@strapi/strapi/admin';
import { useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';

import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { SearchBox } from '../components/SearchBox';
import { StatusBadge } from '../components/TagBadges';
import { useLoad } from '../hooks/useLoad';
import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { useT } from '../hooks/useT';
import { errorsAt } from '../utils/builder';

const CONTENT_TYPES = ['chunk', 'asset', 'persona', 'segment', 'tag'] as const;
export const contentManagerLink = (model: string, documentId?: string) =>
  `/admin/content-manager/collection-types/plugin::mosaic.${model}${documentId ? `/${documentId}` : ''}`;

const CreateAssetModal = ({ onClose, locale }: { onClose: () => void; locale: string }) => {
  const t = useT();
  const api = useMosaicApi();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const asset = await api.createAsset({
        title,
        ...(slug ? { slug } : {}),
        ...(locale ? { locale } : {}),
      });
      navigate(`assets/${asset.documentId}${asset.locale ? `?locale=${asset.locale}` : ''}`);
    } catch (error) {
      setFailure(toFailure(error));
      setBusy(false);
    }
  };
  const fieldError = (field: string) => errorsAt(failure?.errors ?? [], field)[0];

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <form onSubmit={submit}>
          <Modal.Header>
            <Modal.Title>{t('list.create.title', 'Create an asset')}</Modal.Title>
          </Modal.Header>
          <Modal.Body>
            <Flex direction="column" gap={4} alignItems="stretch">
              <Typography textColor="neutral600">
                {t(
                  'list.create.help',
                  'An asset is a page, an email or any deliverable. You will add slots to it, then fill each slot with chunks.'
                )}
              </Typography>
              <Field.Root name="title" required error={fieldError('title')}>
                <Field.Label>{t('list.create.field.title', 'Title')}</Field.Label>
                <TextInput value={title} onChange={(e) => setTitle(e.target.value)} />
                <Field.Error />
              </Field.Root>
              <Field.Root
                name="slug"
                error={fieldError('slug')}
                hint={t(
                  'list.create.field.slug.hint',
                  'Used in the delivery URL; made from the title when empty.'
                )}
              >
                <Field.Label>{t('list.create.field.slug', 'Slug')}</Field.Label>
                <TextInput value={slug} onChange={(e) => setSlug(e.target.value)} />
                <Field.Hint />
                <Field.Error />
              </Field.Root>
              {failure && failure.errors.length === 0 && (
                <Typography textColor="danger600">{failure.message}</Typography>
              )}
            </Flex>
          </Modal.Body>
          <Modal.Footer>
            <Modal.Close>
              <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
            </Modal.Close>
            <Button type="submit" loading={busy} disabled={title.trim() === ''}>
              {t('list.create.submit', 'Create and open')}
            </Button>
          </Modal.Footer>
        </form>
      </Modal.Content>
    </Modal.Root>
  );
};

export const AssetListPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const { canEdit } = useMosaicPermissions();
  const [q, setQ] = useState('');
  const [locale, setLocale] = useState('');
  const [creating, setCreating] = useState(false);
  const taxonomy = useLoad(api.taxonomy, 'taxonomy');
  const assets = useLoad(
    () => api.listAssets({ q: q || undefined, locale: locale || undefined }),
    `${q}|${locale}`
  );

  const rows = assets.data ?? [];
  return (
    <Main>
      <Layouts.Header
        title={t('plugin.name', 'Mosaic')}
        subtitle={t('home.subtitle', 'Chunks written once, assembled into assets for every reader')}
        primaryAction={
          <Button startIcon={<Plus />} onClick={() => setCreating(true)} disabled={!canEdit}>
            {t('list.create', 'Create an asset')}
          </Button>
        }
        secondaryAction={
          <Flex gap={4}>
            <Link tag={RouterLink} to="segments">
              {t('nav.segments', 'Segment rules')}
            </Link>
            <Link tag={RouterLink} to="insights">
              {t('nav.insights', 'Insights')}
            </Link>
          </Flex>
        }
      />
      <Layouts.Content>
        <Flex gap={3} paddingBottom={4} wrap="wrap">
          <Typography variant="sigma" textColor="neutral600">
            {t('home.library', 'Library:')}
          </Typography>
          {CONTENT_TYPES.map((model) => (
            <Link key={model} href={contentManagerLink(model)}>
              {t(`home.link.${model}`, model)}
            </Link>
          ))}
        </Flex>
        <Flex gap={3} paddingBottom={4} alignItems="flex-end">
          <Box flex="1">
            <SearchBox
              name="q"
              label={t('list.search', 'Search assets by title or slug')}
              value={q}
              onChange={setQ}
            />
          </Box>
          <Box minWidth="200px">
            <Field.Root name="locale">
              <VisuallyHidden>
                <Field.Label>{t('field.locale', 'Locale')}</Field.Label>
              </VisuallyHidden>
              <SingleSelect
                placeholder={t('field.locale.all', 'All locales')}
                value={locale}
                onChange={(value) => setLocale(String(value))}
                onClear={() => setLocale('')}
                clearLabel={t('action.clear', 'Clear')}
              >
                {(taxonomy.data?.locales ?? []).map((l) => (
                  <SingleSelectOption key={l.code} value={l.code}>
                    {l.name}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>
        {assets.failure ? (
          <Page.Error />
        ) : !assets.loading && rows.length === 0 ? (
          <EmptyStateLayout
            content={
              q || locale
                ? t(
                    'list.empty.filtered',
                    'No asset matches this search. Clear the search to see them all.'
                  )
                : t(
                    'list.empty',
                    'No asset yet. Create one, add slots such as "hero" and "cta", then fill them with chunks.'
                  )
            }
            action={
              canEdit && !q ? (
                <Button variant="secondary" startIcon={<Plus />} onClick={() => setCreating(true)}>
                  {t('list.create', 'Create an asset')}
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Table colCount={5} rowCount={rows.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">{t('home.column.title', 'Asset')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('home.column.slug', 'Slug')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('home.column.locale', 'Locale')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('home.column.slots', 'Slots')}</Typography>
                </Th>
                <Th>
                  <Typography variant="sigma">{t('home.column.status', 'Status')}</Typography>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((asset) => (
                <Tr key={`${asset.documentId}-${asset.locale}`}>
                  <Td>
                    <Link
                      tag={RouterLink}
                      to={`assets/${asset.documentId}${asset.locale ? `?locale=${asset.locale}` : ''}`}
                    >
                      {asset.title}
                    </Link>
                  </Td>
                  <Td>
                    <Typography>{asset.slug}</Typography>
                  </Td>
                  <Td>
                    <Typography>{asset.locale ?? '—'}</Typography>
                  </Td>
                  <Td>
                    <Typography>{asset.slotCount}</Typography>
                  </Td>
                  <Td>
                    <StatusBadge status={asset.status} />
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
      {creating && <CreateAssetModal locale={locale} onClose={() => setCreating(false)} />}
    </Main>
  );
};
