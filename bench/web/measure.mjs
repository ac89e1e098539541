// Measures Reel's web page in Debian's headless Chromium against a running devserver (bench/web-page.sh starts one):
// time to first frame (Reel's player for HLS and MP4, and reference players on the same stream), the JavaScript
// each page loads (gzip, as served), and Lighthouse's performance, accessibility and best-practices scores.
//   node measure.mjs <base-url> <viewer-username> <viewer-password> [runs]
import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const [base, username, password, runsArg] = process.argv.slice(2);
if (!base || !username || !password) {
  console.error('usage: node measure.mjs <base-url> <viewer-username> <viewer-password> [runs]');
  process.exit(2);
}
const RUNS = Number(runsArg ?? 5);
const here = dirname(fileURLToPath(import.meta.url));
const HLS_JS = join(here, '../../frontend/node_modules/hls.js/dist/hls.min.js');
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--autoplay-policy=no-user-gesture-required'];
const executablePath = process.env.REEL_CHROMIUM ?? '/usr/bin/chromium';

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n) => Math.round(n);

async function api(path, { method = 'GET', token, body } = {}) {
  const response = await fetch(`${base}/api${path}`, {
    method, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function signIn(page) {
  await page.goto(`${base}/signin`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Browse', level: 1 }).waitFor();
}

// Starts playback the moment the player gives its media element a source, as autoplay would, and notes the time
// from that play() to the first frame the compositor shows (requestVideoFrameCallback).
const TTFF_HOOK = `(() => {
  const set = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    set.call(this, name, value);
    if (name === 'src' && this.getAttribute('slot') === 'media' && !window.__reelStarted) {
      window.__reelStarted = true;
      const media = this;
      media.muted = true;
      const t0 = performance.now();
      media.play().catch(() => {});
      media.requestVideoFrameCallback(() => { window.__reelTtff = performance.now() - t0; });
    }
  };
})();`;
const NO_MSE = `delete window.MediaSource; delete window.ManagedMediaSource;
  const canPlay = HTMLMediaElement.prototype.canPlayType;
  HTMLMediaElement.prototype.canPlayType = function (t) { return /mpegurl/i.test(t) ? '' : canPlay.call(this, t); };`;

async function reelTtff(browser, videoId, engine) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await signIn(page);
    if (engine === 'mp4') await page.addInitScript(NO_MSE);
    await page.addInitScript(TTFF_HOOK);
    await page.goto(`${base}/watch/${videoId}`);
    const handle = await page.waitForFunction(() => window.__reelTtff, null, { timeout: 30_000 });
    const used = await page.evaluate(() => document.querySelector('media-controller').dataset.engine);
    if (used !== (engine === 'mp4' ? 'mp4' : 'hls.js')) throw new Error(`expected ${engine}, the page used ${used}`);
    return handle.jsonValue();
  } finally {
    await context.close();
  }
}

// The reference players' page: an empty page and hls.js, served from a loopback port of this script's (Chromium lets
// only a loopback document reach loopback media, and a document the test tool made up is not one), with /api/* passed
// on to the devserver so that the playlists are same-origin, as on Reel's page. No CSP, nothing of Reel's page.
const harness = createServer((request, response) => {
  if (request.url.startsWith('/api/')) {
    const upstream = httpRequest(`${base}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    request.pipe(upstream);
    return;
  }
  const script = request.url === '/hls.min.js';
  response.writeHead(200, { 'Content-Type': script ? 'text/javascript' : 'text/html' });
  response.end(script ? readFileSync(HLS_JS) : '<!doctype html><title>reference</title>');
});
await new Promise((resolve) => harness.listen(0, '127.0.0.1', resolve));
const REFERENCE_PAGE = `http://127.0.0.1:${harness.address().port}`;

/** The same measurement with a bare <video> on a blank page: hls.js with its defaults, Chromium's own HLS, the MP4. */
async function referenceTtff(browser, kind, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.goto(`${REFERENCE_PAGE}/`);
    if (kind === 'hls.js defaults') await page.addScriptTag({ url: `${REFERENCE_PAGE}/hls.min.js` });
    return await page.evaluate(async ({ kind, url }) => {
      const video = document.createElement('video');
      video.muted = true;
      video.style.width = '1200px';
      document.body.append(video);
      const t0 = performance.now();
      if (kind === 'hls.js defaults') {
        const hls = new window.Hls();
        hls.loadSource(url);
        hls.attachMedia(video);
      } else {
        video.src = url;
      }
      video.play().catch(() => {});
      return new Promise((resolve, reject) => {
        video.requestVideoFrameCallback(() => resolve(performance.now() - t0));
        video.addEventListener('error', () => reject(new Error(`${kind}: media error ${video.error && video.error.code}`)));
        setTimeout(() => reject(new Error(`${kind}: no frame within 20 s (readyState ${video.readyState})`)), 20_000);
      });
    }, { kind, url });
  } finally {
    await context.close();
  }
}

async function scriptWeight(browser, path, ready) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await signIn(page);
    const scripts = new Map();
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') {
        const length = Number(await response.headerValue('content-length'));
        scripts.set(response.url(), { length, encoding: await response.headerValue('content-encoding') });
      }
    });
    await page.goto(`${base}${path}`);
    await ready(page);
    await page.waitForLoadState('networkidle');
    const total = [...scripts.values()].reduce((sum, s) => sum + s.length, 0);
    return { bytes: total, files: [...scripts.entries()].map(([url, s]) => ({ file: url.replace(base, ''), ...s })) };
  } finally {
    await context.close();
  }
}

async function lighthouseScores(videoId) {
  const profile = mkdtempSync(join(tmpdir(), 'reel-lh-'));
  const port = 9300 + Math.floor(Math.random() * 500);
  // Lighthouse drives the browser's default context, so the session cookie must be in a persistent profile.
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true,
    args: [...FLAGS, `--remote-debugging-port=${port}`] });
  const results = {};
  const categories = ['performance', 'accessibility', 'best-practices'];
  const run = async (name, url) => {
    const scores = [];
    for (let i = 0; i < 3; i++) {
      const result = await lighthouse(url, { port, output: 'json', logLevel: 'error', onlyCategories: categories,
        disableStorageReset: true });
      scores.push(Object.fromEntries(categories.map((c) => [c, Math.round(result.lhr.categories[c].score * 100)])));
      if (i === 0) results[`${name}-audits`] = Object.values(result.lhr.audits)
        .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable')
        .map((a) => `${a.id}: ${a.title} (${a.displayValue ?? a.score})`);
    }
    results[name] = Object.fromEntries(categories.map((c) => [c, median(scores.map((s) => s[c]))]));
    results[`${name}-runs`] = scores;
  };
  try {
    await run('signin', `${base}/signin`);
    await signIn(context.pages()[0] ?? await context.newPage());
    await run('catalogue', `${base}/`);
    await run('watch', `${base}/watch/${videoId}`);
  } finally {
    await context.close();
  }
  return results;
}

const token = (await api('/auth/login', { method: 'POST', body: { username, password } })).accessToken;
const videoId = (await api('/videos?limit=1', { token })).items[0]?.videoId;
if (!videoId) throw new Error('No READY video to measure: is the demo video processed?');

const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
const report = { when: new Date().toISOString(), base, videoId, runs: RUNS, chromium: browser.version(), ttffMs: {}, ttffRunsMs: {} };
try {
  const variants = {
    'Reel HLS (hls.js)': () => reelTtff(browser, videoId, 'hls'),
    'Reel MP4 fallback': () => reelTtff(browser, videoId, 'mp4'),
    'hls.js defaults': async () => {
      const playback = await api(`/videos/${videoId}/playback`, { token });
      return referenceTtff(browser, 'hls.js defaults', new URL(playback.hls, `${REFERENCE_PAGE}/api/videos/${videoId}/playback`).href);
    },
    'Chromium native HLS': async () => {
      const playback = await api(`/videos/${videoId}/playback`, { token });
      return referenceTtff(browser, 'native HLS', new URL(playback.hls, `${REFERENCE_PAGE}/api/videos/${videoId}/playback`).href);
    },
    'bare <video> MP4': async () => {
      const playback = await api(`/videos/${videoId}/playback`, { token });
      return referenceTtff(browser, 'mp4', playback.mp4.sort((a, b) => b.height - a.height)[0].url);
    },
  };
  // Interleaved rounds, one warm-up round first (JIT, caches of the devserver), so no variant gets the quiet moments.
  for (let r = 0; r <= RUNS; r++) {
    for (const [name, measure] of Object.entries(variants)) {
      try {
        const ms = await measure();
        if (r > 0) (report.ttffRunsMs[name] ??= []).push(round(ms));
      } catch (error) {
        console.error(`${name}: ${error.message}`);
        (report.failures ??= []).push(`${name}: ${error.message}`);
      }
    }
  }
  for (const [name, values] of Object.entries(report.ttffRunsMs)) report.ttffMs[name] = median(values);

  const catalogue = await scriptWeight(browser, '/', (page) => page.locator('.video-card').first().waitFor());
  const watch = await scriptWeight(browser, `/watch/${videoId}`, (page) => page.locator('media-controller').waitFor());
  report.javascriptGzipBytes = { catalogue: catalogue.bytes, watch: watch.bytes };
  report.javascriptFiles = { catalogue: catalogue.files, watch: watch.files };
} finally {
  await browser.close();
  harness.close();
}
if (process.env.REEL_SKIP_LIGHTHOUSE !== '1') report.lighthouse = await lighthouseScores(videoId);

mkdirSync(join(here, 'results'), { recursive: true });
const out = join(here, 'results', `web-${report.when.replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify(report, null, 2));
console.log(JSON.stringify({ ttffMs: report.ttffMs, ttffRunsMs: report.ttffRunsMs, javascriptGzipBytes: report.javascriptGzipBytes,
  lighthouse: report.lighthouse && Object.fromEntries(Object.entries(report.lighthouse).filter(([k]) => !k.includes('-'))),
  lighthouseBelow90: report.lighthouse && Object.fromEntries(Object.entries(report.lighthouse).filter(([k]) => k.endsWith('-audits'))) },
null, 2));
console.log(`full report: ${out}`);
