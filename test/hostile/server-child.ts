// The server under attack, in its own process (as in production): the shipped mappings, a free
// loopback port sent to the parent, silent logs.
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';

const store = new MappingStore();
store.load();
const { app } = createApp({ store, logger: createLogger('silent') });
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
if (process.env.HOSTILE_TIMES) {
  // Where a slow answer comes from: this event loop held, or the machine.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  setInterval(() => {
    if (h.max > 60e6) console.log(`  server event loop held up to ${Math.round(h.max / 1e6)} ms`);
    h.reset();
  }, 250).unref();
}
