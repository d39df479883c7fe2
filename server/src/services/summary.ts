/**
 * Signed profile summaries (GET /api/mosaic/profile/summary): what a standalone resolver may use of
 * a consenting visitor's profile, decided here from the same profile read and rules delivery uses
 * (core/summary.ts owns the token). Issued only to a visitor who consents and has a profile: never
 * to an erased one (their profile is gone), never with a trait value or an event in it.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

import type { MosaicConfig } from '../config';
import { buildContext, type RequestFacts } from '../core/context';
import type { Manifest } from '../core/manifest';
import { choosePersona, inferPersona } from '../core/profile';
import type { CompiledRule } from '../core/rules';
import {
  readsProfile,
  signSummary,
  subjectOf,
  summaryAffinity,
  summaryKey,
  SUMMARY_VERSION,
  type ProfileSummary,
  type SummaryKey,
} from '../core/summary';
import { getService } from '../utils';

/** Default lifetime of a summary: short, so that an erasure or a lapsed consent soon ends it. */
export const SUMMARY_TTL_SECONDS = 15 * 60;

/** What derives the default secret from the visitor secret (not a visitor id: it has a ':'). */
const DERIVATION_LABEL = 'mosaic:profile-summary-key:v1';

export interface IssuedSummary {
  token: string;
  summary: ProfileSummary;
  expiresAt: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get('plugin::mosaic') as MosaicConfig;
  let key: { secret: string; key: Promise<SummaryKey> } | null = null;
  let rules: { version: string; segments: Array<{ slug: string; rule: CompiledRule }> } | null =
    null;

  /** The configured secret, else one derived from the visitor secret (an HMAC of a label). */
  function signingKey(): Promise<SummaryKey> {
    const secret = config().profileSummary?.secret ?? getService('profiles').hash(DERIVATION_LABEL);
    if (key?.secret !== secret) key = { secret, key: summaryKey(secret) };
    return key.key;
  }

  /** The manifest's segments whose rule reads the profile, compiled as delivery compiles them. */
  async function profileSegments() {
    const { version, body } = await getService('manifest').current();
    if (rules?.version !== version) {
      const manifest = (JSON.parse(body) as { data: Manifest }).data;
      const segments: Array<{ slug: string; rule: CompiledRule }> = [];
      for (const segment of manifest.segments) {
        try {
          const rule = getService('rules').compile(segment.rule);
          if (readsProfile(rule)) segments.push({ slug: segment.slug, rule });
        } catch {
          // A rule that no longer compiles matches nobody, here as in delivery.
        }
      }
      rules = { version, segments };
    }
    return rules.segments;
  }

  return {
    async issue(
      visitor: { id: string | null; consent: boolean | undefined },
      facts: RequestFacts
    ): Promise<IssuedSummary> {
      const profiles = getService('profiles');
      if (!visitor.id) {
        throw new errors.ValidationError(
          'Send the visitor id (the X-Mosaic-Visitor header or the mosaic_vid cookie): a summary is a visitor’s own'
        );
      }
      // A PolicyError: Strapi shows a ForbiddenError's message in no content API answer.
      if (!profiles.consented(visitor.consent)) {
        throw new errors.PolicyError(
          'The visitor has not consented (X-Mosaic-Consent: granted): no profile, so no summary'
        );
      }
      const geoHeaders = Object.fromEntries(
        Object.entries(getService('settings').current().geoHeaders).map(([k, v]) => [
          k,
          v?.toLowerCase(),
        ])
      );
      const { context } = buildContext(facts, geoHeaders);
      if (context.device?.type === 'bot' && !config().bots.track) {
        throw new errors.PolicyError('Crawlers are served as anonymous readers: no summary');
      }
      // Never created here: an erased visitor (or one never seen) has nothing to summarise.
      if (!(await profiles.exists(visitor.id))) {
        throw new errors.NotFoundError(
          'No profile for this visitor (never seen, or erased): resolve without a summary'
        );
      }
      const now = facts.now.getTime();
      // The profile as a delivery request now would read it (and count this request's visit).
      Object.assign(context, await profiles.forResolve(visitor.id, now));
      const personas = await getService('content').personaSlugs();
      const trait = typeof context.traits?.persona === 'string' ? context.traits.persona : null;
      const affinity = context.affinity
        ? inferPersona(context.affinity, config().affinity.personaThreshold)
        : null;
      const { persona } = choosePersona({ trait, affinity }, personas);
      if (persona) context.persona = persona;
      const segments = (await profileSegments())
        .filter(({ rule }) => rule.test(context, now))
        .map(({ slug }) => slug);
      // Never one already revoked: in the second of an erasure, it counts from the next one.
      const iat = Math.max(Math.floor(now / 1000), getService('settings').summaryNotBefore() ?? 0);
      const ttl = config().profileSummary?.ttlSeconds ?? SUMMARY_TTL_SECONDS;
      const summary = {
        v: SUMMARY_VERSION,
        sub: await subjectOf(visitor.id),
        iat,
        exp: iat + ttl,
        consent: getService('settings').current().consent,
        persona,
        affinity: summaryAffinity(context.affinity),
        segments,
      } satisfies Omit<ProfileSummary, 'kid'>;
      const signing = await signingKey();
      const token = await signSummary(summary, signing);
      return {
        token,
        summary: { ...summary, kid: signing.kid },
        expiresAt: new Date(summary.exp * 1000).toISOString(),
      };
    },
  };
};
