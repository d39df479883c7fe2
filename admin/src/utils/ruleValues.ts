/**
 * What a rule's values may be: the known sets of the context's fields (countries, device types,
 * weekdays, personas, languages), the input each field gets in the rule builder, and the values a
 * rule compares exactly that can never match (`device.type = "Mobile"`, `geo.country = "Germany"`)
 * with the value that was meant. Pure: the builder, the sample reader form and the tests share it.
 */
import { DEVICE_TYPES } from '../../../contracts/wire';
import { FLAG_OPERATORS, LIST_OPERATORS, PAIR_OPERATORS, type RuleGroup } from './ruleTree';

/** ISO 3166-1 alpha-2: the codes the CDN country headers send, upper case. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR ' +
  'BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ ' +
  'EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW ' +
  'GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY ' +
  'KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV ' +
  'MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY ' +
  'QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG ' +
  'TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** A value a field can hold, and how an editor reads it. */
export interface KnownValue {
  value: string;
  label: string;
}

/** Known values by field path. */
export type ValueSets = Record<string, KnownValue[]>;

const displayNames = (language: string) => {
  try {
    return new Intl.DisplayNames([language, 'en'], { type: 'region' });
  } catch {
    return new Intl.DisplayNames(['en'], { type: 'region' });
  }
};

/** A country's name in `language` ("DE" → "Germany"), the code itself when unknown. */
export function countryName(code: string, language = 'en'): string {
  return displayNames(language).of(code) ?? code;
}

/** An ISO weekday's name (1 = Monday), as the context's `time.weekday` counts them. */
export function weekdayName(weekday: number, language = 'en'): string {
  // 1 January 2024 was a Monday.
  const day = new Date(Date.UTC(2024, 0, weekday));
  try {
    return new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(day);
  } catch {
    return new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' }).format(day);
  }
}

/**
 * The fields whose values are a known set. `language` names countries and weekdays; `devices`
 * gives the device types' names (translated by the caller).
 */
export function valueSets({
  personas = [],
  locales = [],
  language = 'en',
  devices = {},
}: {
  personas?: Array<{ slug: string; name: string }>;
  locales?: Array<{ code: string; name: string }>;
  language?: string;
  devices?: Partial<Record<(typeof DEVICE_TYPES)[number], string>>;
}): ValueSets {
  const names = displayNames(language);
  return {
    'geo.country': COUNTRY_CODES.map((code) => ({ value: code, label: names.of(code) ?? code }))
      // Sorted by name: the list an editor scans is by name.
      .sort((a, b) => a.label.localeCompare(b.label, language)),
    'device.type': DEVICE_TYPES.map((type) => ({
      value: type,
      label: devices[type] ?? type.charAt(0).toUpperCase() + type.slice(1),
    })),
    'time.weekday': [1, 2, 3, 4, 5, 6, 7].map((n) => ({
      value: String(n),
      label: weekdayName(n, language),
    })),
    persona: personas.map((p) => ({ value: p.slug, label: p.name })),
    locale: locales.map((l) => ({ value: l.code, label: l.name })),
  };
}

/** How a field's value is entered in the builder and in the sample reader form. */
export type ValueInput = 'choice' | 'boolean' | 'number' | 'datetime' | 'date' | 'text';

export function valueInputOf(field: string, type: string | undefined, sets: ValueSets): ValueInput {
  if (sets[field]?.length) return 'choice';
  if (field === 'time.date') return 'date';
  if (type === 'boolean' || type === 'number' || type === 'datetime') return type;
  return 'text';
}

/** Operators that compare a whole value, and those of them that ignore case. */
const EXACT_OPERATORS = ['$eq', '$ne', '$in', '$notIn'];
const CASELESS_OPERATORS = ['$eqi', '$nei'];

/** A value of a condition that no reader can have, and the known value that was likely meant. */
export interface ValueWarning {
  rowId: string;
  field: string;
  value: string;
  /** The value to put instead, with its name; null when nothing close is known. */
  fix: KnownValue | null;
}

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();

/** The known value `value` stands for: same but for case, or its name ("Germany" → DE). */
export function suggestValue(value: string, known: KnownValue[]): KnownValue | null {
  const wanted = fold(value);
  if (wanted === '') return null;
  return (
    known.find((k) => fold(k.value) === wanted) ??
    known.find((k) => fold(k.label) === wanted) ??
    null
  );
}

/** The comma-separated parts of a row's value (one part for single-value operators). */
export const valueParts = (operator: string, value: string): string[] =>
  LIST_OPERATORS.includes(operator) || PAIR_OPERATORS.includes(operator)
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
    : value.trim() === ''
      ? []
      : [value.trim()];

/**
 * Every value in the tree's conditions that can never match its field's known set, in tree order.
 * Operators that compare parts of text (`$contains`…) or order (`$gt`…) are left alone.
 */
export function valueWarnings(tree: RuleGroup, sets: ValueSets): ValueWarning[] {
  const warnings: ValueWarning[] = [];
  const visit = (group: RuleGroup) => {
    for (const child of group.children) {
      if (child.kind === 'group') {
        visit(child);
        continue;
      }
      const known = sets[child.field];
      if (!known?.length || FLAG_OPERATORS.includes(child.operator)) continue;
      const caseless = CASELESS_OPERATORS.includes(child.operator);
      if (!caseless && !EXACT_OPERATORS.includes(child.operator)) continue;
      for (const part of valueParts(child.operator, child.value)) {
        const fits = known.some((k) =>
          caseless ? k.value.toLowerCase() === part.toLowerCase() : k.value === part
        );
        if (!fits) {
          warnings.push({
            rowId: child.id,
            field: child.field,
            value: part,
            fix: suggestValue(part, known),
          });
        }
      }
    }
  };
  visit(tree);
  return warnings;
}

/** The row's value with `from` replaced by `to` (in a list, only that part). */
export function replaceValue(operator: string, value: string, from: string, to: string): string {
  if (!LIST_OPERATORS.includes(operator) && !PAIR_OPERATORS.includes(operator)) return to;
  return valueParts(operator, value)
    .map((part) => (part === from ? to : part))
    .join(', ');
}

/** The context fields a tree's conditions read, in order of first use, each once. */
export function fieldsOf(tree: RuleGroup): string[] {
  const seen: string[] = [];
  const visit = (group: RuleGroup) => {
    for (const child of group.children) {
      if (child.kind === 'group') visit(child);
      else if (child.field && !seen.includes(child.field)) seen.push(child.field);
    }
  };
  visit(tree);
  return seen;
}

/**
 * The sample reader form's values as the context the rule test route takes, by the rule's own
 * field names (`geo.country` → `{ geo: { country } }`), typed by the fields' types. The route wants
 * a whole `time`: the parts not given are the current time's, in UTC.
 */
export function sampleFromForm(
  values: Record<string, string>,
  types: Record<string, string | undefined>,
  now = new Date()
): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  for (const [field, text] of Object.entries(values)) {
    if (text.trim() === '') continue;
    const type = field === 'time.weekday' || field === 'time.hour' ? 'number' : types[field];
    const value =
      type === 'number' && Number.isFinite(Number(text))
        ? Number(text)
        : type === 'boolean'
          ? text === 'true'
          : text.trim();
    const parts = field.split('.');
    let node = context;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  if (context.time) {
    context.time = {
      hour: now.getUTCHours(),
      weekday: now.getUTCDay() === 0 ? 7 : now.getUTCDay(),
      date: now.toISOString().slice(0, 10),
      ...(context.time as object),
    };
  }
  return context;
}
