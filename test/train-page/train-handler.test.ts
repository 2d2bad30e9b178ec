/**
 * `train.run` (src/train/train-handler.ts) end to end in Node, through the typed rpc over a
 * MessageChannel: progress per batch and epoch, a loadable bundle with the CSV's titles, the
 * malformed-CSV error with its line number, and Cancel between batches.
 */
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/protocol/errors.ts';
import type { Progress } from '../../src/protocol/messages.ts';
import type { TrainMap } from '../../src/protocol/messages-train.ts';
import { RpcClient, serve } from '../../src/protocol/rpc.ts';
import { loadSasrecModel } from '../../src/sasrec/weights.ts';
import { createTrainHandlers, trainedModelId } from '../../src/train/train-handler.ts';
import { readItemTitles } from '../../src/train/titles.ts';
import { ringCsv } from './synthetic.ts';

/** A client talking to the handlers over an in-process MessageChannel. */
function connect(): { client: RpcClient<TrainMap>; close: () => void } {
  const channel = new MessageChannel();
  const stop = serve<TrainMap>(channel.port2, createTrainHandlers());
  const client = new RpcClient<TrainMap>(channel.port1);
  return {
    client,
    close: () => {
      stop();
      client.dispose();
      channel.port1.close();
      channel.port2.close();
    },
  };
}

const bytes = (text: string): ArrayBuffer => new TextEncoder().encode(text).buffer as ArrayBuffer;

/** The ring log with a title column "Title <item> (2001)". */
function ringWithTitles(): string {
  const [header, ...rows] = ringCsv({ users: 60, items: 30, minLength: 6 }).trimEnd().split('\n');
  return [`${header},title`, ...rows.map((row) => `${row},"Title ${row.split(',')[1]} (2001)"`)].join('\n');
}

describe('train.run over the rpc', { timeout: 120_000 }, () => {
  it('reports batches and epochs and returns a bundle the runtime loads, with the CSV titles', async () => {
    const { client, close } = connect();
    const seen: Progress[] = [];
    try {
      const result = await client.request(
        'train.run',
        { csv: bytes(ringWithTitles()), name: 'Shop log.csv', epochs: 3 },
        { onProgress: (p) => seen.push(p) },
      );
      expect(seen[0].stage).toBe('plan');
      expect(seen.filter((p) => p.stage === 'epoch').map((p) => p.train?.epoch)).toEqual([1, 2, 3]);
      expect(seen.some((p) => p.stage === 'batch' && p.train?.loss !== undefined)).toBe(true);
      expect(result.epochs).toBe(3);
      expect(result.users).toBe(60);
      expect(result.items).toHaveLength(30);
      expect(result.items[0]).toEqual({ key: 'i1', title: 'Title i1', year: 2001 });
      expect(result.popularity).toHaveLength(31);
      const { manifest } = await loadSasrecModel(async (name) => result.files[name]);
      expect(manifest.id).toBe('trained-shop-log');
      expect(JSON.parse(new TextDecoder().decode(result.files['items.json']))).toEqual(
        result.items.map((i) => i.key),
      );
    } finally {
      close();
    }
  });

  it('names a malformed row with its line number', async () => {
    const { client, close } = connect();
    try {
      const csv = 'user,item\nu1,i1\nu1,i2,extra\n';
      await expect(client.request('train.run', { csv: bytes(csv), name: 'bad.csv' })).rejects.toThrow(
        /bad\.csv.*line 3/,
      );
    } finally {
      close();
    }
  });

  it('stops between batches when cancelled and trains again afterwards', async () => {
    const { client, close } = connect();
    try {
      const controller = new AbortController();
      const cancelled = client.request(
        'train.run',
        { csv: bytes(ringCsv()), name: 'ring.csv' },
        { signal: controller.signal, onProgress: (p) => p.stage === 'batch' && controller.abort() },
      );
      await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
      const again = await client.request('train.run', { csv: bytes(ringCsv()), name: 'ring.csv', epochs: 1 });
      expect(again.epochs).toBe(1);
    } finally {
      close();
    }
  });
});

describe('trained model helpers', () => {
  it('derives a model id from the file name', () => {
    expect(trainedModelId('My Log (2024).CSV')).toBe('trained-my-log-2024');
    expect(trainedModelId('.csv')).toBe('trained-csv');
  });

  it('reads no titles from a CSV without a title column', () => {
    expect(readItemTitles('user,item\nu1,i1\n', 'x.csv').size).toBe(0);
  });
});
