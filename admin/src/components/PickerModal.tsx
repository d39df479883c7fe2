/**
 * The candidate picker: the library of chunks (and assets, for nesting) filtered by text, persona,
 * segment, topic tag and locale; the editor ticks what the slot should offer.
 */
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  Modal,
  SingleSelect,
  SingleSelectOption,
  Tabs,
  Typography,
} from '@strapi/design-system';
import { useEffect, useState } from 'react';

import type { EditorCandidate, GetTaxonomy, LibraryItem } from '../../../contracts/admin';
import { useMosaicApi } from '../api/client';
import { useLoad } from '../hooks/useLoad';
import { useT } from '../hooks/useT';
import { candidateFromItem } from '../utils/builder';
import { SearchBox } from './SearchBox';
import { StatusBadge, TagBadges } from './TagBadges';

interface Props {
  slotKey: string;
  taxonomy: GetTaxonomy.Response['data'] | null;
  locale: string | null;
  /** The asset being edited: it cannot nest itself. */
  assetDocumentId: string;
  existing: EditorCandidate[];
  onClose: () => void;
  onAdd: (candidates: EditorCandidate[]) => void;
}

type Filter = 'persona' | 'segment' | 'tag' | 'locale';

export const PickerModal = ({
  slotKey,
  taxonomy,
  locale,
  assetDocumentId,
  existing,
  onClose,
  onAdd,
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
    (item) => !(item.type === 'asset' && item.documentId === assetDocumentId)
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

  const anyFilter = Boolean(q || filters.persona || filters.segment || filters.tag);

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content style={{ width: 'min(920px, 96vw)' }}>
        <Modal.Header>
          <Modal.Title>
            {t('picker.title', 'Add to the slot "{key}"', { key: slotKey })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {/* The tabs hold the search and the results: the results are the active tab's panel. */}
          <Tabs.Root
            value={type}
            onValueChange={(value: string) => setType(value as 'chunk' | 'asset')}
            style={{ display: 'flex', flexDirection: 'column', gap: '1.2rem' }}
          >
            <Tabs.List aria-label={t('picker.type', 'What to add')}>
              <Tabs.Trigger value="chunk">{t('picker.type.chunk', 'Chunks')}</Tabs.Trigger>
              <Tabs.Trigger value="asset">{t('picker.type.asset', 'Assets (nested)')}</Tabs.Trigger>
            </Tabs.List>
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
            <Tabs.Content value={type} style={{ minHeight: '300px' }}>
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
                <Flex direction="column" gap={2} alignItems="stretch" role="list">
                  {items.map((item) => {
                    const already = inSlot(item);
                    return (
                      <Box
                        key={keyOf(item)}
                        role="listitem"
                        padding={3}
                        hasRadius
                        borderStyle="solid"
                        borderWidth="1px"
                        borderColor={selected.has(keyOf(item)) ? 'primary600' : 'neutral200'}
                        data-testid={`pick-${item.slug}`}
                      >
                        <Flex gap={3} alignItems="flex-start">
                          <Checkbox
                            aria-label={t('picker.select', 'Select {title}', { title: item.title })}
                            disabled={already}
                            checked={already || selected.has(keyOf(item))}
                            onCheckedChange={(checked: boolean | 'indeterminate') =>
                              toggle(item, checked === true)
                            }
                          />
                          <Flex direction="column" alignItems="flex-start" gap={1} flex="1">
                            <Flex gap={2}>
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
                            </Flex>
                            {item.excerpt && (
                              <Typography variant="pi" textColor="neutral700">
                                {item.excerpt}
                              </Typography>
                            )}
                            <TagBadges
                              personas={item.personas}
                              segments={item.segments}
                              tags={item.tags}
                            />
                          </Flex>
                        </Flex>
                      </Box>
                    );
                  })}
                </Flex>
              )}
            </Tabs.Content>
          </Tabs.Root>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button
            disabled={selected.size === 0}
            onClick={() => onAdd([...selected.values()].map(candidateFromItem))}
          >
            {t('picker.add', 'Add {count, plural, =0 {} one {# item} other {# items}}', {
              count: selected.size,
            })}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
