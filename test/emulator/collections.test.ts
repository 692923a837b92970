import { expect } from 'chai';
import type { RunningEmulator } from '../../src/emulator/emulator.js';
import { Client, useEmulator, V } from './client.js';

describe('emulator: sObject Collections and Composite', () => {
  let emulator: RunningEmulator;
  let sf: Client;
  useEmulator((e, c) => {
    emulator = e;
    sf = c;
  });

  const lead = (extra: Record<string, unknown>): Record<string, unknown> => ({
    attributes: { type: 'Lead' },
    LastName: 'L',
    Company: 'C',
    ...extra,
  });

  it('create: one result per record, a bad record fails alone with statusCode, one API call in all', async () => {
    const r = await sf.call('POST', `${V}/composite/sobjects`, {
      allOrNone: false,
      records: [
        lead({ Email: 'a@example.com' }),
        lead({ Email: 'b@example.com', LastName: null }),
        lead({ Email: 'c@example.com' }),
      ],
    });
    expect(r.status).to.equal(200);
    expect(r.body).to.have.length(3);
    expect(r.body[0]).to.deep.include({ success: true, errors: [] });
    expect(r.body[1].success).to.equal(false);
    expect(r.body[1].errors).to.deep.equal([
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ]);
    expect(r.body[2].success).to.equal(true);
    expect(emulator.state.list('Lead').map((l) => l.Email)).to.deep.equal(['a@example.com', 'c@example.com']);
    expect(emulator.state.getStats()).to.deep.include({ apiCalls: 1, byPath: { 'POST composite/sobjects': 1 } });
  });

  it('allOrNone: one failure rolls every record back; the others say ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
    emulator.state.addRecordFault({
      object: 'Lead',
      field: 'Email',
      value: 'locked@example.com',
      statusCode: 'UNABLE_TO_LOCK_ROW',
    });
    const r = await sf.call('POST', `${V}/composite/sobjects`, {
      allOrNone: true,
      records: [lead({ Email: 'a@example.com' }), lead({ Email: 'locked@example.com' })],
    });
    expect(r.status).to.equal(200);
    expect(r.body[0]).to.deep.include({ success: false });
    expect(r.body[0].errors[0].statusCode).to.equal('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(r.body[1].errors[0].statusCode).to.equal('UNABLE_TO_LOCK_ROW');
    expect(emulator.state.list('Lead')).to.have.length(0);
  });

  it('an unknown field or wrong JSON type fails the whole request; more than 200 records → 400', async () => {
    const unknown = await sf.call('POST', `${V}/composite/sobjects`, { records: [lead({}), lead({ Bogus__c: 1 })] });
    expect(unknown.status).to.equal(400);
    expect(unknown.body[0].errorCode).to.equal('INVALID_FIELD');
    const tooMany = await sf.call('POST', `${V}/composite/sobjects`, {
      records: Array.from({ length: 201 }, () => lead({})),
    });
    expect(tooMany.status).to.equal(400);
    expect(tooMany.body[0].errorCode).to.equal('EXCEEDED_ID_LIMIT');
    expect(emulator.state.list('Lead')).to.have.length(0);
  });

  it('update by Id, upsert by external id with per-record created, retrieve, and delete', async () => {
    const [a, b] = emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'a@example.com' },
      { LastName: 'B', Company: 'C', Email: 'b@example.com' },
    ]);
    const upd = await sf.call('PATCH', `${V}/composite/sobjects`, {
      records: [
        { attributes: { type: 'Lead' }, Id: a.Id, Title: 'T' },
        { attributes: { type: 'Lead' }, Title: 'no id' },
      ],
    });
    expect(upd.body[0]).to.deep.equal({ id: a.Id, success: true, errors: [] });
    expect(upd.body[1].errors[0].statusCode).to.equal('MISSING_ARGUMENT');

    const ups = await sf.call('PATCH', `${V}/composite/sobjects/Lead/Email`, {
      allOrNone: false,
      records: [lead({ Email: 'B@example.com', Title: 'upd' }), lead({ Email: 'new@example.com' })],
    });
    expect(ups.status).to.equal(200);
    expect(ups.body[0]).to.deep.equal({ id: b.Id, success: true, errors: [], created: false });
    expect(ups.body[1]).to.deep.include({ success: true, created: true });
    expect(emulator.state.get('Lead', b.Id)?.Title).to.equal('upd');
    expect(
      (await sf.call('PATCH', `${V}/composite/sobjects/Lead/Title`, { records: [lead({ Title: 'x' })] })).status,
    ).to.equal(404);

    const got = await sf.call('GET', `${V}/composite/sobjects/Lead?ids=${a.Id},${b.Id}&fields=Title,Email`);
    expect(got.body.map((x: { Title: string }) => x.Title)).to.deep.equal(['T', 'upd']);

    const del = await sf.call(
      'DELETE',
      `${V}/composite/sobjects?ids=${a.Id},${a.Id.slice(0, 15)}X,garbage&allOrNone=false`,
    );
    expect(del.status).to.equal(200);
    expect(del.body[0]).to.deep.equal({ id: a.Id, success: true, errors: [] });
    expect(del.body[1].success).to.equal(false);
    expect(del.body[2].errors[0].statusCode).to.equal('MALFORMED_ID');
    const again = await sf.call('DELETE', `${V}/composite/sobjects?ids=${a.Id}`);
    expect(again.body[0].errors[0].statusCode).to.equal('ENTITY_IS_DELETED');
  });

  it('upsert collection with several records matching → DUPLICATE_EXTERNAL_ID for that record only', async () => {
    emulator.state.seed('Lead', [
      { LastName: 'A', Company: 'C', Email: 'd@example.com' },
      { LastName: 'B', Company: 'C', Email: 'd@example.com' },
    ]);
    const r = await sf.call('PATCH', `${V}/composite/sobjects/Lead/Email`, {
      records: [lead({ Email: 'd@example.com' }), lead({ Email: 'e@example.com' })],
    });
    expect(r.body[0].errors[0].statusCode).to.equal('DUPLICATE_EXTERNAL_ID');
    expect(r.body[1]).to.deep.include({ success: true, created: true });
  });

  it('composite: references between subrequests, one API call', async () => {
    const r = await sf.call('POST', `${V}/composite`, {
      allOrNone: false,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Acme' } },
        {
          method: 'POST',
          url: `${V}/sobjects/Contact`,
          referenceId: 'ctc',
          body: { LastName: 'L', AccountId: '@{acct.id}' },
        },
        {
          method: 'GET',
          url: `${V}/query?q=${encodeURIComponent("SELECT Id, AccountId FROM Contact WHERE LastName = 'L'")}`,
          referenceId: 'q',
        },
        {
          method: 'PATCH',
          url: `${V}/sobjects/Contact/@{q.records[0].Id}`,
          referenceId: 'upd',
          body: { Title: 'CEO' },
        },
      ],
    });
    expect(r.status).to.equal(200);
    const [acct, ctc, q, upd] = r.body.compositeResponse;
    expect(acct).to.deep.include({ httpStatusCode: 201, referenceId: 'acct' });
    expect(ctc.httpStatusCode).to.equal(201);
    expect(q.body.records[0].AccountId).to.equal(acct.body.id);
    expect(upd).to.deep.include({ httpStatusCode: 204, body: null });
    expect(emulator.state.get('Contact', ctc.body.id)?.Title).to.equal('CEO');
    expect(emulator.state.getStats().apiCalls).to.equal(1);
  });

  it('composite allOrNone: a failure rolls back earlier subrequests and halts the rest', async () => {
    const r = await sf.call('POST', `${V}/composite`, {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'a', body: { Name: 'Acme' } },
        { method: 'POST', url: `${V}/sobjects/Lead`, referenceId: 'bad', body: { LastName: 'x' } },
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'c', body: { Name: 'Later' } },
      ],
    });
    const codes = r.body.compositeResponse.map((s: { httpStatusCode: number; body: { errorCode: string }[] }) => [
      s.httpStatusCode,
      s.body[0].errorCode,
    ]);
    expect(codes).to.deep.equal([
      [400, 'PROCESSING_HALTED'],
      [400, 'REQUIRED_FIELD_MISSING'],
      [400, 'PROCESSING_HALTED'],
    ]);
    expect(emulator.state.list('Account')).to.have.length(0);
    const tooMany = await sf.call('POST', `${V}/composite`, {
      compositeRequest: Array.from({ length: 26 }, (_, i) => ({
        method: 'GET',
        url: `${V}/sobjects`,
        referenceId: `r${i}`,
      })),
    });
    expect(tooMany.status).to.equal(400);
  });
});
