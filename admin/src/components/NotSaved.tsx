/**
 * The banner a form shows when the server refused to save it: the same title on every page, the
 * server's message (or the page's summary of it) below.
 */
import { Alert } from '@strapi/design-system';
import type { ReactNode } from 'react';

import { useT } from '../hooks/useT';

interface Props {
  children: ReactNode;
  onClose?: () => void;
}

export const NotSaved = ({ children, onClose }: Props) => {
  const t = useT();
  return (
    <Alert
      variant="danger"
      closeLabel={t('action.close', 'Close')}
      title={t('action.refused', 'Not saved')}
      onClose={onClose}
    >
      {children}
    </Alert>
  );
};
