// rudder-server's side of the transformer protocol, as its router builds and reads it
// (router/transformer/transformer.go, router/worker.go, router/network.go): request bodies in the
// plain or compacted form, the Oauth-Secret header, the apiVersion check that makes it panic, the
// jobId accounting that makes it throw an answer away, and delivery in both modes.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Ajv } from 'ajv';
import request from 'supertest';
import type { Express } from 'express';

const schemaDir = fileURLToPath(new URL('../../schemas/rudder/', import.meta.url));
const ajv = new Ajv({ strict: false, allErrors: true });
for (const f of readdirSync(schemaDir)) ajv.addSchema(JSON.parse(readFileSync(schemaDir + f, 'utf8')) as object, f);
const validate = (schema: string, value: unknown): void => {
  const ok = ajv.validate(schema, value);
  expect(ok, `${schema}: ${ajv.errorsText(ajv.errors)}\n${JSON.stringify(value).slice(0, 2000)}`).to.equal(true);
};

export interface SimJob {
  message: Record<string, unknown>;
  metadata: Record<string, unknown> & { jobId: number };
  destination: { ID: string; Config: Record<string, unknown>; DestinationDefinition: { Name: string } };
}

export interface PostParameters {
  method: string;
  endpoint: string;
  headers: Record<string, string>;
  params: Record<string, unknown>;
  body: { JSON?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface DestinationJob {
  batchedRequest?: PostParameters | PostParameters[];
  metadata: Array<Record<string, unknown> & { jobId: number }>;
  batched: boolean;
  statusCode: number;
  destination: SimJob['destination'];
  error?: string;
  statTags?: Record<string, string>;
  authErrorCategory?: string;
}

/** A job's final status as jobsdb would record it, with the text rudder-server keeps. */
export interface JobStatus {
  statusCode: number;
  body: string;
}

export function destination(
  name: string,
  config: Record<string, unknown>,
  id = `dest-${name.toLowerCase()}`,
): SimJob['destination'] {
  return { ID: id, Config: config, DestinationDefinition: { Name: name } };
}

export function job(
  jobId: number,
  message: Record<string, unknown>,
  dest: SimJob['destination'],
  extra: Record<string, unknown> = {},
): SimJob {
  return {
    message,
    metadata: {
      jobId,
      userId: String(message.userId ?? ''),
      sourceId: 'src-1',
      destinationId: dest.ID,
      workspaceId: 'ws-1',
      attemptNum: 0,
      dontBatch: false,
      ...extra,
    },
    destination: dest,
  };
}

/** POST /routerTransform (or /batch) the way router/transformer.Transform does, checked the way it checks. */
export async function routerTransform(
  app: Express,
  jobs: SimJob[],
  options: {
    compacted?: boolean;
    oauthSecret?: unknown;
    route?: '/routerTransform' | '/batch';
    destType?: string;
  } = {},
): Promise<DestinationJob[]> {
  const destType = options.destType ?? jobs[0].destination.DestinationDefinition.Name.toLowerCase();
  const body = options.compacted
    ? {
        input: jobs.map((j) => ({ message: j.message, metadata: j.metadata })),
        destType,
        destinations: Object.fromEntries(jobs.map((j) => [j.metadata.destinationId, j.destination])),
        connections: Object.fromEntries(
          jobs.map((j) => [`${String(j.metadata.sourceId)}:${String(j.metadata.destinationId)}`, {}]),
        ),
      }
    : { input: jobs.map((j) => ({ ...j, connection: {} })), destType };
  let req = request(app)
    .post(options.route ?? '/routerTransform')
    .set('Content-Type', 'application/json; charset=utf-8');
  if (options.compacted) req = req.set('X-Content-Format', 'json+compactedv1');
  if (options.oauthSecret !== undefined) req = req.set('Oauth-Secret', JSON.stringify(options.oauthSecret));
  const res = await req.send(body);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  // rudder-server panics ("incompatible transformer version") on a 200 without apiVersion: 2.
  expect(res.headers.apiversion).to.equal('2');
  const output = (options.route === '/batch' ? res.body : res.body.output) as DestinationJob[];
  validate('router-transform-response.schema.json', { output });
  assertJobAccounting(
    jobs.map((j) => j.metadata.jobId),
    output,
  );
  return output;
}

/** transformer.go: distinct input jobIds == output jobIds (a list), no empty metadata, no unknown ids. */
export function assertJobAccounting(input: number[], output: DestinationJob[]): void {
  const inSet = new Set(input);
  const out = output.flatMap((o) => o.metadata.map((m) => m.jobId));
  for (const o of output) expect(o.metadata.length, 'an output with an empty metadata array').to.be.greaterThan(0);
  expect(out.length, `in/out mismatch: ${out.length} jobs out for ${inSet.size} in`).to.equal(inSet.size);
  for (const id of out) expect(inSet.has(id), `invalid jobId ${id} in the answer`).to.equal(true);
}

/**
 * router/worker.go's delivery of a routerTransform answer. Direct: each request of an output sent
 * as router/network.go sends it, stopping at the first failure. Proxy: each request POSTed to
 * /v1/destinations/<destType>/proxy with the output's metadata, every job given its own status.
 */
export async function deliver(
  app: Express,
  outputs: DestinationJob[],
  mode: 'direct' | 'proxy',
  destType: string,
): Promise<Map<number, JobStatus>> {
  const statuses = new Map<number, JobStatus>();
  const sorted = [...outputs].sort(
    (a, b) => Math.min(...a.metadata.map((m) => m.jobId)) - Math.min(...b.metadata.map((m) => m.jobId)),
  );
  for (const o of sorted) {
    if (o.statusCode !== 200) {
      for (const m of o.metadata) statuses.set(m.jobId, { statusCode: o.statusCode, body: o.error ?? '' });
      continue;
    }
    const requests = Array.isArray(o.batchedRequest) ? o.batchedRequest : [o.batchedRequest!];
    if (mode === 'direct') {
      let last: JobStatus = { statusCode: 200, body: '' };
      for (const r of requests) {
        last = await sendPost(r);
        if (last.statusCode < 200 || last.statusCode >= 300) break;
      }
      for (const m of o.metadata) statuses.set(m.jobId, last);
    } else {
      for (const r of requests) {
        const answer = await proxyV1(app, r, o.metadata, o.destination.Config, destType);
        for (const [id, s] of answer) statuses.set(id, s);
      }
    }
  }
  return statuses;
}

/** network.go SendPost: JSON body when non-empty, params as query, headers as given. */
async function sendPost(r: PostParameters): Promise<JobStatus> {
  validate('post-parameters.schema.json', r);
  const url = new URL(r.endpoint);
  for (const [k, v] of Object.entries(r.params ?? {})) url.searchParams.append(k, String(v));
  const json = r.body.JSON && Object.keys(r.body.JSON).length > 0 ? JSON.stringify(r.body.JSON) : undefined;
  try {
    const res = await fetch(url, {
      method: r.method,
      headers: { ...r.headers, 'User-Agent': 'RudderLabs' },
      body: json,
    });
    return { statusCode: res.status, body: await res.text() };
  } catch (err) {
    return {
      statusCode: 504,
      body: `504 Unable to make "${r.method}" request for URL : "${r.endpoint}". Error: ${(err as Error).message}`,
    };
  }
}

/** The proxy v1 exchange as ProxyRequest + v1Adapter do it; returns each job's status. */
export async function proxyV1(
  app: Express,
  r: PostParameters,
  metadata: Array<Record<string, unknown>>,
  destinationConfig: Record<string, unknown>,
  destType: string,
): Promise<Map<number, JobStatus>> {
  const payload = {
    ...r,
    metadata: metadata.map((m) => ({
      jobId: m.jobId,
      attemptNum: m.attemptNum ?? 0,
      userId: m.userId ?? '',
      sourceId: m.sourceId ?? '',
      destinationId: m.destinationId ?? '',
      workspaceId: m.workspaceId ?? '',
      secret: m.secret ?? null,
      dontBatch: m.dontBatch ?? false,
    })),
    destinationConfig,
  };
  validate('proxy-v1-request.schema.json', payload);
  const res = await request(app)
    .post(`/v1/destinations/${destType.toLowerCase()}/proxy`)
    .set('Content-Type', 'application/json')
    .send(payload);
  expect(res.headers.apiversion, 'a proxy answer without apiVersion reads as an infrastructure failure').to.equal('2');
  validate('proxy-v1-response.schema.json', res.body);
  const out = res.body.output as {
    status: number;
    response: Array<{ statusCode: number; metadata: { jobId: number }; error: string }>;
    authErrorCategory?: string;
  };
  // v1Adapter: the set of jobIds answered must equal the set sent, one entry each.
  const sent = [...new Set(metadata.map((m) => m.jobId as number))].sort((a, b) => a - b);
  const answered = out.response.map((e) => e.metadata.jobId);
  expect(
    [...answered].sort((a, b) => a - b),
    'proxy in/out mismatch',
  ).to.deep.equal(sent);
  const statuses = new Map<number, JobStatus>();
  for (const e of out.response) statuses.set(e.metadata.jobId, { statusCode: e.statusCode, body: e.error });
  if (out.authErrorCategory) expect(res.status).to.equal(out.status);
  else expect(res.status).to.equal(200);
  return statuses;
}
