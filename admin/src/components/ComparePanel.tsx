/** The same asset for several readers at once; slots whose choice differs are highlighted. */
import { Checkbox, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useEffect, useState } from 'react';

import type { Compare, GetTaxonomy, PreviewReader } from '../../../contracts/admin';
import { toFailure, useMosaicApi, type ApiFailure } from '../api/client';
import { useT } from '../hooks/useT';
import { Card } from './Card';
import { ToneBadge } from './TagBadges';
import { LoadStatus } from './LoadStatus';
import { chosenTitles } from './PreviewPanel';

interface Props {
  asset: string;
  locale: string | null;
  taxonomy: GetTaxonomy.Response['data'] | null;
  version: string;
}

export const ComparePanel = ({ asset, locale, taxonomy, version }: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const personas = taxonomy?.personas ?? [];
  const [chosenPersonas, setChosenPersonas] = useState<string[] | null>(null);
  const [chosenSegments, setChosenSegments] = useState<string[]>([]);
  const [result, setResult] = useState<Compare.Response['data'] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  // Every persona by default, plus a reader with none: the default experience.
  const activePersonas = chosenPersonas ?? personas.map((p) => p.slug);
  const readers: PreviewReader[] = [
    { label: t('compare.anonymous', 'No persona') },
    ...activePersonas.map((slug) => ({
      label: personas.find((p) => p.slug === slug)?.name ?? slug,
      persona: slug,
    })),
    ...chosenSegments.map((slug) => ({
      label: taxonomy?.segments.find((s) => s.slug === slug)?.name ?? slug,
      segments: [slug],
    })),
  ];
  const request = JSON.stringify({ asset, locale, readers, version });

  useEffect(() => {
    let current = true;
    const body = JSON.parse(request);
    api
      .compare({
        asset: body.asset,
        locale: body.locale ?? undefined,
        format: 'text',
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
    result?.readers.map((reader) => ({ label: reader.label, slots: chosenTitles(reader.data) })) ??
    [];
  const slotKeys = [...new Set(columns.flatMap((c) => Object.keys(c.slots)))];

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
      <Flex gap={6} paddingTop={3} paddingBottom={3} wrap="wrap" alignItems="flex-start">
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma">{t('compare.personas', 'Personas')}</Typography>
          {personas.map((p) => (
            <Checkbox
              key={p.slug}
              checked={activePersonas.includes(p.slug)}
              onCheckedChange={(checked: boolean | 'indeterminate') =>
                setChosenPersonas(toggle(activePersonas, p.slug, checked === true))
              }
            >
              {p.name}
            </Checkbox>
          ))}
        </Flex>
        <Flex direction="column" alignItems="flex-start" gap={1}>
          <Typography variant="sigma">
            {t('compare.segments', 'Segments (one reader each)')}
          </Typography>
          {(taxonomy?.segments ?? []).map((s) => (
            <Checkbox
              key={s.slug}
              checked={chosenSegments.includes(s.slug)}
              onCheckedChange={(checked: boolean | 'indeterminate') =>
                setChosenSegments(toggle(chosenSegments, s.slug, checked === true))
              }
            >
              {s.name}
            </Checkbox>
          ))}
        </Flex>
      </Flex>
      {failure || !result ? (
        <LoadStatus failure={failure} />
      ) : (
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
              const differs = result.differingSlots.includes(key);
              return (
                <Tr key={key} data-testid={`compare-row-${key}`} data-differs={differs}>
                  <Td background={differs ? 'warning100' : undefined}>
                    <Flex gap={2}>
                      <Typography fontWeight="bold">{key}</Typography>
                      {differs && (
                        <ToneBadge tone="warning">{t('compare.differs', 'differs')}</ToneBadge>
                      )}
                    </Flex>
                  </Td>
                  {columns.map((column) => (
                    <Td key={column.label} background={differs ? 'warning100' : undefined}>
                      <Typography>{(column.slots[key] ?? []).join(', ') || '—'}</Typography>
                    </Td>
                  ))}
                </Tr>
              );
            })}
          </Tbody>
        </Table>
      )}
    </Card>
  );
};
