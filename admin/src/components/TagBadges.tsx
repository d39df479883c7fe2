/**
 * A candidate's persona, segment and topic tags as badges; untagged ones say they are the default.
 * Every badge of Mosaic's admin is a `ToneBadge`: the design system's own variants put the `700`
 * text on the `200` background, under 4.5:1 for several of them (warning 3.6:1, alternative
 * 4.4:1, an active badge 4.25:1); these tones keep to design-system tokens at 4.5:1 or more.
 */
import { Badge, Flex, type BadgeProps } from '@strapi/design-system';

import { useT } from '../hooks/useT';

/** Background and text tokens per tone, each pair at least 4.5:1 in the light theme. */
const TONES = {
  primary: { backgroundColor: 'primary100', textColor: 'primary700' }, // 7.9:1
  alternative: { backgroundColor: 'alternative100', textColor: 'alternative700' }, // 6.2:1
  secondary: { backgroundColor: 'secondary100', textColor: 'secondary700' }, // 6.1:1
  success: { backgroundColor: 'success100', textColor: 'success700' }, // 6.1:1
  danger: { backgroundColor: 'danger100', textColor: 'danger700' }, // 5.4:1
  // The warning palette has no dark enough text: dark text, the warning colour in the border.
  warning: { backgroundColor: 'warning100', textColor: 'neutral800', borderColor: 'warning600' },
  neutral: { backgroundColor: 'neutral150', textColor: 'neutral700' }, // 7.1:1
} as const;

export type BadgeTone = keyof typeof TONES;

/** A design-system Badge in one of Mosaic's readable tones. */
export const ToneBadge = ({
  tone = 'neutral',
  ...props
}: Omit<BadgeProps, 'variant' | 'active'> & { tone?: BadgeTone }) => (
  <Badge {...TONES[tone]} {...props} />
);

interface Props {
  personas?: string[];
  segments?: string[];
  tags?: string[];
}

export const TagBadges = ({ personas = [], segments = [], tags = [] }: Props) => {
  const t = useT();
  const untagged = personas.length === 0 && segments.length === 0;
  return (
    <Flex gap={1} wrap="wrap">
      {personas.map((slug) => (
        <ToneBadge key={`p-${slug}`} tone="primary" title={t('badge.persona', 'Persona')}>
          {slug}
        </ToneBadge>
      ))}
      {segments.map((slug) => (
        <ToneBadge key={`s-${slug}`} tone="alternative" title={t('badge.segment', 'Segment')}>
          {slug}
        </ToneBadge>
      ))}
      {tags.map((slug) => (
        <ToneBadge key={`t-${slug}`} tone="neutral" title={t('badge.tag', 'Topic tag')}>
          #{slug}
        </ToneBadge>
      ))}
      {untagged && (
        <ToneBadge tone="success" title={t('badge.default.hint', 'Served to every reader')}>
          {t('badge.default', 'default')}
        </ToneBadge>
      )}
    </Flex>
  );
};

const STATUS_VARIANT = { draft: 'secondary', published: 'success', modified: 'warning' } as const;

export const StatusBadge = ({ status }: { status: 'draft' | 'published' | 'modified' }) => {
  const t = useT();
  const label = {
    draft: t('status.draft', 'Draft'),
    published: t('status.published', 'Published'),
    modified: t('status.modified', 'Modified'),
  }[status];
  return <ToneBadge tone={STATUS_VARIANT[status]}>{label}</ToneBadge>;
};
