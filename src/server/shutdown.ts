// Graceful shutdown (SIGTERM from Kubernetes, Ctrl-C): stop accepting connections, report 503 on
// /health so load balancers stop routing here, let every in-flight request finish (a /proxy call
// that is writing to Salesforce must answer, or the router would resend events already written),
// then release watchers and connections and exit. Requests that arrive on an already-open
// keep-alive connection meanwhile are still served, with `Connection: close`.
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import type winston from 'winston';
import type { Lifecycle } from './app.js';

export interface ShutdownOptions {
  server: Server;
  lifecycle: Lifecycle;
  logger: winston.Logger;
  /** Released after the last request has finished (mapping watcher, Redis). */
  release: Array<() => unknown>;
  /** Past this, remaining connections are cut and the process exits 1 (stay under the pod's grace period). */
  timeoutMs: number;
  exit?: (code: number) => void;
}

/** While draining, each response closes its connection, so keep-alive clients reconnect elsewhere. */
export function closeWhenDraining(lifecycle: Lifecycle): RequestHandler {
  return (_req, res, next) => {
    if (lifecycle.draining) res.set('Connection', 'close');
    next();
  };
}

export function shutdownTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.SHUTDOWN_TIMEOUT_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 25_000;
}

/** Drains and exits; calling it again (a second signal) does not start a second drain. */
export function gracefulShutdown(options: ShutdownOptions): () => void {
  const { server, lifecycle, logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  return () => {
    if (lifecycle.draining) return;
    lifecycle.draining = true;
    const started = Date.now();
    logger.info('shutting down: no new connections, finishing in-flight requests');
    // Idle keep-alive sockets would hold close() open until their timeout; in-flight ones finish first.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const timer = setTimeout(() => {
      logger.warn('shutdown timed out: closing remaining connections', { timeoutMs: options.timeoutMs });
      server.closeAllConnections();
      exit(1);
    }, options.timeoutMs);
    server.close(() => {
      clearInterval(idle);
      void Promise.allSettled(options.release.map((release) => Promise.resolve().then(release))).then(() => {
        clearTimeout(timer);
        logger.info('shut down', { ms: Date.now() - started });
        exit(0);
      });
    });
    server.closeIdleConnections();
  };
}
