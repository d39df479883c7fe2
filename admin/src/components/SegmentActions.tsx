/**
 * Duplicate and delete one segment from the Segments screen. Deleting asks first and shows where
 * the segment is used: the chunks targeted at it (and the assets offering them) must be taken off
 * it first, with links to them; the server refuses otherwise (admin route DELETE /segments/:id).
 */
import { Box, Button, Dialog, Flex, Link, Typography } from '@strapi/design-system';
import { Duplicate, Trash } from '@strapi/icons';
import { useNotification } from '@strapi/strapi/admin';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';

import type { SegmentUses } from '../../../contracts/admin';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { useT } from '../hooks/useT';

interface Props {
  segment: { documentId: string; name: string };
  disabled: boolean;
  onDuplicated: (documentId: string) => void;
  onDeleted: () => void;
}

export const SegmentActions = ({ segment, disabled, onDuplicated, onDeleted }: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const { toggleNotification } = useNotification();
  const [open, setOpen] = useState(false);
  const [uses, setUses] = useState<SegmentUses.Response['data'] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const duplicate = async () => {
    setBusy(true);
    try {
      const copy = await api.duplicateSegment(segment.documentId);
      toggleNotification({
        type: 'success',
        message: t('segments.duplicated', 'Duplicated as “{name}”', { name: copy.name }),
      });
      onDuplicated(copy.documentId);
    } catch (error) {
      toggleNotification({ type: 'danger', message: toFailure(error).message });
    }
    setBusy(false);
  };

  const openDelete = async (next: boolean) => {
    setOpen(next);
    if (!next) return;
    setUses(null);
    setFailure(null);
    try {
      setUses(await api.segmentUses(segment.documentId));
    } catch (error) {
      setFailure(toFailure(error));
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await api.deleteSegment(segment.documentId);
      setOpen(false);
      toggleNotification({
        type: 'success',
        message: t('segments.deleted', 'Segment “{name}” deleted', { name: segment.name }),
      });
      onDeleted();
    } catch (error) {
      setFailure(toFailure(error));
    }
    setBusy(false);
  };

  const used = Boolean(uses && uses.chunks.length > 0);

  return (
    <Flex gap={2}>
      <Button
        variant="secondary"
        startIcon={<Duplicate />}
        disabled={disabled}
        loading={busy && !open}
        onClick={duplicate}
      >
        {t('segments.duplicate', 'Duplicate')}
      </Button>
      <Dialog.Root open={open} onOpenChange={(next: boolean) => void openDelete(next)}>
        <Dialog.Trigger>
          <Button variant="danger-light" startIcon={<Trash />} disabled={disabled}>
            {t('segments.delete', 'Delete…')}
          </Button>
        </Dialog.Trigger>
        <Dialog.Content>
          <Dialog.Header>
            {t('segments.delete.title', 'Delete “{name}”?', { name: segment.name })}
          </Dialog.Header>
          <Dialog.Body>
            <Flex direction="column" alignItems="stretch" gap={3} data-testid="segment-uses">
              {failure && <Typography textColor="danger600">{failure.message}</Typography>}
              {!uses && !failure && (
                <Typography textColor="neutral600">
                  {t('segments.delete.checking', 'Looking for chunks targeted at this segment…')}
                </Typography>
              )}
              {uses && !used && (
                <Typography>
                  {t(
                    'segments.delete.unused',
                    'No chunk is targeted at this segment. Deleting it cannot be undone.'
                  )}
                </Typography>
              )}
              {uses && used && (
                <>
                  <Typography>
                    {t(
                      'segments.delete.used',
                      '{count, plural, one {# chunk is} other {# chunks are}} targeted at this segment: deleting it would show {count, plural, one {that variant} other {those variants}} to every reader. Take the segment off {count, plural, one {it} other {them}} first.',
                      { count: uses.chunks.length }
                    )}
                  </Typography>
                  <Box tag="ul" paddingLeft={4}>
                    {uses.chunks.map((chunk) => (
                      <li key={chunk.documentId}>
                        <Link
                          tag={RouterLink}
                          to={`/content-manager/collection-types/plugin::mosaic.chunk/${chunk.documentId}`}
                        >
                          {chunk.title}
                        </Link>
                      </li>
                    ))}
                  </Box>
                  {uses.assets.length > 0 && (
                    <>
                      <Typography>
                        {t('segments.delete.assets', 'Offered in these assets:')}
                      </Typography>
                      <Box tag="ul" paddingLeft={4}>
                        {uses.assets.map(({ asset, slots }) => (
                          <li key={asset.documentId}>
                            <Link
                              tag={RouterLink}
                              to={`/plugins/mosaic/assets/${asset.documentId}`}
                            >
                              {asset.title}
                            </Link>{' '}
                            <Typography variant="pi" textColor="neutral600">
                              {t('segments.delete.slots', '(slots {slots})', {
                                slots: slots.join(', '),
                              })}
                            </Typography>
                          </li>
                        ))}
                      </Box>
                    </>
                  )}
                </>
              )}
            </Flex>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('segments.delete.cancel', 'Cancel')}</Button>
            </Dialog.Cancel>
            <Button variant="danger" loading={busy} disabled={!uses || used} onClick={remove}>
              {t('segments.delete.confirm', 'Delete the segment')}
            </Button>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Flex>
  );
};
