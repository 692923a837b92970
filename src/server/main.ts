// `npm start`: serve on $PORT (default 8080) with the mappings under $MAPPINGS_DIR (default mappings/),
// reloading them when they change unless WATCH_MAPPINGS=false. WORKERS=n (default: one per core)
// serves from n cluster workers; WORKERS=1 is one process (src/server/cluster.ts).
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { createApp, loadedStore } from './app.js';
import { joinCluster, runPrimary, workerCount } from './cluster.js';
import { createLogger } from './logger.js';
import { gracefulShutdown, shutdownTimeoutFromEnv } from './shutdown.js';

const watch = process.env.WATCH_MAPPINGS !== 'false';
const workers = cluster.isPrimary ? workerCount(process.env) : 1;
if (cluster.isPrimary && workers > 1) {
  const logger = createLogger();
  const primary = runPrimary(workers, loadedStore(logger), logger, watch);
  // Each worker drains on its own SIGTERM (below); the primary exits once they all have.
  const stop = () => void primary.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  await serve();
}

async function serve(): Promise<void> {
  const { app, logger, watcher, shared, lifecycle } = createApp({
    // In a cluster the primary watches and tells each worker to reload.
    watch: watch && cluster.isPrimary,
    cluster: cluster.isWorker ? (store, log) => joinCluster(store, log) : undefined,
  });
  // Start with the shared state when Redis is there; if not yet, serve per process until it is.
  if (shared.redis && !(await shared.redis.ready(3000)))
    logger.warn('redis not reachable at start: serving with per-process state until it is');
  const port = Number(process.env.PORT ?? 8080);
  const server = app.listen(port, () => logger.info('listening', { port: (server.address() as AddressInfo).port }));
  server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
  const stop = gracefulShutdown({
    server,
    lifecycle,
    logger,
    release: [() => watcher?.close(), () => shared.close()],
    timeoutMs: shutdownTimeoutFromEnv(),
  });
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Every request's work is isolated and answered; a promise that still escapes is a defect to log,
  // not a reason to drop every in-flight request with the process.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', {
      error: reason instanceof Error ? reason.message : String(reason),
      stack: reason instanceof Error ? reason.stack : undefined,
    });
  });
}
