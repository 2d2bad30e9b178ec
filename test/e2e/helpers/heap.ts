/**
 * JS heap measurements through the Chrome DevTools Protocol: the page's own heap, and the heaps of
 * its dedicated workers (Playwright gives no GC or heap handle for workers, so the page's CDP
 * session auto-attaches to them and talks to each through Target.sendMessageToTarget).
 */
import type { CDPSession, Page } from 'playwright-core';

/** The page's JS heap after a forced garbage collection, bytes. */
export async function pageHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize;
  } finally {
    await cdp.detach();
  }
}

/** Reads the heaps of a page's dedicated workers. */
export interface WorkerHeaps {
  /** Each attached worker's JS heap after a forced GC, bytes, in attach order. */
  afterGc(): Promise<number[]>;
  detach(): Promise<void>;
}

/** The parts of CDP's Target events we read. */
interface AttachedEvent {
  sessionId: string;
  targetInfo: { type: string };
}
interface ReceivedEvent {
  sessionId: string;
  message: string;
}

/** A CDP reply from a worker session: `{id, result}` or `{id, error}`. */
interface WorkerReply {
  id?: number;
  result?: { usedSize?: number };
  error?: { message: string };
}

/**
 * Attach to every dedicated worker the page has now or starts later. Call after the workers exist
 * (attaching is asynchronous: `afterGc` waits until at least one worker is attached).
 */
export async function attachWorkerHeaps(page: Page): Promise<WorkerHeaps> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const sessions: string[] = []; // worker session ids, in attach order
  const pending = new Map<number, { resolve: (reply: WorkerReply) => void }>();
  let nextId = 1;
  cdp.on('Target.attachedToTarget', (event: AttachedEvent) => {
    if (event.targetInfo.type === 'worker') sessions.push(event.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (event: { sessionId: string }) => {
    const at = sessions.indexOf(event.sessionId);
    if (at >= 0) sessions.splice(at, 1); // a terminated worker answers nothing more
  });
  cdp.on('Target.receivedMessageFromTarget', (event: ReceivedEvent) => {
    const reply = JSON.parse(event.message) as WorkerReply;
    if (reply.id === undefined) return; // an event, not a reply
    pending.get(reply.id)?.resolve(reply);
    pending.delete(reply.id);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });

  const call = (sessionId: string, method: string): Promise<WorkerReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve });
      const message = JSON.stringify({ id, method, params: {} });
      cdp.send('Target.sendMessageToTarget', { sessionId, message }).catch(reject);
    });
  const heapOf = async (sessionId: string): Promise<number> => {
    await call(sessionId, 'HeapProfiler.collectGarbage');
    const reply = await call(sessionId, 'Runtime.getHeapUsage');
    if (reply.error || reply.result?.usedSize === undefined)
      throw new Error(`worker heap not readable: ${reply.error?.message ?? 'no usedSize in the reply'}`);
    return reply.result.usedSize;
  };

  return {
    async afterGc() {
      for (let tries = 0; sessions.length === 0 && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      if (sessions.length === 0) throw new Error('the page has no dedicated worker to measure');
      const heaps: number[] = [];
      for (const id of sessions) heaps.push(await heapOf(id));
      return heaps;
    },
    detach: () => cdp.detach(),
  };
}
