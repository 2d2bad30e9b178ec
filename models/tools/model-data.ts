/**
 * Load the data set a trained model belongs to, with the same filters it was trained with
 * (`<model>/data.json`, written by train:sasrec), and check that the model's dense ids
 * (`items.json`) are that data set's ids.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadNamedDataset, type LoadOptions } from '../../src/data/node/named.ts';
import type { Dataset } from '../../src/data/types.ts';

/** The model's items.json does not match the data set it is evaluated on. */
export class ModelDataMismatchError extends Error {
  override readonly name = 'ModelDataMismatchError';
}

/** The data options recorded with a model, or defaults (no filters) when it has none. */
export function recordedDataOptions(modelDir: string): { data?: string } & LoadOptions {
  const path = join(modelDir, 'data.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
}

/**
 * @param modelDir models/<id>
 * @param data a data set name or path; defaults to the one the model was trained on
 */
export async function loadModelDataset(modelDir: string, data?: string): Promise<Dataset> {
  const { data: recorded, ...options } = recordedDataOptions(modelDir);
  const source = data ?? recorded;
  if (!source) throw new ModelDataMismatchError(`${modelDir} has no data.json: pass --data <path|name>`);
  const dataset = await loadNamedDataset(source, options);
  const itemsPath = join(modelDir, 'items.json');
  if (existsSync(itemsPath)) {
    const keys: string[] = JSON.parse(readFileSync(itemsPath, 'utf8'));
    const mismatch = keys.findIndex((key, i) => dataset.items[i]?.key !== key);
    if (keys.length !== dataset.items.length || mismatch >= 0) {
      throw new ModelDataMismatchError(
        `${modelDir}/items.json (${keys.length} items) does not match ${source} (${dataset.items.length} items` +
          (mismatch >= 0 ? `, first difference at id ${mismatch + 1})` : ')') +
          ': evaluate with the data and filters the model was trained on',
      );
    }
  }
  return dataset;
}

/** `loadModelDataset` for CLIs that go through several models: undefined (and a printed reason) when it fails. */
export async function loadModelDatasetOrSkip(modelDir: string): Promise<Dataset | undefined> {
  try {
    return await loadModelDataset(modelDir);
  } catch (error) {
    console.log(`${basename(modelDir)} skipped: ${String(error)}`);
    return undefined;
  }
}
