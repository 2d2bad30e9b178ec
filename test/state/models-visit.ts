/**
 * Visits of the page's Models panel state in unit tests: a browser profile whose model store and
 * settings (fake IndexedDB disks) survive visits, and a ModelsState per visit whose worker "loads" a
 * directory when the store holds its manifest (or it is the default model).
 */
import type { LoadedCatalog } from '../../src/state/catalog.svelte.ts';
import { ModelsState } from '../../src/state/model-store.svelte.ts';
import type { StartupPlan } from '../../src/state/startup.ts';
import { ModelLoadError } from '../../src/protocol/errors.ts';
import type { ModelStore } from '../../src/store/model-store.ts';
import { openSettings } from '../../src/store/settings.ts';
import { ORIGIN } from '../protocol/sasrec-fixture.ts';
import { FakeDisk, fakeIndexedDB } from '../store/fake-storage.ts';
import { BACKENDS } from '../store/store-fixtures.ts';

/** The default model of the visits. */
export const PLAN: StartupPlan = {
  modelId: 'tiny',
  modelUrl: `${ORIGIN}/models/tiny/`,
  catalogUrl: `${ORIGIN}/data/default/catalog.bin`,
};

/** One browser profile: its model store and settings disks survive "visits" (new ModelsState objects). */
export class Profile {
  readonly storeDisk = new FakeDisk();
  readonly settingsDisk = new FakeDisk();
  store!: ModelStore;
}

/** A visit: a ModelsState whose worker "loads" a directory when the store holds its manifest (or it is the default). */
export function visit(profile: Profile, storage?: Pick<StorageManager, 'persist' | 'persisted'>) {
  const loaded: string[] = [];
  const catalogs: (LoadedCatalog | string)[] = [];
  const models = new ModelsState({
    openStore: async () => (profile.store = await BACKENDS.indexeddb(profile.storeDisk)),
    openSettings: () => openSettings(fakeIndexedDB(profile.settingsDisk)),
    useSasrec: async (dir) => {
      const local = /^local-models\/([^/]+)\/$/.exec(dir)?.[1];
      if (local && !(await profile.store.has({ model: local, file: 'manifest.json' })))
        throw new ModelLoadError(`manifest.json of ${local} is not in this browser's model store`);
      loaded.push(dir);
    },
    useCatalog: async (source) => void catalogs.push(source),
    ...(storage ? { storage } : {}),
  });
  return { models, loaded, catalogs };
}

/** Picked files as the file input hands them over. */
export function asFiles(files: Map<string, ArrayBuffer>): File[] {
  return [...files].map(([name, bytes]) => new File([bytes], name));
}
