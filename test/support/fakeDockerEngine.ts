// A loopback stand-in for a Docker engine: an HTTP server on a unix socket that speaks the
// engine API's ping and version endpoints (the process edge, not a mock of dockerode).
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeEngine {
  socketPath: string;
  dockerHost: string;
  close(): Promise<void>;
}

/** Starts the fake engine; `silent` accepts connections but never answers (a hung engine). */
export async function startFakeDockerEngine(options: { version?: string; silent?: boolean } = {}): Promise<FakeEngine> {
  const socketPath = join(mkdtempSync(join(tmpdir(), 'qlp-docker-')), 'docker.sock');
  const server: Server = createServer((req, res) => {
    if (options.silent) return;
    const path = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    if (path.startsWith('/_ping')) {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Api-Version': '1.47' }).end('OK');
    } else if (path.startsWith('/version')) {
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ Version: options.version ?? '99.0.0-fake', ApiVersion: '1.47', Os: 'linux' }));
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `page not found: ${path}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    dockerHost: `unix://${socketPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
