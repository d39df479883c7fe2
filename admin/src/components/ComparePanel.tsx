/**
 * The same asset for several readers at once, rendered: each column is one reader, each row one
 * slot, each cell the chunks that reader gets there as HTML (the server's html format, escaped and
 * with safe links only). Slots whose choice differs between readers are marked. Readers: no
 * persona, the personas ticked, and any segment added as a reader with that segment forced.
 */
import {
  Box,
  Button,
  Checkbox,
  Field,
  Flex,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Cross } from '@strapi/icons';
import { useEffect, useState } from 'react';
import styled from 'styled-components';

import type { Compare, GetTaxonomy, PreviewReader } from '../../../contracts/admin';
import type { ResolveAsset } from '../../../contracts/delivery';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { useT } from '../hooks/useT';
import { Card } from './Card';
import { LoadStatus } from './LoadStatus';
import { ToneBadge } from './TagBadges';

interface Props {
  asset: string;
  locale: string | null;
  taxonomy: GetTaxonomy.Response['data'] | null;
  version: string;
}

/** At most this many readers side by side (the compare route's limit). */
const MAX_READERS = 8;

interface RenderedChunk {
  slug: string;
  title: string;
  html: string;
}

/** Each slot's chosen chunks of one reader's answer, with their HTML. */
export const renderedSlots = (data: unknown): Record<string, RenderedChunk[]> => {
  const slots = (data as ResolveAsset.Response['data'] | null)?.slots ?? [];
  return Object.fromEntries(
    slots.map((slot) => [
      slot.key,
      slot.chunks.map((c) => ({
        slug: c.slug,
        title: c.title || c.slug,
        html: typeof c.content === 'string' ? c.content : '',
      })),
    ])
  );
};

/** The chunk's HTML as the site would show it, at the admin's text size. */
const Rendered = styled.div`
  font-size: 1.3rem;
  line-height: 1.5;
  color: ${({ theme }) => theme.colors.neutral800};
  overflow-wrap: anywhere;
  & > :first-child {
    margin-top: 0;
  }
  & p,
  & ul,
  & ol,
  & blockquote {
    margin: 0 0 0.6rem;
  }
  & ul,
  & ol {
    padding-left: 1.8rem;
    list-style: revert;
  }
  & h1,
  & h2,
  & h3,
  & h4 {
    font-weight: 600;
    margin: 0 0 0.4rem;
    font-size: 1.5rem;
  }
  & strong {
    font-weight: 600;
  }
  & em {
    font-style: italic;
  }
  & a {
    color: ${({ theme }) => theme.colors.primary700};
    text-decoration: underline;
  }
  & img {
    max-width: 100%;
    height: auto;
  }
`;

/** The slot's cell: a bar in the warning colour marks a slot whose content differs. */
const SlotCell = styled(Td)<{ $differs: boolean }>`
  vertical-align: top;
  border-left: 4px solid
    ${({ theme, $differs }) => ($differs ? theme.colors.warning600 : 'transparent')};
`;

const Cell = ({ chunks }: { chunks: RenderedChunk[] | undefined }) => {
  const t = useT();
  if (!chunks || chunks.length === 0) {
    return (
      <Typography textColor="neutral600" variant="pi">
        {t('compare.nothing', 'Nothing: the slot is left out')}
      </Typography>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={3}>
      {chunks.map((chunk) => (
        <Box key={chunk.slug} data-testid={`compare-chunk-${chunk.slug}`}>
          <Typography variant="pi" textColor="neutral600" fontWeight="bold" tag="p">
            {chunk.title}
          </Typography>
          <Rendered dangerouslySetInnerHTML={{ __html: chunk.html }} />
        </Box>
      ))}
    </Flex>
  );
};

export const ComparePanel = ({ asset, locale, taxonomy, version }: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const personas = taxonomy?.personas ?? [];
  const segments = taxonomy?.segments ?? [];
  const [chosenPersonas, setChosenPersonas] = useState<string[] | null>(null);
  const [chosenSegments, setChosenSegments] = useState<string[]>([]);
  const [result, setResult] = useState<Compare.Response['data'] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  // Every persona by default, plus a reader with none: the default experience.
  const activePersonas = chosenPersonas ?? personas.map((p) => p.slug);
  const segmentName = (slug: string) => segments.find((s) => s.slug === slug)?.name ?? slug;
  const readers: PreviewReader[] = [
    { label: t('compare.anonymous', 'No persona') },
    ...activePersonas.map((slug) => ({
      label: personas.find((p) => p.slug === slug)?.name ?? slug,
      persona: slug,
    })),
    ...chosenSegments.map((slug) => ({
      label: t('compare.segmentReader', 'In segment: {name}', { name: segmentName(slug) }),
      segments: [slug],
    })),
  ];
  const full = readers.length >= MAX_READERS;
  const request = JSON.stringify({ asset, locale, readers, version });

  useEffect(() => {
    let current = true;
    const body = JSON.parse(request);
    api
      .compare({
        asset: body.asset,
        locale: body.locale ?? undefined,
        format: 'html',
        readers: body.readers,
      })
      .then((data) => {
        if (!current) return;
        setResult(data);
        setFailure(null);
      })
      .catch((error: unknown) => current && setFailure(toFailure(error)));
    return () => {
      current = false;
    };
  }, [api, request]);

  const columns =
    result?.readers.map((reader) => ({
      label: reader.label,
      slots: renderedSlots(reader.data),
    })) ?? [];
  const slotKeys = [...new Set(columns.flatMap((c) => Object.keys(c.slots)))];
  const differing = result?.differingSlots ?? [];

  const toggle = (list: string[], slug: string, checked: boolean) =>
    checked ? [...list, slug] : list.filter((x) => x !== slug);

  return (
    <Card
      data-testid="compare-panel"
      help={t(
        'compare.help',
        'Each column is one reader. Highlighted rows are slots where readers see different content.'
      )}
    >
      <Flex gap={8} paddingTop={3} paddingBottom={4} wrap="wrap" alignItems="flex-start">
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma" tag="h3">
            {t('compare.personas', 'Personas')}
          </Typography>
          {personas.map((p) => {
            const checked = activePersonas.includes(p.slug);
            return (
              <Checkbox
                key={p.slug}
                checked={checked}
                disabled={!checked && full}
                onCheckedChange={(value: boolean | 'indeterminate') =>
                  setChosenPersonas(toggle(activePersonas, p.slug, value === true))
                }
              >
                {p.name}
              </Checkbox>
            );
          })}
        </Flex>
        <Flex direction="column" alignItems="flex-start" gap={2}>
          <Box minWidth="280px">
            <Field.Root
              name="compare-segment"
              hint={
                full
                  ? t('compare.full', 'At most {max} readers: remove one to add another.', {
                      max: MAX_READERS,
                    })
                  : t(
                      'compare.segment.hint',
                      'Adds a reader who is in that segment, whatever its rule asks.'
                    )
              }
            >
              <Field.Label>{t('compare.segment.add', 'Add a reader from a segment')}</Field.Label>
              <SingleSelect
                placeholder={t('compare.segment.placeholder', 'Choose a segment')}
                value=""
                disabled={full || segments.length === 0}
                onChange={(value) => {
                  const slug = String(value);
                  if (slug && !chosenSegments.includes(slug)) {
                    setChosenSegments([...chosenSegments, slug]);
                  }
                }}
              >
                {segments
                  .filter((s) => !chosenSegments.includes(s.slug))
                  .map((s) => (
                    <SingleSelectOption key={s.slug} value={s.slug}>
                      {s.name}
                    </SingleSelectOption>
                  ))}
              </SingleSelect>
              <Field.Hint />
            </Field.Root>
          </Box>
          {chosenSegments.length > 0 && (
            <Flex gap={2} wrap="wrap" data-testid="compare-segment-readers">
              {chosenSegments.map((slug) => (
                <Button
                  key={slug}
                  size="S"
                  variant="tertiary"
                  endIcon={<Cross />}
                  aria-label={t('compare.segment.remove', 'Remove the reader in {name}', {
                    name: segmentName(slug),
                  })}
                  onClick={() => setChosenSegments(chosenSegments.filter((s) => s !== slug))}
                >
                  {segmentName(slug)}
                </Button>
              ))}
            </Flex>
          )}
        </Flex>
      </Flex>
      {failure || !result ? (
        <LoadStatus failure={failure} />
      ) : (
        <>
          <Typography tag="p" variant="pi" textColor="neutral600" data-testid="compare-summary">
            {differing.length === 0
              ? t('compare.same', 'Every reader gets the same content.')
              : t('compare.differing', 'Different content in: {slots}', {
                  slots: differing.join(', '),
                })}
          </Typography>
          <Box paddingTop={2}>
            <Table colCount={columns.length + 1} rowCount={slotKeys.length + 1}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{t('compare.slot', 'Slot')}</Typography>
                  </Th>
                  {columns.map((column) => (
                    <Th key={column.label}>
                      <Typography variant="sigma">{column.label}</Typography>
                    </Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {slotKeys.map((key) => {
                  const differs = differing.includes(key);
                  const background = differs ? 'warning100' : undefined;
                  return (
                    <Tr key={key} data-testid={`compare-row-${key}`} data-differs={differs}>
                      <SlotCell background={background} $differs={differs}>
                        <Flex direction="column" alignItems="flex-start" gap={1} paddingTop={2}>
                          <Typography fontWeight="bold">{key}</Typography>
                          {differs && (
                            <ToneBadge tone="warning">{t('compare.differs', 'differs')}</ToneBadge>
                          )}
                        </Flex>
                      </SlotCell>
                      {columns.map((column) => (
                        <Td
                          key={column.label}
                          background={background}
                          style={{ verticalAlign: 'top', whiteSpace: 'normal', minWidth: 200 }}
                        >
                          <Box paddingTop={2} paddingBottom={2}>
                            <Cell chunks={column.slots[key]} />
                          </Box>
                        </Td>
                      ))}
                    </Tr>
                  );
                })}
              </Tbody>
            </Table>
          </Box>
        </>
      )}
    </Card>
  );
};
