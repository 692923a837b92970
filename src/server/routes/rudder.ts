// The routes rudder-server calls when DEST_TRANSFORM_URL points here (REFERENCE.md §5): features,
// routerTransform / batch, the processor-side transform, and the v0 / v1 delivery proxy. Every
// answer carries `apiVersion: 2`; rudder-server refuses (panics on) a 200 without it.
import express, { type RequestHandler } from 'express';
import type winston from 'winston';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { answerJobs, deliveryModeFromEnv, type DeliveryMode, type RudderDeps } from '../../rudder/answer-jobs.js';
import { processorItems, routerOutputs } from '../../rudder/answer-shapes.js';
import { notServedMessage, SERVED_DEFINITIONS, servedDefinition } from '../../rudder/definitions.js';
import { deliveryDepsFromEnv, type DeliveryDeps } from '../../rudder/destination-access.js';
import { duplicateJobIds, readEnvelope } from '../../rudder/envelope.js';
import { deliverProxy } from '../../rudder/proxy-delivery.js';
import { API_VERSION, API_VERSION_HEADER, OAUTH_SECRET_HEADER } from '../../rudder/protocol.js';
import { bodyError, jsonBody } from '../json-body.js';
import { statusCounts } from '../logger.js';
import { sendJson } from '../send-json.js';

export interface RudderRoutesOptions {
  store: MappingStore;
  logger: winston.Logger;
  bodyLimit?: number;
  /** Default: RUDDER_TRANSFORMER_PROXY=true → 'proxy', else 'direct'. */
  mode?: DeliveryMode;
  /** Default: the operator settings in process.env (as POST /proxy reads them). */
  delivery?: DeliveryDeps;
}

/** What GET /features tells rudder-server: router-side transform for the three definitions, proxy v1, compacted payloads. */
const FEATURES = {
  routerTransform: Object.fromEntries(SERVED_DEFINITIONS.map((d) => [d, true])),
  regulations: [] as string[],
  supportSourceTransformV1: true,
  upgradedToSourceTransformV2: true,
  supportTransformerProxyV1: true,
  supportDestTransformCompactedPayloadV1: true,
};

export function rudderRoutes(options: RudderRoutesOptions): express.Router {
  const { logger } = options;
  const deps: RudderDeps = {
    ...(options.delivery ?? deliveryDepsFromEnv()),
    store: options.store,
    mode: options.mode ?? deliveryModeFromEnv(),
  };
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader(API_VERSION_HEADER, API_VERSION);
    next();
  });
  const body = jsonBody(options.bodyLimit);

  router.get('/features', (_req, res) => {
    res.json(FEATURES);
  });

  const routerTransform =
    (bare: boolean): RequestHandler =>
    async (req, res) => {
      const started = Date.now();
      const destType = (req.body as { destType?: unknown } | undefined)?.destType;
      if (destType !== undefined && !servedDefinition(destType)) {
        res.status(404).json(bodyError('DESTINATION_NOT_SERVED', notServedMessage(destType)));
        return;
      }
      const envelope = readEnvelope(req.body, req.get(OAUTH_SECRET_HEADER));
      if ('status' in envelope) {
        res.status(envelope.status).json(bodyError(envelope.code, envelope.message));
        logger.info('routerTransform refused', { code: envelope.code });
        return;
      }
      const definition = servedDefinition(destType) ?? 'SALESFORCE';
      const answers = await answerJobs(envelope.jobs, envelope.problems, deps, {
        mode: deps.mode,
        duplicates: duplicateJobIds(envelope.jobs),
      });
      const output = routerOutputs(answers, envelope.jobs, definition);
      res.json(bare ? output : { output });
      logger.info(bare ? 'batch' : 'routerTransform', {
        jobs: envelope.jobs.length,
        outputs: output.length,
        mode: deps.mode,
        ms: Date.now() - started,
        statuses: statusCounts(output),
      });
    };
  router.post('/routerTransform', body, routerTransform(false));
  router.post('/batch', body, routerTransform(true));

  const served: RequestHandler = (req, res, next) => {
    if (servedDefinition(req.params.dest)) return next();
    res.status(404).json(bodyError('DESTINATION_NOT_SERVED', notServedMessage(req.params.dest)));
  };

  router.post('/v0/destinations/:dest', served, body, async (req, res) => {
    const envelope = readEnvelope(req.body, req.get(OAUTH_SECRET_HEADER));
    if ('status' in envelope) {
      res.status(envelope.status).json(bodyError(envelope.code, envelope.message));
      return;
    }
    const definition = servedDefinition(req.params.dest)!;
    // The processor's events become single requests the router sends: always direct.
    const answers = await answerJobs(envelope.jobs, envelope.problems, deps, { mode: 'direct' });
    const items = processorItems(answers, envelope.jobs, definition);
    sendJson(res, 200, items);
    if (logger.isInfoEnabled())
      logger.info('processor transform', { events: envelope.jobs.length, statuses: statusCounts(items) });
  });

  router.post('/v1/destinations/:dest/proxy', served, body, async (req, res) => {
    const definition = servedDefinition(req.params.dest)!;
    const answer = await deliverProxy(req.body, definition, deps);
    res.status(answer.httpStatus).json({ output: answer.output });
    logger.info('proxy v1', {
      jobs: answer.output.response.length,
      status: answer.output.status,
      statuses: statusCounts(answer.output.response),
    });
  });

  router.post('/v0/destinations/:dest/proxy', served, body, async (req, res) => {
    const definition = servedDefinition(req.params.dest)!;
    const payload = req.body as Record<string, unknown> | undefined;
    const metadata = payload && typeof payload === 'object' && !Array.isArray(payload) ? payload.metadata : undefined;
    const answer = await deliverProxy(
      { ...payload, metadata: metadata === undefined ? [] : [metadata] },
      definition,
      deps,
    );
    const { status, message, statTags, authErrorCategory, response } = answer.output;
    const output: Record<string, unknown> = {
      status,
      message,
      destinationResponse: { status, response: response[0]?.error ?? '' },
    };
    if (statTags) output.statTags = statTags;
    if (authErrorCategory) output.authErrorCategory = authErrorCategory;
    // v0 jobs take the HTTP status: rudder-transformer maps 2xx to 200 and 404 to 400 (a 404 would read as "no such route").
    res.status(status >= 200 && status < 300 ? 200 : status === 404 ? 400 : status).json({ output });
    logger.info('proxy v0', { status });
  });

  return router;
}
