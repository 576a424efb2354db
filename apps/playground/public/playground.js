// @ts-check
/**
 * The playground page: a grid of scenarios (rows) by demo API (columns). Each button runs one scenario against one
 * API and shows what the browser let the page see. Buttons and results carry data- attributes so the conformance
 * suite (tools/e2e) can click every one and read the verdicts.
 */
import { perform } from './fetcher.js';
import { SCENARIOS, judge } from './scenarios.js';

/** @typedef {import('./scenarios.js').Scenario} Scenario @typedef {import('./fetcher.js').StepResult} StepResult */
/** @typedef {{ id: string, label: string, url: string }} Api */

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Point a loopback API at the page's own host name, so cookies stay same-site (localhost vs 127.0.0.1). */
function localise(url) {
  const parsed = new URL(url);
  if (LOOPBACK.has(parsed.hostname) && LOOPBACK.has(location.hostname)) parsed.hostname = location.hostname;
  return parsed.origin;
}

let counter = 0;
function runId(scenario, api) {
  counter += 1;
  return `${scenario.id}-${api.id}-${Date.now().toString(36)}-${counter}`;
}

/** @type {Promise<Window>} */
let untrustedFrame;
/** @type {Map<string, (result: StepResult) => void>} */
const pending = new Map();
let untrustedOrigin = '';

function openUntrustedFrame(port) {
  untrustedOrigin = `${location.protocol}//${location.hostname}:${port}`;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.title = 'untrusted origin';
  frame.src = `${untrustedOrigin}/frame.html?parent=${encodeURIComponent(location.origin)}`;
  untrustedFrame = new Promise((resolve) => {
    window.addEventListener('message', (event) => {
      if (event.origin !== untrustedOrigin) return;
      if (event.data?.ready) resolve(/** @type {Window} */ (frame.contentWindow));
      const settle = pending.get(event.data?.id);
      if (settle) {
        pending.delete(event.data.id);
        settle(event.data.result);
      }
    });
  });
  document.body.append(frame);
}

/** @param {import('./fetcher.js').Step} step @returns {Promise<StepResult>} */
async function performForeign(step) {
  const frame = await untrustedFrame;
  const id = `f${(counter += 1)}`;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    frame.postMessage({ id, step }, untrustedOrigin);
  });
}

/** The requests the API saw for one run (`?run=<id>`), or undefined if its stats endpoint is off. */
async function seenRequests(api, run) {
  try {
    const response = await fetch(`${api}/__stats`, { cache: 'no-store' });
    if (!response.ok) return undefined;
    const stats = await response.json();
    // The one /__stats format of the three demos (apps/demo-kit): { guardRuns, requests: [{ method, url, preflight, cookie, guards, status, … }] }.
    return stats.requests.filter((request) => runOf(request.url) === run);
  } catch {
    return undefined;
  }
}

function runOf(url) {
  return new URL(url, 'http://x').searchParams.get('run');
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/**
 * @param {Scenario} scenario @param {Api} api @param {string} token @param {HTMLElement} output
 */
async function run(scenario, api, token, output) {
  output.dataset.state = 'running';
  output.removeAttribute('data-verdict');
  output.replaceChildren('running…');
  const id = runId(scenario, api);
  const steps = scenario.steps({ api: api.url, run: id, token });
  /** @type {StepResult} */
  let result = { outcome: 'blocked', error: 'not run' };
  for (const step of steps) result = scenario.foreign ? await performForeign(step) : await perform(step);
  const seen = await seenRequests(api.url, id);
  const verdict = judge(scenario, result, seen);

  const outcome =
    result.outcome === 'allowed'
      ? element('span', { class: 'badge allowed' }, `allowed · ${result.status}`)
      : element('span', { class: 'badge blocked' }, 'blocked by the browser');
  const preflight = verdict.preflight === undefined ? 'unknown (stats off)' : verdict.preflight ? 'yes' : 'no';
  const lines = [
    element('div', {}, outcome, ' ', element('span', { class: `verdict ${verdict.pass ? 'pass' : 'fail'}` }, verdict.pass ? '✓ as expected' : `✗ ${verdict.notes.join('; ')}`)),
    element('div', { 'data-field': 'preflight' }, `preflight sent: ${preflight}`),
  ];
  if (result.outcome === 'allowed') {
    const headers = result.headers.map(([name, value]) => `${name}: ${value}`).join('\n');
    lines.push(element('div', {}, 'headers the page could read:'), element('div', { class: 'headers', 'data-field': 'headers' }, headers || '(none)'));
    if (result.body) lines.push(element('div', {}, 'body:'), element('div', { class: 'headers', 'data-field': 'body' }, result.body.slice(0, 200)));
  } else {
    lines.push(element('div', { class: 'headers', 'data-field': 'error' }, `${result.error} (the reason is in the console)`));
  }
  output.replaceChildren(...lines);
  output.dataset.verdict = verdict.pass ? 'pass' : 'fail';
  output.dataset.state = 'done';
}

async function main() {
  const config = await (await fetch('/config.json', { cache: 'no-store' })).json();
  /** @type {Api[]} */
  const apis = config.apis.map((api) => ({ ...api, url: localise(api.url) }));
  /** @type {HTMLElement} */ (document.getElementById('page-origin')).textContent = location.origin;
  openUntrustedFrame(config.untrustedPort);
  /** @type {HTMLElement} */ (document.getElementById('untrusted-origin')).textContent = untrustedOrigin;

  const headRow = /** @type {HTMLElement} */ (document.querySelector('#grid thead tr'));
  for (const api of apis) headRow.append(element('th', { scope: 'col' }, api.label, element('br'), element('small', {}, api.url)));

  const body = /** @type {HTMLElement} */ (document.querySelector('#grid tbody'));
  /** @type {(() => Promise<void>)[]} */
  const all = [];
  for (const scenario of SCENARIOS) {
    const row = element('tr', { 'data-scenario': scenario.id });
    const story = scenario.foreign ? `${scenario.story}` : scenario.story;
    row.append(element('th', { scope: 'row' }, element('strong', {}, scenario.title), element('small', {}, story)));
    for (const api of apis) {
      const output = element('div', { class: 'result', 'data-state': 'idle' }, 'not run yet');
      const button = element('button', { type: 'button', 'data-scenario': scenario.id, 'data-api': api.id }, scenario.foreign ? 'Run from another origin' : 'Run');
      const go = () => run(scenario, api, config.token, output);
      button.addEventListener('click', () => void go());
      all.push(go);
      row.append(element('td', { 'data-api': api.id }, button, output));
    }
    body.append(row);
  }

  const summary = /** @type {HTMLElement} */ (document.getElementById('summary'));
  /** @type {HTMLElement} */ (document.getElementById('run-all')).addEventListener('click', async () => {
    summary.textContent = 'running…';
    for (const go of all) await go();
    const results = [...document.querySelectorAll('.result')];
    const passed = results.filter((node) => node.getAttribute('data-verdict') === 'pass').length;
    summary.textContent = `${passed} of ${results.length} as expected`;
  });
  document.body.dataset.ready = 'true';
}

void main();
