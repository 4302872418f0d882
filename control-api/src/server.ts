// Serving the Hono app over HTTP (and the live WebSockets: ISP sessions, platform live) with a clean stop.
import { Server as HttpServer } from 'node:http';
import { type ServerType, serve } from '@hono/node-server';
import { type ControlApiOptions, createApp } from './app';
import { startChatFeed } from './features/chat/live';
import { startPlatformLiveFeed } from './features/monitoring/platform-live-feed';
import { startSessionsFeed } from './features/sessions/live/sessions-feed';
import { startSupportLiveFeed } from './features/support/live-feed';
import { startJobs } from './jobs';
import { createUpgradeRouter } from './kernel/ws-upgrade';

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
  const upgrades = server instanceof HttpServer ? createUpgradeRouter(server) : null;
  const feeds = upgrades
    ? [
        startSessionsFeed(upgrades, options),
        startPlatformLiveFeed(upgrades, options),
        startSupportLiveFeed(upgrades, options),
        startChatFeed(upgrades, options),
      ]
    : [];
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    stop: async () => {
      await jobs?.stop();
      await Promise.all(feeds.map((feed) => feed.stop()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open; a stopping server owes them nothing.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
