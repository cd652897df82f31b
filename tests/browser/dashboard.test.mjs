// The dashboard in headless Chromium against a real `jobhost run` daemon with the meraki-sync
// plugin and the fake Meraki Dashboard: the schedule shows up, a rejected setting shows the
// API's message, an accepted one changes the schedule, "Run now" runs the sync to completion.
//
// Run by ctest (tests/browser/CMakeLists.txt sets the paths) or by hand:
//   JOBHOST_BIN=build/bin/jobhost JOBHOST_MERAKI_PLUGIN=build/lib/jobhost/plugins/meraki-sync.so \
//   JOBHOST_FAKE_MERAKI=build/bin/fake-meraki JOBHOST_TEST_ARTIFACTS=build/test-artifacts \
//   node --test tests/browser/dashboard.test.mjs
// It fails (never skips) when Chromium or the node modules are missing.

import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {test} from 'node:test';

const STEP_MS = 60_000;
const SETUP_HINT = 'run scripts/setup-debian.sh (it installs chromium and runs npm ci in tests/browser)';
const MERAKI_SYNC = 'meraki.sync';
const TOKEN = 'test-token';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this test through ctest (tests/browser/CMakeLists.txt sets it)`);
  if (name !== 'JOBHOST_TEST_ARTIFACTS' && !fs.existsSync(value)) {
    throw new Error(`${name}=${value} does not exist: build it first (cmake --build build --target jobhost meraki-sync fake-meraki)`);
  }
  return value;
}

async function loadPuppeteer() {
  try {
    return (await import('puppeteer-core')).default;
  } catch (e) {
    throw new Error(`puppeteer-core is not installed in tests/browser/node_modules (${e.code || e.message}): ${SETUP_HINT}`);
  }
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`Chromium is not installed (looked for ${candidates.join(', ')}): ${SETUP_HINT}`);
  return found;
}

// A child process whose output is kept (and copied to a log file) and can be waited on.
class Child {
  constructor(name, command, args, logFile) {
    this.name = name;
    this.output = '';
    this.exited = null;  // {code, signal} once it ended
    this.log = fs.createWriteStream(logFile);
    this.proc = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']});
    this.exitPromise = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exited = {code, signal};
        resolve(this.exited);
      });
      this.proc.on('error', (e) => {
        this.output += `\n[${name}: ${e.message}]\n`;
        this.exited = {code: -1, signal: null};
        resolve(this.exited);
      });
    });
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      stream.on('data', (chunk) => {
        this.output += chunk.toString();
        this.log.write(chunk);
      });
    }
  }

  tail(lines = 30) {
    return this.output.trim().split('\n').slice(-lines).join('\n');
  }

  async waitFor(regex, what, timeoutMs = STEP_MS) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = this.output.match(regex);
      if (m) return m;
      if (this.exited) break;
      await sleep(50);
    }
    const why = this.exited ? `it exited (${JSON.stringify(this.exited)})` : `not within ${timeoutMs / 1000} s`;
    throw new Error(`${this.name}: ${what}: ${why}; its last output:\n${this.tail()}`);
  }

  // SIGTERM, then SIGKILL if it has not exited within graceMs.
  async stop(graceMs = 20_000) {
    if (this.stopped) return this.stopped;
    if (!this.exited) {
      this.proc.kill('SIGTERM');
      if ((await within(this.exitPromise, graceMs)) === TIMED_OUT && !this.exited) {
        this.output += `\n[${this.name}: no exit ${graceMs / 1000} s after SIGTERM: killed]\n`;
        this.proc.kill('SIGKILL');
        await this.exitPromise;
      }
    }
    await new Promise((resolve) => this.log.end(resolve));
    this.stopped = this.exited;
    return this.exited;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The promise's value, or TIMED_OUT after ms (the timer never outlives the promise).
const TIMED_OUT = Symbol('timed out');
async function within(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Last resort if the runner itself is torn down: no daemon, fake or browser outlives it.
const children = new Set();
process.on('exit', () => {
  for (const c of children) if (!c.exited) c.proc.kill('SIGKILL');
});

test('dashboard: schedule, settings, run now (headless Chromium, real daemon, fake Meraki)', {timeout: 175_000}, async (t) => {
  const jobhostBin = required('JOBHOST_BIN');
  const pluginFile = required('JOBHOST_MERAKI_PLUGIN');
  const fakeMerakiBin = required('JOBHOST_FAKE_MERAKI');
  const artifacts = required('JOBHOST_TEST_ARTIFACTS');
  const puppeteer = await loadPuppeteer();
  const chromium = chromiumPath();
  fs.mkdirSync(artifacts, {recursive: true});
  for (const stale of ['dashboard.png', 'dashboard-job.png', 'dashboard-failure.png']) {
    fs.rmSync(path.join(artifacts, stale), {force: true});
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobhost-browser-'));

  // Cleanup runs however the test ends: browser, daemon, fake, temp dir.
  const cleanups = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`cleanup: ${e.message}`);
      }
    }
  });
  cleanups.push(() => fs.rmSync(tmp, {recursive: true, force: true}));

  const start = (name, command, args) => {
    const child = new Child(name, command, args, path.join(artifacts, `browser-${name}.log`));
    children.add(child);
    cleanups.push(async () => {
      const exit = await child.stop();
      children.delete(child);
      if (exit && exit.signal === 'SIGKILL') console.error(`${name} had to be killed`);
    });
    return child;
  };

  // The fake Meraki Dashboard: two organizations, a few networks and devices.
  const fake = start('fake-meraki', fakeMerakiBin,
                     ['--port', '0', '--organizations', '2', '--networks', '3', '--devices', '12']);
  const [, merakiUrl] = await fake.waitFor(/fake-meraki listening on (\S+)/, 'the listening line');

  // The daemon with the meraki-sync plugin, its HTTP API on a free port.
  const config = path.join(tmp, 'jobhost.yaml');
  fs.writeFileSync(config, [
    'host: {name: browser-test}',
    `store: {driver: sqlite, path: ${JSON.stringify(path.join(tmp, 'jobhost.db'))}}`,
    `plugin_files: [${JSON.stringify(pluginFile)}]`,
    'workers: 2',
    `http: {port: 0, token: ${TOKEN}}`,
    'plugins:',
    '  meraki-sync:',
    '    api_key: fake-meraki-key',
    `    base_url: ${JSON.stringify(merakiUrl)}`,
    '    enable_scheduled_sync: true',
    '    sync_interval_minutes: 60',
    '',
  ].join('\n'));
  const daemon = start('jobhost', jobhostBin, ['run', '--config', config]);
  const [, url] = await daemon.waitFor(/http: dashboard and API on (https?:\/\/\S+?)\/?(?:\s|$)/, 'the "http: dashboard and API on" line');

  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
    userDataDir: path.join(tmp, 'chromium-profile'),
  });
  cleanups.push(async () => {
    const proc = browser.process();
    await within(browser.close(), 10_000);
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });

  const page = await browser.newPage();
  await page.setViewport({width: 1400, height: 1000});
  page.setDefaultTimeout(STEP_MS);
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const failureShot = async () => {
    try {
      await page.evaluate(() => window.scrollTo(0, 0));  // the sticky header at the top
      await page.screenshot({path: path.join(artifacts, 'dashboard-failure.png'), fullPage: true});
    } catch {
      // the page may be gone already
    }
  };
  // Every wait says what it waited for and shows the daemon's log when it gives up.
  const step = async (what, fn) => {
    try {
      return await fn();
    } catch (e) {
      await failureShot();
      let shown = '';
      try {
        shown = await page.evaluate(() => [...document.querySelectorAll('.msg-error, .banner:not([hidden])')]
                                              .map((el) => el.textContent.trim()).filter(Boolean).join('\n'));
      } catch {
        // the page may be gone
      }
      throw new Error(`${what}: ${e.message}\n--- errors the page shows ---\n${shown || '(none)'}` +
                      `\n--- jobhost log (last lines) ---\n${daemon.tail(40)}`);
    }
  };

  const row = `tr[data-testid="schedule-row"][data-job-type="${MERAKI_SYNC}"]`;
  const field = (p) => `[data-testid="settings-form"][data-plugin="meraki-sync"] [data-testid="setting-field"][data-path="${p}"]`;
  const form = '[data-testid="settings-form"][data-plugin="meraki-sync"]';

  await step('open the dashboard', async () => {
    const response = await page.goto(`${url}/`, {waitUntil: 'domcontentloaded'});
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'] || '', /text\/html/);
  });

  await step('the meraki.sync schedule row shows a next run time', () =>
    page.waitForSelector(`${row} [data-testid="schedule-next-run"] time`, {visible: true}));

  await step('enter the API token', async () => {
    await page.type('#token-input', TOKEN);
    assert.equal(await page.evaluate(() => localStorage.getItem('jobhost.apiToken')), TOKEN);
  });

  const setSyncInterval = async (value) => {
    const input = `${field('sync_interval_minutes')} input`;
    await page.waitForSelector(input, {visible: true});
    await page.$eval(input, (el) => {
      el.focus();
      el.value = '';
      el.dispatchEvent(new Event('input', {bubbles: true}));
    });
    await page.type(input, String(value));
    await page.click(`${form} [data-testid="settings-save"]`);
  };

  await step('sync_interval_minutes 3 is refused with the validator\'s message', async () => {
    await setSyncInterval(3);
    const message = await page.waitForFunction((sel) => {
      const el = document.querySelector(sel);
      return el && !el.hidden && el.textContent.trim() ? el.textContent : null;
    }, {}, `${field('sync_interval_minutes')} [data-testid="setting-error"]`);
    const text = await message.jsonValue();
    assert.match(text, /5/, `the message next to the field should name the minimum 5: "${text}"`);
  });

  await step('sync_interval_minutes 15 is saved', async () => {
    await setSyncInterval(15);
    await page.waitForFunction((sel) => {
      const el = document.querySelector(sel);
      return el && /saved/i.test(el.textContent);
    }, {}, `${form} [data-testid="settings-status"]`);
    const error = await page.$eval(`${field('sync_interval_minutes')} [data-testid="setting-error"]`, (el) => (el.hidden ? '' : el.textContent));
    assert.equal(error, '', 'no error is left next to the field');
    const override = await page.$(`${field('sync_interval_minutes')} [data-testid="setting-reset"]`);
    assert.ok(override, 'the changed setting is marked as an override with a "reset to YAML" link');
  });

  await step('the schedule row shows the new timing (every 15m)', () =>
    page.waitForFunction((sel) => {
      const el = document.querySelector(sel);
      return el && /every 15m/.test(el.textContent);
    }, {}, `${row} [data-testid="schedule-timing"]`));

  const syncJob = await step('"Run now" runs meraki.sync to completion', async () => {
    const deadline = Date.now() + STEP_MS;
    // A sync the schedule started holds the singleton: wait for it, then try again.
    for (;;) {
      await page.click(`${row} [data-testid="schedule-run-now"]`);
      const outcome = await page.waitForFunction((sel) => {
        const msg = document.querySelector(sel);
        if (!msg || msg.hidden) return null;
        if (msg.querySelector('[data-testid="tracked-job"][data-job-id]')) return 'started';
        return msg.classList.contains('msg-error') ? `error: ${msg.textContent}` : null;
      }, {}, `${row} [data-testid="schedule-message"]`);
      const result = await outcome.jsonValue();
      if (result === 'started') break;
      if (!/singleton|already|holds|running|queued/i.test(result) || Date.now() > deadline) throw new Error(result);
      await sleep(2000);
    }
    await page.waitForSelector(`${row} [data-testid="tracked-job"][data-status="completed"]`,
                               {timeout: Math.max(5000, deadline - Date.now())});
    const jobId = await page.$eval(`${row} [data-testid="tracked-job"]`, (el) => el.dataset.jobId);
    // The recent jobs list shows it as completed too.
    await page.waitForSelector(`tr[data-testid="job-row"][data-job-id="${jobId}"][data-status="completed"]`);
    return jobId;
  });

  const meraki = '[data-testid="plugin-panel"][data-plugin="meraki-sync"]';
  await step('approving the pending change set (review mode) fills the inventory', async () => {
    // The status view after that sync: its change set is the pending one (it superseded older ones).
    await page.waitForSelector(`${meraki} [data-testid="meraki-last-sync"] [data-testid="job-link"][data-job-id="${syncJob}"]`);
    const approve = `${meraki} [data-testid="meraki-change-set"] [data-testid="meraki-approve"]`;
    await page.waitForSelector(approve, {visible: true});
    // Clicked in the page: the status view may be rebuilt between a lookup and a click.
    await page.$eval(approve, (el) => el.click());
    await page.waitForSelector(`${meraki} [data-testid="plugin-action-status"] [data-testid="tracked-job"][data-status="completed"]`);
    await page.waitForSelector(`${meraki} [data-testid="meraki-organizations"]`);
  });

  await step('a full-page screenshot', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));  // the sticky header at the top
    await sleep(500);
    await page.screenshot({path: path.join(artifacts, 'dashboard.png'), fullPage: true});
  });

  await step('the job link opens the job with its events', async () => {
    await page.click(`${row} [data-testid="tracked-job"] [data-testid="job-link"]`);
    await page.waitForSelector('#job-dialog[open] [data-testid="job-dialog-status"][data-status="completed"]');
    await page.waitForSelector('#job-dialog[open] [data-testid="job-event"]');
    await page.screenshot({path: path.join(artifacts, 'dashboard-job.png')});
    await page.click('#job-dialog-close');
  });

  await step('the daemon stops cleanly on SIGTERM', async () => {
    const exit = await daemon.stop();
    assert.deepEqual(exit, {code: 0, signal: null});
  });

  await step('the page has no script errors and no unrendered values', async () => {
    assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
    const text = await page.evaluate(() => document.body.innerText);
    for (const bad of ['[object Object]', 'undefined', 'NaN']) {
      assert.ok(!text.includes(bad), `the page shows "${bad}"`);
    }
  });
});
