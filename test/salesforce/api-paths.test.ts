import { expect } from 'chai';
import {
  apiBase,
  compositePath,
  compositeSobjectsPath,
  externalIdPath,
  ingestBatchesPath,
  ingestFailedResultsPath,
  ingestJobPath,
  ingestJobsPath,
  ingestSuccessfulResultsPath,
  ingestUnprocessedRecordsPath,
  oauthTokenPath,
  queryPath,
  sobjectDescribePath,
  sobjectPath,
} from '../../src/salesforce/api-paths.js';
import { DEFAULT_API_VERSION } from '../../src/salesforce/api-names.js';

describe('salesforce/api-paths', () => {
  it('builds the base and query paths, defaulting to API 66.0', () => {
    expect(DEFAULT_API_VERSION).to.equal('66.0');
    expect(apiBase()).to.equal('/services/data/v66.0');
    expect(apiBase('59.0')).to.equal('/services/data/v59.0');
    expect(apiBase('100.0')).to.equal('/services/data/v100.0');
    expect(queryPath('66.0')).to.equal('/services/data/v66.0/query');
    expect(oauthTokenPath).to.equal('/services/oauth2/token');
  });

  it('refuses malformed versions', () => {
    for (const v of ['66', 'v66.0', '66.0/../..', '6.0', '66.00', '', '66.0 ']) {
      expect(() => apiBase(v), v).to.throw(/API version/);
    }
  });

  it('builds sObject paths with a record Id or a lookup placeholder', () => {
    expect(sobjectPath('66.0', 'Lead')).to.equal('/services/data/v66.0/sobjects/Lead');
    expect(sobjectPath('66.0', 'Lead', '00Q5g00000AbCdEEAV')).to.equal(
      '/services/data/v66.0/sobjects/Lead/00Q5g00000AbCdEEAV',
    );
    expect(sobjectPath('66.0', 'Contact', '{ConvertedContactId}')).to.equal(
      '/services/data/v66.0/sobjects/Contact/{ConvertedContactId}',
    );
    expect(sobjectDescribePath('66.0', 'Case')).to.equal('/services/data/v66.0/sobjects/Case/describe');
    expect(() => sobjectPath('66.0', 'Lead/../Account')).to.throw(/object name/);
    expect(() => sobjectPath('66.0', 'Lead', '../Account')).to.throw(/record Id/);
    expect(() => sobjectPath('66.0', 'Lead', '00Q5g00000AbCd')).to.throw(/record Id/);
  });

  it('URL-encodes external id values, never raw', () => {
    expect(externalIdPath('66.0', 'Contact', 'UserId__c', 'a/b c?')).to.equal(
      '/services/data/v66.0/sobjects/Contact/UserId__c/a%2Fb%20c%3F',
    );
    expect(externalIdPath('66.0', 'Lead', 'Email', "o'neil+x@ex.com#1&q=2")).to.equal(
      "/services/data/v66.0/sobjects/Lead/Email/o'neil%2Bx%40ex.com%231%26q%3D2",
    );
    expect(externalIdPath('66.0', 'Lead', 'Ext__c', '%2F')).to.equal('/services/data/v66.0/sobjects/Lead/Ext__c/%252F');
    // Dot segments (even encoded as %2E%2E) are collapsed by URL parsers into a different resource.
    expect(
      new URL('/services/data/v66.0/sobjects/Lead/Ext__c/%2E%2E', 'https://x.my.salesforce.com').pathname,
    ).to.equal('/services/data/v66.0/sobjects/Lead/');
    expect(() => externalIdPath('66.0', 'Lead', 'Ext__c', '..')).to.throw(/cannot be sent in a URL path/);
    expect(() => externalIdPath('66.0', 'Lead', 'Ext__c', '.')).to.throw(/cannot be sent in a URL path/);
    expect(externalIdPath('66.0', 'Lead', 'Ext__c', '...')).to.equal('/services/data/v66.0/sobjects/Lead/Ext__c/...');
    const built = externalIdPath('66.0', 'Contact', 'UserId__c', 'a/b c?');
    expect(new URL(built, 'https://x.my.salesforce.com').pathname).to.equal(built);
    expect(() => externalIdPath('66.0', 'Lead', 'Ext__c', '')).to.throw(/non-empty/);
    expect(() => externalIdPath('66.0', 'Lead', 'Ext__c/x', 'v')).to.throw(/external id field/);
  });

  it('builds composite and collection paths', () => {
    expect(compositePath('66.0')).to.equal('/services/data/v66.0/composite');
    expect(compositeSobjectsPath('66.0')).to.equal('/services/data/v66.0/composite/sobjects');
    expect(compositeSobjectsPath('66.0', 'Contact', 'UserId__c')).to.equal(
      '/services/data/v66.0/composite/sobjects/Contact/UserId__c',
    );
    expect(compositeSobjectsPath('66.0', 'Account')).to.equal('/services/data/v66.0/composite/sobjects/Account');
    expect(() => compositeSobjectsPath('66.0', undefined, 'UserId__c')).to.throw(/needs an object/);
    expect(() => compositeSobjectsPath('66.0', 'Contact', 'Id;x')).to.throw();
  });

  it('builds Bulk API 2.0 ingest paths', () => {
    const job = '7505g00000Xyz12AAA';
    expect(ingestJobsPath('66.0')).to.equal('/services/data/v66.0/jobs/ingest');
    expect(ingestJobPath('66.0', job)).to.equal(`/services/data/v66.0/jobs/ingest/${job}`);
    expect(ingestBatchesPath('66.0', job)).to.equal(`/services/data/v66.0/jobs/ingest/${job}/batches`);
    expect(ingestSuccessfulResultsPath('66.0', job)).to.equal(
      `/services/data/v66.0/jobs/ingest/${job}/successfulResults/`,
    );
    expect(ingestFailedResultsPath('66.0', job)).to.equal(`/services/data/v66.0/jobs/ingest/${job}/failedResults/`);
    expect(ingestUnprocessedRecordsPath('66.0', job)).to.equal(
      `/services/data/v66.0/jobs/ingest/${job}/unprocessedrecords/`,
    );
    expect(() => ingestJobPath('66.0', '750/../../sobjects')).to.throw(/job Id/);
  });
});
