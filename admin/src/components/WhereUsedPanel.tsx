/**
 * "Where used", in the Content Manager's edit view of a chunk or an asset: every asset and slot that
 * offers it, and the assets that nest those, so an editor sees the impact before changing it.
 */
import { Box, Flex, Link, Typography } from '@strapi/design-system';
import { useForm } from '@strapi/strapi/admin';
import { Link as RouterLink } from 'react-router-dom';

import { useMosaicApi } from '../api/client';
import { useLoad } from '../hooks/useLoad';
import { useMosaicPermissions } from '../hooks/useMosaicPermissions';
import { useT } from '../hooks/useT';
import { PLUGIN_ID } from '../pluginId';
import { LoadStatus } from './LoadStatus';

const MODELS = ['plugin::mosaic.chunk', 'plugin::mosaic.asset'];

interface PanelProps {
  model: string;
  documentId?: string;
  document?: Record<string, unknown>;
}

// A path of the admin's router (under /admin): followed inside the admin, no reload, Back works.
const builderLink = (documentId: string) => `/plugins/${PLUGIN_ID}/assets/${documentId}`;

/** One asset that uses it: outlined when a slot offers it directly, shaded when it nests it. */
const Use = ({
  asset,
  how,
  nested,
}: {
  asset: { documentId: string; title: string };
  how: string;
  nested?: boolean;
}) => (
  <Box
    padding={2}
    hasRadius
    {...(nested
      ? { background: 'neutral100' }
      : { borderStyle: 'solid', borderWidth: '1px', borderColor: 'neutral200' })}
  >
    <Link tag={RouterLink} to={builderLink(asset.documentId)}>
      {asset.title}
    </Link>
    <Typography tag="p" variant="pi" textColor="neutral600">
      {how}
    </Typography>
  </Box>
);

/** A relation field as the Content Manager's form holds it: the changes not yet saved. */
interface RelationChanges {
  connect?: Array<{ label?: string }>;
}

const TARGETING = ['personas', 'segments'] as const;

/** How many of a relation the saved document has (the Content Manager gives counts). */
const countOf = (value: unknown): number => {
  if (Array.isArray(value)) return value.length;
  const count = (value as { count?: unknown } | null | undefined)?.count;
  return typeof count === 'number' ? count : 0;
};

/**
 * What tagging does, before it is saved: a chunk with no persona and no segment is the default its
 * slots fall back to; tagging it makes it a variant, so every other reader there stops getting it.
 */
const TaggingForesight = ({
  document,
  assets,
}: {
  document: Record<string, unknown>;
  assets: number;
}) => {
  const t = useT();
  const values = useForm(
    'MosaicWhereUsed',
    (state) => state.values as Record<string, RelationChanges | undefined>,
    false
  );
  const untagged = TARGETING.every((field) => countOf(document[field]) === 0);
  const added = TARGETING.flatMap((field) =>
    (values?.[field]?.connect ?? []).map((relation) => relation.label ?? '')
  ).filter(Boolean);
  if (!untagged || added.length === 0 || assets === 0) return null;
  return (
    <Box padding={2} background="warning100" hasRadius data-testid="tagging-foresight">
      <Typography variant="pi" textColor="neutral800">
        {t(
          'whereUsed.foresight',
          '{title}: the untagged default in {count, plural, one {# asset} other {# assets}}; tagging it {tags} removes it for every other reader there.',
          { title: String(document.title ?? ''), count: assets, tags: added.join(', ') }
        )}
      </Typography>
    </Box>
  );
};

const WhereUsedList = ({
  documentId,
  document,
}: {
  documentId: string;
  document?: Record<string, unknown>;
}) => {
  const t = useT();
  const api = useMosaicApi();
  const uses = useLoad(() => api.whereUsed(documentId), documentId);

  if (uses.failure || !uses.data) {
    return <LoadStatus failure={uses.failure} loading={t('whereUsed.loading', 'Looking…')} />;
  }
  const { direct, nested } = uses.data;
  if (direct.length === 0 && nested.length === 0) {
    return (
      <Typography variant="pi" textColor="neutral600">
        {t(
          'whereUsed.none',
          'Not used in any asset yet. Add it to a slot in Mosaic’s assembly builder.'
        )}
      </Typography>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%" data-testid="where-used">
      {document && <TaggingForesight document={document} assets={direct.length} />}
      <Typography variant="pi" textColor="neutral600">
        {t(
          'whereUsed.impact',
          'Changing it changes {count, plural, one {# asset} other {# assets}}:',
          {
            count: direct.length + nested.length,
          }
        )}
      </Typography>
      {direct.map(({ asset, slots }) => (
        <Use
          key={asset.documentId}
          asset={asset}
          how={t('whereUsed.slots', 'in {slots}', { slots: slots.join(', ') })}
        />
      ))}
      {nested.map(({ asset, path }) => (
        <Use
          key={`${asset.documentId}-${path.join('/')}`}
          asset={asset}
          how={t('whereUsed.nested', 'nests it through {path}', { path: path.join(' → ') })}
          nested
        />
      ))}
    </Flex>
  );
};

/** A Content Manager side panel: a hook-like description, as Strapi's own panels are. */
export const WhereUsedPanel = ({ model, documentId, document }: PanelProps) => {
  const t = useT();
  const { canRead } = useMosaicPermissions();
  if (!MODELS.includes(model) || !documentId || documentId === 'create' || !canRead) return null;
  return {
    title: t('whereUsed.title', 'Where used'),
    content: (
      <WhereUsedList
        documentId={documentId}
        document={model === 'plugin::mosaic.chunk' ? document : undefined}
      />
    ),
  };
};
