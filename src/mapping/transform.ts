// POST /transform's work: each item mapped on its own, so one bad event never fails its neighbours.
import type { TransformItem, TransformResult } from './event.js';
import { mapEvent, type MapOptions } from './map-event.js';
import type { MappingSet } from './mapping-set.js';

export async function transformItems(items: readonly unknown[], set: MappingSet, options: MapOptions = {}): Promise<TransformResult[]> {
  const out: TransformResult[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as TransformItem;
    const metadata = (item as { metadata?: TransformItem['metadata'] }).metadata;
    if (item.message === undefined) {
      out[i] = { metadata, statusCode: 400, error: `item [${i}] has no "message"`, errorCode: 'INVALID_EVENT' };
      continue;
    }
    out[i] = await mapEvent(item, set, options);
  }
  return out;
}
