// POST /transform's work: each item mapped on its own, so one bad event never fails its neighbours.
// Items whose expressions all take the fast path are mapped synchronously; only an item that needs
// JSONata is awaited (evaluation.ts).
import type { TransformItem, TransformResult } from './event.js';
import { mapEventNow, type MapOptions } from './map-event.js';
import type { MappingSet } from './mapping-set.js';

export async function transformItems(
  items: readonly unknown[],
  set: MappingSet,
  options: MapOptions = {},
): Promise<TransformResult[]> {
  const out: TransformResult[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as TransformItem;
    const metadata = (item as { metadata?: TransformItem['metadata'] }).metadata;
    if (item.message === undefined) {
      out[i] = { metadata, statusCode: 400, error: `item [${i}] has no "message"`, errorCode: 'INVALID_EVENT' };
      continue;
    }
    try {
      const r = mapEventNow(item, set, options);
      out[i] = r instanceof Promise ? await r : r;
    } catch (err) {
      // A defect must not turn one event into a failed batch that the router retries forever.
      out[i] = {
        metadata,
        statusCode: 400,
        error: `could not map this event (internal error: ${(err as Error)?.message ?? String(err)})`,
        errorCode: 'INTERNAL_ERROR',
      };
    }
  }
  return out;
}
