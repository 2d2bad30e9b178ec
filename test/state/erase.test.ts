/**
 * "Delete everything" (EraseState over the real ModelsState, HistoryState and settings on fake
 * storage): nothing happens without the user's yes; with it the page is back on the default model,
 * and the history, every stored file (half-written ones too), the settings and LocalRec's databases
 * and cache are gone, with a result line saying what; a part that fails is named and the others
 * still run; a database another tab keeps open is reported as StorageBlockedError; a GGUF of the
 * user's leaves the LLM worker before its file is deleted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EraseState, ERASE_QUESTION, type EraseDeps } from '../../src/state/erase.svelte.ts';
import { HistoryState } from '../../src/state/history.svelte.ts';
import { HistoryStorageError, type HistoryStore } from '../../src/state/history-store.ts';
import type { HistoryEntry } from '../../src/state/history-codec.ts';
import { dropStorageContainers, StorageBlockedError } from '../../src/store/erase.ts';
import { openSettings } from '../../src/store/settings.ts';
import { fixtureFetch } from '../protocol/sasrec-fixture.ts';
import { fakeIndexedDB } from '../store/fake-storage.ts';
import { fixtureFiles } from '../store/store-fixtures.ts';
import { asFiles, PLAN, Profile, visit } from './models-visit.ts';

/** A HistoryStore in memory; `failClear` makes clear() fail as a blocked IndexedDB would. */
function memoryHistory(failClear = false): HistoryStore & { saved: HistoryEntry[] } {
  const store = {
    saved: [] as HistoryEntry[],
    load: async () => store.saved,
    save: async (entries: readonly HistoryEntry[]) => void (store.saved = [...entries]),
    clear: async () => {
      if (failClear) throw new HistoryStorageError('IndexedDB refused the delete');
      store.saved = [];
    },
  };
  return store;
}

/** Fake databases()/deleteDatabase()/caches.delete(): records what was deleted; `blocked` names never finish. */
function fakeContainers(existing: string[], blocked: string[] = []) {
  const deleted: string[] = [];
  const indexedDB = {
    databases: async () => existing.map((name) => ({ name, version: 1 })),
    deleteDatabase(name: string) {
      const request = { onsuccess: null, onerror: null, onblocked: null } as unknown as IDBOpenDBRequest;
      setTimeout(() => {
        if (blocked.includes(name)) return request.onblocked?.(new Event('blocked') as IDBVersionChangeEvent);
        deleted.push(name);
        request.onsuccess?.(new Event('success'));
      });
      return request;
    },
  };
  const caches = { delete: async (name: string) => existing.includes(name) && !!deleted.push(name) };
  return { env: { indexedDB, caches }, deleted };
}

/** A visit with the user's own bundle in use, two history items and LocalRec's three databases. */
async function pageWithEverything(confirm: () => boolean, failClear = false, llm?: EraseDeps['llm']) {
  const profile = new Profile();
  const visited = visit(profile);
  await visited.models.start(PLAN);
  await visited.models.loadFiles(asFiles(fixtureFiles()));
  expect(visited.models.chosen).toBeDefined();
  const stray = 'files:local-0123456789abcdef/weights.safetensors.partial';
  profile.storeDisk.write(stray, new ArrayBuffer(8)); // a write interrupted by a closed tab
  const historyStore = memoryHistory(failClear);
  const history = new HistoryState(historyStore);
  history.add('key1', 1);
  history.add('key2', 2);
  const containers = fakeContainers(['localrec', 'localrec-settings', 'localrec-models', 'someone-else']);
  const questions: string[] = [];
  const erase = new EraseState({
    history,
    models: visited.models,
    ...(llm ? { llm } : {}),
    containers: containers.env,
    confirm: (question) => (questions.push(question), confirm()),
  });
  return { profile, visited, history, historyStore, containers, erase, questions, stray };
}

describe('Delete everything', () => {
  beforeEach(() => vi.stubGlobal('fetch', fixtureFetch([])));
  afterEach(() => vi.unstubAllGlobals());

  it('deletes nothing when the user does not confirm', async () => {
    const page = await pageWithEverything(() => false);
    expect(await page.erase.run()).toBe(false);
    expect(page.questions).toEqual([ERASE_QUESTION]);
    expect(page.history.entries).toHaveLength(2);
    expect(page.visited.models.chosen).toBeDefined();
    expect(await page.profile.store.list()).not.toEqual([]);
    expect(page.containers.deleted).toEqual([]);
    expect(page.erase.line).toBeUndefined();
  });

  it('goes back to the default model, then removes history, stored models, settings and containers', async () => {
    const page = await pageWithEverything(() => true);
    const userModel = page.visited.models.chosen!.model;
    expect(await page.erase.run()).toBe(true);

    expect(page.visited.loaded.at(-1)).toBe(PLAN.modelUrl);
    expect(page.visited.models.chosen).toBeUndefined();
    expect(page.history.entries).toEqual([]);
    expect(page.historyStore.saved).toEqual([]);
    expect(await page.profile.store.list()).toEqual([]);
    expect([...page.profile.storeDisk.files.keys()]).toEqual([]); // the .partial too
    expect([...page.profile.settingsDisk.files.keys()]).toEqual([]);
    expect(await (await openSettings(fakeIndexedDB(page.profile.settingsDisk))).loadChoice()).toBeUndefined();
    expect(page.containers.deleted).toEqual([
      'localrec',
      'localrec-settings',
      'localrec-models',
      'localrec-models',
    ]);
    expect(page.erase.failed).toEqual([]);
    expect(page.erase.line).toBe(
      `Deleted: your model choice (sasrec-tiny; the default model ${PLAN.modelId} is in use again); ` +
        `history (2 items); stored models (${[userModel, 'local-0123456789abcdef', PLAN.modelId].sort().join(', ')}); ` +
        'browser storage (IndexedDB localrec, localrec-settings, localrec-models; Cache API localrec-models).',
    );
    expect(page.visited.models.stored).toEqual([]);
  });

  it("first takes the user's GGUF out of the LLM worker, while its file is still stored", async () => {
    let storedAtUnload: unknown[] = [];
    const at: { page?: Awaited<ReturnType<typeof pageWithEverything>> } = {};
    const llm = {
      unloadUserModel: vi.fn(async () => {
        storedAtUnload = await at.page!.profile.store.list();
        return 'mine.gguf, no longer in use';
      }),
    };
    const page = (at.page = await pageWithEverything(() => true, false, llm));
    await page.erase.run();
    expect(llm.unloadUserModel).toHaveBeenCalledOnce();
    expect(storedAtUnload).not.toEqual([]); // before the stored models went
    expect(await page.profile.store.list()).toEqual([]);
    expect(page.erase.line).toMatch(
      /^Deleted: your language model \(mine\.gguf, no longer in use\); your model choice \(.+\); history \(2 items\); /,
    );
  });

  it('names a part that fails and still runs the others', async () => {
    const page = await pageWithEverything(() => true, true);
    await page.erase.run();
    expect(page.erase.failed).toEqual(['history: HistoryStorageError: IndexedDB refused the delete']);
    expect(page.erase.line).toMatch(
      /^Deleted: your model choice \(.+\); stored models \(.+\); browser storage \(.+\)\. 1 part could not be deleted \(below\)\.$/,
    );
    expect(await page.profile.store.list()).toEqual([]);
  });

  it('reports a database another tab keeps open as StorageBlockedError', async () => {
    const { env, deleted } = fakeContainers(['localrec', 'localrec-models'], ['localrec']);
    const error = await dropStorageContainers(env, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageBlockedError);
    expect(String(error)).toMatch(/IndexedDB "localrec" is still open in another LocalRec tab/);
    expect(deleted).toEqual([]);
    expect(await dropStorageContainers(fakeContainers([]).env)).toBe('');
  });
});
