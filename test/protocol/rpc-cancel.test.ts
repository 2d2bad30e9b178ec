import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/protocol/errors.ts';
import { RpcClient, serve, type MessagePortLike } from '../../src/protocol/rpc.ts';

type WaitMap = { wait: { params: { label: string }; result: string } };

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const c of channels.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

/** A server whose `wait` handler runs until `release()` and records what it saw. */
function setup() {
  const channel = new MessageChannel();
  channels.push(channel);
  let release = () => {};
  const released = new Promise<void>((r) => (release = r));
  const seen: string[] = [];
  serve<WaitMap>(channel.port2 as unknown as MessagePortLike, {
    wait: async ({ label }, ctx) => {
      seen.push(`start ${label}`);
      ctx.signal.addEventListener('abort', () =>
        seen.push(`abort ${label}: ${(ctx.signal.reason as Error).name}`),
      );
      await released;
      ctx.throwIfCancelled();
      return label;
    },
  });
  const client = new RpcClient<WaitMap>(channel.port1 as unknown as MessagePortLike);
  return { client, seen, release };
}

describe('rpc cancel by signal', () => {
  it('rejects at once with CancelledError and aborts the running handler', async () => {
    const { client, seen, release } = setup();
    const controller = new AbortController();
    const pending = client.request('wait', { label: 'a' }, { signal: controller.signal });
    await expect.poll(() => seen).toEqual(['start a']);
    controller.abort();
    await expect(pending).rejects.toThrow(CancelledError);
    await expect.poll(() => seen).toEqual(['start a', 'abort a: CancelledError']);
    release();
    expect(client.pendingCount).toBe(0);
  });

  it('leaves other requests alone and a later request answers normally', async () => {
    const { client, release } = setup();
    const controller = new AbortController();
    controller.abort();
    await expect(client.request('wait', { label: 'x' }, { signal: controller.signal })).rejects.toThrow(
      /"wait" #1 was cancelled/,
    );
    const next = client.request('wait', { label: 'y' });
    release();
    expect(await next).toBe('y');
  });
});
