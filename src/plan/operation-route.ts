// How one operation reaches its record, decided in one place for /proxy's batched plan and for
// /transform's per-operation descriptors, so the two can never disagree: a direct write (known Id,
// native external-id upsert, plain create), or a lookup whose answer picks the write (found →
// update or delete; found a converted lead → its Contact; found nothing → create, for an upsert)
// or picks nothing at all on purpose (Segment's sync modes: add skips a record that exists,
// whenNotFound: skip skips a missing one). Pure.
import type { FieldValue, Match, Operation } from '../operation/operation.js';
import type { Skip } from '../operation/outcome.js';
import type { WriteIntent } from './record-merge.js';

/** A write, less the operation's ref and the record's Id (which a lookup answer may supply). */
export type RouteWrite = Omit<WriteIntent, 'ref' | 'sameNewRecord'>;

/** The write a found record asks for; the record's Id is its field `idFrom`. */
export interface FoundWrite {
  write: RouteWrite;
  idFrom: string;
}

/** This answer writes nothing, on purpose: the operation is delivered as skipped (200) with this code. */
export interface RouteSkip {
  skip: Skip['code'];
}

export type Route =
  | { via: 'direct'; write: RouteWrite }
  | {
      via: 'lookup';
      match: Match;
      /** Fields the found record must carry besides Id (what `converted` reads). */
      select: readonly string[];
      /** One record found (a skip takes any number found: sync mode add skips all that exist). */
      found: FoundWrite | RouteSkip;
      /** The record found is a converted lead (its field `when` is true): write its Contact instead. */
      converted?: FoundWrite & { when: string };
      /** Nothing found: this write (an upsert's or add's create), a skip, or, absent, a failure (NOT_FOUND). */
      notFound?: RouteWrite | RouteSkip;
    };

/** Shared by every route that reads nothing but Id (never mutated). */
const NOTHING: readonly string[] = [];
const RECORD_EXISTS: RouteSkip = { skip: 'RECORD_EXISTS' };
const NO_RECORD: RouteSkip = { skip: 'NO_RECORD' };

const hasKeys = (o: object | undefined): boolean => o !== undefined && Object.keys(o).length > 0;

export const isSkip = (x: FoundWrite | RouteWrite | RouteSkip): x is RouteSkip => 'skip' in x;

export function routeOperation(op: Operation): Route {
  const object = op.object;
  const fields: Record<string, FieldValue> = op.fields ?? {};
  const bulk = op.bulk === true;
  const matched = op.match !== undefined && hasKeys(op.match.fields);
  // Literal objects, not spreads of a shared base (nor closures): this runs for every operation /transform builds.
  // A create with matchers (sync mode add) looks its record up first, like an upsert.
  if (op.operation === 'create' && !matched)
    return { via: 'direct', write: { object, fields, bulk, kind: 'create', createFields: op.createFields } };
  if (op.recordId && op.operation !== 'create')
    return {
      via: 'direct',
      write: { object, fields, bulk, kind: op.operation === 'delete' ? 'delete' : 'update', id: op.recordId },
    };
  // Native upsert cannot tell create from update, so create-only fields need the lookup path.
  if (op.operation === 'upsert' && op.externalId && !hasKeys(op.createFields)) {
    return { via: 'direct', write: { object, fields, bulk, kind: 'upsert', externalId: op.externalId } };
  }
  const match: Match | undefined = matched
    ? op.match
    : op.externalId
      ? { operator: 'OR', fields: { [op.externalId.field]: op.externalId.value } }
      : undefined;
  if (match) {
    // update/delete: a miss fails the event unless the rule says to skip it.
    const miss = op.whenNotFound === 'skip' ? NO_RECORD : undefined;
    if (op.operation === 'delete')
      return {
        via: 'lookup',
        match,
        select: NOTHING,
        found: { write: { object, fields, bulk, kind: 'delete' }, idFrom: 'Id' },
        notFound: miss,
      };
    const follow = op.follow;
    const select = follow ? [follow.when, follow.idField] : NOTHING;
    if (op.operation === 'create') {
      // Sync mode add (seed 002): "If it does exist, Segment skips the record." A later event of the
      // batch that finds the same new record skips it too (addOnly).
      return {
        via: 'lookup',
        match,
        select,
        found: RECORD_EXISTS,
        notFound: { object, fields, bulk, kind: 'create', createFields: op.createFields, addOnly: true },
      };
    }
    const found: FoundWrite = { write: { object, fields, bulk, kind: 'update' }, idFrom: 'Id' };
    const converted = follow
      ? {
          when: follow.when,
          idFrom: follow.idField,
          write: { object: follow.object, fields: follow.fields, bulk, kind: 'update' as const },
        }
      : undefined;
    const notFound: RouteWrite | RouteSkip | undefined =
      op.operation === 'upsert' ? { object, fields, bulk, kind: 'create', createFields: op.createFields } : miss;
    return { via: 'lookup', match, select, found, converted, notFound };
  }
  if (op.operation === 'upsert')
    return { via: 'direct', write: { object, fields, bulk, kind: 'create', createFields: op.createFields } };
  throw new Error(`${op.operation} of ${op.object} needs a record Id, an external id or match fields`);
}
