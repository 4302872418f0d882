// Serving the Hono app over HTTP (and the live sessions WebSocket) with a clean stop.
import { Server as HttpServer } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { type ControlApiOptions, createApp } from './app';
import { startSessionsFeed } from './features/sessions/live/sessions-feed';
import { startJobs } from './jobs';

export interface ControlApiServer {
  port: number;
  stop(): Promise<void>;
}

export async function startControlApi(
  options: ControlApiOptions & { host: string; port: number; runJobs?: boolean },
): Promise<ControlApiServer> {
  const app = createApp(options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  const jobs = options.runJobs === false ? null : startJobs(options);
  // serve() without a createServer option makes a node:http server, which is what ws upgrades.
  const feed = server instanceof HttpServer ? startSessionsFeed(server, options) : null;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    stop: async () => {
      jobs?.stop();
      await feed?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open; a stopping server owes them nothing.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
