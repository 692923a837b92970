// /__emulator/source/* : fill the org and change it between two syncs, over HTTP (the sync's tests
// run the product in another process). Thin: each route is one OrgMutations or generator call.
//   POST source/generate              {rows, seed?, days?, deletedShare?, objects?} → {rows, counts, ms}
//   GET  source/counts                → {Object: {live, deleted}}
//   POST source/update/{Object}       {ids? | count?, seed?, changes?, at?}   → {ids}
//   POST source/soft-delete/{Object}  {ids? | count?, seed?, at?}            → {ids}
//   POST source/hard-delete/{Object}  {ids? | count?, seed?}                 → {ids}
//   POST source/add-field/{Object}    {field: {name, type, ...}, value?}     → {field}
//   POST source/remove-field/{Object} {name}                               → {field}
//   POST source/set-values/{Object}   {ids? | count? | all?, values}         → {ids}
//   POST source/late-row/{Object}     {systemModstamp? | secondsAgo?, values?} → the stored row

import type { AdminResponse } from './admin.js';
import { generateOrg, type GenerateOptions } from './generator.js';
import type { AddFieldSpec, RowChoice } from './mutations.js';
import type { EmulatorState } from './state.js';
import type { FieldValues } from './store.js';

export function handleSourceAdmin(
  state: EmulatorState,
  method: string,
  parts: string[],
  body: unknown,
): AdminResponse | undefined {
  const [verb, object] = parts;
  const spec = (body ?? {}) as Record<string, unknown>;
  const m = state.mutations;
  if (method === 'GET' && verb === 'counts') return { status: 200, body: counts(state) };
  if (method !== 'POST') return undefined;
  if (verb === 'generate') return { status: 200, body: generateOrg(state, spec as unknown as GenerateOptions) };
  if (!object) return undefined;
  switch (verb) {
    case 'update':
      return { status: 200, body: { ids: m.update(object, spec) } };
    case 'soft-delete':
      return { status: 200, body: { ids: m.softDelete(object, spec) } };
    case 'hard-delete':
      return { status: 200, body: { ids: m.hardDelete(object, spec) } };
    case 'add-field':
      return { status: 201, body: { field: m.addField(object, spec as unknown as AddFieldSpec) } };
    case 'remove-field':
      return { status: 200, body: { field: m.removeField(object, String(spec.name ?? '')) } };
    case 'set-values':
      return {
        status: 200,
        body: { ids: m.setValues(object, spec as unknown as RowChoice & { values: FieldValues; all?: boolean }) },
      };
    case 'late-row':
      return { status: 201, body: m.insertLate(object, spec) };
    default:
      return undefined;
  }
}

function counts(state: EmulatorState): Record<string, { live: number; deleted: number }> {
  const out: Record<string, { live: number; deleted: number }> = {};
  for (const o of state.registry.list()) {
    let live = 0;
    let deleted = 0;
    for (const r of state.store.all(o.name)) {
      if (r.IsDeleted) deleted++;
      else live++;
    }
    if (live + deleted > 0) out[o.name] = { live, deleted };
  }
  return out;
}
