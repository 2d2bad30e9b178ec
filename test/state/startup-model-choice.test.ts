/**
 * ModelsState.start / backToDefault with fake storage and a fake worker: the bundle the user used
 * (picked, or trained in the page with its own catalog) is loaded on the next visit instead of the
 * default; a missing or damaged one falls back to the default with a notice and is forgotten; "Back
 * to the default model" forgets it too. Storing a model asks the browser to keep the store persistently.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packCatalog } from '../../src/data/catalog-binary.ts';
import type { LoadedCatalog } from '../../src/state/catalog.svelte.ts';
import { BUNDLE_CATALOG } from '../../src/store/import-bundle.ts';
import { openSettings } from '../../src/store/settings.ts';
import { fixtureFetch, itemKeys } from '../protocol/sasrec-fixture.ts';
import { fakeIndexedDB } from '../store/fake-storage.ts';
import { fixtureFiles } from '../store/store-fixtures.ts';
import { asFiles, PLAN, Profile, visit } from './models-visit.ts';

function trainedFiles(): Map<string, ArrayBuffer> {
  const files = fixtureFiles();
  const items = itemKeys.map((key, i) => ({ id: i + 1, key, title: `Trained ${key}`, genres: [], tags: [] }));
  const popularity = new Int32Array(items.length + 1).fill(1); // [N + 1]
  files.set(BUNDLE_CATALOG, packCatalog({ name: 'trained', items, popularity }).slice().buffer);
  return files;
}

describe('ModelsState: the user’s model across visits', () => {
  beforeEach(() => vi.stubGlobal('fetch', fixtureFetch([])));
  afterEach(() => vi.unstubAllGlobals());

  it('loads the default model on a first visit, then the picked bundle on the next one', async () => {
    const profile = new Profile();
    const first = visit(profile);
    await first.models.start(PLAN);
    expect(first.loaded).toEqual([PLAN.modelUrl]);
    expect(first.catalogs).toEqual([PLAN.catalogUrl]);
    expect(first.models.chosen).toBeUndefined();
    await first.models.loadFiles(asFiles(fixtureFiles()));
    expect(first.models.error).toBeUndefined();
    const chosen = first.models.chosen;
    expect(chosen).toMatchObject({ name: 'sasrec-tiny', catalog: false });
    expect(first.loaded[1]).toBe(`local-models/${chosen?.model}/`);

    const second = visit(profile);
    await second.models.start(PLAN);
    expect(second.loaded).toEqual([`local-models/${chosen?.model}/`]); // never the default
    expect(second.catalogs).toEqual([PLAN.catalogUrl]); // a picked bundle uses the default catalog
    expect(second.models.chosen).toEqual(chosen);
    expect(second.models.notice).toBe('using your model sasrec-tiny (kept in this browser)');
  });

  it('a model trained in the page comes back with its own catalog', async () => {
    const profile = new Profile();
    const first = visit(profile);
    await first.models.start(PLAN);
    expect(await first.models.keepTrained(trainedFiles(), 'sasrec-tiny')).toBe(true);
    expect(first.models.chosen?.catalog).toBe(true);

    const second = visit(profile);
    await second.models.start(PLAN);
    expect(second.loaded).toEqual([`local-models/${first.models.chosen?.model}/`]);
    const [catalog] = second.catalogs as LoadedCatalog[];
    expect(catalog.items).toHaveLength(37);
    expect(catalog.items[0]).toMatchObject({ key: 'key1', title: 'Trained key1' });
  });

  it('a stored model that has gone missing or is damaged falls back to the default, says so, and is forgotten', async () => {
    for (const harm of ['delete', 'damage'] as const) {
      const profile = new Profile();
      const first = visit(profile);
      await first.models.start(PLAN);
      await first.models.keepTrained(trainedFiles(), 'sasrec-tiny');
      const model = first.models.chosen!.model;
      if (harm === 'delete') await profile.store.delete(model);
      else profile.storeDisk.damage(BUNDLE_CATALOG, (bytes) => ((bytes[40] ^= 1), bytes));

      const second = visit(profile);
      await second.models.start(PLAN);
      expect(second.loaded).toEqual([PLAN.modelUrl]);
      expect(second.catalogs).toEqual([PLAN.catalogUrl]);
      expect(second.models.chosen).toBeUndefined();
      expect(second.models.error).toMatch(
        new RegExp(
          `^Your model sasrec-tiny could not be loaded from this browser's store \\((ModelLoadError|ModelIntegrityError): .*\\); LocalRec uses the default model tiny instead\\.$`,
        ),
      );
      expect(await (await openSettings(fakeIndexedDB(profile.settingsDisk))).loadChoice()).toBeUndefined();
    }
  });

  it('"Back to the default model" loads the default and forgets the choice (the bundle stays stored)', async () => {
    const profile = new Profile();
    const first = visit(profile);
    await first.models.start(PLAN);
    await first.models.loadFiles(asFiles(fixtureFiles()));
    const model = first.models.chosen!.model;
    await first.models.backToDefault();
    expect(first.models.chosen).toBeUndefined();
    expect(first.loaded.at(-1)).toBe(PLAN.modelUrl);
    expect(first.models.notice).toBe('using the default model tiny again');
    expect(await profile.store.has({ model, file: 'manifest.json' })).toBe(true);

    const second = visit(profile);
    await second.models.start(PLAN);
    expect(second.loaded).toEqual([PLAN.modelUrl]);
    expect(second.models.error).toBeUndefined();
  });

  it('asks navigator.storage.persist() when the user stores a model (not for the default), and shows the answer', async () => {
    for (const granted of [true, false]) {
      let asked = 0;
      let persisted = false;
      const storage = {
        persist: async () => (asked++, (persisted = granted)),
        persisted: async () => persisted,
      };
      const { models } = visit(new Profile(), storage);
      await models.start(PLAN);
      expect(asked).toBe(0); // downloading the default is not the user storing a model
      expect(models.persistence).toBe('best-effort');
      await models.loadFiles(asFiles(fixtureFiles()));
      expect(asked).toBe(1);
      expect(models.persistence).toBe(granted ? 'persistent' : 'declined');
      await models.keepTrained(trainedFiles(), 'sasrec-tiny');
      expect(asked).toBe(granted ? 1 : 2); // once granted, not asked again
    }
  });
});
