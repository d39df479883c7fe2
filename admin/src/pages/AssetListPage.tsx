/**
 * Mosaic's home: the assets editors assemble, searchable by title or slug and by locale, with their
 * status and a way to create one (empty, or from another asset as its template), duplicate one or
 * delete one (after a where-used check: an asset nested in others is not deleted). Links to the
 * segments and insights pages and to the content types behind it.
 */
import {
  Box,
  Button,
  Dialog,
  EmptyStateLayout,
  Field,
  Flex,
  IconButton,
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
import { Duplicate, Plus, Trash } from '@strapi/icons';
import { Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useEffect, useState, type FormEvent } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';

import type { ListAssets, WhereUsed } from '../../../contracts/admin';
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

type AssetRow = ListAssets.Response['data'][number];

const builderPath = (asset: { documentId: string; locale?: string | null }) =>
  `assets/${asset.documentId}${asset.locale ? `?locale=${asset.locale}` : ''}`;

const CreateAssetModal = ({
  onClose,
  locale,
  templates,
}: {
  onClose: () => void;
  locale: string;
  /** Assets a new one can start from (their slots copied). */
  templates: AssetRow[];
}) => {
  const t = useT();
  const api = useMosaicApi();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [template, setTemplate] = useState('');
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const from = templates.find((a) => a.documentId === template);
      const asset = from
        ? await api.copyAsset(from.documentId, from.locale ?? null, {
            title,
            ...(slug ? { slug } : {}),
          })
        : await api.createAsset({
            title,
            ...(slug ? { slug } : {}),
            ...(locale ? { locale } : {}),
          });
      navigate(builderPath(asset));
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
              <Field.Root
                name="template"
                hint={t(
                  'list.create.field.template.hint',
                  "The new asset starts with that asset's slots and chunks; the template is left as it is."
                )}
              >
                <Field.Label>{t('list.create.field.template', 'Start from')}</Field.Label>
                <SingleSelect
                  placeholder={t('list.create.field.template.none', 'An empty asset')}
                  value={template}
                  onChange={(value) => setTemplate(String(value))}
                  onClear={() => setTemplate('')}
                  clearLabel={t('list.create.field.template.clear', 'Start from an empty asset')}
                >
                  {templates.map((a) => (
                    <SingleSelectOption key={`${a.documentId}-${a.locale}`} value={a.documentId}>
                      {a.title}
                    </SingleSelectOption>
                  ))}
                </SingleSelect>
                <Field.Hint />
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

/**
 * Deleting an asset, confirmed: where it is used is checked first, and an asset nested in others
 * is not deleted; the editor gets links to those assets instead (the server refuses it as well).
 */
const DeleteAssetDialog = ({
  asset,
  onClose,
  onDeleted,
}: {
  asset: AssetRow;
  onClose: () => void;
  onDeleted: () => void;
}) => {
  const t = useT();
  const api = useMosaicApi();
  const { toggleNotification } = useNotification();
  const [usedBy, setUsedBy] = useState<WhereUsed.Response['data'] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    api
      .whereUsed(asset.documentId)
      .then((data) => current && setUsedBy(data))
      .catch((error: unknown) => current && setFailure(toFailure(error)));
    return () => {
      current = false;
    };
  }, [api, asset.documentId]);

  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteAsset(asset.documentId, asset.locale ?? null);
      toggleNotification({
        type: 'success',
        message: t('list.delete.done', '"{title}" deleted', { title: asset.title }),
      });
      onDeleted();
    } catch (error) {
      const refused = toFailure(error);
      setFailure(refused);
      if (refused.usedBy) setUsedBy(refused.usedBy);
      setBusy(false);
    }
  };

  const nesting = usedBy?.direct ?? [];
  const checking = usedBy === null && failure === null;
  return (
    <Dialog.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Dialog.Content>
        <Dialog.Header>
          {t('list.delete.title', 'Delete "{title}"?', { title: asset.title })}
        </Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" gap={3} alignItems="stretch" data-testid="delete-asset">
            {checking && (
              <Typography textColor="neutral600">
                {t('list.delete.checking', 'Checking where this asset is used…')}
              </Typography>
            )}
            {nesting.length > 0 ? (
              <>
                <Typography tag="p" textColor="danger700" fontWeight="bold">
                  {t(
                    'list.delete.used',
                    'This asset is nested in {count, plural, one {another asset} other {# other assets}}: remove it from them first, then delete it.',
                    { count: nesting.length }
                  )}
                </Typography>
                <ul>
                  {nesting.map((use) => (
                    <li key={use.asset.documentId}>
                      <Link
                        tag={RouterLink}
                        to={builderPath({ documentId: use.asset.documentId, locale: asset.locale })}
                      >
                        {use.asset.title}
                      </Link>{' '}
                      <Typography variant="pi" textColor="neutral600">
                        {t('list.delete.slots', 'slot {slots}', { slots: use.slots.join(', ') })}
                      </Typography>
                    </li>
                  ))}
                </ul>
              </>
            ) : (
              usedBy && (
                <Typography tag="p">
                  {t(
                    'list.delete.free',
                    'No other asset nests it. Its draft and published versions in this locale are deleted; readers asking for "{slug}" get 404. This cannot be undone.',
                    { slug: asset.slug }
                  )}
                </Typography>
              )
            )}
            {failure && !failure.usedBy && (
              <Typography textColor="danger700" role="alert">
                {failure.message}
              </Typography>
            )}
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Dialog.Cancel>
          <Button
            variant="danger-light"
            startIcon={<Trash />}
            loading={busy}
            disabled={checking || nesting.length > 0}
            onClick={remove}
          >
            {t('list.delete.confirm', 'Delete')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};

export const AssetListPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const { canEdit } = useMosaicPermissions();
  const [q, setQ] = useState('');
  const [locale, setLocale] = useState('');
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<AssetRow | null>(null);
  const [copying, setCopying] = useState<string | null>(null);
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const taxonomy = useLoad(api.taxonomy, 'taxonomy');
  const assets = useLoad(
    () => api.listAssets({ q: q || undefined, locale: locale || undefined }),
    `${q}|${locale}`
  );

  const rows = assets.data ?? [];

  const duplicate = async (asset: AssetRow) => {
    setCopying(asset.documentId);
    try {
      const copy = await api.copyAsset(asset.documentId, asset.locale ?? null);
      toggleNotification({
        type: 'success',
        message: t('list.duplicate.done', 'Duplicated as "{title}", a draft', {
          title: copy.title,
        }),
      });
      navigate(builderPath(copy));
    } catch (error) {
      toggleNotification({ type: 'danger', message: toFailure(error).message });
      setCopying(null);
    }
  };
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
          <Table colCount={6} rowCount={rows.length + 1}>
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
                <Th>
                  <VisuallyHidden>{t('home.column.actions', 'Actions')}</VisuallyHidden>
                </Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((asset) => (
                <Tr key={`${asset.documentId}-${asset.locale}`}>
                  <Td>
                    <Link tag={RouterLink} to={builderPath(asset)}>
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
                  <Td>
                    <Flex gap={1} justifyContent="flex-end">
                      <IconButton
                        label={t('list.duplicate', 'Duplicate {title}', { title: asset.title })}
                        variant="ghost"
                        disabled={!canEdit || copying !== null}
                        onClick={() => duplicate(asset)}
                      >
                        <Duplicate />
                      </IconButton>
                      <IconButton
                        label={t('list.delete', 'Delete {title}', { title: asset.title })}
                        variant="ghost"
                        disabled={!canEdit}
                        onClick={() => setDeleting(asset)}
                      >
                        <Trash />
                      </IconButton>
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
      {creating && (
        <CreateAssetModal locale={locale} templates={rows} onClose={() => setCreating(false)} />
      )}
      {deleting && (
        <DeleteAssetDialog
          asset={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            assets.reload();
          }}
        />
      )}
    </Main>
  );
};
