/**
 * In-memory fakes of the two browser storage APIs the model store uses: `CacheStorage` (open →
 * match/put/delete/keys) and `IDBFactory` (open with upgrade, one object store, get/put/delete/
 * getAllKeys inside transactions). Both write into one `FakeDisk` with a byte quota: a write that
 * would exceed it fails like a browser's (DOMException "QuotaExceededError") and changes nothing.
 */

/** Shared bytes + quota; tests reach into `files` to corrupt or truncate what was stored. */
export class FakeDisk {
  readonly files = new Map<string, ArrayBuffer>();
  constructor(public quota = Number.POSITIVE_INFINITY) {}
  get used(): number {
    let sum = 0;
    for (const bytes of this.files.values()) sum += bytes.byteLength;
    return sum;
  }
  /** Store `bytes` under `key` atomically, or throw QuotaExceededError and keep the old value. */
  write(key: string, bytes: ArrayBuffer): void {
    const old = this.files.get(key)?.byteLength ?? 0;
    if (this.used - old + bytes.byteLength > this.quota) {
      throw new DOMException(`fake quota of ${this.quota} bytes exceeded`, 'QuotaExceededError');
    }
    this.files.set(key, bytes.slice(0));
  }
  /** Rewrite the stored entry whose key contains `part` (the first one) with `change(its bytes)`, as a damaged disk would. */
  damage(part: string, change: (bytes: Uint8Array) => Uint8Array): void {
    const key = [...this.files.keys()].find((k) => k.includes(part));
    if (key === undefined) throw new Error(`nothing stored under a key containing "${part}"`);
    const bytes = new Uint8Array(this.files.get(key)!.slice(0)); // [n]
    this.files.set(key, change(bytes).slice().buffer);
  }
  /** navigator.storage.estimate() of this disk. */
  estimate = async (): Promise<{ usage: number; quota: number }> => ({ usage: this.used, quota: this.quota });
}

/** A fake `CacheStorage` whose caches all write into `disk` (keys are request URLs). */
export function fakeCacheStorage(disk: FakeDisk): Pick<CacheStorage, 'open' | 'has'> {
  const cache = {
    async match(url: string) {
      const bytes = disk.files.get(url);
      return bytes ? new Response(bytes.slice(0)) : undefined;
    },
    async put(url: string, response: Response) {
      disk.write(url, await response.arrayBuffer());
    },
    async delete(url: string) {
      return disk.files.delete(url);
    },
    async keys() {
      return [...disk.files.keys()].map((url) => new Request(url));
    },
  };
  return { open: async () => cache as unknown as Cache, has: async () => true };
}

type Handler = (() => void) | null;

class FakeRequest<T> {
  result = undefined as T;
  error: DOMException | null = null;
  onsuccess: Handler = null;
  onerror: Handler = null;
  onupgradeneeded: Handler = null;
}

/** A fake `IDBFactory`: one database per name, object stores of key → value living in `disk` (keys prefixed with the store name). */
export function fakeIndexedDB(disk: FakeDisk): IDBFactory {
  const stores = new Set<string>();
  const db = {
    objectStoreNames: { contains: (name: string) => stores.has(name) },
    createObjectStore: (name: string) => stores.add(name),
    transaction(name: string) {
      const tx = {
        error: null as DOMException | null,
        oncomplete: null as Handler,
        onerror: null as Handler,
        onabort: null as Handler,
        objectStore: () => store,
      };
      const ops: (() => void)[] = [];
      const request = <T>(run: () => T) => {
        const r = new FakeRequest<T>();
        ops.push(() => {
          try {
            r.result = run();
            r.onsuccess?.();
          } catch (error) {
            r.error = error as DOMException;
            tx.error ??= r.error;
            r.onerror?.();
          }
        });
        return r;
      };
      const key = (k: string) => `${name}:${k}`;
      const store = {
        get: (k: string) => request(() => disk.files.get(key(k))?.slice(0)),
        put: (value: ArrayBuffer, k: string) => request(() => disk.write(key(k), value)),
        delete: (k: string) => request(() => void disk.files.delete(key(k))),
        getAllKeys: () =>
          request(() =>
            [...disk.files.keys()]
              .filter((k) => k.startsWith(`${name}:`))
              .map((k) => k.slice(name.length + 1)),
          ),
      };
      setTimeout(() => {
        for (const op of ops) op();
        if (tx.error) tx.onabort?.();
        else tx.oncomplete?.();
      });
      return tx;
    },
  };
  return {
    open() {
      const r = new FakeRequest<typeof db>();
      setTimeout(() => {
        r.result = db;
        r.onupgradeneeded?.();
        r.onsuccess?.();
      });
      return r;
    },
  } as unknown as IDBFactory;
}
