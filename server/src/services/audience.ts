/**
 * Audience estimates for the segment builder: how many known profiles a rule's trait conditions
 * match, counted by the database with the rule's own filter syntax (see core/audience.ts).
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import { UIDS } from '../content-types';
import { traitFilter } from '../core/audience';
import { declaredTraits, traitAttribute } from '../traits';
import { getService } from '../utils';

export interface AudienceEstimate {
  /** Profiles whose traits satisfy the rule (an upper bound unless `exact`). */
  matching: number;
  /** Known profiles in all. */
  total: number;
  /** False when the rule also depends on the request or behaviour, which no profile answers. */
  exact: boolean;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async estimate(rule: unknown): Promise<AudienceEstimate> {
    getService('rules', strapi).assertValid(rule);
    const operators = getService('extensions', strapi).operators();
    const columns = Object.fromEntries(
      Object.keys(declaredTraits(strapi)).map((name) => [name, traitAttribute(name)])
    );
    const { where, exact, undeclared } = traitFilter(rule, columns, new Set(operators.keys()));
    if (undeclared.length) {
      throw new errors.ValidationError(
        `Audiences can only be counted over declared traits; declare ${undeclared
          .map((t) => `'${t}'`)
          .join(', ')} in the Mosaic config ('traits')`,
        {
          errors: undeclared.map((t) => ({
            path: ['rule', 'traits', t],
            message: 'is not declared',
          })),
        }
      );
    }
    const profiles = strapi.db.query(UIDS.profile);
    const [matching, total] = await Promise.all([
      where ? profiles.count({ where }) : profiles.count(),
      profiles.count(),
    ]);
    return { matching, total, exact };
  },
});
