/**
 * The web UI in a real browser (headless Chromium driven by playwright-core) against a running
 * operator: the DRF paper's example (one 9 CPU / 18 GiB node; a's tasks <1 CPU, 4 GiB>, b's
 * <3 CPU, 1 GiB>, both at a dominant share of 2/3), a task too large for any node, and a task
 * the test ends by deleting its pod. The page must show what the API server holds, follow it
 * without a reload, and load nothing from anywhere but the operator.
 *
 * KMESOS_UI_SCREENSHOTS=<dir> also saves the main views there (docs/images holds them).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { isTerminalState, type TaskState } from '../../src/api/task-states.js';
import { Scenario, type OperatorProcess } from './operator-harness.js';
import { eventually, kubeConfig } from './support.js';

const kc = kubeConfig();
/** The browser scripts/ensure-chromium.sh found or installed; never one a tool downloads. */
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const SCREENSHOTS = process.env.KMESOS_UI_SCREENSHOTS;

/** The text of the first element matching `selector`, once it is there. */
async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent({ timeout: 5_000 })) ?? '').trim();
}

async function expectText(page: Page, selector: string, want: string | RegExp): Promise<void> {
  await eventually(
    async () => {
      const got = await textOf(page, selector);
      if (typeof want === 'string') expect({ selector, got }).toEqual({ selector, got: want });
      else expect(got).toMatch(want);
    },
    60_000,
    200,
  );
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `ui-${name}.png`), fullPage: true });
}

/** Debian's Chromium, headless, never a browser of playwright's own. */
function launchChromium(): ReturnType<typeof chromium.launch> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

describe('the web UI in a browser', () => {
  const s = new Scenario(kc);
  let operator!: OperatorProcess;
  let browser!: Browser;
  let page!: Page;
  /** Every URL the page requested. */
  const requests: string[] = [];
  let loads = 0;

  beforeAll(async () => {
    await s.setup();
    await s.nodes(1, { cpu: '9', memory: '18Gi' });
    // Roles without frameworks: they show in the role tree and change no allocation.
    await s.role(`${s.pool}-eng`, { weight: 2 });
    await s.role(`${s.pool}-eng.ml`, { weight: 1, quota: { limit: { cpu: '4' } } });
    await s.framework('a');
    await s.framework('b');
    await s.framework('c');
    // end-0 goes first among a's tasks (priority) and has no retry: deleting its pod ends it.
    await s.tasks('end', 1, {
      framework: 'a',
      resources: { cpu: '1', memory: '4Gi' },
      priority: 10,
      retry: { maxAttempts: 1 },
    });
    await s.tasks('a', 5, { framework: 'a', resources: { cpu: '1', memory: '4Gi' } });
    await s.tasks('b', 6, { framework: 'b', resources: { cpu: '3', memory: '1Gi' } });
    // Larger than the only node: it waits, and says why.
    await s.tasks('huge', 1, { framework: 'c', resources: { cpu: '64', memory: '1Gi' } });
    operator = await s.startOperator(['--mesos-anonymous=true']);
    await s.waitForStates('end', 'TASK_RUNNING', 1);
    await s.waitForStates('a', 'TASK_RUNNING', 2);
    await s.waitForStates('b', 'TASK_RUNNING', 2);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('load', () => loads++);
    await page.goto(`${operator.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    expect(operator?.errors() ?? []).toEqual([]);
    await s.teardown();
  });

  it('shows the DRF example: both frameworks at a dominant share of 2/3, the node full', async () => {
    // a: 3 × <1 CPU, 4 GiB> = max(3/9, 12/18) = 2/3; b: 2 × <3 CPU, 1 GiB> = max(6/9, 2/18) = 2/3.
    await expectText(page, `tr[data-framework="${s.namespace}/a"] td[data-share]`, '0.6667');
    await expectText(page, `tr[data-framework="${s.namespace}/b"] td[data-share]`, '0.6667');
    // Role * holds all 9 CPU: its dominant share is 1 (weight 1).
    await expectText(page, 'tr[data-role="*"] td[data-share]', '1.0000');
    await expectText(page, `tr[data-role="${s.pool}-eng/ml"] td:nth-child(3)`, 'limit cpu 4');
    await expectText(page, 'td[data-figure="total"]', /^cpu 9, mem 18 GiB(,|$)/);
    // 3 × 4 GiB + 2 × 1 GiB.
    await expectText(page, 'td[data-figure="used"]', /^cpu 9, mem 14 GiB(,|$)/);
  });

  it('shows why a task too large for any node waits', async () => {
    await page.click('nav a[href="#/tasks"]');
    await page.fill('input[name="text"]', 'huge');
    // The operator filters: one task of the 13 matches.
    await expectText(page, '[data-matched]', /^1 matching/);
    const task = await s.task('huge-0');
    const scheduled = task.status?.conditions?.find((c) => c.type === 'Scheduled');
    expect(scheduled).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(scheduled?.message).toMatch(/cpu/);
    await expectText(page, 'tr[data-task="huge-0"] td[data-state]', 'WAITING');
    await expectText(page, 'tr[data-task="huge-0"] td[data-why]', scheduled?.message ?? '');
    await page.fill('input[name="text"]', '');
    await expectText(page, '[data-matched]', /^13 matching/);
    await page.click('tr[data-task="huge-0"]');
    await expectText(page, '[data-detail-why]', scheduled?.message ?? '');
    // The Unschedulable Event the operator recorded for it.
    await expectText(page, '.events', /Unschedulable/);
    await screenshot(page, 'tasks');
    await page.click('aside.details button[aria-label="close"]');
  });

  it('follows a task that ends, without a reload', async () => {
    await page.fill('input[name="text"]', 'end');
    await expectText(page, '[data-matched]', /^1 matching/);
    await expectText(page, 'tr[data-task="end-0"] td[data-state]', 'RUNNING');
    await page.evaluate(() => Object.assign(globalThis, { kmesosTestMarker: 'still here' }));
    const pod = (await s.pods()).find((p) => p.metadata?.name?.startsWith('end-0-'));
    expect(pod).toBeDefined();
    await s.core.deleteNamespacedPod({
      name: pod?.metadata?.name ?? '',
      namespace: s.namespace,
      gracePeriodSeconds: 0,
    });
    const ended = await eventually(
      async () => {
        const state = (await s.task('end-0')).status?.state;
        expect(isTerminalState(state)).toBe(true);
        return state as TaskState;
      },
      60_000,
      200,
    );
    await expectText(page, 'tr[data-task="end-0"] td[data-state]', ended.replace(/^TASK_/, ''));
    expect(await page.evaluate(() => (globalThis as { kmesosTestMarker?: string }).kmesosTestMarker)).toBe(
      'still here',
    );
    expect(loads).toBe(1);
  });

  it('shows the agent with its used and free resources', async () => {
    await page.click('nav a[href="#/agents"]');
    const [node] = (await s.core.listNode({ labelSelector: `kmesos.io/pool=${s.pool}` })).items;
    await expectText(
      page,
      `[data-agent="${node?.metadata?.name ?? ''}"] .resource-bar:first-child .resource-figures`,
      /\/ 9$/,
    );
    await screenshot(page, 'agents');
  });

  it('keeps a history of each framework’s share in the page', async () => {
    await page.click('nav a[href="#/overview"]');
    const points = `tr[data-framework="${s.namespace}/a"] svg polyline`;
    await eventually(
      async () => {
        const samples = ((await page.locator(points).getAttribute('points')) ?? '').trim().split(/\s+/);
        expect(samples.length).toBeGreaterThanOrEqual(5);
      },
      60_000,
      200,
    );
    await screenshot(page, 'overview');
  });

  it('made no request to any host but the operator', () => {
    const origin = new URL(operator.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin)).toEqual([]);
  });
});

describe('the web UI when reads need credentials', () => {
  const s = new Scenario(kc);
  let operator!: OperatorProcess;
  let browser!: Browser;

  beforeAll(async () => {
    await s.setup();
    await s.nodes(1, { cpu: '4', memory: '8Gi' });
    await s.framework('f');
    await s.core.createNamespacedSecret({
      namespace: s.namespace,
      body: { metadata: { name: 'ui-credentials' }, stringData: { viewer: 'pw' } },
    });
    operator = await s.startOperator([
      '--mesos-credentials-secret=ui-credentials',
      `--lease-namespace=${s.namespace}`,
    ]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    expect(operator?.errors() ?? []).toEqual([]);
    await s.teardown();
  });

  it('shows no data without credentials, and sends the bearer token it is given', async () => {
    const page = await browser.newPage();
    await page.goto(`${operator.url}/`);
    await expectText(page, '[data-stream]', 'not signed in');
    await expectText(page, '.signin .error', /^Missing credentials/);
    expect(await page.locator('[data-framework]').count()).toBe(0);
    // The API server does not know this token: the operator's answer proves the page sent it.
    await page.fill('.signin input[name="token"]', 'not-a-real-token');
    await page.click('.signin button');
    await expectText(page, '.signin .error', /^Invalid bearer token/);
    await page.close();
  });

  it('shows the cluster once given Basic credentials of the credentials Secret', async () => {
    const page = await browser.newPage();
    await page.goto(`${operator.url}/`);
    await expectText(page, '[data-stream]', 'not signed in');
    await page.fill('.signin input[name="principal"]', 'viewer');
    await page.fill('.signin input[name="secret"]', 'wrong');
    await page.click('.signin button');
    await expectText(page, '.signin .error', /wrong secret for 'viewer'/);
    await page.fill('.signin input[name="secret"]', 'pw');
    await page.click('.signin button');
    await expectText(page, '[data-stream]', /^live/);
    await expectText(page, `tr[data-framework="${s.namespace}/f"] td[data-share]`, '0.0000');
    await page.close();
  });
});
