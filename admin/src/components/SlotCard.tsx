/**
 * One slot of the builder: its key, mode and limit (or holdout), and its candidates in editor
 * order, each a `CandidateRow`, reordered through `useReorder`.
 */
import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextButton,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Sparkle, Trash } from '@strapi/icons';

import type { EditorCandidate, EditorSlot } from '../../../contracts/admin';
import { SLOT_MODES } from '../../../contracts/wire';
import { useReorder } from '../hooks/useReorder';
import { useT } from '../hooks/useT';
import { errorsAt, isUntagged, slotLevelErrors, type Hint } from '../utils/builder';
import { CandidateRow, candidateLabel } from './CandidateRow';
import { Card } from './Card';

// A slot offers a chunk or an asset once (see `addCandidates`): its type and id name its row.
const candidateKey = (candidate: EditorCandidate) => `${candidate.type}:${candidate.documentId}`;

interface Props {
  slot: EditorSlot;
  index: number;
  /** The server's errors about this slot, their paths relative to it (see `slotErrors`). */
  errors: Array<{ path: string[]; message: string }>;
  hints: Hint[];
  canEdit: boolean;
  onChange: (change: Partial<Omit<EditorSlot, 'candidates'>>) => void;
  onRemove: () => void;
  onAddCandidates: () => void;
  /** Opens "Personalise this slot". */
  onPersonalise: () => void;
  /** The fix for a default above targeted candidates. */
  onMoveDefaultLast: () => void;
  onMoveCandidate: (from: number, to: number) => void;
  onRemoveCandidate: (candidate: number) => void;
  onWeight: (candidate: number, weight: number | null) => void;
}

export const SlotCard = ({
  slot,
  index,
  errors,
  hints,
  canEdit,
  onChange,
  onRemove,
  onAddCandidates,
  onPersonalise,
  onMoveDefaultLast,
  onMoveCandidate,
  onRemoveCandidate,
  onWeight,
}: Props) => {
  const t = useT();
  const reorder = useReorder({
    items: slot.candidates,
    keyOf: candidateKey,
    labelOf: candidateLabel,
    onMove: onMoveCandidate,
    disabled: !canEdit,
  });

  const keyError = errorsAt(errors, 'key')[0];
  const limitError = errorsAt(errors, 'limit')[0];
  const slotLevel = slotLevelErrors(errors);
  const hintMessage = (hint: Hint) =>
    ({
      'key-empty': t('hint.key-empty', 'Give the slot a key, e.g. "hero".'),
      'key-invalid': t(
        'hint.key-invalid',
        'Use lower-case letters, digits, "-" and "_" only, starting with a letter or digit.'
      ),
      'key-duplicate': t('hint.key-duplicate', 'Another slot already has this key.'),
      'limit-invalid': t('hint.limit-invalid', 'The limit must be a whole number of at least 1.'),
      'slot-empty': t(
        'hint.slot-empty',
        'This slot is empty: add chunks so readers see something here.'
      ),
      shadowed: t(
        'hint.shadowed.row',
        'Never served: the untagged default above it fits every reader and wins in "first" mode.'
      ),
      'shared-first': t(
        'hint.shared-first',
        'Only one of these shared chunks will show: in "first" mode the first that fits wins, and a chunk with no persona or segment fits everyone.'
      ),
      'weights-missing': t(
        'hint.weights-missing',
        'Experiments split traffic by weight: set a weight on each candidate.'
      ),
    })[hint.code];
  const keyHint = hints.find((h) => h.candidate === undefined && h.code.startsWith('key'));

  return (
    <Card
      data-testid={`slot-${slot.key}`}
      aria-label={t('builder.slot.label', 'Slot {key}', { key: slot.key })}
      tag="section"
    >
      <Flex gap={3} alignItems="flex-start" wrap="wrap">
        <Box flex="1" minWidth="160px">
          <Field.Root
            name={`slot-${index}-key`}
            error={keyError ?? (keyHint ? hintMessage(keyHint) : undefined)}
          >
            <Field.Label>{t('builder.slot.key', 'Slot key')}</Field.Label>
            <TextInput
              value={slot.key}
              disabled={!canEdit}
              onChange={(e) => onChange({ key: e.target.value })}
            />
            <Field.Error />
          </Field.Root>
        </Box>
        <Box minWidth="150px">
          <Field.Root
            name={`slot-${index}-mode`}
            hint={
              {
                first: t('mode.first.hint', 'The first eligible candidate'),
                best: t('mode.best.hint', 'The best match for the reader'),
                all: t('mode.all.hint', 'Every eligible candidate'),
                experiment: t('mode.experiment.hint', 'An A/B split by weight'),
              }[slot.mode]
            }
          >
            <Field.Label>{t('builder.slot.mode', 'Mode')}</Field.Label>
            <SingleSelect
              value={slot.mode}
              disabled={!canEdit}
              onChange={(value) => onChange({ mode: value as EditorSlot['mode'] })}
            >
              {SLOT_MODES.map((mode) => (
                <SingleSelectOption key={mode} value={mode}>
                  {t(`mode.${mode}`, mode)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
          </Field.Root>
        </Box>
        {slot.mode === 'all' && (
          <Box width="120px">
            <Field.Root name={`slot-${index}-limit`} error={limitError}>
              <Field.Label>{t('builder.slot.limit', 'Limit')}</Field.Label>
              <NumberInput
                value={slot.limit ?? undefined}
                disabled={!canEdit}
                onValueChange={(value) => onChange({ limit: value ?? null })}
              />
              <Field.Error />
            </Field.Root>
          </Box>
        )}
        {slot.mode === 'experiment' && (
          <Box width="160px">
            <Field.Root
              name={`slot-${index}-holdout`}
              error={errorsAt(errors, 'holdout')[0]}
              hint={t('builder.slot.holdout.hint', 'Visitors kept on the first candidate')}
            >
              <Field.Label>{t('builder.slot.holdout', 'Holdout (%)')}</Field.Label>
              <NumberInput
                value={slot.holdout ?? undefined}
                disabled={!canEdit}
                onValueChange={(value) => onChange({ holdout: value ?? null })}
              />
              <Field.Hint />
              <Field.Error />
            </Field.Root>
          </Box>
        )}
        <Box paddingTop={6}>
          <IconButton
            label={t('builder.slot.remove', 'Remove the slot {key}', { key: slot.key })}
            variant="danger-light"
            disabled={!canEdit}
            onClick={onRemove}
          >
            <Trash />
          </IconButton>
        </Box>
      </Flex>

      {slotLevel.map((message) => (
        <Typography key={message} tag="p" textColor="danger600" variant="pi">
          {message}
        </Typography>
      ))}

      <Box paddingTop={3}>
        {slot.candidates.length === 0 ? (
          <Box padding={4} background="neutral100" hasRadius>
            <Typography textColor="neutral600">
              {t(
                'builder.candidates.empty',
                'No candidate yet. Add chunks: the first one that fits the reader is shown. Put specific chunks first and an untagged default last.'
              )}
            </Typography>
          </Box>
        ) : (
          <ol
            style={{ listStyle: 'none', margin: 0, padding: 0 }}
            aria-label={t('builder.candidates.label', 'Candidates of {key}, in order', {
              key: slot.key,
            })}
          >
            {slot.candidates.map((candidate, i) => (
              <CandidateRow
                key={candidateKey(candidate)}
                candidate={candidate}
                position={i}
                count={slot.candidates.length}
                canEdit={canEdit}
                weight={
                  slot.mode === 'experiment'
                    ? {
                        name: `slot-${index}-weight-${i}`,
                        error: errorsAt(errors, 'candidates', i, 'weight')[0],
                      }
                    : undefined
                }
                errors={errors
                  .filter((e) => e.path[0] === 'candidates' && e.path[1] === String(i))
                  .map((e) => e.message)}
                hints={hints.filter((h) => h.candidate === i).map((h) => hintMessage(h) ?? '')}
                reorder={reorder.rowOf(i)}
                onRemove={() => onRemoveCandidate(i)}
                onWeight={(weight) => onWeight(i, weight)}
              />
            ))}
          </ol>
        )}
        {hints
          .filter(
            (h) => h.candidate === undefined && !h.code.startsWith('key') && h.code !== 'slot-empty'
          )
          .map((hint) => (
            <Flex
              key={hint.code}
              gap={2}
              marginTop={2}
              padding={2}
              wrap="wrap"
              background="warning100"
              hasRadius
              data-testid={`hint-${hint.code}`}
            >
              <Typography tag="p" variant="pi" textColor="neutral800">
                {hintMessage(hint)}
              </Typography>
              {hint.code === 'shared-first' && canEdit && (
                <Button size="S" variant="secondary" onClick={() => onChange({ mode: 'all' })}>
                  {t('hint.shared-first.fix', 'Show all that fit')}
                </Button>
              )}
            </Flex>
          ))}
        {canEdit &&
          hints.some((h) => h.code === 'shadowed') &&
          slot.candidates.filter(isUntagged).length === 1 && (
            <Flex
              gap={2}
              marginTop={2}
              padding={2}
              wrap="wrap"
              background="warning100"
              hasRadius
              data-testid="hint-default-first"
            >
              <Typography tag="p" variant="pi" textColor="neutral800">
                {t(
                  'hint.default-first',
                  'The default is above chunks written for a persona or segment: they never show.'
                )}
              </Typography>
              <Button size="S" variant="secondary" onClick={onMoveDefaultLast}>
                {t('hint.default-first.fix', 'Move the default last')}
              </Button>
            </Flex>
          )}
        {slot.mode === 'first' && slot.candidates.length > 1 && (
          <Typography tag="p" variant="pi" textColor="neutral600" data-testid="order-hint">
            {t(
              'builder.order.first',
              'Order matters: each reader gets the first chunk that fits them. Chunks for a persona or segment go above the default.'
            )}
          </Typography>
        )}
        <Flex paddingTop={3} gap={4} wrap="wrap">
          <TextButton startIcon={<Plus />} disabled={!canEdit} onClick={onAddCandidates}>
            {t('builder.candidates.add', 'Add chunks or assets')}
          </TextButton>
          <TextButton startIcon={<Sparkle />} disabled={!canEdit} onClick={onPersonalise}>
            {t('builder.personalise', 'Personalise this slot')}
          </TextButton>
        </Flex>
        <div
          aria-live="polite"
          style={{ position: 'absolute', left: -10000, width: 1, height: 1, overflow: 'hidden' }}
        >
          {reorder.announcement}
        </div>
      </Box>
    </Card>
  );
};
