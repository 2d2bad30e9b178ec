/**
 * A second local origin for cross-origin e2e tests: serves one HTML string at every path.
 */
import { createServer, type Server } from 'node:http';

/** A running host-page server. */
export interface ServedHtml {
  /** e.g. "http://127.0.0.1:40123" */
  origin: string;
  server: Server;
  close(): Promise<void>;
}

/** Serve `html` on a free 127.0.0.1 port. */
export async function serveHtml(html: string): Promise<ServedHtml> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
