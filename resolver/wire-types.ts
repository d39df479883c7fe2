/**
 * The types the resolver publishes, written out without zod. The source of truth is contracts/
 * (zod schemas, types inferred from them), which a zero-dependency package cannot ship: a
 * consumer without zod would get `any` (or errors) for every type reaching them. The request-side
 * types are the client's (client/wire-types.ts); the manifest and the profile summary are written
 * here; resolver/wire-types.check.ts has the compiler hold all of them equal to the contracts.
 */
import type { DeviceType, Format, SlotMode } from '../contracts/wire';

export type {
  Context,
  DeliveredChunk,
  ExperimentAssignment,
  StoredEvent,
} from '../client/wire-types';
export type { DeviceType, Format, SlotMode };

/** A chunk as the manifest carries it, by `<documentId>:<locale>` in `Manifest.chunks`. */
export interface ManifestChunk {
  documentId: string;
  slug: string;
  title: string;
  locale: string | null;
  version: string;
  personas: string[];
  segments: string[];
  tags: string[];
  /** Epoch milliseconds, or null: no bound. */
  availableFrom: number | null;
  availableUntil: number | null;
  /** Strapi blocks JSON. */
  body: Array<Record<string, unknown>>;
  extra: Record<string, unknown>;
}

export interface ManifestAsset {
  documentId: string;
  slug: string;
  locale: string | null;
  version: string;
  extra: Record<string, unknown>;
  slots: ManifestSlot[];
}

export interface ManifestSlot {
  key: string;
  mode: SlotMode;
  limit: number | null;
  holdout: number;
  candidates: ManifestCandidate[];
}

export type ManifestCandidate = { weight: number | null } & (
  | { kind: 'chunk'; ref: string; chunk: string | null }
  | { kind: 'asset'; ref: string; asset: ManifestAsset | null; refused?: 'cycle' | 'depth' }
);

export interface ManifestSegment {
  slug: string;
  priority: number;
  /** The rule as saved (Strapi filter syntax). */
  rule: unknown;
}

export type FieldType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime';

export interface ManifestSettings {
  defaultLocale: string | null;
  locales: string[];
  allowPersonaParam: boolean;
  personaThreshold: number;
  geoHeaders: { country?: string; region?: string; city?: string };
  botsTracked: boolean;
  fieldTypes: Record<string, FieldType>;
  summaryNotBefore: number | null;
}

/** The `data` of GET /api/mosaic/manifest. */
export interface Manifest {
  schema: 1;
  version: string;
  settings: ManifestSettings;
  personas: string[];
  segments: ManifestSegment[];
  chunks: Record<string, ManifestChunk>;
  assets: Record<string, Record<string, ManifestAsset>>;
}

/** The payload of a profile summary (GET /api/mosaic/profile/summary), once verified. */
export interface ProfileSummary {
  v: 1;
  kid: string;
  sub: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  consent: 'required' | 'implied';
  persona: string | null;
  affinity: { personas: Record<string, number>; tags: Record<string, number> };
  segments: string[];
}

/** Why a summary was not taken. */
export type SummaryRejection =
  | 'malformed'
  | 'unknown-version'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'other-visitor'
  | 'no-consent';
