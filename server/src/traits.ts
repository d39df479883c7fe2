/**
 * Declared traits (config `traits`): each gets a column on the profile model, named
 * `trait<Name>`, added in `register` before Strapi builds the database schema. Their types are
 * also the types rules read them with, so that a segment matches live as the column filters.
 */
import type { Core } from '@strapi/strapi';
import upperFirst from 'lodash/upperFirst';

import type { MosaicConfig } from './config';
import { UIDS } from './content-types';
import { parseInstant } from './core/instants';
import { CONTEXT_FIELD_TYPES, type FieldTypes } from './core/types';

export type TraitType = MosaicConfig['traits'][string];

export const traitAttribute = (name: string) => `trait${upperFirst(name)}`;

export function declaredTraits(strapi: Core.Strapi): Record<string, TraitType> {
  return (strapi.config.get('plugin::mosaic') as MosaicConfig).traits ?? {};
}

/** The types segment rules read fields with: the context's own and the declared traits'. */
export function ruleFieldTypes(strapi: Core.Strapi): FieldTypes {
  const traits = Object.entries(declaredTraits(strapi)).map(([name, type]) => [
    `traits.${name}`,
    type,
  ]);
  return { ...CONTEXT_FIELD_TYPES, ...Object.fromEntries(traits) };
}

export function registerTraitColumns(strapi: Core.Strapi) {
  const attributes = strapi.contentType(UIDS.profile).attributes as Record<string, unknown>;
  for (const [name, type] of Object.entries(declaredTraits(strapi))) {
    attributes[traitAttribute(name)] = { type };
  }
}

/** Whether a trait value fits its declared column; null clears it. */
export function fitsTraitType(value: unknown, type: TraitType): boolean {
  if (value === null) return true;
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && parseInstant(value) !== null;
  }
}
