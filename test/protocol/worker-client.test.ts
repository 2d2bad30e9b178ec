/**
 * workerClient: a failing worker (its 'error' event) rejects the pending request with a
 * WorkerCrashedError that names the worker and the script's message.
 */
import { describe, expect, it } from 'vitest';
import { WorkerCrashedError } from '../../src/protocol/errors.ts';
import type { RequestMap } from '../../src/protocol/messages-sasrec.ts';
import { workerClient } from '../../src/protocol/worker-client.ts';

/** A Worker stand-in that takes messages and never answers. */
class SilentWorker extends EventTarget {
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

describe('workerClient', () => {
  it('rejects pending requests with WorkerCrashedError when the worker fails', async () => {
    const worker = new SilentWorker();
    const client = workerClient<RequestMap>(worker as unknown as Worker, 'SASRec worker');
    const pending = client.request('sasrec.stats', {});
    expect(worker.posted).toHaveLength(1);
    const crash = Object.assign(new Event('error'), { message: 'Uncaught RangeError: boom' });
    worker.dispatchEvent(crash);
    await expect(pending).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(pending).rejects.toThrow('The SASRec worker failed: Uncaught RangeError: boom.');
  });
});
