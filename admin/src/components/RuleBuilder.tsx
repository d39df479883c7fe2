/**
 * `$and`/`$or` groups of field / operator / value rows over the context fields (utils/ruleTree):
 * fields by human name in groups, values picked where the set is known (RuleValueInput), and a
 * value that can never match flagged under its row with the value meant, one click away.
 */
import {
  Box,
  Button,
  Field,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextButton,
  Typography,
  VisuallyHidden,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';

import type { ContextFieldInfo } from '../../../contracts/admin';
import { CONTEXT_FIELD_GROUPS } from '../../../contracts/wire';
import { useFieldLabels } from '../hooks/useFieldLabels';
import { useT } from '../hooks/useT';
import {
  emptyGroup,
  emptyRow,
  FLAG_OPERATORS,
  LIST_OPERATORS,
  PAIR_OPERATORS,
  updateNode,
  type RuleGroup,
  type RuleNode,
  type RuleRow,
} from '../utils/ruleTree';
import { replaceValue, valueInputOf, type ValueSets, type ValueWarning } from '../utils/ruleValues';
import { RuleValueInput } from './RuleValueInput';

interface Props {
  tree: RuleGroup;
  fields: ContextFieldInfo[];
  operators: string[];
  sets: ValueSets;
  warnings: ValueWarning[];
  disabled: boolean;
  onChange: (tree: RuleGroup) => void;
}

export const RuleBuilder = ({
  tree,
  fields,
  operators,
  sets,
  warnings,
  disabled,
  onChange,
}: Props) => {
  const t = useT();
  const { fieldLabel, groupLabel } = useFieldLabels(fields);
  const typeOf = (field: string) => fields.find((f) => f.field === field)?.type;
  const fieldOperators = operators.filter((op) => !['$and', '$or', '$not', '$event'].includes(op));
  const change = (id: string, next: (node: RuleNode) => RuleNode | null) =>
    onChange(updateNode(tree, id, next));
  const setGroup = (group: RuleGroup, next: RuleGroup) =>
    group.id === tree.id ? onChange(next) : change(group.id, () => next);

  const placeholder = (row: RuleRow) =>
    LIST_OPERATORS.includes(row.operator)
      ? t('rules.value.list', 'values, separated by commas')
      : PAIR_OPERATORS.includes(row.operator)
        ? t('rules.value.pair', 'from, to')
        : t('rules.value', 'value');

  const renderWarnings = (row: RuleRow) =>
    warnings
      .filter((w) => w.rowId === row.id)
      .map((w) => (
        <Flex
          key={`${row.id}-${w.value}`}
          gap={2}
          padding={2}
          hasRadius
          background="warning100"
          wrap="wrap"
          data-testid="value-warning"
        >
          <Typography variant="pi" textColor="neutral800">
            {w.fix
              ? t(
                  'rules.warning.fix',
                  '“{value}” can never match {field}: did you mean {fix} — {name}?',
                  {
                    value: w.value,
                    field: fieldLabel(w.field),
                    fix: w.fix.value,
                    name: w.fix.label,
                  }
                )
              : t(
                  'rules.warning.none',
                  '“{value}” is not a known value of {field}: this condition can never match.',
                  { value: w.value, field: fieldLabel(w.field) }
                )}
          </Typography>
          {w.fix && (
            <Button
              size="S"
              variant="tertiary"
              disabled={disabled}
              onClick={() =>
                change(
                  row.id,
                  (node) =>
                    ({
                      ...node,
                      value: replaceValue(row.operator, row.value, w.value, w.fix!.value),
                    }) as RuleRow
                )
              }
            >
              {t('rules.warning.use', 'Use {fix}', { fix: w.fix.value })}
            </Button>
          )}
        </Flex>
      ));

  const renderRow = (row: RuleRow, position: number) => (
    <Flex key={row.id} direction="column" alignItems="stretch" gap={1}>
      <Flex gap={2} alignItems="center" data-testid="rule-row">
        <Box minWidth="180px" flex="1">
          <Field.Root name={`${row.id}-field`}>
            <VisuallyHidden>
              <Field.Label>
                {t('rules.field.label', 'Field of condition {n}', { n: position + 1 })}
              </Field.Label>
            </VisuallyHidden>
            <SingleSelect
              placeholder={t('rules.field', 'Context field')}
              value={row.field}
              disabled={disabled}
              onChange={(value) =>
                change(row.id, (node) => {
                  const field = String(value);
                  // A yes/no field starts at yes: a toggle has no "empty".
                  const boolean = valueInputOf(field, typeOf(field), sets) === 'boolean';
                  return { ...node, field, value: boolean ? 'true' : '' } as RuleRow;
                })
              }
            >
              {CONTEXT_FIELD_GROUPS.flatMap((group) => {
                const inGroup = fields.filter((f) => f.group === group);
                if (!inGroup.length) return [];
                return [
                  // A heading, not an option: screen readers hear the options' own names.
                  <Box key={`group-${group}`} aria-hidden paddingLeft={4} paddingTop={2}>
                    <Typography variant="sigma" textColor="neutral600">
                      {groupLabel(group)}
                    </Typography>
                  </Box>,
                  ...inGroup.map((f) => (
                    <SingleSelectOption key={f.field} value={f.field}>
                      {fieldLabel(f.field)}
                    </SingleSelectOption>
                  )),
                ];
              })}
              {/* A field typed in the JSON view that the context does not have stays visible, so
                the server's message about it has something to point at. */}
              {row.field && !fields.some((f) => f.field === row.field) && (
                <SingleSelectOption value={row.field}>{row.field}</SingleSelectOption>
              )}
            </SingleSelect>
          </Field.Root>
        </Box>
        <Box minWidth="150px">
          <Field.Root name={`${row.id}-operator`}>
            <VisuallyHidden>
              <Field.Label>
                {t('rules.operator.label', 'Operator of condition {n}', { n: position + 1 })}
              </Field.Label>
            </VisuallyHidden>
            <SingleSelect
              value={row.operator}
              disabled={disabled}
              onChange={(value) =>
                change(row.id, (node) => ({ ...node, operator: String(value) }) as RuleRow)
              }
            >
              {fieldOperators.map((op) => (
                <SingleSelectOption key={op} value={op}>
                  {t(`operator.${op}`, op)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
        <Box flex="2" minWidth="150px">
          {!FLAG_OPERATORS.includes(row.operator) && (
            <RuleValueInput
              field={row.field}
              type={typeOf(row.field)}
              operator={row.operator}
              value={row.value}
              sets={sets}
              label={t('rules.value.label', 'Value of condition {n}', { n: position + 1 })}
              placeholder={placeholder(row)}
              disabled={disabled}
              onChange={(value) => change(row.id, (node) => ({ ...node, value }) as RuleRow)}
            />
          )}
        </Box>
        <IconButton
          label={t('rules.remove', 'Remove condition {n}', { n: position + 1 })}
          variant="ghost"
          disabled={disabled}
          onClick={() => change(row.id, () => null)}
        >
          <Trash />
        </IconButton>
      </Flex>
      {renderWarnings(row)}
    </Flex>
  );

  const renderGroup = (group: RuleGroup, depth: number): JSX.Element => (
    <Box
      key={group.id}
      padding={3}
      hasRadius
      borderStyle="solid"
      borderWidth="1px"
      borderColor={depth === 0 ? 'neutral200' : 'primary200'}
      background={depth === 0 ? 'neutral0' : 'primary100'}
    >
      <Flex gap={2} paddingBottom={2} alignItems="center">
        <Typography variant="pi">{t('rules.group.prefix', 'Readers matching')}</Typography>
        <Box minWidth="120px">
          <Field.Root name={`${group.id}-combinator`}>
            <VisuallyHidden>
              <Field.Label>{t('rules.group.combinator', 'How the conditions combine')}</Field.Label>
            </VisuallyHidden>
            <SingleSelect
              value={group.combinator}
              disabled={disabled}
              onChange={(value) =>
                setGroup(group, { ...group, combinator: value as '$and' | '$or' })
              }
            >
              <SingleSelectOption value="$and">{t('rules.group.and', 'all of')}</SingleSelectOption>
              <SingleSelectOption value="$or">{t('rules.group.or', 'any of')}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
        </Box>
        <Typography variant="pi">{t('rules.group.suffix', 'these conditions:')}</Typography>
        {depth > 0 && (
          <IconButton
            label={t('rules.group.remove', 'Remove this group')}
            variant="ghost"
            disabled={disabled}
            onClick={() => change(group.id, () => null)}
          >
            <Trash />
          </IconButton>
        )}
      </Flex>
      <Flex direction="column" gap={2} alignItems="stretch">
        {group.children.map((child, i) =>
          child.kind === 'row' ? renderRow(child, i) : renderGroup(child, depth + 1)
        )}
      </Flex>
      <Flex gap={4} paddingTop={2}>
        <TextButton
          startIcon={<Plus />}
          disabled={disabled}
          onClick={() => setGroup(group, { ...group, children: [...group.children, emptyRow()] })}
        >
          {t('rules.add', 'Add a condition')}
        </TextButton>
        {depth < 3 && (
          <TextButton
            startIcon={<Plus />}
            disabled={disabled}
            onClick={() =>
              setGroup(group, {
                ...group,
                children: [
                  ...group.children,
                  emptyGroup(group.combinator === '$and' ? '$or' : '$and'),
                ],
              })
            }
          >
            {t('rules.addGroup', 'Add a group')}
          </TextButton>
        )}
      </Flex>
    </Box>
  );

  return renderGroup(tree, 0);
};
