// Salesforce values to the warehouse's text form, and Bulk CSV pages that are not what they should be.
import { expect } from 'chai';
import type { SalesforceClient, SfRequest, SfResponse } from '../../src/deliver/salesforce-client.js';
import { BulkAnswerError, DEFAULT_BULK_OPTIONS, readResults } from '../../src/source/bulk-query-reader.js';
import { BadValueError, convertRow } from '../../src/source/row-values.js';
import type { Column } from '../../src/source/sync-plan.js';

const COLS: Column[] = [
  { name: 'id', field: 'Id', type: 'text' },
  { name: 'is_deleted', field: 'IsDeleted', type: 'boolean' },
  { name: 'annual_revenue', field: 'AnnualRevenue', type: 'numeric' },
  { name: 'number_of_employees', field: 'NumberOfEmployees', type: 'bigint' },
  { name: 'converted_date', field: 'ConvertedDate', type: 'date' },
  { name: 'system_modstamp', field: 'SystemModstamp', type: 'timestamptz' },
];

/** Answers every request with the next canned response. */
function canned(responses: SfResponse[]): SalesforceClient & { requests: SfRequest[] } {
  const requests: SfRequest[] = [];
  return {
    apiVersion: '66.0',
    instanceUrl: 'https://x.my.salesforce.com',
    requests,
    request: async (r) => (requests.push(r), responses.shift() as SfResponse),
  };
}

describe('source row values and Bulk CSV pages', () => {
  it('converts REST JSON and Bulk CSV alike; an empty CSV cell is null', () => {
    const json = convertRow(
      'Lead',
      {
        Id: '00Q1',
        IsDeleted: true,
        AnnualRevenue: 1.5,
        NumberOfEmployees: 12,
        ConvertedDate: '2024-02-29',
        SystemModstamp: '2024-03-01T10:00:00.000+0000',
      },
      COLS,
      'json',
    );
    const csv = convertRow(
      'Lead',
      {
        Id: '00Q1',
        IsDeleted: 'true',
        AnnualRevenue: '1.5',
        NumberOfEmployees: '12',
        ConvertedDate: '2024-02-29',
        SystemModstamp: '2024-03-01T10:00:00.000Z',
      },
      COLS,
      'csv',
    );
    expect(json.values).to.deep.equal(['00Q1', 'true', '1.5', '12', '2024-02-29', '2024-03-01T10:00:00.000Z']);
    expect(csv.values).to.deep.equal(json.values);
    expect(convertRow('Lead', { Id: '00Q1', IsDeleted: '', AnnualRevenue: '' }, COLS, 'csv').values).to.deep.equal([
      '00Q1',
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('a value that does not fit its column names the record and the field', () => {
    expect(() => convertRow('Lead', { Id: '00Q9', NumberOfEmployees: '12.5' }, COLS, 'csv')).to.throw(
      BadValueError,
      'Lead 00Q9, field NumberOfEmployees: "12.5" is not an integer',
    );
    expect(() => convertRow('Lead', { Id: '00Q9', SystemModstamp: 'yesterday' }, COLS, 'json')).to.throw(
      BadValueError,
      'Lead 00Q9, field SystemModstamp: "yesterday" is not a date-time',
    );
  });

  it('removes NUL bytes (PostgreSQL text cannot hold them) and says which fields had them', () => {
    const out = convertRow('Lead', { Id: '00Q1\u0000' }, [COLS[0]], 'csv');
    expect(out).to.deep.equal({ values: ['00Q1'], strippedNul: ['Id'] });
  });

  it('pages Bulk results by Sforce-Locator and stops at "null"', async () => {
    const client = canned([
      { status: 200, headers: { 'sforce-locator': 'MTAw' }, body: 'Id,Name\n001A,"Acme, Inc"\n' },
      { status: 200, headers: { 'sforce-locator': 'null' }, body: 'Id,Name\n001B,"Say ""hi"""\n' },
    ]);
    const pages = [];
    for await (const p of readResults(client, '750000000000001AAA', null, 'accounts (Account)', DEFAULT_BULK_OPTIONS))
      pages.push(p);
    expect(pages).to.deep.equal([
      { records: [{ Id: '001A', Name: 'Acme, Inc' }], next: 'MTAw' },
      { records: [{ Id: '001B', Name: 'Say "hi"' }], next: null },
    ]);
    expect(client.requests[1].query).to.deep.equal({ maxRecords: '50000', locator: 'MTAw' });
  });

  it('a malformed CSV row is an error naming the collection, the job, the page and the line', async () => {
    const client = canned([
      { status: 200, headers: { 'sforce-locator': 'null' }, body: 'Id,Name\n001A,ok\n001B,"broken\u0000\n' },
    ]);
    let error: Error | undefined;
    try {
      for await (const _ of readResults(
        client,
        '750000000000001AAA',
        'MTAw',
        'accounts (Account)',
        DEFAULT_BULK_OPTIONS,
      )) {
        /* read */
      }
    } catch (e) {
      error = e as Error;
    }
    expect(error).to.be.instanceOf(BulkAnswerError);
    expect(error?.message).to.match(
      /^accounts \(Account\): results of Bulk query job 750000000000001AAA \(locator MTAw\): malformed CSV at line 3: /,
    );
  });
});
