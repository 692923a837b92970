// `npm start`: serve on $PORT (default 8080) with the mappings under $MAPPINGS_DIR (default mappings/),
// reloading them when they change unless WATCH_MAPPINGS=false.
import { createApp } from './app.js';

const { app, logger, watcher } = createApp({ watch: process.env.WATCH_MAPPINGS !== 'false' });
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
