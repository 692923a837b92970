// `npm start`: serve on $PORT (default 8080) with the mappings under $MAPPINGS_DIR (default mappings/),
// reloading them when they change unless WATCH_MAPPINGS=false. WORKERS=n (default: one per core)
// serves from n cluster workers; WORKERS=1 is one process (src/server/cluster.ts).
import cluster from 'node:cluster';
import { createApp, loadedStore } from './app.js';
import { joinCluster, runPrimary, workerCount } from './cluster.js';
import { createLogger } from './logger.js';

const watch = process.env.WATCH_MAPPINGS !== 'false';
const workers = cluster.isPrimary ? workerCount(process.env) : 1;
if (cluster.isPrimary && workers > 1) {
  const logger = createLogger();
  const primary = runPrimary(workers, loadedStore(logger), logger, watch);
  const stop = () => void primary.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  serve();
}

function serve(): void {
  const { app, logger, watcher } = createApp({
    // In a cluster the primary watches and tells each worker to reload.
    watch: watch && cluster.isPrimary,
    cluster: cluster.isWorker ? (store, log) => joinCluster(store, log) : undefined,
  });
  const port = Number(process.env.PORT ?? 8080);
  const server = app.listen(port, () => logger.info('listening', { port }));
  server.keepAliveTimeout = 65_000; // longer than typical load-balancer idle timeouts
  const stop = () => {
    void watcher?.close();
    server.close(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // Every request's work is isolated and answered; a promise that still escapes is a defect to log,
  // not a reason to drop every in-flight request with the process.
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason), stack: reason instanceof Error ? reason.stack : undefined });
  });
}
