// The web pages in a real browser: one Debian Chromium, driven by playwright-core (which downloads
// no browser of its own), opens every page the job names and reports what it measured as JSON on
// standard output. tests/e2e/test_web_axe.py writes the job and judges the answers; this file only
// measures, so a check's pass mark lives beside its test.
//
// Job (JSON on standard input):
//   {"chromium": "/usr/bin/chromium", "pages": [{"url": "file:///…/index.html", "checks": ["axe", …]}]}
// Every page is read twice, with JavaScript on and off: the text of <main> and <html lang/dir> each
// time ("scripted", "scriptless.text"), so a test can see that the page reads without script. Checks:
//   axe       axe-core's WCAG 2.0/2.1/2.2 A and AA rules at 320 and 1280 CSS px: the violations
//   reflow    the root's scrollWidth and clientWidth at 320 CSS px (WCAG 1.4.10) and at 200 % zoom
//             of a 1280 px window (640 CSS px at a device scale of 2, which is what zooming does),
//             and in that window with the reader's default text size doubled (16 to 32 px: WCAG 1.4.4)
//   keyboard  with JavaScript off, the first Tab: what it focuses, where that is and its outline; then
//             Enter on it, and what has the focus after
//   switcher  each link of the language switcher followed with JavaScript off: where it leads and the
//             lang/dir of the page it opens
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
// Chromium's own network, update and sync chatter off: the pages are files and nothing else is fetched.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--allow-file-access-from-files"];

const job = JSON.parse(readFileSync(0, "utf8"));
// playwright-core starts Chromium with a new, empty profile folder of its own and removes it after.
const browser = await chromium.launch({ executablePath: job.chromium, headless: true, args: FLAGS });
// One context runs script (axe needs it); the other reads pages as a reader with JavaScript off does.
const withScript = await browser.newContext();
const noScript = await browser.newContext({ javaScriptEnabled: false });

async function open(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => true));
  return page;
}

// The window as a reader's screen sets it: CSS px wide, at a device scale (2 = zoomed to 200 %).
// (One DevTools session per page, kept open: Chromium drops a session's overrides when it detaches.)
const sessions = new WeakMap();
async function resize(page, width, scale = 1, fontPx = 16) {
  if (!sessions.has(page)) sessions.set(page, await page.context().newCDPSession(page));
  const cdp = sessions.get(page);
  await cdp.send("Emulation.setDeviceMetricsOverride", { width, height: 800, deviceScaleFactor: scale, mobile: false });
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: fontPx, fixed: Math.round(fontPx * 13 / 16) } });
  await page.evaluate(() => document.fonts.ready.then(() => true));
}

const measure = () => ({
  bodyPx: parseFloat(getComputedStyle(document.querySelector("main p")).fontSize),
  scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
  innerWidth: window.innerWidth, devicePixelRatio: window.devicePixelRatio,
});

const runAxe = (tags) => window.axe.run(document, {
  runOnly: { type: "tag", values: tags }, resultTypes: ["violations", "incomplete"],
}).then((result) => ({
  violations: result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
  })),
  incomplete: result.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) })),
  passes: result.passes.map((v) => v.id),
}));

const mainText = () => {
  const main = document.querySelector("main");
  return { main: main ? main.innerText : null, lang: document.documentElement.lang,
    dir: document.documentElement.dir };
};

// axe and reflow share one load of the page: it is laid out again at each width, not reloaded.
async function axeAndReflow(page, url, checks) {
  await open(page, url);
  await resize(page, 1280);
  const found = { scripted: await page.evaluate(mainText) };
  if (checks.includes("axe")) {
    // evaluate() runs through the DevTools protocol, which the page's Content-Security-Policy
    // (script-src 'none') does not govern: the page is tested as served, not with its policy loosened.
    await page.evaluate(AXE);
    found.axe = {};
    for (const width of [1280, 320]) {
      await resize(page, width);
      found.axe[width] = await page.evaluate(runAxe, TAGS);
    }
  }
  if (checks.includes("reflow")) {
    found.reflow = {};
    for (const [name, width, scale, fontPx] of [["320", 320, 1, 16], ["zoom200", 640, 2, 16], ["text200", 1280, 1, 32]]) {
      await resize(page, width, scale, fontPx);
      found.reflow[name] = await page.evaluate(measure);
    }
  }
  return found;
}

// With JavaScript off, the page as such a reader gets it, and the language switcher followed from it.
async function scriptless(page, url, checks) {
  await open(page, url);
  const found = { text: await page.evaluate(mainText) };
  if (checks.includes("keyboard")) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement, box = el.getBoundingClientRect(), style = getComputedStyle(el);
      return { className: el.className, href: el.getAttribute("href"), top: box.top, bottom: box.bottom,
        left: box.left, right: box.right, outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth), innerWidth: window.innerWidth, innerHeight: window.innerHeight };
    });
    await page.keyboard.press("Enter");
    focused.afterEnter = await page.evaluate(() => document.activeElement.id);
    found.keyboard = focused;
  }
  if (checks.includes("switcher")) {
    found.switcher = await page.$$eval("nav.languages a", (as) => as.map((a) => ({
      href: a.href, lang: a.getAttribute("lang"), dir: a.getAttribute("dir"),
      hreflang: a.getAttribute("hreflang"), current: a.getAttribute("aria-current"), text: a.textContent,
    })));
    for (const [index, link] of found.switcher.entries()) {
      await page.locator("nav.languages a").nth(index).click();
      await page.waitForLoadState("load");
      link.landed = page.url();
      Object.assign(link, await page.evaluate(() => ({
        pageLang: document.documentElement.lang, pageDir: document.documentElement.dir,
      })));
      // Back to the page (the link to the page itself stays on it, with no step in the history).
      if (page.url() !== url && !(await page.goBack({ waitUntil: "load" }))) await page.goto(url, { waitUntil: "load" });
    }
  }
  return found;
}

// A few readers side by side, each with a tab of each context taken from page to page (a new tab
// for every page costs a new renderer): most of a page's time is waiting on the browser, not work.
const READERS = 3;
const results = {};
// The pages whose switcher is followed take longest: they go first, so no reader is left with one at the end.
const queue = [...job.pages].sort((a, b) => b.checks.includes("switcher") - a.checks.includes("switcher"));
async function reader() {
  const tabs = { on: await withScript.newPage(), off: await noScript.newPage() };
  for (let next = queue.shift(); next; next = queue.shift()) {
    const { url, checks } = next;
    const started = performance.now();
    results[url] = { ...await axeAndReflow(tabs.on, url, checks), scriptless: await scriptless(tabs.off, url, checks) };
    results[url].ms = Math.round(performance.now() - started);
  }
}
try {
  await Promise.all(Array.from({ length: READERS }, reader));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify({ pages: results }));
