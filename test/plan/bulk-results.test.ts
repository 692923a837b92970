// Bulk result rows come back in any order with the uploaded columns echoed: each must find its
// own uploaded row, by key column when there is one, by content otherwise.
import { expect } from 'chai';
import { buildBulkCsv } from '../../src/plan/bulk-csv.js';
import { correlateBulkResults, parseCsv, splitBulkError } from '../../src/plan/bulk-results.js';

describe('plan/bulk-results', () => {
  it('places shuffled upsert results by the external id column', () => {
    const csv = buildBulkCsv(
      [
        { Ext__c: 'a', LastName: 'A, "x"' },
        { Ext__c: 'b', LastName: 'B' },
        { Ext__c: 'c', LastName: 'C\nline' },
      ],
      ['Ext__c'],
    );
    const rows = parseCsv(csv.text);
    const ok = [
      { sf__Id: 'id-c', sf__Created: 'true', ...rows[2] },
      { sf__Id: 'id-a', sf__Created: 'false', ...rows[0] },
    ];
    const bad = [{ sf__Id: '', sf__Error: 'STRING_TOO_LONG:LastName: too long:LastName --', ...rows[1] }];
    const { results, unplaced } = correlateBulkResults(csv, 'Ext__c', ok, bad);
    expect(unplaced).to.equal(0);
    expect(results).to.deep.equal([
      { success: true, id: 'id-a', created: false },
      { success: false, error: 'STRING_TOO_LONG:LastName: too long:LastName --' },
      { success: true, id: 'id-c', created: true },
    ]);
  });

  it('places insert results by whole content; identical rows pair up in upload order; a missing row stays unknown', () => {
    const csv = buildBulkCsv([
      { LastName: 'Same' },
      { LastName: 'Same' },
      { LastName: 'Other', City: 'Paris' },
      { LastName: 'Lost' },
    ]);
    const ok = [
      { sf__Id: 'id-o', sf__Created: 'true', LastName: 'Other', City: 'Paris' },
      { sf__Id: 'id-s2', sf__Created: 'true', LastName: 'Same', City: '' },
      { sf__Id: 'id-s1', sf__Created: 'true', LastName: 'Same', City: '' },
      { sf__Id: 'id-x', sf__Created: 'true', LastName: 'Stranger', City: '' },
    ];
    const { results, unplaced } = correlateBulkResults(csv, undefined, ok, []);
    expect(results.map((r) => (r && r.success ? r.id : r))).to.deep.equal(['id-s2', 'id-s1', 'id-o', undefined]);
    expect(unplaced).to.equal(1);
  });

  it("splits Salesforce's CODE:message errors", () => {
    expect(splitBulkError('UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:--')).to.deep.equal({
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'unable to obtain exclusive access:--',
    });
    expect(splitBulkError('something odd')).to.deep.equal({ message: 'something odd' });
  });
});
