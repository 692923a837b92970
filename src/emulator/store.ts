// In-memory records, by object, in creation order. Deletes are soft (IsDeleted) like Salesforce's
// recycle bin, so a later read can tell "deleted" from "never existed". Every change is journalled
// while a savepoint is open so allOrNone requests can roll back.

export type FieldValues = Record<string, unknown>;

/** A stored record: canonical field names → values. Always has Id (18 chars) and IsDeleted. */
export interface StoredRecord extends FieldValues {
  Id: string;
  IsDeleted: boolean;
}

type Undo = () => void;

/** Equality index key: Salesforce matches text case-insensitively; null is never a key. */
function indexKey(value: unknown): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : String(value).toLowerCase();
}

type FieldIndex = Map<string, Set<StoredRecord>>;

export class RecordStore {
  private readonly byObject = new Map<string, Map<string, StoredRecord>>();
  private journal: Undo[] | undefined;
  /** object → field → key → records; built on first use per field, then kept current. */
  private readonly indexes = new Map<string, Map<string, FieldIndex>>();

  private table(objectName: string): Map<string, StoredRecord> {
    const key = objectName.toLowerCase();
    let t = this.byObject.get(key);
    if (!t) {
      t = new Map();
      this.byObject.set(key, t);
    }
    return t;
  }

  /** Looks up by the 15-character case-sensitive core, so 15- and 18-character Ids both work. */
  get(objectName: string, id18: string): StoredRecord | undefined {
    return this.table(objectName).get(id18.slice(0, 15));
  }

  all(objectName: string): StoredRecord[] {
    return [...this.table(objectName).values()];
  }

  live(objectName: string): StoredRecord[] {
    return this.all(objectName).filter((r) => !r.IsDeleted);
  }

  insert(objectName: string, record: StoredRecord): void {
    const t = this.table(objectName);
    const key = record.Id.slice(0, 15);
    t.set(key, record);
    this.reindex(objectName, record, undefined);
    this.journal?.push(() => {
      t.delete(key);
      this.unindex(objectName, record);
    });
  }

  /** Removes a record for good (a hard delete: no recycle bin, invisible to queryAll). */
  remove(objectName: string, record: StoredRecord): void {
    const t = this.table(objectName);
    const key = record.Id.slice(0, 15);
    if (t.get(key) !== record) return;
    t.delete(key);
    this.unindex(objectName, record);
    this.journal?.push(() => {
      t.set(key, record);
      this.reindex(objectName, record, undefined);
    });
  }

  /** Rows stored over all objects, deleted ones included. */
  size(): number {
    let n = 0;
    for (const t of this.byObject.values()) n += t.size;
    return n;
  }

  /** Applies changes in place (the object identity stays, so callers holding it see the change). */
  update(objectName: string, record: StoredRecord, changes: FieldValues): void {
    const before = { ...record };
    Object.assign(record, changes);
    this.reindex(objectName, record, before);
    this.journal?.push(() => {
      const after = { ...record };
      for (const k of Object.keys(record)) delete record[k];
      Object.assign(record, before);
      this.reindex(objectName, record, after);
    });
  }

  /** Live records whose `field` equals `value` case-insensitively (upsert keys, duplicate rules). */
  findLive(objectName: string, field: string, value: unknown): StoredRecord[] {
    const key = indexKey(value);
    if (key === undefined) return [];
    return [...(this.fieldIndex(objectName, field).get(key) ?? [])].filter((r) => !r.IsDeleted);
  }

  clear(): void {
    this.byObject.clear();
    this.indexes.clear();
    this.journal = undefined;
  }

  private fieldIndex(objectName: string, field: string): FieldIndex {
    const objectKey = objectName.toLowerCase();
    let byField = this.indexes.get(objectKey);
    if (!byField) {
      byField = new Map();
      this.indexes.set(objectKey, byField);
    }
    let index = byField.get(field);
    if (!index) {
      index = new Map();
      for (const r of this.table(objectName).values()) add(index, indexKey(r[field]), r);
      byField.set(field, index);
    }
    return index;
  }

  private reindex(objectName: string, record: StoredRecord, before: FieldValues | undefined): void {
    for (const [field, index] of this.indexes.get(objectName.toLowerCase()) ?? []) {
      const oldKey = before ? indexKey(before[field]) : undefined;
      const newKey = indexKey(record[field]);
      if (before && oldKey === newKey) continue;
      if (oldKey !== undefined) index.get(oldKey)?.delete(record);
      add(index, newKey, record);
    }
  }

  private unindex(objectName: string, record: StoredRecord): void {
    for (const [field, index] of this.indexes.get(objectName.toLowerCase()) ?? []) {
      const key = indexKey(record[field]);
      if (key !== undefined) index.get(key)?.delete(record);
    }
  }

  /** Runs `work`; when it reports failure (or throws) every change it made is undone. Nests. */
  atomically<T>(work: () => { result: T; commit: boolean }): T {
    const outermost = this.journal === undefined;
    if (outermost) this.journal = [];
    const journal = this.journal as Undo[];
    const mark = journal.length;
    try {
      const { result, commit } = work();
      if (!commit) this.rollbackTo(journal, mark);
      return result;
    } catch (e) {
      this.rollbackTo(journal, mark);
      throw e;
    } finally {
      if (outermost) this.journal = undefined;
    }
  }

  private rollbackTo(journal: Undo[], mark: number): void {
    while (journal.length > mark) (journal.pop() as Undo)();
  }
}

function add(index: FieldIndex, key: string | undefined, record: StoredRecord): void {
  if (key === undefined) return;
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(record);
}
