import { describe, expect, it } from 'vitest';
import { planWidget, WidgetConfigError } from '../../src/widget/widget-plan.ts';

const registry = {
  default: 'b',
  models: [
    { id: 'a', arch: 'sasrec', dataset: 'ml-latest-small', page: true },
    { id: 'b', arch: 'sasrec', catalog: 'data/other/catalog.bin', page: true },
    { id: 'bench', arch: 'sasrec', dataset: 'ml-1m' },
  ],
};
const base = {
  widgetBase: 'http://127.0.0.1:5000/lr/',
  pageBase: 'http://127.0.0.1:6000/shop/page.html',
  model: null,
  catalog: null,
};
const served = async (url: string) => {
  if (url !== 'http://127.0.0.1:5000/lr/models/registry.json') throw new Error(`unexpected ${url}`);
  return registry;
};

describe('planWidget', () => {
  it('uses the registry default and its catalog on the widget origin', async () => {
    expect(await planWidget(base, served)).toEqual({
      modelId: 'b',
      modelUrl: 'http://127.0.0.1:5000/lr/models/b/',
      catalogUrl: 'http://127.0.0.1:5000/lr/data/other/catalog.bin',
    });
  });

  it('takes a model id and a catalog URL relative to the host page', async () => {
    expect(await planWidget({ ...base, model: 'a', catalog: 'cat/items.bin' }, served)).toEqual({
      modelId: 'a',
      modelUrl: 'http://127.0.0.1:5000/lr/models/a/',
      catalogUrl: 'http://127.0.0.1:6000/shop/cat/items.bin',
    });
    expect((await planWidget({ ...base, model: 'a' }, served)).catalogUrl).toBe(
      'http://127.0.0.1:5000/lr/data/ml-latest-small/catalog.bin',
    );
  });

  it('refuses unknown or benchmark-only model ids, naming the known ones', async () => {
    await expect(planWidget({ ...base, model: 'bench' }, served)).rejects.toThrow(
      'model="bench" is not a model of this widget (known: a, b)',
    );
    await expect(planWidget({ ...base, model: '../../x' }, served)).rejects.toBeInstanceOf(WidgetConfigError);
  });

  it('explains an unreadable registry', async () => {
    const failing = async () => {
      throw new Error('HTTP 404');
    };
    await expect(planWidget(base, failing)).rejects.toThrow(
      'Could not read http://127.0.0.1:5000/lr/models/registry.json (HTTP 404)',
    );
  });
});
