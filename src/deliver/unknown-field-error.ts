// Salesforce's ways of saying "this org has no such field", read back from an outcome: REST and
// sObject Collections answer INVALID_FIELD "No such column 'Foo__c' on sobject of type Lead"; a
// Bulk API 2.0 job fails as a whole with "InvalidBatch : Field name not found : Foo__c".
import type { Outcome } from '../operation/outcome.js';

const PATTERNS = [/No such column '([A-Za-z][A-Za-z0-9_]*)'/, /Field name not found : ([A-Za-z][A-Za-z0-9_]*)/];

/** The field an aborted write was refused for as unknown, or undefined. */
export function unknownFieldOf(outcome: Outcome): string | undefined {
  if (outcome.statusCode !== 400 || (outcome.errorCode !== 'INVALID_FIELD' && outcome.errorCode !== 'BULK_JOB_FAILED'))
    return undefined;
  for (const pattern of PATTERNS) {
    const m = pattern.exec(outcome.error ?? '');
    if (m) return m[1];
  }
  return undefined;
}
