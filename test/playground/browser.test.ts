// The playground in a real headless Chromium: pick an example, see the operations and the rule that
// fired, break the mapping and see the problem at its line; keyboard only. Skips where there is no
// /usr/bin/chromium (CI installs it).
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { MappingStore } from '../../src/mapping/mapping-store.js';
import { createApp } from '../../src/server/app.js';
import { createLogger } from '../../src/server/logger.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = process.env.PLAYGROUND_SCREENSHOT ?? join(tmpdir(), 'playground.png');

describe('playground page in headless Chromium', function () {
  this.timeout(60_000);
  let server: Server;
  let base: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const store = new MappingStore();
    store.load();
    const { app } = createApp({ store, logger: createLogger('silent') });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'playground-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 1100 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });
  after(async () => {
    await context?.close();
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const summary = () => page.locator('#summary');

  it('loads with labelled controls and the seed examples', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/playground`);
    await page.locator('body[data-ready="true"]').waitFor();
    expect(await page.title()).to.equal('Mapping playground');
    const options = await page.locator('#preset option').allTextContents();
    expect(options).to.have.length(5);
    expect(options.join('\n'))
      .to.match(/Peter Gibbons/)
      .and.match(/Teemo/)
      .and.match(/Issue Submitted/)
      .and.match(/Salesforce-Contact/);
    // Every form control has a label a screen reader announces.
    const unlabelled = await page.$$eval('textarea, select, input', (els) =>
      els.filter((e) => (e as HTMLInputElement).labels?.length === 0).map((e) => e.id),
    );
    expect(unlabelled).to.deep.equal([]);
    expect(await page.locator('[aria-live]').count()).to.be.greaterThan(0);
    expect(errors).to.deep.equal([]);
  });

  it('runs the Peter Gibbons example: upsert Lead, its HTTP requests, and the rule that fired', async () => {
    await page.selectOption('#preset', 'peter-gibbons');
    await expectText(summary(), /^200: 1 operation \(upsert Lead\)$/);
    const results = await page.locator('#results').innerText();
    expect(results).to.match(/upsert Lead\s+by rule lead/);
    expect(results).to.include("q=SELECT Id FROM Lead WHERE Email = 'peter.gibbons@example.com'");
    expect(results).to.match(/PATCH \/services\/data\/v66\.0\/sobjects\/Lead\/\{Id\}\s+when found/);
    expect(await page.locator('#explain').innerText()).to.match(/✓ fired: lead/);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('points at the line of a mistake typed into the mapping, and jumps there', async () => {
    const mapping = page.locator('#mapping');
    const text = await mapping.inputValue();
    const line = text.split('\n').findIndex((l) => l === '  Title: $traits.title') + 1;
    await mapping.fill(text.replace('  Title: $traits.title', '  Titel: $traits.title'));
    await expectText(
      summary(),
      new RegExp(`^1 problem: Mapping line ${line}: Lead has no field "Titel" \\(did you mean Title\\?\\)$`),
    );
    const problem = page.locator('#problems button');
    expect(await problem.innerText()).to.equal(`Mapping line ${line}, column 3`);
    expect(await page.locator('#mapping-gutter .bad').allInnerTexts()).to.deep.equal([String(line)]);
    expect(await mapping.getAttribute('aria-invalid')).to.equal('true');
    expect(await page.locator('#results-section').isHidden()).to.equal(true);
    await problem.focus();
    await page.keyboard.press('Enter');
    const caret = await mapping.evaluate((t: HTMLTextAreaElement) => ({
      focused: document.activeElement === t,
      line: t.value.slice(0, t.selectionStart).split('\n').length,
    }));
    expect(caret).to.deep.equal({ focused: true, line });
    await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-problem.png'), fullPage: true });
  });

  it('runs with Ctrl+Enter from the keyboard, and reports an event that is not JSON at its line', async () => {
    await page.locator('#live').uncheck();
    await page.selectOption('#preset', 'issue-submitted');
    await expectText(summary(), /^200: 1 operation \(create Case\)$/);
    const event = page.locator('#event');
    await event.fill('{\n  "type": "track",\n  "event": "Issue Submitted"\n  "properties": {}\n}');
    await event.press('Control+Enter');
    await expectText(summary(), /^1 problem: Event line 4: Event is not valid JSON/);
    await event.fill(JSON.stringify({ type: 'track', event: 'Something else' }));
    await event.press('Control+Enter');
    await expectText(summary(), /^298: no mapping fires for track event "Something else"/);
    expect(await page.locator('#explain').innerText()).to.match(/✗ did not fire: issue-submitted-case — when is false/);
  });
});

async function expectText(locator: ReturnType<Page['locator']>, re: RegExp, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  let last = '';
  while (Date.now() < until) {
    last = (await locator.innerText()).trim();
    if (re.test(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${re}, got ${JSON.stringify(last)}`);
}
