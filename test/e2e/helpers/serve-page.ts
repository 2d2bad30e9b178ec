/**
 * Build the page with Vite's API into a temporary outDir and serve it with `vite preview` on
 * 127.0.0.1 at a free port. The models directory is passed through LOCALREC_MODELS_DIR.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

/** A served build. */
export interface ServedPage {
  /** e.g. "http://127.0.0.1:41234/" */
  url: string;
  origin: string;
  /** the build's directory (a temporary one, removed by close) */
  outDir: string;
  close(): Promise<void>;
}

/** A TCP port nobody listens on right now (ask the OS for one, then release it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Build `root` with models from `modelsDir`, then preview it. */
export async function buildAndServe(root: string, modelsDir: string): Promise<ServedPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'localrec-e2e-dist-'));
  const previous = process.env.LOCALREC_MODELS_DIR;
  process.env.LOCALREC_MODELS_DIR = modelsDir;
  let server: PreviewServer;
  try {
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    const port = await freePort();
    server = await preview({
      root,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port, strictPort: true },
    });
  } finally {
    if (previous === undefined) delete process.env.LOCALREC_MODELS_DIR;
    else process.env.LOCALREC_MODELS_DIR = previous;
  }
  const origin = `http://127.0.0.1:${(server.httpServer.address() as { port: number }).port}`;
  return {
    url: `${origin}/`,
    origin,
    outDir,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
