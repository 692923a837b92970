// POST /transform: events in, record operations out. Pure: no network, no credentials.
import type { RequestHandler } from 'express';
import type winston from 'winston';
import type { MappingStore } from '../../mapping/mapping-store.js';
import { transformItems } from '../../mapping/transform.js';
import { checkItemArray } from '../json-body.js';
import { statusCounts } from '../logger.js';

export function transformRoute(store: MappingStore, logger: winston.Logger): RequestHandler {
  return async (req, res) => {
    const started = process.hrtime.bigint();
    const refusal = checkItemArray(req.body);
    if (refusal) {
      res.status(refusal.status).json(refusal.body);
      logger.info('transform refused', { code: refusal.body.error.code });
      return;
    }
    // One snapshot of the mappings for the whole request: a reload mid-request cannot mix versions.
    const set = store.current;
    const results = await transformItems(req.body as unknown[], set);
    res.json(results);
    logger.info('transform', {
      events: results.length,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      statuses: statusCounts(results),
    });
  };
}
