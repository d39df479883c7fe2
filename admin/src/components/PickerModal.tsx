/**
 * The candidate picker: the library of chunks (and assets, for nesting) filtered by text, persona,
 * segment, topic tag and locale; the editor ticks what the slot should offer. Opened for a new
 * slot, it names the slot first (a common key suggested) and can hand over to "Personalise".
 */
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Link,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { useEffect, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Link as RouterLink } from 'react-router-dom';

import type {
  EditorCandidate,
  EditorSlot,
  GetTaxonomy,
  LibraryItem,
} from '../../../contracts/admin';
import { useMosaicApi } from '../api/client';
import { useLoad } from '../hooks/useLoad';
import { useT } from '../hooks/useT';
import { SLOT_KEY_PATTERN, SLOT_MODES } from '../../../contracts/wire';
import { candidateFromItem, isUntagged, SLOT_SUGGESTIONS } from '../utils/builder';
import { candidateHref } from './CandidateRow';
import { SearchBox } from './SearchBox';
import { StatusBadge, TagBadges } from './TagBadges';

interface Props {
  slotKey: string;
  taxonomy: GetTaxonomy.Response['data'] | null;
  locale: string | null;
  /** The asset being edited: it cannot nest itself. */
  assetDocumentId: string;
  existing: EditorCandidate[];
  /** A slot being added: its suggested key and mode, which the editor may change here. */
  newSlot?: { key: string; mode: EditorSlot['mode']; taken: string[] };
  onClose: () => void;
  onAdd: (candidates: EditorCandidate[], slot: { key: string; mode: EditorSlot['mode'] }) => void;
  /** Hands the slot over to "Personalise this slot" instead. */
  onPersonalise?: (slot: { key: string; mode: EditorSlot['mode'] }) => void;
}

type Filter = 'persona' | 'segment' | 'tag' | 'locale';

export const PickerModal = ({
  slotKey,
  taxonomy,
  locale,
  assetDocumentId,
  existing,
  newSlot,
  onClose,
  onAdd,
  onPersonalise,
}: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const [type, setType] = useState<'chunk' | 'asset'>('chunk');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [filters, setFilters] = useState<Record<Filter, string>>({
    persona: '',
    segment: '',
    tag: '',
    locale: locale ?? '',
  });
  const [selected, setSelected] = useState<Map<string, LibraryItem>>(new Map());
  const [sharedOnly, setSharedOnly] = useState(false);
  // One row of the results is in the tab order (its checkbox and its link); the arrow keys move.
  const [active, setActive] = useState(0);
  const onListKey = (event: ReactKeyboardEvent<HTMLElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
    const rows = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-row]')];
    const at = row ? rows.indexOf(row) : -1;
    const next = rows[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next) return;
    event.preventDefault();
    setActive(Number(next.dataset.row));
    next.querySelector<HTMLElement>('button:not([disabled]), a')?.focus();
  };
  const [key, setKey] = useState(newSlot?.key ?? slotKey);
  const [mode, setMode] = useState<EditorSlot['mode']>(newSlot?.mode ?? 'first');
  const keyProblem = !newSlot
    ? undefined
    : key.trim() === ''
      ? t('hint.key-empty', 'Give the slot a key, e.g. "hero".')
      : !SLOT_KEY_PATTERN.test(key.trim())
        ? t(
            'hint.key-invalid',
            'Use lower-case letters, digits, "-" and "_" only, starting with a letter or digit.'
          )
        : newSlot.taken.includes(key.trim())
          ? t('hint.key-duplicate', 'Another slot already has this key.')
          : undefined;
  const slot = { key: key.trim(), mode };

  // Typing waits for a pause before asking the server.
  useEffect(() => {
    const timer = setTimeout(() => setQ(text), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const query = {
    type,
    q: q || undefined,
    persona: filters.persona || undefined,
    segment: filters.segment || undefined,
    tag: filters.tag || undefined,
    locale: filters.locale || undefined,
    pageSize: 50,
  };
  const results = useLoad(() => api.searchLibrary(query), JSON.stringify(query));
  const items = (results.data?.data ?? []).filter(
    (item) =>
      !(item.type === 'asset' && item.documentId === assetDocumentId) &&
      (!sharedOnly || isUntagged(item))
  );
  const inSlot = (item: LibraryItem) =>
    existing.some((c) => c.type === item.type && c.documentId === item.documentId);
  const keyOf = (item: LibraryItem) => `${item.type}:${item.documentId}`;

  const toggle = (item: LibraryItem, checked: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      if (checked) next.set(keyOf(item), item);
      else next.delete(keyOf(item));
      return next;
    });

  const filterSelect = (
    filter: Filter,
    label: string,
    options: Array<{ value: string; name: string }>
  ) => (
    <Box minWidth="150px" flex="1">
      <Field.Root name={`picker-${filter}`}>
        <Field.Label>{label}</Field.Label>
        <SingleSelect
          placeholder={t('filter.any', 'Any')}
          value={filters[filter]}
          onChange={(value) => setFilters((f) => ({ ...f, [filter]: String(value) }))}
          onClear={() => setFilters((f) => ({ ...f, [filter]: '' }))}
          clearLabel={t('action.clear', 'Clear')}
        >
          {options.map((option) => (
            <SingleSelectOption key={option.value} value={option.value}>
              {option.name}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Field.Root>
    </Box>
  );

  const anyFilter = Boolean(q || filters.persona || filters.segment || filters.tag || sharedOnly);

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content
        style={{ width: 'min(920px, 96vw)' }}
        // The search box, not the close button, has the focus when the picker opens.
        onOpenAutoFocus={(event: Event) => {
          event.preventDefault();
          document.querySelector<HTMLInputElement>('input[name="picker-q"]')?.focus();
        }}
      >
        <Modal.Header closeLabel={t('action.close', 'Close')}>
          <Modal.Title>
            {newSlot
              ? t('picker.title.new', 'Add a slot')
              : t('picker.title', 'Add to the slot "{key}"', { key: slotKey })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" gap={3} alignItems="stretch">
            {newSlot && (
              <Flex gap={3} alignItems="flex-start" wrap="wrap" data-testid="new-slot">
                <Box flex="1" minWidth="200px">
                  <Field.Root
                    name="new-slot-key"
                    error={keyProblem}
                    hint={t(
                      'picker.slot.key.hint',
                      'Where the chunks go in the page. The frontend places the slot by this key.'
                    )}
                  >
                    <Field.Label>{t('builder.slot.key', 'Slot key')}</Field.Label>
                    <TextInput value={key} onChange={(e) => setKey(e.target.value)} />
                    <Field.Error />
                    <Field.Hint />
                  </Field.Root>
                  <Flex
                    gap={1}
                    paddingTop={1}
                    wrap="wrap"
                    aria-label={t('picker.slot.suggested', 'Common keys')}
                    role="group"
                  >
                    {SLOT_SUGGESTIONS.filter((s) => !newSlot.taken.includes(s.key)).map((s) => (
                      <Button
                        key={s.key}
                        size="S"
                        variant={s.key === key ? 'secondary' : 'tertiary'}
                        onClick={() => {
                          setKey(s.key);
                          setMode(s.mode);
                        }}
                      >
                        {s.key}
                      </Button>
                    ))}
                  </Flex>
                </Box>
                <Box minWidth="200px">
                  <Field.Root
                    name="new-slot-mode"
                    hint={
                      mode === 'first'
                        ? t('mode.first.hint', 'The first eligible candidate')
                        : mode === 'all'
                          ? t('mode.all.hint', 'Every eligible candidate')
                          : mode === 'best'
                            ? t('mode.best.hint', 'The best match for the reader')
                            : t('mode.experiment.hint', 'An A/B split by weight')
                    }
                  >
                    <Field.Label>{t('builder.slot.mode', 'Mode')}</Field.Label>
                    <SingleSelect
                      value={mode}
                      onChange={(value) => setMode(value as EditorSlot['mode'])}
                    >
                      {SLOT_MODES.map((m) => (
                        <SingleSelectOption key={m} value={m}>
                          {t(`mode.${m}`, m)}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                    <Field.Hint />
                  </Field.Root>
                </Box>
              </Flex>
            )}
            <Tabs.Root
              value={type}
              onValueChange={(value: string) => setType(value as 'chunk' | 'asset')}
            >
              <Tabs.List aria-label={t('picker.type', 'What to add')}>
                <Tabs.Trigger value="chunk">{t('picker.type.chunk', 'Chunks')}</Tabs.Trigger>
                <Tabs.Trigger value="asset">
                  {t('picker.type.asset', 'Assets (nested)')}
                </Tabs.Trigger>
              </Tabs.List>
              {/* Both tabs show the same list: the one not chosen has an empty, hidden panel. */}
              <Tabs.Content value={type === 'chunk' ? 'asset' : 'chunk'} forceMount hidden />
              <Tabs.Content value={type}>
                <Flex direction="column" gap={3} alignItems="stretch" paddingTop={3}>
                  <SearchBox
                    name="picker-q"
                    label={t('picker.search', 'Search by title, slug or text')}
                    value={text}
                    onChange={setText}
                  />
                  <Flex gap={2} wrap="wrap">
                    {filterSelect(
                      'persona',
                      t('filter.persona', 'Persona'),
                      (taxonomy?.personas ?? []).map((p) => ({ value: p.slug, name: p.name }))
                    )}
                    {filterSelect(
                      'segment',
                      t('filter.segment', 'Segment'),
                      (taxonomy?.segments ?? []).map((s) => ({ value: s.slug, name: s.name }))
                    )}
                    {filterSelect(
                      'tag',
                      t('filter.tag', 'Topic tag'),
                      (taxonomy?.tags ?? []).map((tag) => ({ value: tag.slug, name: tag.name }))
                    )}
                    {filterSelect(
                      'locale',
                      t('filter.locale', 'Locale'),
                      (taxonomy?.locales ?? []).map((l) => ({ value: l.code, name: l.name }))
                    )}
                  </Flex>
                  <Checkbox
                    checked={sharedOnly}
                    onCheckedChange={(checked: boolean | 'indeterminate') =>
                      setSharedOnly(checked === true)
                    }
                  >
                    {t(
                      'picker.shared',
                      'Only shared chunks (no persona, no segment: every reader fits)'
                    )}
                  </Checkbox>
                  <Box minHeight="300px">
                    {results.failure ? (
                      <Typography textColor="danger600">{results.failure.message}</Typography>
                    ) : !results.loading && items.length === 0 ? (
                      <Box padding={6} background="neutral100" hasRadius>
                        <Typography textColor="neutral600">
                          {anyFilter
                            ? t(
                                'picker.empty.filtered',
                                'Nothing matches these filters. Remove a filter or search for other words.'
                              )
                            : type === 'chunk'
                              ? t(
                                  'picker.empty.chunk',
                                  'No chunk yet. Write chunks in the Content Manager (Mosaic → Chunk), then come back.'
                                )
                              : t('picker.empty.asset', 'No other asset to nest yet.')}
                        </Typography>
                      </Box>
                    ) : (
                      <Flex
                        direction="column"
                        gap={2}
                        alignItems="stretch"
                        role="list"
                        aria-label={t(
                          'picker.results',
                          'Results: the arrow keys move from one to the next, Tab goes on to the buttons'
                        )}
                        onKeyDown={onListKey}
                      >
                        {items.map((item, i) => {
                          const already = inSlot(item);
                          const roving = i === Math.min(active, items.length - 1) ? 0 : -1;
                          return (
                            <Box
                              key={keyOf(item)}
                              data-row={i}
                              role="listitem"
                              paddingTop={1}
                              paddingBottom={1}
                              paddingLeft={2}
                              paddingRight={2}
                              hasRadius
                              borderStyle="solid"
                              borderWidth="1px"
                              borderColor={selected.has(keyOf(item)) ? 'primary600' : 'neutral200'}
                              data-testid={`pick-${item.slug}`}
                            >
                              <Flex gap={2} alignItems="center">
                                <Checkbox
                                  aria-label={t('picker.select', 'Select {title}', {
                                    title: item.title,
                                  })}
                                  disabled={already}
                                  tabIndex={roving}
                                  onFocus={() => setActive(i)}
                                  checked={already || selected.has(keyOf(item))}
                                  onCheckedChange={(checked: boolean | 'indeterminate') =>
                                    toggle(item, checked === true)
                                  }
                                />
                                <Flex
                                  direction="column"
                                  alignItems="stretch"
                                  gap={0}
                                  flex="1"
                                  minWidth={0}
                                >
                                  <Flex gap={2} wrap="wrap">
                                    <Typography fontWeight="bold">{item.title}</Typography>
                                    <Typography variant="pi" textColor="neutral600">
                                      {item.slug}
                                      {item.locale ? ` · ${item.locale}` : ''}
                                    </Typography>
                                    <StatusBadge status={item.status} />
                                    {already && (
                                      <Typography variant="pi" textColor="neutral600">
                                        {t('picker.already', 'already in this slot')}
                                      </Typography>
                                    )}
                                    <TagBadges
                                      personas={item.personas}
                                      segments={item.segments}
                                      tags={item.tags}
                                    />
                                  </Flex>
                                  {item.excerpt && (
                                    <Typography variant="pi" textColor="neutral700" ellipsis>
                                      {item.excerpt}
                                    </Typography>
                                  )}
                                </Flex>
                                <Link
                                  tag={RouterLink}
                                  to={candidateHref(item, item.locale)}
                                  tabIndex={roving}
                                  onFocus={() => setActive(i)}
                                  aria-label={t('builder.candidate.open', 'Open {title}', {
                                    title: item.title,
                                  })}
                                >
                                  {t('picker.open', 'Open')}
                                </Link>
                              </Flex>
                            </Box>
                          );
                        })}
                      </Flex>
                    )}
                  </Box>
                </Flex>
              </Tabs.Content>
            </Tabs.Root>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Flex gap={2}>
            {onPersonalise && (
              <Button
                variant="secondary"
                disabled={keyProblem !== undefined}
                onClick={() => onPersonalise(slot)}
              >
                {t('picker.personalise', 'Personalise this slot…')}
              </Button>
            )}
            <Button
              disabled={keyProblem !== undefined || (!newSlot && selected.size === 0)}
              onClick={() => onAdd([...selected.values()].map(candidateFromItem), slot)}
            >
              {newSlot && selected.size === 0
                ? t('picker.add.empty', 'Add an empty slot')
                : t('picker.add', 'Add {count, plural, =0 {} one {# item} other {# items}}', {
                    count: selected.size,
                  })}
            </Button>
          </Flex>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
