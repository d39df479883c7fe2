/**
 * Insights: per asset, what its experiment slots served and what it did — impressions and
 * conversions over time by variant, segment or persona, the results against the control with
 * their statistics and warnings, a CSV export, and a button to end an experiment by promoting a
 * variant.
 */
import {
  Alert,
  Box,
  Button,
  Dialog,
  Field,
  Flex,
  Loader,
  Main,
  SingleSelect,
  SingleSelectOption,
  Table,
  Tbody,
  Td,
  TextInput,
  Th,
  Thead,
  Tr,
  Typography,
} from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { Layouts, useNotification } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { useNavigate, useParams } from 'react-router-dom';

import type { ListAssets } from '../../../../contracts/admin';
import type { GetInsights, InsightsRow, InsightsSlot } from '../../../../contracts/insights';
import { toFailure, useMosaicApi, type InsightsQuery } from '../../api/client';
import { useMosaicPermissions } from '../../hooks/useMosaicPermissions';
import { Card } from '../../components/Card';
import { ToneBadge } from '../../components/TagBadges';
import { useT } from '../../hooks/useT';
import { PLUGIN_ID } from '../../pluginId';
import { Charts } from './Charts';

type Report = GetInsights.Response['data'];
type GroupBy = 'variant' | 'segments' | 'persona';
type AssetOption = ListAssets.Response['data'][number];

export const InsightsPage = () => {
  const t = useT();
  const api = useMosaicApi();
  const { canEdit } = useMosaicPermissions();
  const navigate = useNavigate();
  const { documentId } = useParams<{ documentId: string }>();
  const { toggleNotification } = useNotification();
  const [assets, setAssets] = useState<AssetOption[]>([]);
  const [range, setRange] = useState<InsightsQuery>({});
  const [groupBy, setGroupBy] = useState<GroupBy>('variant');
  const [report, setReport] = useState<Report | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .listAssets({})
      .then(setAssets)
      .catch(() => setAssets([]));
  }, [api]);

  const load = useCallback(() => {
    if (!documentId) return;
    setLoading(true);
    setError(null);
    api
      .insights(documentId, range)
      .then(setReport)
      .catch((e: unknown) => setError(toFailure(e).message))
      .finally(() => setLoading(false));
  }, [api, documentId, range]);

  useEffect(load, [load]);

  const download = async () => {
    if (!documentId || !report) return;
    const blob = await api.insightsCsv(documentId, range);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `insights-${report.asset.slug}-${report.from}-${report.to}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };

  const promote = async (slot: string, variant: string) => {
    if (!documentId) return;
    try {
      await api.promote(documentId, slot, variant);
      toggleNotification({
        type: 'success',
        message: t('insights.promote.done', 'The variant is now served to everyone.'),
      });
      load();
    } catch (e) {
      toggleNotification({ type: 'danger', message: toFailure(e).message });
    }
  };

  return (
    <Main>
      <Layouts.Header
        title={t('insights.title', 'Insights')}
        subtitle={t(
          'insights.subtitle',
          'Impressions, conversions and experiment results per asset, slot, variant, segment and persona'
        )}
        primaryAction={
          report ? (
            <Button startIcon={<Download />} variant="secondary" onClick={() => void download()}>
              {t('insights.csv', 'Download CSV')}
            </Button>
          ) : undefined
        }
      />
      <Layouts.Content>
        <Flex gap={4} paddingBottom={6} wrap="wrap" alignItems="flex-end">
          <Box minWidth="280px">
            <Field.Root name="asset">
              <Field.Label>{t('insights.asset', 'Asset')}</Field.Label>
              <SingleSelect
                placeholder={t('insights.asset.placeholder', 'Choose an asset')}
                value={documentId ?? ''}
                onChange={(value: string | number) =>
                  navigate(`/plugins/${PLUGIN_ID}/insights/${value}`)
                }
              >
                {assets.map((asset) => (
                  <SingleSelectOption key={asset.documentId} value={asset.documentId}>
                    {asset.title}
                  </SingleSelectOption>
                ))}
              </SingleSelect>
            </Field.Root>
          </Box>
          <Field.Root name="from">
            <Field.Label>{t('insights.from', 'From')}</Field.Label>
            <TextInput
              type="date"
              value={range.from ?? report?.from ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) =>
                setRange({ ...range, from: e.target.value })
              }
            />
          </Field.Root>
          <Field.Root name="to">
            <Field.Label>{t('insights.to', 'To')}</Field.Label>
            <TextInput
              type="date"
              value={range.to ?? report?.to ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) =>
                setRange({ ...range, to: e.target.value })
              }
            />
          </Field.Root>
          <Field.Root name="goal" hint={t('insights.goal.hint', 'Empty: every conversion')}>
            <Field.Label>{t('insights.goal', 'Goal')}</Field.Label>
            <TextInput
              value={range.goal ?? ''}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) =>
                setRange({ ...range, goal: e.target.value })
              }
            />
          </Field.Root>
          <Box minWidth="200px">
            <Field.Root name="groupBy">
              <Field.Label>{t('insights.groupBy', 'Charts by')}</Field.Label>
              <SingleSelect
                value={groupBy}
                onChange={(value: string | number) => setGroupBy(value as GroupBy)}
              >
                <SingleSelectOption value="variant">
                  {t('insights.groupBy.variant', 'Variant')}
                </SingleSelectOption>
                <SingleSelectOption value="segments">
                  {t('insights.groupBy.segments', 'Segments')}
                </SingleSelectOption>
                <SingleSelectOption value="persona">
                  {t('insights.groupBy.persona', 'Persona')}
                </SingleSelectOption>
              </SingleSelect>
            </Field.Root>
          </Box>
        </Flex>

        {!documentId && (
          <Typography>
            {t('insights.pick', 'Choose an asset to see what its experiments did.')}
          </Typography>
        )}
        {error && (
          <Alert
            variant="danger"
            closeLabel={t('insights.close', 'Close')}
            onClose={() => setError(null)}
          >
            {error}
          </Alert>
        )}
        {loading && !report && <Loader>{t('insights.loading', 'Loading insights…')}</Loader>}
        {report && documentId && (
          <Flex direction="column" alignItems="stretch" gap={8}>
            <Typography variant="omega" textColor="neutral600">
              {t(
                'insights.totals',
                '{from} to {to}: {impressions} impressions, {conversions} conversions',
                {
                  from: report.from,
                  to: report.to,
                  impressions: report.totals.impressions,
                  conversions: report.totals.conversions,
                }
              )}
            </Typography>
            {report.slots.length === 0 && (
              <Typography>
                {t(
                  'insights.none',
                  'This asset has no experiment slot and no measured traffic yet.'
                )}
              </Typography>
            )}
            {report.slots.map((slot) => (
              <SlotInsights
                key={slot.key}
                slot={slot}
                rows={report.rows.filter((row) => row.slot === slot.key)}
                groupBy={groupBy}
                canPromote={canEdit}
                onPromote={(variant) => void promote(slot.key, variant)}
              />
            ))}
          </Flex>
        )}
      </Layouts.Content>
    </Main>
  );
};

interface SlotInsightsProps {
  slot: InsightsSlot;
  rows: InsightsRow[];
  groupBy: GroupBy;
  canPromote: boolean;
  onPromote: (variant: string) => void;
}

const SlotInsights = ({ slot, rows, groupBy, canPromote, onPromote }: SlotInsightsProps) => {
  const t = useT();
  const { formatNumber } = useIntl();
  const percent = (x: number | null) =>
    x === null ? '–' : formatNumber(x, { style: 'percent', maximumFractionDigits: 2 });
  const names = new Map(slot.variants.map((v) => [v.id, v.slug ?? v.title ?? v.id]));
  const holdoutName = t('insights.holdout', 'Holdout');
  const label = (row: InsightsRow) => {
    if (groupBy === 'segments') return row.segments || t('insights.noSegment', '(no segment)');
    if (groupBy === 'persona') return row.persona || t('insights.noPersona', '(no persona)');
    return row.variant === 'holdout' ? holdoutName : (names.get(row.variant) ?? row.variant);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={3} alignItems="center">
        <Typography variant="beta" tag="h2">
          {t('insights.slot', 'Slot {key}', { key: slot.key })}
        </Typography>
        <ToneBadge tone={slot.running ? 'primary' : 'neutral'}>
          {slot.running
            ? t('insights.running', 'Experiment running')
            : t('insights.ended', 'Not an experiment now')}
        </ToneBadge>
        {slot.holdout > 0 && (
          <ToneBadge>
            {t('insights.holdoutShare', 'Holdout {percent}%', { percent: slot.holdout })}
          </ToneBadge>
        )}
      </Flex>
      {!slot.enoughData && (
        <Alert variant="default" closeLabel={t('insights.close', 'Close')}>
          {t(
            'insights.notEnough',
            'Not enough data yet: every variant needs {min} impressions before the results mean much.',
            {
              min: slot.minImpressions,
            }
          )}
        </Alert>
      )}
      {slot.sampleRatio?.mismatch && (
        <Alert variant="warning" closeLabel={t('insights.close', 'Close')}>
          {t(
            'insights.srm',
            'Sample ratio mismatch: the split of impressions does not match the weights (chi-square p = {p}). Something other than chance is steering visitors; check before trusting the results.',
            { p: slot.sampleRatio.pValue.toExponential(1) }
          )}
        </Alert>
      )}
      <Card padding={0}>
        <Table colCount={9} rowCount={slot.variants.length + 1}>
          <Thead>
            <Tr>
              {[
                ['variant', 'Variant'],
                ['weight', 'Weight'],
                ['impressions', 'Impressions'],
                ['conversions', 'Conversions'],
                ['rate', 'Rate'],
                ['interval', '95% interval'],
                ['lift', 'Lift vs control'],
                ['pValue', 'p-value'],
                ['action', 'Action'],
              ].map(([id, text]) => (
                <Th key={id}>
                  <Typography variant="sigma">{t(`insights.column.${id}`, text)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {slot.variants.map((v) => (
              <Tr key={v.id}>
                <Td>
                  <Flex gap={2}>
                    <Typography fontWeight={v.id === slot.winner ? 'bold' : undefined}>
                      {names.get(v.id)}
                    </Typography>
                    {v.control && <ToneBadge>{t('insights.control', 'Control')}</ToneBadge>}
                    {v.id === slot.winner && (
                      <ToneBadge tone="primary">{t('insights.winner', 'Winner')}</ToneBadge>
                    )}
                    {!v.current && <ToneBadge>{t('insights.removed', 'Removed')}</ToneBadge>}
                  </Flex>
                </Td>
                <Td>
                  <Typography>{formatNumber(v.weight)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(v.impressions)}</Typography>
                </Td>
                <Td>
                  <Typography>{formatNumber(v.conversions)}</Typography>
                </Td>
                <Td>
                  <Typography>{percent(v.rate)}</Typography>
                </Td>
                <Td>
                  <Typography>
                    {v.interval ? `${percent(v.interval[0])} – ${percent(v.interval[1])}` : '–'}
                  </Typography>
                </Td>
                <Td>
                  <Typography
                    textColor={
                      v.lift && v.lift > 0
                        ? 'success600'
                        : v.lift && v.lift < 0
                          ? 'danger600'
                          : undefined
                    }
                  >
                    {v.lift === null ? '–' : `${v.lift > 0 ? '+' : ''}${percent(v.lift)}`}
                  </Typography>
                </Td>
                <Td>
                  <Typography>
                    {v.pValue === null
                      ? '–'
                      : v.pValue < 0.0001
                        ? `< ${formatNumber(0.0001, { maximumFractionDigits: 4 })}`
                        : formatNumber(v.pValue, { maximumSignificantDigits: 2 })}
                    {v.significant ? ` · ${t('insights.significant', 'significant')}` : ''}
                  </Typography>
                </Td>
                <Td>
                  {slot.running && v.current && canPromote && (
                    <Dialog.Root>
                      <Dialog.Trigger>
                        <Button variant={v.id === slot.winner ? 'default' : 'tertiary'} size="S">
                          {t('insights.promote', 'Promote')}
                        </Button>
                      </Dialog.Trigger>
                      <Dialog.Content>
                        <Dialog.Header>
                          {t('insights.promote.title', 'End the experiment?')}
                        </Dialog.Header>
                        <Dialog.Body>
                          <Typography>
                            {t(
                              'insights.promote.body',
                              '{variant} becomes the first candidate of slot {slot}, the slot switches to "first" and the asset is published: everyone gets {variant}.',
                              { variant: names.get(v.id) ?? v.id, slot: slot.key }
                            )}
                          </Typography>
                        </Dialog.Body>
                        <Dialog.Footer>
                          <Dialog.Cancel>
                            <Button variant="tertiary">{t('insights.cancel', 'Cancel')}</Button>
                          </Dialog.Cancel>
                          <Dialog.Action>
                            <Button onClick={() => onPromote(v.id)}>
                              {t('insights.promote.confirm', 'Promote and publish')}
                            </Button>
                          </Dialog.Action>
                        </Dialog.Footer>
                      </Dialog.Content>
                    </Dialog.Root>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </Card>
      {slot.holdoutGroup && (
        <Typography variant="omega" textColor="neutral600">
          {t(
            'insights.holdoutGroup',
            'Holdout (served the control, outside the test): {impressions} impressions, {conversions} conversions, rate {rate}',
            {
              impressions: slot.holdoutGroup.impressions,
              conversions: slot.holdoutGroup.conversions,
              rate: percent(slot.holdoutGroup.rate),
            }
          )}
        </Typography>
      )}
      <Typography variant="pi" textColor="neutral600">
        {t(
          'insights.method',
          'Rates with a 95% Wilson score interval; each variant against the control (the first candidate) by a two-sided two-proportion z-test, significant when p < 0.05. A visitor counts once a day; a conversion counts for the variant seen in the attribution window.'
        )}
      </Typography>
      <Charts
        rows={rows}
        label={label}
        titles={{
          impressions: t('insights.chart.impressions', 'Impressions per day'),
          conversions: t('insights.chart.conversions', 'Conversions per day'),
        }}
      />
    </Flex>
  );
};
