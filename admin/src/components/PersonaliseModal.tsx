/**
 * "Personalise this slot": a default everyone gets, then one variant per persona or segment, each
 * picked from the chunks tagged for that audience. It produces the slot's candidates in the order
 * `first` mode needs (variants, then the default), with no ids and no JSON. When the slot is new,
 * the chunks named like the slot are suggested: the untagged one as the default, and for each
 * persona the one tagged for it.
 */
import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  Modal,
  SingleSelect,
  SingleSelectOption,
  TextButton,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';
import { useEffect, useMemo, useState } from 'react';

import type { EditorCandidate, GetTaxonomy, LibraryItem } from '../../../contracts/admin';
import { useMosaicApi } from '../api/client';
import { useLoad } from '../hooks/useLoad';
import { useT } from '../hooks/useT';
import { candidateFromItem, isUntagged, personalisedCandidates } from '../utils/builder';

interface Props {
  slotKey: string;
  taxonomy: GetTaxonomy.Response['data'] | null;
  locale: string | null;
  /** The slot's candidates now: the dialog starts from them when there are any. */
  existing: EditorCandidate[];
  onClose: () => void;
  onApply: (candidates: EditorCandidate[]) => void;
}

/** An audience as the dialog names it: `persona:developer` or `segment:from-twitter`. */
type Audience = string;
interface Row {
  id: number;
  audience: Audience | '';
  chunk: string;
}

const audienceOf = (c: { personas?: string[]; segments?: string[] }): Audience | '' =>
  c.personas?.[0] ? `persona:${c.personas[0]}` : c.segments?.[0] ? `segment:${c.segments[0]}` : '';

const fits = (item: LibraryItem, audience: Audience | '') => {
  const [kind, slug] = audience.split(':');
  return kind === 'persona'
    ? item.personas.includes(slug)
    : kind === 'segment'
      ? item.segments.includes(slug)
      : false;
};

const namedLike = (item: LibraryItem, key: string) => {
  const k = key.trim().toLowerCase();
  return (
    k.length > 1 && (item.slug.toLowerCase().includes(k) || item.title.toLowerCase().includes(k))
  );
};

let lastRow = 0;
const row = (audience: Audience | '', chunk = ''): Row => ({ id: (lastRow += 1), audience, chunk });

export const PersonaliseModal = ({
  slotKey,
  taxonomy,
  locale,
  existing,
  onClose,
  onApply,
}: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const query = { type: 'chunk' as const, locale: locale ?? undefined, pageSize: 100 };
  const library = useLoad(() => api.searchLibrary(query), JSON.stringify(query));
  const chunks = useMemo(() => library.data?.data ?? [], [library.data]);

  const [fallback, setFallback] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [started, setStarted] = useState(false);

  // Start from the slot's candidates, or, for an empty slot, from the chunks named like it.
  useEffect(() => {
    if (started || !library.data) return;
    setStarted(true);
    if (existing.length > 0) {
      setFallback(existing.find(isUntagged)?.documentId ?? '');
      setRows(
        existing
          .filter((c) => c.type === 'chunk' && !isUntagged(c))
          .map((c) => row(audienceOf(c), c.documentId))
      );
      return;
    }
    setFallback(chunks.find((c) => isUntagged(c) && namedLike(c, slotKey))?.documentId ?? '');
    setRows(
      (taxonomy?.personas ?? []).flatMap((persona) => {
        const match = chunks.find(
          (c) => c.personas.includes(persona.slug) && namedLike(c, slotKey)
        );
        return match ? [row(`persona:${persona.slug}`, match.documentId)] : [];
      })
    );
  }, [library.data, started, existing, chunks, slotKey, taxonomy]);

  const audiences = [
    ...(taxonomy?.personas ?? []).map((p) => ({
      value: `persona:${p.slug}`,
      name: t('personalise.persona', 'Persona: {name}', { name: p.name }),
      short: p.name,
    })),
    ...(taxonomy?.segments ?? []).map((s) => ({
      value: `segment:${s.slug}`,
      name: t('personalise.segment', 'Segment: {name}', { name: s.name }),
      short: s.name,
    })),
  ];
  const audienceName = (value: string) => audiences.find((a) => a.value === value)?.short ?? value;
  const byId = new Map(chunks.map((c) => [c.documentId, c]));
  const defaults = chunks.filter((c) => isUntagged(c));
  const update = (id: number, change: Partial<Row>) =>
    setRows((current) => current.map((r) => (r.id === id ? { ...r, ...change } : r)));

  const variants = rows
    .filter((r) => r.audience && r.chunk && byId.has(r.chunk))
    .map((r) => candidateFromItem(byId.get(r.chunk) as LibraryItem));
  const chosenDefault = byId.get(fallback);
  const result = personalisedCandidates(
    chosenDefault ? candidateFromItem(chosenDefault) : null,
    variants
  );

  return (
    <Modal.Root open onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content style={{ width: 'min(820px, 96vw)' }}>
        <Modal.Header closeLabel={t('action.close', 'Close')}>
          <Modal.Title>
            {t('personalise.title', 'Personalise the slot "{key}"', { key: slotKey })}
          </Modal.Title>
        </Modal.Header>
        <Modal.Body>
          <Flex direction="column" gap={4} alignItems="stretch" data-testid="personalise">
            <Typography textColor="neutral700">
              {t(
                'personalise.intro',
                'Each reader gets the first variant written for them, everyone else the default. Only chunks tagged for an audience are offered for it.'
              )}
            </Typography>
            {library.failure && (
              <Typography textColor="danger600">{library.failure.message}</Typography>
            )}
            <Field.Root
              name="personalise-default"
              hint={t(
                'personalise.default.hint',
                'A chunk with no persona and no segment: it fits every reader.'
              )}
            >
              <Field.Label>{t('personalise.default', 'Default: everyone else sees')}</Field.Label>
              <SingleSelect
                placeholder={t('personalise.default.none', 'No default (others see nothing)')}
                value={fallback}
                onChange={(value) => setFallback(String(value))}
                onClear={() => setFallback('')}
                clearLabel={t('action.clear', 'Clear')}
              >
                {defaults.map((c) => (
                  <SingleSelectOption key={c.documentId} value={c.documentId}>
                    {c.title}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>

            <Flex
              direction="column"
              gap={2}
              alignItems="stretch"
              tag="ol"
              aria-label={t('personalise.variants', 'Variants, tried in this order')}
              style={{ listStyle: 'none', margin: 0, padding: 0 }}
            >
              {rows.map((r, i) => {
                const options = chunks.filter((c) => fits(c, r.audience));
                const who = r.audience ? audienceName(r.audience) : String(i + 1);
                return (
                  <li key={r.id} data-testid={`variant-${r.audience || i}`}>
                    <Flex gap={2} alignItems="flex-end">
                      <Box flex="1">
                        <Field.Root name={`personalise-audience-${r.id}`}>
                          <Field.Label>
                            {t('personalise.audience', 'Variant {n}: for', { n: i + 1 })}
                          </Field.Label>
                          <SingleSelect
                            placeholder={t(
                              'personalise.audience.pick',
                              'Choose a persona or segment'
                            )}
                            value={r.audience}
                            onChange={(value) => {
                              const audience = String(value);
                              const current = byId.get(r.chunk);
                              update(r.id, {
                                audience,
                                chunk: current && fits(current, audience) ? r.chunk : '',
                              });
                            }}
                          >
                            {audiences
                              .filter(
                                (a) =>
                                  a.value === r.audience ||
                                  !rows.some((o) => o.audience === a.value)
                              )
                              .map((a) => (
                                <SingleSelectOption key={a.value} value={a.value}>
                                  {a.name}
                                </SingleSelectOption>
                              ))}
                          </SingleSelect>
                        </Field.Root>
                      </Box>
                      <Box flex="1">
                        <Field.Root name={`personalise-chunk-${r.id}`}>
                          <Field.Label>
                            {t('personalise.chunk', 'Chunk for {who}', { who })}
                          </Field.Label>
                          <SingleSelect
                            placeholder={
                              r.audience && options.length === 0
                                ? t(
                                    'personalise.chunk.none',
                                    'No chunk is tagged for this audience'
                                  )
                                : t('personalise.chunk.pick', 'Choose a chunk')
                            }
                            disabled={!r.audience || options.length === 0}
                            value={r.chunk}
                            onChange={(value) => update(r.id, { chunk: String(value) })}
                          >
                            {options.map((c) => (
                              <SingleSelectOption key={c.documentId} value={c.documentId}>
                                {c.title}
                              </SingleSelectOption>
                            ))}
                          </SingleSelect>
                        </Field.Root>
                      </Box>
                      <IconButton
                        label={t('personalise.remove', 'Remove the variant for {who}', { who })}
                        variant="ghost"
                        onClick={() => setRows((current) => current.filter((o) => o.id !== r.id))}
                      >
                        <Trash />
                      </IconButton>
                    </Flex>
                  </li>
                );
              })}
            </Flex>
            <Box>
              <TextButton
                startIcon={<Plus />}
                disabled={rows.length >= audiences.length}
                onClick={() => setRows((current) => [...current, row('')])}
              >
                {t('personalise.add', 'Add a variant for a persona or segment')}
              </TextButton>
            </Box>
            <Typography variant="pi" textColor="neutral700" data-testid="personalise-summary">
              {result.length === 0
                ? t('personalise.summary.empty', 'Choose a default or a variant.')
                : t('personalise.summary', 'The slot will offer, in this order: {list}', {
                    list: result.map((c) => c.title).join(' → '),
                  })}
            </Typography>
          </Flex>
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.cancel', 'Cancel')}</Button>
          </Modal.Close>
          <Button disabled={result.length === 0} onClick={() => onApply(result)}>
            {t('personalise.apply', 'Use these variants')}
          </Button>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
