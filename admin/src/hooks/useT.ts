/** `t(id, default, values)`: a translated string of Mosaic's, ids relative to the plugin. */
import { useCallback } from 'react';
import { useIntl } from 'react-intl';

import { getTranslation } from '../utils/getTranslation';

export type Translate = (
  id: string,
  defaultMessage: string,
  values?: Record<string, string | number | boolean | null | undefined>
) => string;

export function useT(): Translate {
  const { formatMessage } = useIntl();
  return useCallback(
    (id, defaultMessage, values) =>
      formatMessage({ id: getTranslation(id), defaultMessage }, values ?? undefined),
    [formatMessage]
  );
}
