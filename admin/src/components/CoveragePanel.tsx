/**
 * Coverage of an asset: which persona × segment combinations get only the untagged defaults, and
 * candidates no reader can ever reach, with the reason.
 */
import {
  Box,
  Flex,
  Table,
  Tbody,
  Td,
  Th,
  Thead,
  Tooltip,
  Tr,
  Typography,
} from '@strapi/design-system';

import { useMosaicApi } from '../api/client';
import { Card } from './Card';
import { ToneBadge } from './TagBadges';
import { LoadStatus } from './LoadStatus';
import { useLoad } from '../hooks/useLoad';
import { useT } from '../hooks/useT';

interface Props {
  documentId: string;
  locale: string | null;
  version: string;
}

export const CoveragePanel = ({ documentId, locale, version }: Props) => {
  const t = useT();
  const api = useMosaicApi();
  const coverage = useLoad(
    () => api.coverage(documentId, locale),
    `${documentId}|${locale}|${version}`
  );
  const data = coverage.data;
  const label = (slug: string | null, none: string) => slug ?? none;
  const noPersona = t('coverage.noPersona', 'no persona');
  const noSegment = t('coverage.noSegment', 'no segment');

  if (coverage.failure || !data) return <LoadStatus failure={coverage.failure} />;

  const personas = data.personas as Array<string | null>;
  const segments = data.segments as Array<string | null>;
  const cell = (persona: string | null, segment: string | null) =>
    data.cells.find((c) => c.persona === persona && c.segment === segment);
  const reasons = {
    contradiction: t(
      'coverage.reason.contradiction',
      'its persona and segments can never hold together'
    ),
    shadowed: t('coverage.reason.shadowed', 'an untagged candidate above it always wins'),
    expired: t('coverage.reason.expired', 'its schedule has ended'),
    unpublished: t('coverage.reason.unpublished', 'not published'),
  };

  return (
    <Flex direction="column" gap={4} alignItems="stretch" data-testid="coverage-panel">
      <Card
        title={t('coverage.matrix', 'Who gets what')}
        help={t(
          'coverage.matrix.help',
          'Rows are personas, columns the segment a reader matched. "Default only" means that reader sees nothing written for them: add a chunk tagged for them to a slot.'
        )}
      >
        <Box paddingTop={3}>
          <Table colCount={segments.length + 1} rowCount={personas.length + 1}>
            <Thead>
              <Tr>
                <Th>
                  <Typography variant="sigma">
                    {t('coverage.persona', 'Persona / segment')}
                  </Typography>
                </Th>
                {segments.map((segment) => (
                  <Th key={segment ?? '-'}>
                    <Typography variant="sigma">{label(segment, noSegment)}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {personas.map((persona) => (
                <Tr key={persona ?? '-'}>
                  <Td>
                    <Typography fontWeight="bold">{label(persona, noPersona)}</Typography>
                  </Td>
                  {segments.map((segment) => {
                    const c = cell(persona, segment);
                    const served = c
                      ? Object.entries(c.slots)
                          .map(([slot, slugs]) => `${slot}: ${slugs.join(', ') || '—'}`)
                          .join(' · ')
                      : '';
                    return (
                      <Td
                        key={segment ?? '-'}
                        background={c?.defaultOnly ? 'warning100' : 'success100'}
                      >
                        <Tooltip label={served || '—'}>
                          <span tabIndex={0}>
                            {c?.defaultOnly ? (
                              <ToneBadge tone="warning">
                                {t('coverage.defaultOnly', 'default only')}
                              </ToneBadge>
                            ) : (
                              <ToneBadge tone="success">
                                {t('coverage.personalized', 'personalized')}
                              </ToneBadge>
                            )}
                          </span>
                        </Tooltip>
                      </Td>
                    );
                  })}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      </Card>
      <Card title={t('coverage.unreachable', 'Candidates no reader can reach')}>
        {data.unreachable.length === 0 ? (
          <Typography tag="p" textColor="success600">
            {t('coverage.unreachable.none', 'None: every candidate can be served to someone.')}
          </Typography>
        ) : (
          <ul style={{ margin: '8px 0 0 16px' }}>
            {data.unreachable.map((u) => (
              <li key={`${u.slot}-${u.candidate}`}>
                <Typography>
                  <b>{u.slot}</b> → {u.candidate}: {reasons[u.reason] ?? u.reason}
                  {u.message ? ` (${u.message})` : ''}
                </Typography>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </Flex>
  );
};
