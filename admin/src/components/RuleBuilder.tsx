/** `$and`/`$or` groups of field / operator / value rows over the context fields (utils/ruleTree). */
import {
  Box,
  Flex,
  IconButton,
  SingleSelect,
  SingleSelectOption,
  TextButton,
  TextInput,
  Typography,
} from '@strapi/design-system';
import { Plus, Trash } from '@strapi/icons';

import type { ContextFieldInfo } from '../../../contracts/admin';
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

interface Props {
  tree: RuleGroup;
  fields: ContextFieldInfo[];
  operators: string[];
  disabled: boolean;
  onChange: (tree: RuleGroup) => void;
}

export const RuleBuilder = ({ tree, fields, operators, disabled, onChange }: Props) => {
  const t = useT();
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

  const renderRow = (row: RuleRow, position: number) => (
    <Flex key={row.id} gap={2} alignItems="center" data-testid="rule-row">
      <Box minWidth="180px" flex="1">
        <SingleSelect
          aria-label={t('rules.field.label', 'Field of condition {n}', { n: position + 1 })}
          placeholder={t('rules.field', 'Context field')}
          value={row.field}
          disabled={disabled}
          onChange={(value) =>
            change(row.id, (node) => ({ ...node, field: String(value) }) as RuleRow)
          }
        >
          {fields.map((f) => (
            <SingleSelectOption key={f.field} value={f.field}>
              {f.field}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Box>
      <Box minWidth="150px">
        <SingleSelect
          aria-label={t('rules.operator.label', 'Operator of condition {n}', { n: position + 1 })}
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
      </Box>
      <Box flex="1" minWidth="150px">
        {!FLAG_OPERATORS.includes(row.operator) && (
          <TextInput
            aria-label={t('rules.value.label', 'Value of condition {n}', { n: position + 1 })}
            placeholder={placeholder(row)}
            value={row.value}
            disabled={disabled}
            onChange={(e) =>
              change(row.id, (node) => ({ ...node, value: e.target.value }) as RuleRow)
            }
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
          <SingleSelect
            aria-label={t('rules.group.combinator', 'How the conditions combine')}
            value={group.combinator}
            disabled={disabled}
            onChange={(value) => setGroup(group, { ...group, combinator: value as '$and' | '$or' })}
          >
            <SingleSelectOption value="$and">{t('rules.group.and', 'all of')}</SingleSelectOption>
            <SingleSelectOption value="$or">{t('rules.group.or', 'any of')}</SingleSelectOption>
          </SingleSelect>
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
