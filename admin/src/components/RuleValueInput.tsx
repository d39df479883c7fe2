/**
 * The value of one condition (or of one field of the sample reader), entered the way the field's
 * values are: a list of names where the set is known (countries, device types, weekdays,
 * personas, languages), a toggle for yes/no, a number input, a date picker, else text. The value
 * stays the text the rule tree holds (utils/ruleTree: lists comma-separated).
 */
import {
  DatePicker,
  MultiSelect,
  MultiSelectOption,
  NumberInput,
  SingleSelect,
  SingleSelectOption,
  TextInput,
  Toggle,
} from '@strapi/design-system';

import { useT } from '../hooks/useT';
import { LIST_OPERATORS, PAIR_OPERATORS } from '../utils/ruleTree';
import { valueInputOf, valueParts, type KnownValue, type ValueSets } from '../utils/ruleValues';

interface Props {
  field: string;
  type: string | undefined;
  operator: string;
  value: string;
  sets: ValueSets;
  label: string;
  disabled?: boolean;
  placeholder?: string;
  onChange: (value: string) => void;
}

/** Operators a whole known value goes with (a picker); others (`$contains`, `$gt`…) take text. */
const SINGLE = ['$eq', '$ne', '$eqi', '$nei'];

const toDate = (text: string): Date | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return match ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : undefined;
};
const fromDate = (date: Date | undefined) =>
  date
    ? [
        date.getFullYear(),
        String(date.getMonth() + 1).padStart(2, '0'),
        String(date.getDate()).padStart(2, '0'),
      ].join('-')
    : '';

/** "Germany (DE)": the name an editor knows and the code the rule holds, when they differ. */
const optionText = (known: KnownValue) =>
  known.label.toLowerCase() === known.value.toLowerCase()
    ? known.label
    : `${known.label} (${known.value})`;

export const RuleValueInput = ({
  field,
  type,
  operator,
  value,
  sets,
  label,
  disabled,
  placeholder,
  onChange,
}: Props) => {
  const t = useT();
  const input = valueInputOf(field, type, sets);
  const list = LIST_OPERATORS.includes(operator);
  const single = SINGLE.includes(operator);

  if (input === 'choice' && (single || list)) {
    const known = sets[field];
    // A value typed in the JSON view that the set lacks stays visible: the warning points at it.
    const parts = valueParts(operator, value);
    const options = [
      ...known,
      ...parts
        .filter((part) => !known.some((k) => k.value === part))
        .map((part) => ({ value: part, label: part })),
    ];
    if (list) {
      return (
        <MultiSelect
          aria-label={label}
          placeholder={t('rules.value.choose', 'Choose…')}
          value={parts}
          disabled={disabled}
          onChange={(values: string[]) => onChange(values.join(', '))}
        >
          {options.map((o) => (
            <MultiSelectOption key={o.value} value={o.value}>
              {optionText(o)}
            </MultiSelectOption>
          ))}
        </MultiSelect>
      );
    }
    return (
      <SingleSelect
        aria-label={label}
        placeholder={t('rules.value.choose', 'Choose…')}
        value={value === '' ? undefined : value}
        disabled={disabled}
        onChange={(next) => onChange(String(next))}
      >
        {options.map((o) => (
          <SingleSelectOption key={o.value} value={o.value}>
            {optionText(o)}
          </SingleSelectOption>
        ))}
      </SingleSelect>
    );
  }
  if (input === 'boolean' && single) {
    return (
      <Toggle
        aria-label={label}
        onLabel={t('rules.value.yes', 'Yes')}
        offLabel={t('rules.value.no', 'No')}
        checked={value === '' ? null : value === 'true'}
        disabled={disabled}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) =>
          onChange(e.target.checked ? 'true' : 'false')
        }
      />
    );
  }
  if (input === 'number' && !list && !PAIR_OPERATORS.includes(operator)) {
    const number = value.trim() === '' ? undefined : Number(value);
    return (
      <NumberInput
        aria-label={label}
        placeholder={placeholder}
        value={Number.isFinite(number) ? number : undefined}
        disabled={disabled}
        onValueChange={(next) => onChange(next === undefined ? '' : String(next))}
      />
    );
  }
  if ((input === 'date' || input === 'datetime') && !list && !PAIR_OPERATORS.includes(operator)) {
    return (
      <DatePicker
        aria-label={label}
        value={toDate(value)}
        disabled={disabled}
        clearLabel={t('rules.value.clear', 'Clear the date')}
        onClear={() => onChange('')}
        onChange={(date) => onChange(fromDate(date))}
      />
    );
  }
  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      value={value}
      disabled={disabled}
      onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
    />
  );
};
