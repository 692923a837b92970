import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';
import { callKind } from '../../src/observe/metrics.js';
import { startHarness, identify } from '../e2e/harness.js';

describe('GET /metrics and /health', () => {
  it('/metrics: Prometheus text with events by route and outcome, latencies, API calls by kind, token requests; no email or record Id in any label', async () => {
    const h = await startHarness();
    try {
      const [ok] = await h.deliver([
        identify({ email: 'metrics.person@example.com', lastName: 'Person', company: 'Acme' }),
      ]);
      expect(ok.statusCode).to.equal(200);
      await request(h.app)
        .post('/transform')
        .send([{ message: { type: 'identify' }, metadata: {}, destination: h.destination }]);
      const res = await request(h.app).get('/metrics');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      const text = res.text;
      expect(text).to.match(/sfbridge_events_total\{route="transform",outcome="200"\} \d+/);
      expect(text).to.match(/sfbridge_events_total\{route="proxy",outcome="200"\} \d+/);
      expect(text).to.match(/sfbridge_mapping_duration_seconds_count \d+/);
      expect(text).to.match(/sfbridge_delivery_duration_seconds_bucket\{le="\+Inf"\} \d+/);
      expect(text).to.match(
        /sfbridge_salesforce_api_calls_total\{org="127\.0\.0\.1:\d+",kind="(query|sobjects|collections)",status="2xx"\} \d+/,
      );
      expect(text).to.match(/sfbridge_token_requests_total\{grant="password",result="ok"\} \d+/);
      expect(text).to.match(/sfbridge_mapping_problems 0/);
      expect(text).to.match(/sfbridge_process_resident_memory_bytes \d+/);
      const labels = text
        .split('\n')
        .filter((l) => !l.startsWith('#'))
        .flatMap((l) => [...l.matchAll(/="([^"]*)"/g)].map((m) => m[1]));
      for (const value of labels) {
        expect(value).not.to.contain('@');
        expect(value).not.to.match(/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/);
      }
      expect(text).not.to.contain('metrics.person');
      for (const lead of h.records('Lead')) expect(text).not.to.contain(String(lead.Id));
    } finally {
      await h.close();
    }
  });

  it('API call kinds are a closed set whatever the path holds', () => {
    expect(callKind('/services/data/v66.0/query')).to.equal('query');
    expect(callKind('/services/data/v66.0/composite/sobjects/Lead/Email__c')).to.equal('collections');
    expect(callKind('/services/data/v66.0/composite')).to.equal('composite');
    expect(callKind('/services/data/v66.0/jobs/ingest/750xx/batches')).to.equal('bulk');
    expect(callKind('/services/data/v66.0/sobjects/Lead/00Q000000000001AAA')).to.equal('sobjects');
    expect(callKind('/services/data/v66.0/sobjects/Lead/describe')).to.equal('describe');
    expect(callKind('/services/data/v66.0/evil@example.com')).to.equal('other');
  });

  it('/health: 200 with the shared-state mode; 503 "draining" with Connection: close once shutdown starts', async () => {
    const { app, lifecycle } = createApp({ logger: createLogger('silent'), playground: false });
    const ok = await request(app).get('/health');
    expect(ok.status).to.equal(200);
    expect(ok.body.sharedState).to.deep.equal({ mode: 'process' });
    lifecycle.draining = true;
    const draining = await request(app).get('/health');
    expect(draining.status).to.equal(503);
    expect(draining.body.status).to.equal('draining');
    expect(draining.headers.connection).to.equal('close');
  });
});
