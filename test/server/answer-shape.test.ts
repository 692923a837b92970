// /transform's answer shapes (docs/contract-extensions.md): `?answer=full` is byte for byte the
// original contract answer for every golden fixture; the default compact answer is the same minus
// each operation's `http`, and /proxy takes its operations as they are.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { loadCases } from '../../src/fixtures/golden.js';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { operationProblem } from '../../src/operation/validate-operation.js';
import { defaultAnswerShape } from '../../src/server/answer-shape.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';

const fixtures = fileURLToPath(new URL('../fixtures/transform/', import.meta.url));

type Item = { statusCode: number; output?: Record<string, unknown>[] };

describe('/transform answer shapes', () => {
  const store = new MappingStore(fileURLToPath(new URL('../../mappings/', import.meta.url)));
  store.load();
  const { app } = createApp({ store, logger: createLogger('silent'), watch: false, playground: false });
  const cases = loadCases(fixtures);

  it('?answer=full is byte-identical to every golden fixture', async () => {
    expect(cases.length).to.be.at.least(40);
    for (const c of cases) {
      const expected = JSON.stringify(JSON.parse(readFileSync(c.expectedFile, 'utf8')));
      const res = await request(app)
        .post('/transform?answer=full')
        .set('content-type', 'application/json')
        .send(JSON.stringify(c.items));
      expect(res.status, c.name).to.equal(200);
      expect(res.text, c.name).to.equal(expected);
    }
  });

  it('the default answer is the golden answer without http, smaller, and every operation still valid for /proxy', async () => {
    let compact = 0;
    let full = 0;
    for (const c of cases) {
      const expected = JSON.parse(readFileSync(c.expectedFile, 'utf8')) as Item[];
      const res = await request(app)
        .post('/transform')
        .set('content-type', 'application/json')
        .send(JSON.stringify(c.items));
      const body = res.body as Item[];
      for (const item of expected) for (const op of item.output ?? []) delete op.http;
      expect(body, c.name).to.deep.equal(expected);
      for (const op of body.flatMap((i) => i.output ?? [])) {
        expect(op, c.name).not.to.have.property('http');
        expect(operationProblem(op), c.name).to.equal(undefined);
      }
      compact += res.text.length;
      full += JSON.stringify(JSON.parse(readFileSync(c.expectedFile, 'utf8'))).length;
    }
    expect(compact).to.be.below(full * 0.8);
  });

  it('the compact answer, which builds no http, refuses the same events with the same errors', async () => {
    // Warehouse deletes found by a field the event names: only the lookup's typed literal can refuse
    // these (no create is built for a delete), and the compact answer never writes that lookup.
    const retlDelete = (object: string, identifierType: string, id: unknown) => ({
      message: {
        type: 'record',
        action: 'delete',
        fields: {},
        context: { externalId: [{ type: `SALESFORCE-${object}`, identifierType, id }] },
      },
      metadata: { jobId: 1 },
    });
    const items = [
      retlDelete('Contact', 'Birthdate', 'not-a-date'),
      retlDelete('Lead', 'NumberOfEmployees', 'many'),
      retlDelete('Contact', 'DoNotCall', 'maybe'),
      retlDelete('Contact', 'Email', 'ada@example.com'),
      ...cases.flatMap((c) => c.items),
    ];
    const answer = async (path: string) =>
      (await request(app).post(path).set('content-type', 'application/json').send(JSON.stringify(items))).body as Array<
        Item & { error?: string; errorCode?: string }
      >;
    const [full, compact] = [await answer('/transform?answer=full'), await answer('/transform')];
    expect(full.slice(0, 4).map((r) => [r.statusCode, r.errorCode])).to.deep.equal([
      [400, 'INVALID_FIELD_VALUE'],
      [400, 'INVALID_FIELD_VALUE'],
      [400, 'INVALID_FIELD_VALUE'],
      [200, undefined],
    ]);
    expect(full[0].error).to.include('Invalid date value "not-a-date"');
    expect(compact.length).to.equal(full.length);
    compact.forEach((r, i) => {
      expect([r.statusCode, r.error, r.errorCode], `item ${i}`).to.deep.equal([
        full[i].statusCode,
        full[i].error,
        full[i].errorCode,
      ]);
    });
  });

  it('refuses an unknown ?answer= with 400 naming the choices', async () => {
    const res = await request(app).post('/transform?answer=tiny').send([]);
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('INVALID_ANSWER_SHAPE');
    expect(res.body.error.message).to.include('compact, full');
  });

  it('TRANSFORM_ANSWER=full makes the full shape the default; anything else unknown is refused at startup', async () => {
    expect(defaultAnswerShape({})).to.equal('compact');
    expect(defaultAnswerShape({ TRANSFORM_ANSWER: 'full' })).to.equal('full');
    expect(() => defaultAnswerShape({ TRANSFORM_ANSWER: 'v1' })).to.throw(
      /TRANSFORM_ANSWER must be one of compact, full/,
    );
    const fullApp = createApp({
      store,
      logger: createLogger('silent'),
      watch: false,
      playground: false,
      answerShape: 'full',
    }).app;
    const c = cases.find((x) =>
      (JSON.parse(readFileSync(x.expectedFile, 'utf8')) as Item[]).some((i) => i.output?.length),
    )!;
    const res = await request(fullApp)
      .post('/transform')
      .set('content-type', 'application/json')
      .send(JSON.stringify(c.items));
    expect(res.text).to.equal(JSON.stringify(JSON.parse(readFileSync(c.expectedFile, 'utf8'))));
  });
});
