// POST /playground/run and GET /playground/presets: the posted rule compiled like a mapping file,
// problems at the mapping's own lines, and the same answer /transform gives for that rule.
import { expect } from 'chai';
import request from 'supertest';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { MAX_MAPPING_CHARS } from '../../src/server/routes/playground.js';

describe('playground: POST /playground/run', () => {
  const store = new MappingStore();
  store.load();
  const { app } = createApp({ store, logger: createLogger('silent') });
  type Preset = { id: string; title: string; mapping: string; event: Record<string, unknown> };
  let presets: Preset[];
  const preset = (id: string) => presets.find((p) => p.id === id)!;

  before(async () => {
    const res = await request(app).get('/playground/presets');
    expect(res.status).to.equal(200);
    presets = res.body as Preset[];
  });

  it("offers the four seed examples with the served files' text", () => {
    expect(presets.map((p) => p.id)).to.deep.equal(['peter-gibbons', 'teemo', 'issue-submitted', 'externalid-contact']);
    for (const p of presets) expect(p.mapping).to.match(/^# yaml-language-server: \$schema=/);
  });

  const expectations: [string, string, string][] = [
    ['peter-gibbons', 'upsert', 'Lead'],
    ['teemo', 'upsert', 'Account'],
    ['issue-submitted', 'create', 'Case'],
    ['externalid-contact', 'update', 'Contact'],
  ];
  for (const [id, operation, object] of expectations) {
    it(`runs the ${id} example: ${operation} ${object}, with the rule that fired`, async () => {
      const p = preset(id);
      const res = await request(app).post('/playground/run').send({ mapping: p.mapping, event: p.event });
      expect(res.status).to.equal(200);
      expect(res.body.problems).to.deep.equal([]);
      expect(res.body.results).to.have.length(1);
      const [r] = res.body.results;
      expect(r.statusCode).to.equal(200);
      expect(r.output[0]).to.include({ operation, object });
      expect(r.output[0].http.length).to.be.greaterThan(0);
      expect(
        res.body.explain.filter((x: { fired: boolean }) => x.fired).map((x: { rule: string }) => x.rule),
      ).to.have.length(1);
    });
  }

  it('answers what /transform answers (full shape, with http) for the same rule and event', async () => {
    const p = preset('issue-submitted');
    const item = { ...p.event, destination: { Config: { mappings: ['issue-submitted-case'] } } };
    const viaTransform = await request(app).post('/transform?answer=full').send([item]);
    const viaPlayground = await request(app).post('/playground/run').send({ mapping: p.mapping, event: item });
    expect(viaPlayground.body.results).to.deep.equal(viaTransform.body);
  });

  it('points at the mapping line of each problem', async () => {
    const p = preset('peter-gibbons');
    const lines = p.mapping.split('\n');
    const titleLine = lines.findIndex((l) => l === '  Title: $traits.title') + 1;
    const phoneLine = lines.findIndex((l) => l === '  Phone: $traits.phone') + 1;
    const mapping = p.mapping
      .replace('  Title: $traits.title', '  Titel: $traits.title')
      .replace('  Phone: $traits.phone', '  Phone: $traits.phone((');
    const res = await request(app).post('/playground/run').send({ mapping, event: p.event });
    expect(res.status).to.equal(200);
    expect(res.body.results).to.deep.equal([]);
    const at = res.body.problems.map(
      (x: { line: number; col: number; message: string }) => `${x.line}:${x.col}: ${x.message}`,
    );
    expect(at).to.include(`${titleLine}:3: Lead has no field "Titel" (did you mean Title?)`);
    expect(
      at.some((s: string) => s.startsWith(`${phoneLine}:`) && s.includes('JSONata syntax error in fields.Phone')),
    ).to.equal(true);
    expect(res.body.problems[0].file).to.equal('mapping.yaml');
  });

  it('reports YAML syntax and a dangling fieldsFrom', async () => {
    const yaml = await request(app)
      .post('/playground/run')
      .send({ mapping: 'name: x\nwhen: [\n', event: { type: 'identify' } });
    expect(yaml.body.problems[0].message).to.match(/^YAML: /);
    const dangling = await request(app)
      .post('/playground/run')
      .send({
        mapping: 'name: x\nwhen: type = "identify"\nobject: Contact\noperation: create\nfieldsFrom: nope\n',
        event: { type: 'identify' },
      });
    expect(dangling.body.problems.map((p: { message: string }) => p.message)).to.deep.equal([
      'fieldsFrom: no rule named "nope"',
    ]);
  });

  it("reuses a served rule's field table through fieldsFrom", async () => {
    const mapping =
      'name: my-contact\nwhen: type = "identify"\nobject: Contact\noperation: create\nfieldsFrom: contact\n';
    const res = await request(app)
      .post('/playground/run')
      .send({ mapping, event: { type: 'identify', traits: { firstName: 'Ada', lastName: 'Lovelace', testProp: 1 } } });
    expect(res.body.results[0].output[0].fields).to.deep.equal({
      FirstName: 'Ada',
      LastName: 'Lovelace',
      testProp__c: 1,
    });
  });

  it('uses config as destination.Config', async () => {
    const p = preset('teemo');
    const plain = await request(app).post('/playground/run').send({ mapping: p.mapping, event: p.event });
    expect(plain.body.results[0].output[0].fields)
      .to.include({ BillingCity: 'East Greenwich' })
      .and.not.have.property('ShippingCity');
    const shipping = await request(app)
      .post('/playground/run')
      .send({
        mapping: p.mapping,
        event: p.event,
        config: { sendAddressAsBilling: false, sendAddressAsShipping: true },
      });
    expect(shipping.body.results[0].output[0].fields)
      .to.include({ ShippingCity: 'East Greenwich' })
      .and.not.have.property('BillingCity');
  });

  it("refuses oversized or malformed input with the contract's error shape", async () => {
    const tooLong = await request(app)
      .post('/playground/run')
      .send({ mapping: 'x'.repeat(MAX_MAPPING_CHARS + 1), event: { type: 'identify' } });
    expect(tooLong.status).to.equal(400);
    expect(tooLong.body.error.code).to.equal('MAPPING_TOO_LARGE');
    const huge = await request(app)
      .post('/playground/run')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ mapping: 'a', event: { blob: 'x'.repeat(300 * 1024) } }));
    expect(huge.status).to.equal(413);
    const noEvent = await request(app).post('/playground/run').send({ mapping: 'name: x', event: 'identify' });
    expect(noEvent.status).to.equal(400);
    expect(noEvent.body.error.code).to.equal('NO_EVENT');
  });

  it('serves the page with a strict content security policy', async () => {
    const res = await request(app).get('/playground');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/text\/html/);
    expect(res.headers['content-security-policy']).to.match(/default-src 'self'/);
    expect(res.text).to.include('<label for="mapping">');
    const js = await request(app).get('/playground/playground.js');
    expect(js.status).to.equal(200);
  });
});
