// SIGTERM under load: the process stops taking connections, finishes every in-flight /proxy call
// (each one answered, each event written once) and exits 0.
import { expect } from 'chai';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator.js';
import { postProxy, proxyItems, startProduct, type ProductProcess } from '../support/product-process.js';

describe('graceful shutdown', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let product: ProductProcess | undefined;

  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await product?.stop();
    await emulator?.close();
  });

  it('SIGTERM during 20 slow /proxy calls: all answered 200, every record written once, exit 0, then no new connections', async () => {
    product = await startProduct(emulator.url);
    const emails = Array.from({ length: 20 }, (_, i) => `drain${i}@example.com`);
    const items = await proxyItems(product.url, emails);
    // Every Salesforce call takes 800 ms, so the signal arrives with all 20 requests mid-delivery.
    emulator.state.addFault({ kind: 'latency', ms: 800, pathRegex: '^/services/data/', times: 1000 });
    const inFlight = items.map((item) => postProxy(product!.url, [item]));
    // Signal only once all 20 are inside the server (each has reached its first, slowed, Salesforce call).
    const deadline = Date.now() + 30_000;
    while ((emulator.state.faults.pending()[0]?.times ?? 0) > 1000 - 20) {
      expect(Date.now(), 'all 20 requests reached Salesforce').to.be.below(deadline);
      await new Promise((r) => setTimeout(r, 20));
    }
    const health = await fetch(`${product.url}/health`);
    expect(health.status).to.equal(200);
    product.child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).to.deep.equal(Array(20).fill(200));
    expect(answers.map((a) => a.items[0].statusCode)).to.deep.equal(Array(20).fill(200));
    expect(await product.exited).to.equal(0);
    const leads = emulator.state.list('Lead').map((l) => String(l.Email));
    expect(leads.filter((e) => e.startsWith('drain')).sort()).to.deep.equal([...emails].sort());
    expect(product.logs.some((l) => l.message === 'shut down')).to.equal(true);
    let refused = false;
    await fetch(`${product.url}/health`).catch(() => (refused = true));
    expect(refused, 'the port is closed').to.equal(true);
  });
});
