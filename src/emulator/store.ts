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

export class RecordStore {
  private readonly byObject = new Map<string, Map<string, StoredRecord>>();
  private journal: Undo[] | undefined;

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
    this.journal?.push(() => t.delete(key));
  }

  /** Applies changes in place (the object identity stays, so callers holding it see the change). */
  update(record: StoredRecord, changes: FieldValues): void {
    const before = { ...record };
    Object.assign(record, changes);
    this.journal?.push(() => {
      for (const k of Object.keys(record)) delete record[k];
      Object.assign(record, before);
    });
  }

  clear(): void {
    this.byObject.clear();
    this.journal = undefined;
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
