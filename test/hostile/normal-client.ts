// A well-behaved client in its own process, so that the hostile client's own work (building and
// sending big bodies) never delays it: it sends one identify after another to the server and
// reports every latency, measured from before the request is sent to after the answer is read,
// and how much CPU the server's event loop spent meanwhile: a request held by the server's own
// work shows both; one held because the machine did not run the server at all shows only latency.
import { readFileSync } from 'node:fs';

const base = process.argv[2];
const serverPid = Number(process.argv[3]);
const latencies: number[] = [];
/** CPU time the server's main thread (its event loop) spent during each request, ms. */
const serverBusy: number[] = [];

/** The server's main-thread CPU time in ms (Linux), or NaN where it cannot be read. */
function mainThreadCpu(): number {
  try {
    const stat = readFileSync(`/proc/${serverPid}/task/${serverPid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
const failures: string[] = [];
let running = true;

const body = (i: number) =>
  JSON.stringify([
    {
      message: {
        type: 'identify',
        userId: `u${i}`,
        traits: { email: `n${i}@example.com`, name: 'Ada Lovelace', company: 'AE' },
        integrations: { Salesforce: true },
      },
      metadata: { jobId: i },
      destination: { Config: {} },
    },
  ]);

process.on('message', (m: { stop?: boolean }) => {
  if (m.stop) running = false;
});

// The client's own first requests (loading fetch, opening the connection) are not the server's time.
for (let i = 0; i < 5; i++)
  await fetch(`${base}/transform`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(-1 - i),
  }).then((r) => r.arrayBuffer());
process.send?.({ ready: true });

for (let i = 0; running; i++) {
  const t = performance.now();
  const cpu = mainThreadCpu();
  try {
    const res = await fetch(`${base}/transform`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(i),
    });
    const answer = (await res.json()) as { statusCode: number }[];
    latencies.push(performance.now() - t);
    serverBusy.push(mainThreadCpu() - cpu);
    if (res.status !== 200 || answer[0]?.statusCode !== 200)
      failures.push(`${res.status} ${JSON.stringify(answer).slice(0, 200)}`);
  } catch (err) {
    latencies.push(performance.now() - t);
    serverBusy.push(mainThreadCpu() - cpu);
    failures.push(`request failed: ${(err as Error).message}`);
  }
  await new Promise((r) => setTimeout(r, 5));
}
process.send?.({ latencies, serverBusy, failures }, () => process.exit(0));
