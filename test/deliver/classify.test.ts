import { expect } from 'chai';
import { classifyError, classifyRecordErrors, classifyResponse, severalMatches } from '../../src/deliver/classify.js';
import { AuthError, LoginError, TransportError, type SfResponse } from '../../src/deliver/salesforce-client.js';

const json = (status: number, body: unknown): SfResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body,
});
const html = (status: number, page: string): SfResponse => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: page,
});
const sfError = (errorCode: string, message: string, fields?: string[]) => [
  { errorCode, message, ...(fields ? { fields } : {}) },
];

describe('classify: REFERENCE §3, row by row', () => {
  it('2xx → 200 delivered (201 create, 204 update, 200 upsert)', () => {
    expect(classifyResponse(json(201, { id: '00Q', success: true, errors: [] }))).to.deep.equal({ statusCode: 200 });
    expect(classifyResponse({ status: 204, headers: {}, body: '' })).to.deep.equal({ statusCode: 200 });
    expect(classifyResponse(json(200, { created: false }))).to.deep.equal({ statusCode: 200 });
  });

  it('401 INVALID_SESSION_ID that reaches the classifier → 500 with REFRESH_TOKEN', () => {
    const o = classifyResponse(json(401, sfError('INVALID_SESSION_ID', 'Session expired or invalid')));
    expect(o).to.include({ statusCode: 500, errorCode: 'INVALID_SESSION_ID', authErrorCategory: 'REFRESH_TOKEN' });
    expect(o.error).to.contain('Session expired or invalid');
  });

  it('AuthError (no refresh possible) → 500 with REFRESH_TOKEN', () => {
    const o = classifyError(
      new AuthError('the access token expired and no refresh_token was sent', 'INVALID_SESSION_ID'),
    );
    expect(o).to.deep.equal({
      statusCode: 500,
      error: 'the access token expired and no refresh_token was sent',
      errorCode: 'INVALID_SESSION_ID',
      authErrorCategory: 'REFRESH_TOKEN',
    });
  });

  it('403 REQUEST_LIMIT_EXCEEDED → 429 throttled', () => {
    const o = classifyResponse(json(403, sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')));
    expect(o).to.include({ statusCode: 429, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    expect(o.error).to.equal('Salesforce 403: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.');
  });

  it('503 SERVER_UNAVAILABLE → 429 throttled', () => {
    expect(classifyResponse(json(503, sfError('SERVER_UNAVAILABLE', 'Too many requests')))).to.include({
      statusCode: 429,
      errorCode: 'SERVER_UNAVAILABLE',
    });
  });

  it('429 (with or without a body) → 429 throttled', () => {
    expect(classifyResponse({ status: 429, headers: {}, body: '' })).to.include({
      statusCode: 429,
      errorCode: 'HTTP_429',
    });
    expect(classifyResponse(json(429, sfError('REQUEST_LIMIT_EXCEEDED', 'slow down')))).to.include({ statusCode: 429 });
  });

  it('UNABLE_TO_LOCK_ROW bare → 500 retryable, even though Salesforce says 400', () => {
    const o = classifyResponse(
      json(400, sfError('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record')),
    );
    expect(o).to.include({ statusCode: 500, errorCode: 'UNABLE_TO_LOCK_ROW' });
  });

  it('UNABLE_TO_LOCK_ROW inside CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY → 500 retryable', () => {
    const o = classifyResponse(
      json(
        400,
        sfError(
          'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
          'LeadTrigger: execution of AfterUpdate caused by: System.DmlException: Update failed. First exception on row 0; first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record: []',
        ),
      ),
    );
    expect(o.statusCode).to.equal(500);
    expect(o.error).to.contain('CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY').and.contain('UNABLE_TO_LOCK_ROW');
  });

  it('"Too many SOQL queries" → 500 retryable', () => {
    const o = classifyResponse(
      json(
        400,
        sfError(
          'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
          'LeadTrigger: System.LimitException: Too many SOQL queries: 101',
        ),
      ),
    );
    expect(o).to.include({ statusCode: 500, errorCode: 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY' });
  });

  it('500, 502, 503 (other), 504 → 500 retryable, HTML bodies included', () => {
    expect(classifyResponse(json(500, sfError('UNKNOWN_EXCEPTION', 'An unexpected error occurred')))).to.include({
      statusCode: 500,
      errorCode: 'UNKNOWN_EXCEPTION',
    });
    const bad = classifyResponse(
      html(502, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>'),
    );
    expect(bad).to.include({ statusCode: 500, errorCode: 'HTTP_502' });
    expect(bad.error).to.equal(
      'Salesforce answered HTTP 502 Bad Gateway (a body of 89 characters that is not a Salesforce error; not shown)',
    );
    expect(classifyResponse(html(503, '<html>Service Unavailable</html>'))).to.include({
      statusCode: 500,
      errorCode: 'HTTP_503',
    });
    expect(classifyResponse(html(504, '<html><body>Gateway Timeout</body></html>'))).to.include({
      statusCode: 500,
      errorCode: 'HTTP_504',
    });
  });

  it('an unknown page is never echoed, not even its first characters', () => {
    const o = classifyResponse(html(502, `<html><body>secret-ish ${'x'.repeat(5000)}</body></html>`));
    expect(o.error).not.to.include('secret-ish');
    expect(o.error).to.match(
      /^Salesforce answered HTTP 502 Bad Gateway \(a body of 5037 characters that is not a Salesforce error; not shown\)$/,
    );
  });

  for (const code of ['ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EAI_AGAIN']) {
    it(`transport ${code} → 500 retryable`, () => {
      expect(classifyError(new TransportError(code, 'boom'))).to.include({ statusCode: 500, errorCode: code });
      // The same code on a plain system error (not wrapped) is recognised too.
      expect(classifyError(Object.assign(new Error('x'), { code }))).to.include({ statusCode: 500, errorCode: code });
    });
  }

  it('several records match → 400 aborted, nothing written (lookup and 300 upsert)', () => {
    expect(severalMatches('Lead', 2, "with Email = 'a@b.c'")).to.deep.equal({
      statusCode: 400,
      errorCode: 'MULTIPLE_RECORDS_MATCH',
      error: "2 Lead records match with Email = 'a@b.c'; nothing was written",
    });
    const o = classifyResponse(
      json(300, ['/services/data/v66.0/sobjects/Contact/003A', '/services/data/v66.0/sobjects/Contact/003B']),
    );
    expect(o).to.include({ statusCode: 400, errorCode: 'MULTIPLE_CHOICES' });
    expect(o.error).to.contain('2 records match');
  });

  const aborted: Array<[number, string, string]> = [
    [400, 'INVALID_FIELD', "No such column 'Foo__c' on sobject of type Lead"],
    [400, 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]'],
    [400, 'STRING_TOO_LONG', 'Company: data value too large'],
    [400, 'DUPLICATES_DETECTED', 'Use one of these records?'],
    [400, 'DUPLICATE_VALUE', 'duplicate value found: Ext__c duplicates value on record with id: 003'],
    [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Phone must have 10 digits'],
    [400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead'],
    [400, 'MALFORMED_ID', 'malformed id 00Qxx'],
    [400, 'MALFORMED_QUERY', 'unexpected token'],
    [400, 'INVALID_TYPE', "sObject type 'Lede' is not supported"],
    [404, 'NOT_FOUND', 'The requested resource does not exist'],
    [404, 'ENTITY_IS_DELETED', 'entity is deleted'],
    [403, 'INSUFFICIENT_ACCESS', 'insufficient access rights on object id'],
  ];
  for (const [status, code, message] of aborted) {
    it(`${status} ${code} → 400 aborted with Salesforce's errorCode and message`, () => {
      const o = classifyResponse(json(status, sfError(code, message, ['Field__c'])));
      expect(o).to.deep.equal({
        statusCode: 400,
        errorCode: code,
        error: `Salesforce ${status}: ${code}: ${message} (fields: Field__c)`,
      });
    });
  }

  it('several errors in one body are all reported; the first code is the errorCode', () => {
    const o = classifyResponse(
      json(400, [...sfError('REQUIRED_FIELD_MISSING', 'LastName'), ...sfError('STRING_TOO_LONG', 'Company')]),
    );
    expect(o).to.include({ statusCode: 400, errorCode: 'REQUIRED_FIELD_MISSING' });
    expect(o.error).to.contain('REQUIRED_FIELD_MISSING: LastName; STRING_TOO_LONG: Company');
  });

  it('a refused username-password login → 400 aborted with the OAuth error code', () => {
    expect(
      classifyError(
        new LoginError('Salesforce refused the login (invalid_grant): authentication failure', 'invalid_grant'),
      ),
    ).to.include({ statusCode: 400, errorCode: 'invalid_grant' });
  });

  it('an unexpected error of ours → 500 (never an abort that drops the event)', () => {
    expect(classifyError(new Error('bug'))).to.deep.equal({
      statusCode: 500,
      error: 'bug',
      errorCode: 'INTERNAL_ERROR',
    });
  });
});

describe('classify: collection and bulk per-record errors', () => {
  it('uses statusCode as the code (collections) and keeps the message', () => {
    expect(
      classifyRecordErrors([
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Company]',
          fields: ['Company'],
        },
      ]),
    ).to.deep.equal({
      statusCode: 400,
      errorCode: 'REQUIRED_FIELD_MISSING',
      error: 'REQUIRED_FIELD_MISSING: Required fields are missing: [Company] (fields: Company)',
    });
  });
  it('a per-record lock is retryable, a per-record limit is throttled', () => {
    expect(
      classifyRecordErrors([{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }])
        .statusCode,
    ).to.equal(500);
    expect(classifyRecordErrors([{ statusCode: 'REQUEST_LIMIT_EXCEEDED', message: 'limit' }]).statusCode).to.equal(429);
  });
  it('splits Bulk "CODE:message" errors', () => {
    expect(classifyRecordErrors([{ message: 'INVALID_EMAIL_ADDRESS:Email: invalid email address: x' }])).to.include({
      statusCode: 400,
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
    expect(
      classifyRecordErrors([{ message: 'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--' }]),
    ).to.include({ statusCode: 500, errorCode: 'UNABLE_TO_LOCK_ROW' });
  });
  it('no errors at all → 500, not a silent success', () => {
    expect(classifyRecordErrors([]).statusCode).to.equal(500);
  });
});
