/**
 * Browser helpers for the E2E suite: Debian's Chromium driven by playwright-core (the browser comes from apt; playwright-core never downloads one).
 *
 * Typical test file:
 *
 *   const b = useBrowser();              // one browser per file, a fresh context + page per test
 *   test("signs in", async () => {
 *     await b.page.goto("/");            // relative to inject("baseUrl")
 *     await signIn(b.page, "owner@acme.test", "...");
 *     expect(b.errors).toEqual([]);      // console errors and uncaught page errors
 *   });
 *
 * A failing test leaves a full-page screenshot in .ci/out/screenshots/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import { chromium, errors, type Browser, type BrowserContext, type Locator, type Page, type Request } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Flags Debian's Chromium needs headless in a container. Never add --user-data-dir: launch() rejects it. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
const SCREENSHOTS = resolve(import.meta.dirname, "../../.ci/out/screenshots");
/** Vite's build, the same files `wrangler dev` serves as static assets (`[assets]` in wrangler.toml). */
const BUILT_ASSETS = resolve(import.meta.dirname, "../../dist/client");

/**
 * Calendar dates for form inputs, computed from the real date (the Worker under `wrangler dev` runs on real
 * time): E2E tests never type a literal "today-like" date and never look for a row by its position.
 */
export const day = (days = 0): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** First and last day (`YYYY-MM-DD`, UTC) of the current month. */
export const monthStart = (): string => `${day().slice(0, 7)}-01`;
export function monthEnd(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

export function baseUrl(): string {
  return inject("baseUrl");
}

/** Chromium with every page's navigations guarded against wrangler dev's stalls (`guardNavigations`). */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await serveBuiltAssets(context);
    const newPageOf = context.newPage.bind(context);
    context.newPage = async () => guardNavigations(await newPageOf());
    return context;
  };
  return browser;
}

/**
 * The portal's hashed scripts and styles (`/assets/…`) are answered from Vite's build on disk instead of through
 * `wrangler dev`, whose request path now and then holds one for 20 s or more (ADR 020). A navigation can be
 * retried (`guardNavigations`), but a screen's lazily loaded script requested from inside the page cannot: CI
 * saw a click on "Billing Configurations" never arrive because its chunk was held. The bytes are the same files
 * wrangler would serve (immutable, content-hashed names); documents, the API and everything else still go through
 * wrangler dev and our Worker. A path that is not in the build falls through to wrangler (its 404 is tested).
 */
async function serveBuiltAssets(context: BrowserContext): Promise<void> {
  let origin: string;
  try {
    origin = new URL(baseUrl()).origin;
  } catch {
    return; // not inside the E2E suite's global setup (e.g. a stand-alone harness test server)
  }
  await context.route((url) => url.origin === origin && url.pathname.startsWith("/assets/"), async (route) => {
    const file = join(BUILT_ASSETS, decodeURIComponent(new URL(route.request().url()).pathname));
    if (!file.startsWith(`${BUILT_ASSETS}/assets/`) || !existsSync(file)) return route.fallback();
    await route.fulfill({ path: file, headers: { "cache-control": "public, max-age=31536000, immutable" } });
  });
}

/** One navigation attempt; what a person would wait before pressing reload. */
export const NAVIGATION_ATTEMPT_MS = 15_000;
const NAVIGATION_ATTEMPTS = 3;
const attemptTimeouts = new WeakMap<Page, number>();
/** Per guarded page: each request not yet finished, with when it started (for the retry and failure logs). */
const pendingRequests = new WeakMap<Page, Map<string, number>>();

/** The requests a guarded page has been waiting for at least `olderThanMs`, oldest first, with their age. */
export function pendingRequestsOf(page: Page, olderThanMs = 0): string[] {
  const now = Date.now();
  return [...(pendingRequests.get(page) ?? [])]
    .filter(([, since]) => now - since >= olderThanMs)
    .sort((a, b) => a[1] - b[1])
    .map(([u, since]) => `${u} (${((now - since) / 1000).toFixed(1)} s)`);
}

/**
 * `wrangler dev` now and then holds one request for 20 s or more (the document or one of its scripts) while our
 * Worker is idle: reproduced with Chromium against a wrangler dev serving only static assets, no Worker code
 * running (docs/decisions/020-e2e-navigation-stalls.md). A navigation that has not reached its `waitUntil`
 * event within the attempt's time (NAVIGATION_ATTEMPT_MS) is started again, at most twice, and each retry is
 * logged with the requests still pending, so the CI log shows how often it happens and where. Only timeouts
 * are retried: an HTTP error or a failed request fails the test as before. Calling it again only changes the
 * attempt's time (test/e2e/harness.test.ts).
 *
 * A navigation the page starts itself (a link, a form's redirect such as a payment page sending the payer back,
 * `location.assign`) is guarded too, if it is a GET of the main frame: when its document has not arrived within
 * the attempt's time, it is loaded again with the guarded `goto` — what a person would do with a page that stays
 * blank. A POST is never sent twice.
 */
export function guardNavigations(page: Page, attemptMs = NAVIGATION_ATTEMPT_MS): Page {
  const installed = attemptTimeouts.has(page);
  attemptTimeouts.set(page, attemptMs);
  if (installed) return page;
  const pending = new Map<string, number>();
  pendingRequests.set(page, pending);
  const watched = new Map<Request, ReturnType<typeof setTimeout>>();
  let inGoto = 0;
  const unwatch = (r: Request) => {
    clearTimeout(watched.get(r));
    watched.delete(r);
  };
  const done = (r: Request) => {
    pending.delete(r.url());
    unwatch(r);
  };
  page.on("request", (r) => {
    pending.set(r.url(), Date.now());
    if (inGoto > 0 || !r.isNavigationRequest() || r.frame() !== page.mainFrame() || r.method() !== "GET") return;
    const timeout = attemptTimeouts.get(page)!;
    watched.set(r, setTimeout(() => {
      watched.delete(r);
      const held = pendingRequestsOf(page).join(", ") || "none";
      console.error(`[e2e] navigation to ${r.url()} started by the page was held for ${timeout / 1000} s; pending: ${held}; loading it again`);
      pending.clear();
      void page.goto(r.url()).catch((err: unknown) => console.error(`[e2e] loading ${r.url()} again failed: ${err instanceof Error ? err.message : String(err)}`));
    }, timeout));
  });
  // A document's response is enough: its body and sub-resources are the page's own load.
  page.on("response", (res) => unwatch(res.request()));
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  page.on("close", () => {
    for (const t of watched.values()) clearTimeout(t);
    watched.clear();
  });
  const goto = page.goto.bind(page);
  page.goto = async (url, options) => {
    const timeout = attemptTimeouts.get(page)!;
    inGoto++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await goto(url, { ...options, timeout });
        } catch (err) {
          if (!(err instanceof errors.TimeoutError) || attempt >= NAVIGATION_ATTEMPTS) throw err;
          const held = pendingRequestsOf(page, timeout / 2).join(", ") || "none";
          console.error(`[e2e] navigation to ${url} stalled for ${timeout / 1000} s (attempt ${attempt}); pending: ${held}; retrying`);
          pending.clear();
          // Chromium is still waiting on the held navigation; a new goto would abort it and report ERR_ABORTED.
          await goto("about:blank").catch(() => null);
        }
      }
    } finally {
      inGoto--;
    }
  };
  return page;
}

export interface PageSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far, in order. */
  errors: string[];
}

/** A fresh context (own cookies and storage) with one page whose relative URLs resolve against baseUrl. */
export async function newPage(browser: Browser): Promise<PageSession> {
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  return { context, page, errors };
}

/** Signs in through the portal form; the labels and button text are the portal's contract. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** The portal's main menu (the left navigation). */
export const mainNav = (page: Page): Locator => page.getByRole("navigation", { name: "Main" });

const WAIT = 30_000;

/**
 * Opens sign-in, signs `account` in and waits for the portal's menu. The navigation waits for the document, not
 * for the "load" event: what a person waits for is the form (the heading below).
 */
export async function signInAs(page: Page, account: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in", { waitUntil: "domcontentloaded" });
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: WAIT });
  await signIn(page, account.email, account.password);
  await mainNav(page).waitFor({ timeout: WAIT });
}

/** Follows a main-menu link the way a person does and waits for the screen's title (the link's text by default). */
export async function go(page: Page, link: string, heading = link): Promise<void> {
  await mainNav(page).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor({ timeout: WAIT });
}

/** Signs out from the user menu and waits for the sign-in page. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Signed in as / }).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/sign-in", { timeout: WAIT });
}

/**
 * The organization picker (web/components/OrgPicker.tsx): type in its search box (by default the name's first
 * word), then choose the organization in its select once the search has listed it.
 */
export async function pickOrg(scope: Page | Locator, label: string, name: string, search = name.split(" ")[0]!): Promise<void> {
  await scope.getByLabel(`${label}: search`, { exact: true }).fill(search);
  const select = scope.getByLabel(label, { exact: true });
  const option = select.locator("option", { hasText: name }).first();
  await option.waitFor({ state: "attached", timeout: 30_000 });
  await select.selectOption((await option.getAttribute("value"))!);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, "_").slice(0, 120)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Registers hooks for the current test file: launches Chromium once, gives each test a fresh
 * context and page, screenshots failures, and closes everything afterwards.
 */
export function useBrowser(): { readonly browser: Browser; readonly page: Page; readonly context: BrowserContext; readonly errors: string[] } {
  let browser: Browser | undefined;
  let session: PageSession | undefined;
  const current = () => {
    if (!session) throw new Error("useBrowser(): page used outside a test");
    return session;
  };

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    session = await newPage(browser!);
  });
  afterEach(async ({ task }) => {
    const s = session;
    session = undefined;
    if (!s) return;
    if (task.result?.state === "fail") {
      const file = await screenshot(s.page, `${task.file?.name ?? "e2e"}-${task.name}`).catch(() => null);
      if (file) console.error(`[e2e] screenshot: ${file}`);
      console.error(`[e2e] page: ${s.page.url()}; requests still pending: ${pendingRequestsOf(s.page).join(", ") || "none"}`);
      if (s.errors.length) console.error(`[e2e] browser errors:\n  ${s.errors.join("\n  ")}`);
    }
    await s.context.close();
  });

  return {
    get browser() {
      return browser!;
    },
    get page() {
      return current().page;
    },
    get context() {
      return current().context;
    },
    get errors() {
      return current().errors;
    },
  };
}
