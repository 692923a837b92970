import type { Operation } from '../operation/operation.js';
import type { RouterJob } from './protocol.js';

/** A job whose event mapped to operations (POST /transform's status 200), by its index in the request. */
export interface MappedJob {
  index: number;
  job: RouterJob;
  operations: Operation[];
}
