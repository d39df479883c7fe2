/**
 * Impressions and conversions over time for one slot, one line (or bar) per variant, segment set
 * or persona, drawn with recharts.
 */
import { Box, Flex } from '@strapi/design-system';
import type { ReactElement } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import type { InsightsRow } from '../../../../contracts/insights';
import { Card } from '../../components/Card';

const COLORS = [
  '#4945ff',
  '#ee5e52',
  '#328048',
  '#d9822f',
  '#7b79ff',
  '#0c75af',
  '#ac73e6',
  '#666687',
];

interface SeriesData {
  days: Array<Record<string, number | string>>;
  series: string[];
}

/** Rows pivoted to one entry per day with one field per group, for `metric`. */
function pivot(
  rows: InsightsRow[],
  metric: 'impressions' | 'conversions',
  label: (row: InsightsRow) => string
): SeriesData {
  const byDay = new Map<string, Record<string, number | string>>();
  const series = new Set<string>();
  for (const row of rows) {
    const group = label(row);
    series.add(group);
    const entry = byDay.get(row.day) ?? { day: row.day };
    entry[group] = Number(entry[group] ?? 0) + row[metric];
    byDay.set(row.day, entry);
  }
  const names = [...series].sort();
  const days = [...byDay.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
  for (const day of days) for (const name of names) day[name] = day[name] ?? 0;
  return { days, series: names };
}

/** One recharts chart in its card, as wide as the card. */
const ChartCard = ({ title, children }: { title: string; children: ReactElement }) => (
  <Card title={title} heading="h3" flex="1" minWidth="320px">
    <Box height="260px" paddingTop={3}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </Box>
  </Card>
);

interface ChartsProps {
  rows: InsightsRow[];
  /** The group a row belongs to: its variant, its segments or its persona, as a label. */
  label: (row: InsightsRow) => string;
  titles: { impressions: string; conversions: string };
}

export const Charts = ({ rows, label, titles }: ChartsProps) => {
  const impressions = pivot(rows, 'impressions', label);
  const conversions = pivot(rows, 'conversions', label);
  return (
    <Flex gap={4} wrap="wrap" alignItems="stretch">
      <ChartCard title={titles.impressions}>
        <LineChart data={impressions.days}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend />
          {impressions.series.map((name, i) => (
            <Line
              key={name}
              type="monotone"
              dataKey={name}
              stroke={COLORS[i % COLORS.length]}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartCard>
      <ChartCard title={titles.conversions}>
        <BarChart data={conversions.days}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend />
          {conversions.series.map((name, i) => (
            <Bar
              key={name}
              dataKey={name}
              stackId="all"
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ChartCard>
    </Flex>
  );
};
