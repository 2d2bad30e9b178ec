import { describe, expect, it } from 'vitest';
import { openIdbBackend } from '../../src/store/idb-backend.ts';
import {
  openSettings,
  SETTINGS_DB_NAME,
  settingsOn,
  SettingsUnavailableError,
} from '../../src/store/settings.ts';
import { FakeDisk, fakeIndexedDB } from './fake-storage.ts';

const CHOICE = { model: 'local-0123456789abcdef', name: 'my-model', catalog: true };

describe('settings (IndexedDB)', () => {
  it('keeps the chosen model across openings and forgets it on clear', async () => {
    const disk = new FakeDisk();
    await (await openSettings(fakeIndexedDB(disk))).saveChoice(CHOICE);
    // a later visit opens the database again
    const settings = await openSettings(fakeIndexedDB(disk));
    expect(await settings.loadChoice()).toEqual(CHOICE);
    await settings.clearChoice();
    expect(await settings.loadChoice()).toBeUndefined();
  });

  it('drops an unreadable record (not JSON, wrong shape) instead of failing the page', async () => {
    const disk = new FakeDisk();
    const backend = await openIdbBackend(fakeIndexedDB(disk), SETTINGS_DB_NAME);
    const settings = settingsOn(backend);
    for (const text of ['{not json', JSON.stringify({ ...CHOICE, model: '../etc' })]) {
      await backend.write('model-choice', new TextEncoder().encode(text).buffer as ArrayBuffer);
      expect(await settings.loadChoice()).toBeUndefined();
      expect(await backend.keys()).toEqual([]);
    }
  });

  it('refuses to save a choice that is not a stored user bundle', async () => {
    const settings = await openSettings(fakeIndexedDB(new FakeDisk()));
    await expect(settings.saveChoice({ ...CHOICE, model: 'ml-latest-small-sasrec' })).rejects.toThrow(
      /local-/,
    );
  });

  it('names a browser without IndexedDB', async () => {
    const error = await openSettings(undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsUnavailableError);
    expect(String(error)).toMatch(/model you choose is used until the page is closed/);
  });
});
