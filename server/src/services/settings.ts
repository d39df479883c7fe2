/**
 * The settings an admin may change at runtime (persona parameter, consent, geo headers, cache
 * lifetime, retention): stored in Strapi's plugin store over the config file's values, and kept in
 * memory so that delivery reads them without touching the database. Every read of these settings
 * goes through here.
 */
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';

import { settingsBody, type MosaicSettings } from '../../../contracts/admin';
import type { MosaicConfig } from '../config';
import { getService } from '../utils';
import { parseInput } from '../validation';

/** What may be stored: each setting optional (`settingsBody`), so an unset one follows the config file. */
type StoredSettings = z.infer<typeof settingsBody>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'mosaic', key: 'settings' });
  let stored: StoredSettings = {};
  /**
   * Profile summaries issued before this (seconds) are revoked: moved past every erasure, kept in
   * its own store key (not an admin setting), shared by every instance as the settings are.
   */
  const revocation = () => strapi.store({ type: 'plugin', name: 'mosaic', key: 'summaries' });
  let notBefore: number | null = null;

  async function readNotBefore(): Promise<number | null> {
    const value = ((await revocation().get({})) as { notBefore?: unknown } | null)?.notBefore;
    return Number.isSafeInteger(value) ? (value as number) : null;
  }

  function fromConfig(): MosaicSettings {
    const config = strapi.config.get('plugin::mosaic') as MosaicConfig;
    return {
      allowPersonaParam: config.allowPersonaParam,
      consent: config.consent,
      geoHeaders: config.geoHeaders ?? {},
      cacheMaxAge: config.cache.maxAge,
      retentionDays: config.retentionDays,
    };
  }

  async function readStore(): Promise<StoredSettings> {
    const parsed = settingsBody.safeParse((await store().get({})) ?? {});
    if (parsed.success) return parsed.data;
    // A value written by hand or by an older version: keep the config file's values instead.
    strapi.log.warn(`[mosaic] stored settings ignored: ${parsed.error.message}`);
    return {};
  }

  return {
    /** The settings in force: in memory, no database read. */
    current(): MosaicSettings {
      return { ...fromConfig(), ...stored };
    },

    /** Reads the stored settings (at bootstrap, and when another instance changed them). */
    async load() {
      stored = await readStore();
      notBefore = await readNotBefore();
    },

    /** Profile summaries issued before this (seconds since the epoch) are refused; null: none. */
    summaryNotBefore(): number | null {
      return notBefore;
    },

    /**
     * Revokes every profile summary issued up to `nowMs` (an erasure): stored before it resolves,
     * so that the manifest every instance serves next says so. Other instances are told over
     * Redis with the profile changes (they read it again, and keep their compiled content: an
     * erasure changes no content), and read it with the settings whenever they reload those.
     */
    async revokeSummaries(nowMs: number) {
      const next = Math.max(Math.floor(nowMs / 1000) + 1, (await readNotBefore()) ?? 0);
      await revocation().set({ value: { notBefore: next } });
      notBefore = next;
      await getService('redis', strapi).publishProfileChange([], true);
    },

    /** Reads the revocation time again (another instance revoked). */
    async reloadRevocation() {
      notBefore = await readNotBefore();
    },

    /** Validates `patch`, stores it over what was stored, and puts it in force on this instance. */
    async update(patch: unknown): Promise<MosaicSettings> {
      const next = { ...(await readStore()), ...parseInput(settingsBody, patch) };
      await store().set({ value: next });
      stored = next;
      return this.current();
    },
  };
};
