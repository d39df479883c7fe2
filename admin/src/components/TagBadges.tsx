/** A candidate's persona, segment and topic tags as badges; untagged ones say they are the default. */
import { Badge, Flex } from '@strapi/design-system';

import { useT } from '../hooks/useT';

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
        <Badge key={`p-${slug}`} variant="primary" title={t('badge.persona', 'Persona')}>
          {slug}
        </Badge>
      ))}
      {segments.map((slug) => (
        <Badge key={`s-${slug}`} variant="alternative" title={t('badge.segment', 'Segment')}>
          {slug}
        </Badge>
      ))}
      {tags.map((slug) => (
        <Badge key={`t-${slug}`} variant="neutral" title={t('badge.tag', 'Topic tag')}>
          #{slug}
        </Badge>
      ))}
      {untagged && (
        <Badge variant="success" title={t('badge.default.hint', 'Served to every reader')}>
          {t('badge.default', 'default')}
        </Badge>
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
  return <Badge variant={STATUS_VARIANT[status]}>{label}</Badge>;
};
