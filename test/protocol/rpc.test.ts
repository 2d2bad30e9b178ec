import { afterEach, describe, expect, it } from 'vitest';
import {
  CancelledError,
  InvalidRequestError,
  UnknownRequestError,
  WorkerCrashedError,
} from '../../src/protocol/errors.ts';
import type { Progress } from '../../src/protocol/messages.ts';
import { RpcClient, serve, type Handlers, type MessagePortLike } from '../../src/protocol/rpc.ts';

/** A small request map for the tests (the real one is RequestMap). */
type TestMap = {
  add: { params: { a: number; b: number }; result: number };
  slow: { params: { label: string; gate: number }; result: string };
  fail: { params: { message: string }; result: never };
};

/** Controllable gates: `slow` waits until its gate index is opened. */
function gates() {
  const opens: (() => void)[] = [];
  const waits: Promise<void>[] = [];
  const make = (i: number) => {
    while (waits.length <= i) waits.push(new Promise<void>((r) => opens.push(r)));
    return waits[i];
  };
  return { wait: make, open: (i: number) => (make(i), opens[i]()) };
}

const channels: MessageChannel[] = [];
function setup(serial = true) {
  const channel = new MessageChannel();
  channels.push(channel);
  const gate = gates();
  const started: string[] = [];
  const aborted: string[] = [];
  const handlers: Handlers<TestMap> = {
    add: ({ a, b }) => a + b,
    slow: async ({ label, gate: i }, ctx) => {
      started.push(label);
      ctx.signal.addEventListener('abort', () => aborted.push(label));
      ctx.progress({ stage: 'wait', message: label, done: 0, total: 1 });
      await gate.wait(i);
      ctx.throwIfCancelled();
      return `done ${label}`;
    },
    fail: ({ message }) => {
      throw new InvalidRequestError(message, { field: 'message' });
    },
  };
  serve<TestMap>(channel.port2 as unknown as MessagePortLike, handlers, { serial });
  const client = new RpcClient<TestMap>(channel.port1 as unknown as MessagePortLike);
  return { client, gate, started, aborted, port: channel.port1 };
}

afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('rpc over a MessageChannel', () => {
  it('resolves typed results', async () => {
    const { client } = setup();
    await expect(client.request('add', { a: 2, b: 40 })).resolves.toBe(42);
    expect(client.pendingCount).toBe(0);
  });

  it('rebuilds a handler error as the same named class with details', async () => {
    const { client } = setup();
    const error = await client
      .request('fail', { message: 'history must be non-empty' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).message).toBe('history must be non-empty');
    expect((error as InvalidRequestError).details).toEqual({ field: 'message' });
  });

  it('answers an unknown kind with UnknownRequestError', async () => {
    const { client } = setup();
    const untyped = client as unknown as RpcClient<{ nope: { params: null; result: null } }>;
    await expect(untyped.request('nope', null)).rejects.toBeInstanceOf(UnknownRequestError);
  });

  it('delivers progress reports before the result', async () => {
    const { client, gate } = setup();
    const seen: Progress[] = [];
    const promise = client.request('slow', { label: 'p', gate: 0 }, { onProgress: (p) => seen.push(p) });
    await new Promise((r) => setTimeout(r, 20));
    gate.open(0);
    await expect(promise).resolves.toBe('done p');
    expect(seen).toEqual([{ stage: 'wait', message: 'p', done: 0, total: 1 }]);
  });

  it('a newer request of the same kind cancels the stale one on both sides', async () => {
    const { client, gate, started, aborted } = setup(false);
    const first = client.request('slow', { label: 'first', gate: 0 });
    await new Promise((r) => setTimeout(r, 20));
    const second = client.request('slow', { label: 'second', gate: 1 });
    await expect(first).rejects.toBeInstanceOf(CancelledError);
    await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toEqual(['first']);
    gate.open(0);
    gate.open(1);
    await expect(second).resolves.toBe('done second');
    expect(started).toEqual(['first', 'second']);
  });

  it('other kinds are not cancelled by a new request', async () => {
    const { client, gate } = setup();
    const slow = client.request('slow', { label: 's', gate: 0 });
    const add = client.request('add', { a: 1, b: 1 });
    gate.open(0);
    await expect(slow).resolves.toBe('done s');
    await expect(add).resolves.toBe(2);
  });

  it('in serial mode a superseded request that has not started never runs', async () => {
    const { client, gate, started } = setup(true);
    const blocker = client.request('slow', { label: 'blocker', gate: 0 });
    const queued = client.request('add', { a: 1, b: 2 });
    const addAgain = client.request('add', { a: 3, b: 4 });
    await expect(queued).rejects.toBeInstanceOf(CancelledError);
    gate.open(0);
    await expect(blocker).resolves.toBe('done blocker');
    await expect(addAgain).resolves.toBe(7);
    expect(started).toEqual(['blocker']);
  });

  it('failAll rejects every pending request with the given error (worker crash)', async () => {
    const { client } = setup(false);
    const a = client.request('slow', { label: 'a', gate: 7 });
    const b = client.request('add', { a: 1, b: 1 });
    client.failAll(new WorkerCrashedError('worker died'));
    await expect(a).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(b).rejects.toThrow('worker died');
    expect(client.pendingCount).toBe(0);
  });

  it('dispose rejects pending requests and refuses new ones', async () => {
    const { client } = setup();
    const pending = client.request('slow', { label: 'x', gate: 5 });
    client.dispose();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    await expect(client.request('add', { a: 1, b: 1 })).rejects.toBeInstanceOf(CancelledError);
  });

  it('answers a malformed envelope that has an id with InvalidRequestError', async () => {
    const { port } = setup();
    const reply = new Promise<unknown>((resolve) => port.addEventListener('message', (e) => resolve(e.data)));
    port.postMessage({ id: 99, payload: 1 });
    const message = (await reply) as { id: number; type: string; error: { name: string } };
    expect(message).toMatchObject({ id: 99, type: 'error', error: { name: 'InvalidRequestError' } });
  });
});
