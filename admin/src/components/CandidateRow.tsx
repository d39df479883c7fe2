/**
 * One candidate of a slot in the builder: its place in the editor's order, its handle and move
 * buttons, its tags, its weight in an experiment, and the errors and hints about it. The gesture
 * itself (drag and drop, keyboard lifting) belongs to the slot's `useReorder`.
 */
import { Box, Field, Flex, IconButton, Link, NumberInput, Typography } from '@strapi/design-system';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import styled from 'styled-components';
import { ArrowDown, ArrowUp, Drag, Trash, WarningCircle } from '@strapi/icons';

import type { EditorCandidate } from '../../../contracts/admin';
import { useT } from '../hooks/useT';
import type { ReorderRow } from '../hooks/useReorder';
import { TagBadges } from './TagBadges';

/**
 * The row's buttons. One that cannot act looks dimmed, not pressed: the design system gives a
 * disabled ghost button a grey fill that reads as "on" (issue #15, item 10).
 */
const RowButtons = styled.div`
  display: flex;
  gap: 4px;
  & button:disabled,
  & button[aria-disabled='true'] {
    background: transparent;
    border-color: transparent;
    opacity: 0.4;
  }
`;

/**
 * Where an editor opens a candidate, inside the admin (no reload, Back returns to the builder): a
 * chunk in the Content Manager's edit view, a nested asset in its own builder; in `locale` when
 * one is given (the asset's, which its candidates are served in), else the default one.
 */
export const candidateHref = (
  candidate: { type: string; documentId: string },
  locale?: string | null
) => {
  if (candidate.type === 'asset') {
    const query = locale ? `?locale=${encodeURIComponent(locale)}` : '';
    return `/plugins/mosaic/assets/${candidate.documentId}${query}`;
  }
  const query = locale ? `?plugins[i18n][locale]=${encodeURIComponent(locale)}` : '';
  return `/content-manager/collection-types/plugin::mosaic.chunk/${candidate.documentId}${query}`;
};

/** How the builder names a candidate to the editor: its title, else its slug. */
export const candidateLabel = (candidate: EditorCandidate) =>
  candidate.title || candidate.slug || '';

interface Props {
  candidate: EditorCandidate;
  /** Zero-based position in the slot, and how many candidates the slot has. */
  position: number;
  count: number;
  canEdit: boolean;
  /** In an `experiment` slot: the weight field's name and the server's error about it. */
  weight?: { name: string; error?: string };
  errors: string[];
  hints: string[];
  reorder: ReorderRow;
  onRemove: () => void;
  onWeight: (weight: number | null) => void;
}

export const CandidateRow = ({
  candidate,
  position,
  count,
  canEdit,
  weight,
  errors,
  hints,
  reorder,
  onRemove,
  onWeight,
}: Props) => {
  const t = useT();
  // The builder's locale (none: the default one), which the asset's candidates are served in.
  const [search] = useSearchParams();
  const locale = search.get('locale');
  const title = candidateLabel(candidate);
  const { lifted, dragged, target } = reorder.state;
  return (
    <li data-testid={`candidate-${candidate.slug ?? candidate.documentId}`} {...reorder.row}>
      <Box
        marginTop={2}
        padding={2}
        hasRadius
        borderStyle="solid"
        borderWidth="1px"
        borderColor={lifted || target ? 'primary600' : errors.length ? 'danger600' : 'neutral200'}
        background={lifted ? 'primary100' : dragged ? 'neutral150' : 'neutral0'}
      >
        <Flex gap={2} alignItems="center">
          <button
            type="button"
            {...reorder.handle}
            aria-label={t(
              'builder.reorder.handle',
              'Reorder {title}: press Space to lift, the arrow keys to move, Space to drop',
              { title }
            )}
            style={{
              cursor: canEdit ? 'grab' : 'default',
              background: 'none',
              border: 0,
              padding: 4,
            }}
          >
            <Drag aria-hidden />
          </button>
          <Typography variant="pi" textColor="neutral600">
            {position + 1}.
          </Typography>
          <Flex direction="column" alignItems="flex-start" gap={1} flex="1">
            <Typography fontWeight="bold">
              <Link
                tag={RouterLink}
                to={candidateHref(candidate, locale)}
                aria-label={t('builder.candidate.open', 'Open {title}', { title })}
              >
                {title || candidate.documentId}
              </Link>
              {candidate.type === 'asset' && (
                <Typography variant="pi" textColor="neutral600">
                  {' '}
                  ({t('builder.candidate.nested', 'nested asset')})
                </Typography>
              )}
            </Typography>
            <TagBadges
              personas={candidate.personas}
              segments={candidate.segments}
              tags={candidate.tags}
            />
          </Flex>
          {weight && (
            <Box width="110px">
              <Field.Root name={weight.name} error={weight.error}>
                <Field.Label>{t('builder.candidate.weight', 'Weight')}</Field.Label>
                <NumberInput
                  value={candidate.weight ?? undefined}
                  disabled={!canEdit}
                  onValueChange={(value) => onWeight(value ?? null)}
                />
              </Field.Root>
            </Box>
          )}
          <RowButtons>
            <IconButton
              label={t('builder.candidate.up', 'Move {title} up', { title })}
              variant="ghost"
              disabled={!canEdit || position === 0}
              onClick={() => reorder.moveBy(-1)}
            >
              <ArrowUp />
            </IconButton>
            <IconButton
              label={t('builder.candidate.down', 'Move {title} down', { title })}
              variant="ghost"
              disabled={!canEdit || position === count - 1}
              onClick={() => reorder.moveBy(1)}
            >
              <ArrowDown />
            </IconButton>
            <IconButton
              label={t('builder.candidate.remove', 'Remove {title} from the slot', { title })}
              variant="ghost"
              disabled={!canEdit}
              onClick={onRemove}
            >
              <Trash />
            </IconButton>
          </RowButtons>
        </Flex>
        {errors.map((message) => (
          <Typography key={message} tag="p" variant="pi" textColor="danger600">
            {message}
          </Typography>
        ))}
        {hints.map((message) => (
          <Flex key={message} gap={1} paddingTop={1}>
            <WarningCircle fill="warning600" aria-hidden />
            <Typography tag="p" variant="pi" textColor="neutral800">
              {message}
            </Typography>
          </Flex>
        ))}
      </Box>
    </li>
  );
};
