/**
 * What a panel shows in place of its content while the answer is on the way, or once it failed:
 * the server's message, announced to screen readers.
 */
import { Typography } from '@strapi/design-system';

import { useT } from '../hooks/useT';

interface Props {
  failure?: { message: string } | null;
  /** What is being waited for, when "Resolving…" does not say it. */
  loading?: string;
}

export const LoadStatus = ({ failure, loading }: Props) => {
  const t = useT();
  return failure ? (
    <Typography textColor="danger600" role="alert">
      {failure.message}
    </Typography>
  ) : (
    <Typography textColor="neutral600">{loading ?? t('preview.loading', 'Resolving…')}</Typography>
  );
};
