/**
 * Facts of the wire that the server, the admin, the client and the tests share: one place each.
 * This module imports nothing, so a frontend bundle that needs a header name pulls in nothing else.
 */

/** The built-in output formats; apps may register more (`registerFormat`). */
export const FORMATS = ['json', 'html', 'markdown', 'text'] as const;
export type Format = (typeof FORMATS)[number];

/** How a slot picks among its candidates (see the product contract, "Selection"). */
export const SLOT_MODES = ['first', 'best', 'all', 'experiment'] as const;
export type SlotMode = (typeof SLOT_MODES)[number];

/** A slot's key: lower-case letters, digits, `-` or `_`, starting with a letter or digit. */
export const SLOT_KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

/** The visitor id a frontend keeps: 8–128 URL-safe characters. */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

/** Request headers that carry the visitor's id and consent (case-insensitive on the wire). */
export const VISITOR_HEADER = 'X-Mosaic-Visitor';
export const CONSENT_HEADER = 'X-Mosaic-Consent';

/** First-party cookies that carry the same, when the headers are absent. */
export const VISITOR_COOKIE = 'mosaic_vid';
export const CONSENT_COOKIE = 'mosaic_consent';

/** A device type as the context holds it (`bot`: a crawler, served but not tracked). */
export const DEVICE_TYPES = ['mobile', 'tablet', 'desktop', 'bot'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Consent values, in the header and the cookie. */
export const CONSENT_VALUES = ['granted', 'denied'] as const;
export type Consent = (typeof CONSENT_VALUES)[number];

/** Response headers that Mosaic sets on delivery answers. */
export const STALE_HEADER = 'X-Mosaic-Stale';

/** Admin RBAC actions, registered by the plugin as `plugin::mosaic.<action>`. */
export const ADMIN_ACTIONS = {
  read: 'plugin::mosaic.read', // list assets, open them, picker, taxonomy, where-used, coverage, rule checks
  edit: 'plugin::mosaic.edit', // create, save and publish assets; save segment rules
  preview: 'plugin::mosaic.preview', // preview and side by side, drafts included
  settings: 'plugin::mosaic.settings', // read and change settings, cache statistics
} as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[keyof typeof ADMIN_ACTIONS];

/** What each admin action lets a Strapi administrator do, as the Roles page shows it. */
export const ADMIN_ACTION_NAMES: Record<keyof typeof ADMIN_ACTIONS, string> = {
  read: 'Read assets, the library, coverage, where-used and rule checks',
  edit: 'Build, save and publish assets; save segment rules',
  preview: 'Preview assets as any reader, drafts included',
  settings: 'Read and change settings; cache statistics',
};

/** How the rule builder groups the context's fields, in the order it shows them. */
export const CONTEXT_FIELD_GROUPS = [
  'location',
  'device',
  'campaign',
  'time',
  'behaviour',
  'traits',
] as const;
export type ContextFieldGroup = (typeof CONTEXT_FIELD_GROUPS)[number];
