/**
 * One slot of the builder: its key, mode and limit, and its candidates in editor order. Candidates
 * are reordered by native drag and drop, or from the keyboard: focus a handle, Space to lift, the
 * arrow keys to move, Space again to drop (or the move up / move down buttons).
 */
import {
  Box,
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
import { ArrowDown, ArrowUp, Drag, Plus, Trash } from '@strapi/icons';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

import { SLOT_MODES, type EditorSlot } from '../../../contracts/admin';
import { useT } from '../hooks/useT';
import { errorsAt, type Hint } from '../utils/builder';
import { TagBadges } from './TagBadges';

interface Props {
  slot: EditorSlot;
  index: number;
  errors: Array<{ path: string[]; message: string }>;
  hints: Hint[];
  canEdit: boolean;
  onChange: (change: Partial<Omit<EditorSlot, 'candidates'>>) => void;
  onRemove: () => void;
  onAddCandidates: () => void;
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
  onMoveCandidate,
  onRemoveCandidate,
  onWeight,
}: Props) => {
  const t = useT();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [lifted, setLifted] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const [focusKey, setFocusKey] = useState<string | null>(null);

  // A moved row is re-inserted in the DOM, which drops the focus: give it back to its handle.
  useEffect(() => {
    if (focusKey) handles.current.get(focusKey)?.focus();
  }, [focusKey, slot.candidates]);

  const keyOf = (i: number) => `${slot.candidates[i]?.type}:${slot.candidates[i]?.documentId}`;
  const labelOf = (i: number) => slot.candidates[i]?.title || slot.candidates[i]?.slug || '';

  const moveBy = (from: number, delta: number) => {
    const to = from + delta;
    if (to < 0 || to >= slot.candidates.length) return;
    setFocusKey(keyOf(from));
    onMoveCandidate(from, to);
    setAnnouncement(
      t('builder.reorder.moved', '{title} moved to position {position} of {count}', {
        title: labelOf(from),
        position: to + 1,
        count: slot.candidates.length,
      })
    );
    return to;
  };

  const onHandleKey = (event: KeyboardEvent, i: number) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      setLifted(lifted === i ? null : i);
      setAnnouncement(
        lifted === i
          ? t('builder.reorder.dropped', '{title} dropped', { title: labelOf(i) })
          : t(
              'builder.reorder.lifted',
              '{title} lifted: use the arrow keys to move it, Space to drop',
              {
                title: labelOf(i),
              }
            )
      );
    } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && lifted === i) {
      event.preventDefault();
      const to = moveBy(i, event.key === 'ArrowUp' ? -1 : 1);
      if (to !== undefined) setLifted(to);
    } else if (event.key === 'Escape') {
      setLifted(null);
    }
  };

  const keyError = errorsAt(errors, 'slots', index, 'key')[0];
  const limitError = errorsAt(errors, 'slots', index, 'limit')[0];
  const slotLevel = errors
    .filter((e) => e.path.length <= 2 || !['key', 'limit', 'candidates'].includes(e.path[2]))
    .map((e) => e.message);
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
        'hint.shadowed',
        'Never served: an untagged (default) candidate above it always wins in "first" mode. Move the default last.'
      ),
      'weights-missing': t(
        'hint.weights-missing',
        'Experiments split traffic by weight: set a weight on each candidate.'
      ),
    })[hint.code];
  const keyHint = hints.find((h) => h.candidate === undefined && h.code.startsWith('key'));

  return (
    <Box
      background="neutral0"
      hasRadius
      shadow="tableShadow"
      padding={4}
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
              hint={t('builder.slot.holdout.hint', 'Visitors kept on the first candidate')}
            >
              <Field.Label>{t('builder.slot.holdout', 'Holdout (%)')}</Field.Label>
              <NumberInput
                value={slot.holdout ?? undefined}
                disabled={!canEdit}
                onValueChange={(value) => onChange({ holdout: value ?? null })}
              />
              <Field.Hint />
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
            {slot.candidates.map((candidate, i) => {
              const key = keyOf(i);
              const candidateErrors = errors
                .filter((e) => e.path[2] === 'candidates' && e.path[3] === String(i))
                .map((e) => e.message);
              const candidateHints = hints.filter((h) => h.candidate === i).map(hintMessage);
              return (
                <li
                  key={key}
                  data-testid={`candidate-${candidate.slug ?? candidate.documentId}`}
                  draggable={canEdit}
                  onDragStart={(event) => {
                    event.dataTransfer.effectAllowed = 'move';
                    event.dataTransfer.setData('text/plain', String(i));
                    setDragFrom(i);
                  }}
                  onDragOver={(event) => {
                    if (dragFrom === null) return;
                    event.preventDefault();
                    event.dataTransfer.dropEffect = 'move';
                    setDropAt(i);
                  }}
                  onDrop={(event) => {
                    event.preventDefault();
                    if (dragFrom !== null) onMoveCandidate(dragFrom, i);
                    setDragFrom(null);
                    setDropAt(null);
                  }}
                  onDragEnd={() => {
                    setDragFrom(null);
                    setDropAt(null);
                  }}
                >
                  <Box
                    marginTop={2}
                    padding={2}
                    hasRadius
                    borderStyle="solid"
                    borderWidth="1px"
                    borderColor={
                      lifted === i || dropAt === i
                        ? 'primary600'
                        : candidateErrors.length
                          ? 'danger600'
                          : 'neutral200'
                    }
                    background={
                      lifted === i ? 'primary100' : dragFrom === i ? 'neutral150' : 'neutral0'
                    }
                  >
                    <Flex gap={2} alignItems="center">
                      <button
                        type="button"
                        ref={(node) => {
                          if (node) handles.current.set(key, node);
                          else handles.current.delete(key);
                        }}
                        disabled={!canEdit}
                        aria-pressed={lifted === i}
                        aria-label={t(
                          'builder.reorder.handle',
                          'Reorder {title}: press Space to lift, the arrow keys to move, Space to drop',
                          { title: labelOf(i) }
                        )}
                        onKeyDown={(event) => onHandleKey(event, i)}
                        onBlur={() => setLifted((current) => (current === i ? null : current))}
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
                        {i + 1}.
                      </Typography>
                      <Flex direction="column" alignItems="flex-start" gap={1} flex="1">
                        <Typography fontWeight="bold">
                          {candidate.title || candidate.slug || candidate.documentId}
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
                      {slot.mode === 'experiment' && (
                        <Box width="110px">
                          <Field.Root
                            name={`slot-${index}-weight-${i}`}
                            error={errorsAt(errors, 'slots', index, 'candidates', i, 'weight')[0]}
                          >
                            <Field.Label>{t('builder.candidate.weight', 'Weight')}</Field.Label>
                            <NumberInput
                              value={candidate.weight ?? undefined}
                              disabled={!canEdit}
                              onValueChange={(value) => onWeight(i, value ?? null)}
                            />
                          </Field.Root>
                        </Box>
                      )}
                      <IconButton
                        label={t('builder.candidate.up', 'Move {title} up', { title: labelOf(i) })}
                        variant="ghost"
                        disabled={!canEdit || i === 0}
                        onClick={() => moveBy(i, -1)}
                      >
                        <ArrowUp />
                      </IconButton>
                      <IconButton
                        label={t('builder.candidate.down', 'Move {title} down', {
                          title: labelOf(i),
                        })}
                        variant="ghost"
                        disabled={!canEdit || i === slot.candidates.length - 1}
                        onClick={() => moveBy(i, 1)}
                      >
                        <ArrowDown />
                      </IconButton>
                      <IconButton
                        label={t('builder.candidate.remove', 'Remove {title} from the slot', {
                          title: labelOf(i),
                        })}
                        variant="ghost"
                        disabled={!canEdit}
                        onClick={() => onRemoveCandidate(i)}
                      >
                        <Trash />
                      </IconButton>
                    </Flex>
                    {[...candidateErrors, ...candidateHints].map((message) => (
                      <Typography
                        key={message}
                        tag="p"
                        variant="pi"
                        textColor={candidateErrors.includes(message) ? 'danger600' : 'warning600'}
                      >
                        {message}
                      </Typography>
                    ))}
                  </Box>
                </li>
              );
            })}
          </ol>
        )}
        {hints
          .filter(
            (h) => h.candidate === undefined && !h.code.startsWith('key') && h.code !== 'slot-empty'
          )
          .map((hint) => (
            <Typography key={hint.code} tag="p" variant="pi" textColor="warning600">
              {hintMessage(hint)}
            </Typography>
          ))}
        <Box paddingTop={3}>
          <TextButton startIcon={<Plus />} disabled={!canEdit} onClick={onAddCandidates}>
            {t('builder.candidates.add', 'Add chunks or assets')}
          </TextButton>
        </Box>
        <div
          aria-live="polite"
          style={{ position: 'absolute', left: -10000, width: 1, height: 1, overflow: 'hidden' }}
        >
          {announcement}
        </div>
      </Box>
    </Box>
  );
};
