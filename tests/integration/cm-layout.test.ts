/**
 * Chunks and assets in the Content Manager, read over HTTP the way the admin panel reads them
 * (`GET /content-manager/content-types/:uid/configuration`): readable labels with descriptions,
 * the list columns that matter with more than 10 rows a page, the targeting fields above the body
 * editor, and an app's own customisation kept when Mosaic boots again.
 */
import type { Core } from '@strapi/strapi';

import { applyContentManagerLayouts } from '../../server/src/cm-layout';
import { bootStrapi } from './strapi';
import { wireRequest } from './wire';

let strapi: Core.Strapi;
let token = '';
const api = () => wireRequest(strapi.server.httpServer);

interface Configuration {
  settings: { pageSize: number; mainField: string };
  metadatas: Record<
    string,
    { edit: { label: string; description: string }; list: { label: string } }
  >;
  layouts: { list: string[]; edit: Array<Array<{ name: string; size: number }>> };
}

const configuration = async (uid: string): Promise<Configuration> => {
  const res = await api()
    .get(`/content-manager/content-types/${uid}/configuration`)
    .set('Authorization', `Bearer ${token}`)
    .expect(200);
  return res.body.data.contentType;
};

/** The row of the edit view each field is on. */
const rowOf = (config: Configuration, name: string) =>
  config.layouts.edit.findIndex((row) => row.some((field) => field.name === name));

beforeAll(async () => {
  strapi = await bootStrapi('cm_layout');
  const registered = await api()
    .post('/admin/register-admin')
    .send({ email: 'editor@mosaic.local', password: 'Mosaic-admin-1', firstname: 'Editor' });
  token = registered.body.data.token;
});

afterAll(async () => {
  await strapi?.destroy();
});

describe('chunks in the Content Manager', () => {
  it('list the columns that matter, 50 a page, sorted by title', async () => {
    const chunk = await configuration('plugin::mosaic.chunk');
    expect(chunk.layouts.list).toEqual(['title', 'slug', 'personas', 'segments', 'tags']);
    expect(chunk.settings.pageSize).toBeGreaterThan(10);
    expect(chunk.settings.mainField).toBe('title');
  });

  it('have readable labels and descriptions', async () => {
    const chunk = await configuration('plugin::mosaic.chunk');
    expect(chunk.metadatas.tags.edit.label).toBe('Topic tags');
    expect(chunk.metadatas.tags.list.label).toBe('Topic tags');
    expect(chunk.metadatas.availableFrom.edit.label).toBe('Available from');
    for (const field of ['title', 'slug', 'personas', 'segments', 'tags', 'body']) {
      expect(chunk.metadatas[field].edit.description.length).toBeGreaterThan(20);
    }
  });

  it('put the targeting fields above the body editor', async () => {
    const chunk = await configuration('plugin::mosaic.chunk');
    const body = rowOf(chunk, 'body');
    for (const field of ['title', 'slug', 'personas', 'segments', 'tags']) {
      expect(rowOf(chunk, field)).toBeGreaterThanOrEqual(0);
      expect(rowOf(chunk, field)).toBeLessThan(body);
    }
    expect(rowOf(chunk, 'personas')).toBeLessThanOrEqual(1);
    // Every editable field is still in the edit view, the playground's own (cta, icon, seeAlso)
    // after Mosaic's.
    const shown = chunk.layouts.edit.flat().map((field) => field.name);
    expect(shown.slice(0, 8).sort()).toEqual(
      [
        'availableFrom',
        'availableUntil',
        'body',
        'personas',
        'segments',
        'slug',
        'tags',
        'title',
      ].sort()
    );
    expect(shown.slice(8).sort()).toEqual(['cta', 'icon', 'seeAlso']);
  });
});

describe('assets in the Content Manager', () => {
  it('list title, slug and kind with labels, the slots under the fields', async () => {
    const asset = await configuration('plugin::mosaic.asset');
    expect(asset.layouts.list.slice(0, 3)).toEqual(['title', 'slug', 'kind']);
    expect(asset.settings.pageSize).toBeGreaterThan(10);
    expect(asset.metadatas.slots.edit.description).toMatch(/builder/);
    expect(rowOf(asset, 'slots')).toBeGreaterThan(rowOf(asset, 'kind'));
  });
});

describe("an app's own customisation", () => {
  it('is kept when Mosaic boots again', async () => {
    const chunk = await configuration('plugin::mosaic.chunk');
    // What the Content Manager's "Configure the view" sends: its answer adds `mainField` to the
    // list metadata of relations, which it does not take back.
    const metadatas = Object.fromEntries(
      Object.entries(chunk.metadatas).map(([name, meta]) => {
        const list: Record<string, unknown> = { ...meta.list };
        delete list.mainField;
        return [name, { ...meta, list }];
      })
    );
    const custom = {
      settings: { ...chunk.settings, pageSize: 20 },
      metadatas: {
        ...metadatas,
        title: { ...chunk.metadatas.title, edit: { ...chunk.metadatas.title.edit, label: 'Name' } },
      },
      layouts: { ...chunk.layouts, list: ['title', 'tags'] },
    };
    const res = await api()
      .put('/content-manager/content-types/plugin::mosaic.chunk/configuration')
      .set('Authorization', `Bearer ${token}`)
      .send(custom);
    expect([res.status, res.body.error]).toEqual([200, undefined]);

    await applyContentManagerLayouts(strapi);
    const after = await configuration('plugin::mosaic.chunk');
    expect(after.settings.pageSize).toBe(20);
    expect(after.layouts.list).toEqual(['title', 'tags']);
    expect(after.metadatas.title.edit.label).toBe('Name');
  });

  it('is not there to keep when the configuration is the untouched default: Mosaic applies its own', async () => {
    const service = strapi.plugin('content-manager').service('content-types');
    const contentType = strapi.contentType('plugin::mosaic.asset' as never);
    const stored = await service.findConfiguration(contentType);
    // What the Content Manager makes on its own: raw names, no descriptions, 10 a page.
    const metadatas = Object.fromEntries(
      Object.entries(stored.metadatas as Configuration['metadatas']).map(([name, meta]) => [
        name,
        {
          ...meta,
          edit: { ...meta.edit, label: name, description: '' },
          list: { ...meta.list, label: name },
        },
      ])
    );
    await service.updateConfiguration(contentType, {
      ...stored,
      settings: { ...stored.settings, pageSize: 10 },
      metadatas,
      layouts: { ...stored.layouts, list: ['title', 'slug', 'kind', 'slots'].slice(0, 3) },
    });
    expect((await configuration('plugin::mosaic.asset')).metadatas.slots.edit.label).toBe('slots');

    await applyContentManagerLayouts(strapi);
    const asset = await configuration('plugin::mosaic.asset');
    expect(asset.metadatas.slots.edit.label).toBe('Slots');
    expect(asset.settings.pageSize).toBe(50);
  });
});
