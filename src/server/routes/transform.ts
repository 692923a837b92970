// POST /transform: events in, record operations out. Pure: no network, no credentials.
import type { RequestHandler } from 'express';
import type winston from 'winston';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { transformItems } from '../../mapping/transform.js';
import { requestedShape, type AnswerShape } from '../answer-shape.js';
import { bodyError, checkItemArray } from '../json-body.js';
import { statusCounts } from '../logger.js';
import { sendJson } from '../send-json.js';
import { countEvents, mappingSeconds } from '../../observe/metrics.js';

export function transformRoute(
  store: MappingStore,
  logger: winston.Logger,
  defaultShape: AnswerShape = 'compact',
): RequestHandler {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const refusal = checkItemArray(req.body);
    if (refusal) {
      sendJson(res, refusal.status, refusal.body);
      logger.info('transform refused', { code: refusal.body.error.code });
      return;
    }
    const shape = requestedShape(req.query, defaultShape);
    if (typeof shape === 'object') {
      sendJson(res, 400, bodyError('INVALID_ANSWER_SHAPE', shape.error));
      return;
    }
    // One snapshot of the mappings for the whole request: a reload mid-request cannot mix versions.
    const set = store.current;
    // `http` steps only for the shape that shows them (the compact one would throw them away).
    const results = await transformItems(req.body as unknown[], set, { http: shape === 'full' });
    sendJson(res, 200, results);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    mappingSeconds.observe(ms / 1000);
    countEvents('transform', results);
    if (logger.isInfoEnabled())
      logger.info('transform', { events: results.length, ms, statuses: statusCounts(results) });
  };
}
