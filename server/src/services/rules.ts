/**
 * Segment rules as this app reads them: the one entry point for every place that saves, counts,
 * tests or serves a rule (document middleware, admin validate/test, audience, delivery). Each
 * uses the context's fields, the limits, the app's registered operators and the declared types
 * of traits, and reports a rule's faults the same way: paths from the body's `rule`.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import {
  compileRule,
  DEFAULT_RULE_LIMITS,
  FIELD_OPERATORS,
  formatRuleIssues,
  validateRule,
  type RuleIssue,
} from '../core/rules';
import { CONTEXT_FIELDS } from '../core/types';
import { ruleFieldTypes } from '../traits';
import { getService } from '../utils';

/** Where a rule issue is, as a path from the request body (or document data): `rule.a.b`. */
export function rulePath(issue: RuleIssue): string[] {
  return ['rule', ...issue.path.split('.').filter(Boolean)];
}

/** Rule issues as the APIs report them: each with its path and a message that names it. */
export function ruleErrors(issues: RuleIssue[]) {
  return issues.map((issue) => ({ path: rulePath(issue), message: formatRuleIssues([issue]) }));
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () =>
    [
      DEFAULT_RULE_LIMITS,
      CONTEXT_FIELDS,
      getService('extensions', strapi).operators(),
      ruleFieldTypes(strapi),
    ] as const;

  const validate = (rule: unknown): RuleIssue[] => validateRule(rule, ...settings());

  return {
    validate,

    /** Throws RuleError when `rule` does not validate. */
    compile(rule: unknown) {
      return compileRule(rule, ...settings());
    },

    /**
     * Refuses a rule that does not validate with a ValidationError listing every fault;
     * `subject` (e.g. "segment 'eu'") starts the message when the rule belongs to something.
     */
    assertValid(rule: unknown, subject?: string) {
      const issues = validate(rule);
      if (!issues.length) return;
      const message = formatRuleIssues(issues);
      throw new errors.ValidationError(subject ? `${subject}: ${message}` : message, {
        errors: ruleErrors(issues),
      });
    },

    /** The operators a field condition may use: Strapi's, then the app's. */
    fieldOperators(): string[] {
      return [...FIELD_OPERATORS, ...getService('extensions', strapi).operators().keys()];
    },
  };
};
