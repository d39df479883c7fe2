/**
 * The sample reader of the segment editor: a form with one input per field the rule reads, named
 * and picked as in the rule builder, whose values become the context the rule is tested on.
 */
import { Box, Field, Flex, Grid, Typography } from '@strapi/design-system';

import type { ContextFieldInfo } from '../../../contracts/admin';
import { useFieldLabels } from '../hooks/useFieldLabels';
import { useT } from '../hooks/useT';
import type { ValueSets } from '../utils/ruleValues';
import { RuleValueInput } from './RuleValueInput';

interface Props {
  /** The fields the rule reads, in the rule's order. */
  used: string[];
  fields: ContextFieldInfo[];
  sets: ValueSets;
  values: Record<string, string>;
  onChange: (values: Record<string, string>) => void;
}

export const SampleReader = ({ used, fields, sets, values, onChange }: Props) => {
  const t = useT();
  const { fieldLabel } = useFieldLabels(fields);
  if (!used.length) {
    return (
      <Typography textColor="neutral600">
        {t('segments.sample.none', 'Add a condition: the reader’s fields it reads appear here.')}
      </Typography>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={2} data-testid="sample-reader">
      <Typography variant="pi" textColor="neutral600">
        {t(
          'segments.sample.form.hint',
          'A reader to try the rule on. A field left empty is one the reader does not have.'
        )}
      </Typography>
      <Grid.Root gap={3}>
        {used.map((field) => {
          return (
            <Grid.Item key={field} col={6} s={12} direction="column" alignItems="stretch">
              <Box width="100%">
                <Field.Root name={`sample-${field}`}>
                  <Field.Label>{fieldLabel(field)}</Field.Label>
                  <RuleValueInput
                    field={field}
                    type={fields.find((f) => f.field === field)?.type}
                    operator="$eq"
                    value={values[field] ?? ''}
                    sets={sets}
                    label={fieldLabel(field)}
                    onChange={(value) => onChange({ ...values, [field]: value })}
                  />
                </Field.Root>
              </Box>
            </Grid.Item>
          );
        })}
      </Grid.Root>
    </Flex>
  );
};
