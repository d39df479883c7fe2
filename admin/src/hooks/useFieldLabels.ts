/**
 * The human names of the context's fields and of their groups, translated: the taxonomy's English
 * label is the default, so an app's declared traits and the personas' interests are named too.
 */
import { useCallback } from 'react';

import type { ContextFieldGroup, ContextFieldInfo } from '../../../contracts/admin';
import { useT } from './useT';

/** Fields an app adds (traits) or the content names (interests): their label comes as it is. */
const DYNAMIC = /^(traits|affinity)\./;

export function useFieldLabels(fields: ContextFieldInfo[]) {
  const t = useT();
  const fieldLabel = useCallback(
    (field: string) => {
      const info = fields.find((f) => f.field === field);
      if (!info) return field;
      return DYNAMIC.test(field) ? info.label : t(`rules.field.${field}`, info.label);
    },
    [fields, t]
  );
  const groupLabel = useCallback(
    (group: ContextFieldGroup) =>
      t(
        `rules.fieldGroup.${group}`,
        {
          location: 'Location',
          device: 'Device',
          campaign: 'Campaign and referrer',
          time: 'Time',
          behaviour: 'Behaviour',
          traits: 'Profile traits',
        }[group]
      ),
    [t]
  );
  return { fieldLabel, groupLabel };
}
