// deploy/: the Kubernetes manifests parse and say what the README promises: probes on /health,
// resources, a PodDisruptionBudget and an HPA on the Deployment, mappings from ConfigMaps where
// MAPPINGS_DIR points, secrets from a Secret, a grace period longer than the drain timeout.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const DIR = fileURLToPath(new URL('../../deploy/', import.meta.url));

type Doc = Record<string, any>;

function load(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(join(DIR, file), 'utf8'));
  for (const d of docs) expect(d.errors, `${file}: ${d.errors.map((e) => e.message).join('; ')}`).to.deep.equal([]);
  return docs.map((d) => d.toJSON() as Doc).filter((d) => d !== null);
}

describe('deploy/ Kubernetes manifests', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
  const kustomization = load('kustomization.yaml')[0];
  const applied = (kustomization.resources as string[]).flatMap(load);
  const ofKind = (kind: string) => applied.filter((d) => d.kind === kind);
  const deployment = ofKind('Deployment').find((d) => d.metadata.name === 'sf-transformer') as Doc;
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];
  const env = Object.fromEntries((container?.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));

  it('every file parses; kustomization.yaml lists every manifest but the example Secret', () => {
    for (const f of files) load(f);
    expect([...(kustomization.resources as string[])].sort()).to.deep.equal(
      files.filter((f) => f !== 'kustomization.yaml' && !f.endsWith('.example.yaml')).sort(),
    );
    for (const d of applied) expect(d).to.include.keys('apiVersion', 'kind', 'metadata');
  });

  it('the Deployment: readiness and liveness on /health at the served port, resource requests, one process per pod', () => {
    expect(deployment, 'a Deployment named sf-transformer').to.not.equal(undefined);
    expect(deployment.spec.selector.matchLabels).to.deep.equal(deployment.spec.template.metadata.labels);
    const port = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(String(port.containerPort)).to.equal(env.PORT);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet.path).to.equal('/health');
      expect(probe.httpGet.port).to.equal('http');
    }
    expect(container.resources.requests).to.include.keys('cpu', 'memory');
    expect(container.resources.limits).to.include.keys('memory');
    expect(env.WORKERS).to.equal('1');
  });

  it('mappings from ConfigMaps mounted under MAPPINGS_DIR; secrets from the Secret the example shows', () => {
    const volumes = new Map<string, Doc>(pod.volumes.map((v: Doc) => [v.name, v]));
    const mounts = container.volumeMounts.filter((m: Doc) => volumes.get(m.name)?.configMap);
    expect(mounts.map((m: Doc) => volumes.get(m.name)?.configMap.name).sort()).to.deep.equal([
      'sf-mappings-objects',
      'sf-mappings-rules',
    ]);
    for (const m of mounts) {
      expect(m.mountPath.startsWith(`${env.MAPPINGS_DIR}/`), m.mountPath).to.equal(true);
      // subPath mounts never see ConfigMap updates: hot reload needs the whole volume.
      expect(m).to.not.have.property('subPath');
    }
    expect(mounts.find((m: Doc) => volumes.get(m.name)?.configMap.name === 'sf-mappings-objects').mountPath).to.match(
      /\/objects$/,
    );
    const secretName = container.envFrom.find((e: Doc) => e.secretRef)?.secretRef.name;
    const example = load('secret.example.yaml')[0];
    expect(example.kind).to.equal('Secret');
    expect(secretName).to.equal(example.metadata.name);
    expect(Object.keys(example.stringData)).to.include.members([
      'SALESFORCE_CLIENT_ID',
      'SALESFORCE_CLIENT_SECRET',
      'REDIS_URL',
      'TOKEN_CACHE_SECRET',
    ]);
    // No secret value is written into the applied manifests.
    expect(JSON.stringify(applied)).to.not.match(/SALESFORCE_CLIENT_SECRET"?\s*[:,]\s*"?[^"]*[A-Za-z0-9]{8}/);
    expect(container.env.map((e: Doc) => e.name)).to.not.include.members([
      'SALESFORCE_CLIENT_SECRET',
      'REDIS_URL',
      'TOKEN_CACHE_SECRET',
    ]);
  });

  it('shutdown: the grace period covers the preStop pause and the drain timeout', () => {
    const preStop = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(pod.terminationGracePeriodSeconds).to.be.greaterThan(preStop + Number(env.SHUTDOWN_TIMEOUT_MS) / 1000);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).to.equal(0);
  });

  it('a PodDisruptionBudget and a HorizontalPodAutoscaler on the Deployment; a Service on its pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    const [pdb] = ofKind('PodDisruptionBudget');
    expect(pdb.spec.selector.matchLabels).to.deep.equal(labels);
    expect(pdb.spec.maxUnavailable ?? pdb.spec.minAvailable).to.not.equal(undefined);
    const [hpa] = ofKind('HorizontalPodAutoscaler');
    expect(hpa.apiVersion).to.equal('autoscaling/v2');
    expect(hpa.spec.scaleTargetRef).to.deep.equal({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'sf-transformer',
    });
    expect(hpa.spec.minReplicas).to.be.at.least(2);
    expect(hpa.spec.maxReplicas).to.be.greaterThan(hpa.spec.minReplicas);
    const [service] = ofKind('Service');
    expect(service.spec.selector).to.deep.equal(labels);
  });

  it('the sync worker: its own Deployment running `sfmap source worker` on the shared Redis, config from a ConfigMap, metrics and liveness', () => {
    const worker = ofKind('Deployment').find((d) => d.metadata.name === 'sf-sync-worker') as Doc;
    expect(worker, 'a Deployment named sf-sync-worker').to.not.equal(undefined);
    expect(worker.spec.selector.matchLabels).to.deep.equal(worker.spec.template.metadata.labels);
    const spec = worker.spec.template.spec;
    const c = spec.containers[0];
    expect(c.image).to.equal(container.image);
    const args = c.command as string[];
    expect(args.slice(0, 4)).to.deep.equal(['node', 'dist/cli/main.js', 'source', 'worker']);
    const config = args[args.indexOf('-c') + 1];
    const mount = c.volumeMounts.find((m: Doc) => config.startsWith(`${m.mountPath}/`));
    expect(spec.volumes.find((v: Doc) => v.name === mount?.name)?.configMap?.name).to.equal('sf-sync-config');
    expect(c.envFrom.find((e: Doc) => e.secretRef)?.secretRef.name, 'REDIS_URL from the Secret').to.equal(
      load('secret.example.yaml')[0].metadata.name,
    );
    const wenv = Object.fromEntries((c.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
    const port = c.ports.find((p: Doc) => p.name === 'metrics');
    expect(String(port.containerPort)).to.equal(wenv.METRICS_PORT);
    expect(worker.spec.template.metadata.annotations['prometheus.io/port']).to.equal(wenv.METRICS_PORT);
    expect(c.livenessProbe.httpGet).to.deep.equal({ path: '/health', port: 'metrics' });
    expect(c.resources.requests).to.include.keys('cpu', 'memory');
    expect(worker.spec.replicas).to.be.at.least(2);
  });
});
