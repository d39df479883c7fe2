/**
 * Fields an app adds to Mosaic's chunk and asset content types (through `src/extensions/mosaic`):
 * which of them the delivery API serves and how they are populated. Media come with their url,
 * alternative text, size and formats; components with their fields, media and relations;
 * relations as their documentId, plus the fields the app asks for in the config (`extraFields`).
 * Private fields and passwords are never served.
 */
import type { Core } from '@strapi/strapi';

import type { MosaicConfig } from './config';
import { attributesOf, type SchemaAttribute } from './data';

type Attribute = SchemaAttribute;
type Attributes = Record<string, Attribute>;
type Populate = Record<string, unknown>;

export const MEDIA_FIELDS = [
  'name',
  'alternativeText',
  'caption',
  'width',
  'height',
  'formats',
  'mime',
  'url',
];

/** Components nest; deeper than this they are served without their own media and relations. */
const MAX_COMPONENT_DEPTH = 4;

const NESTED = new Set(['media', 'relation', 'component', 'dynamiczone']);

const served = (attribute: Attribute) => !attribute.private && attribute.type !== 'password';

export interface ExtraFields {
  /** Extra scalar fields served as they are. */
  scalars: string[];
  /** Populate entries for the extra media, components, dynamic zones and relations. */
  populate: Populate;
}

export function extraFieldsOf(
  strapi: Core.Strapi,
  uid: string,
  own: ReadonlySet<string>,
  requested: Populate = {}
): ExtraFields {
  const attributes = attributesOf(strapi, uid) ?? {};
  for (const name of Object.keys(requested)) {
    if (!attributes[name] || own.has(name)) {
      strapi.log.warn(
        `[mosaic] extraFields: '${name}' is not a field an app added to ${uid}; its populate is ignored`
      );
    }
  }
  const scalars: string[] = [];
  const populate: Populate = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (own.has(name) || !served(attribute)) continue;
    if (NESTED.has(attribute.type)) {
      populate[name] = requested[name] ?? populateOf(strapi, attribute, 1);
    } else scalars.push(name);
  }
  return { scalars, populate };
}

function componentPopulate(strapi: Core.Strapi, uid: string, depth: number) {
  const attributes = attributesOf(strapi, uid);
  if (!attributes) return true;
  const fields: string[] = [];
  const populate: Populate = {};
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!served(attribute)) continue;
    if (!NESTED.has(attribute.type)) fields.push(name);
    else if (depth < MAX_COMPONENT_DEPTH) populate[name] = populateOf(strapi, attribute, depth + 1);
  }
  return Object.keys(populate).length ? { fields, populate } : { fields };
}

function populateOf(strapi: Core.Strapi, attribute: Attribute, depth: number): unknown {
  switch (attribute.type) {
    case 'media':
      return { fields: MEDIA_FIELDS };
    case 'component':
      return componentPopulate(strapi, attribute.component ?? '', depth);
    case 'dynamiczone':
      return {
        on: Object.fromEntries(
          (attribute.components ?? []).map((uid) => [uid, componentPopulate(strapi, uid, depth)])
        ),
      };
    default:
      // A relation: its documentId only, unless the app asked for more.
      return { fields: ['documentId'] };
  }
}

/**
 * The models whose rows the extra fields of `uid` read: upload files, related content types and
 * components, nested ones included. A write to any of them must refresh the compiled content.
 */
export function extraFieldModels(
  strapi: Core.Strapi,
  uid: string,
  own: ReadonlySet<string>
): string[] {
  const models = new Set<string>();
  const visit = (attributes: Attributes, skip: ReadonlySet<string>) => {
    for (const [name, attribute] of Object.entries(attributes)) {
      if (skip.has(name)) continue;
      const components =
        attribute.type === 'component' ? [attribute.component ?? ''] : (attribute.components ?? []);
      if (attribute.type === 'media') models.add('plugin::upload.file');
      else if (attribute.type === 'relation' && attribute.target) models.add(attribute.target);
      for (const component of components) {
        if (models.has(component)) continue;
        models.add(component);
        const schema = attributesOf(strapi, component);
        if (schema) visit(schema, new Set());
      }
    }
  };
  visit(attributesOf(strapi, uid) ?? {}, own);
  return [...models];
}

/** The app's populate requests from the config, per content type. */
export function requestedPopulate(strapi: Core.Strapi, type: 'chunk' | 'asset'): Populate {
  const config = strapi.config.get('plugin::mosaic') as MosaicConfig;
  return config.extraFields?.[type]?.populate ?? {};
}

const INTERNAL = new Set(['id', '__component']);

/**
 * What the delivery API serves of a populated value: Strapi's numeric `id`s are dropped (the
 * documentId is the stable reference); a dynamic zone keeps `__component`.
 */
export function servedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(servedValue);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__component') out[key] = item;
    else if (!INTERNAL.has(key)) out[key] = servedValue(item);
  }
  return out;
}
