import { escapeHtml as esc } from '../view/escape-html.js';
import { GRAPH_STYLE, htmlDocument } from '../view/html-document.js';

/**
 * A part of a page that changes while the daemon works: its HTML is one element whose `id` is the
 * fragment's id. The server renders every page as fragments; the event stream sends again those
 * whose HTML changed, and the page's script puts each in place of the element of that id.
 */
export interface Fragment {
  readonly id: string;
  readonly html: string;
}

/** Which entry of the navigation a page belongs to. */
type Section = 'apps' | 'jobs';

/** A page of the daemon's web view, as values: the same render gives the full page and its live updates. */
export interface Page {
  readonly title: string;
  readonly section: Section;
  /** Links above the heading, outermost first (e.g. Apps › shop). */
  readonly breadcrumbs?: ReadonlyArray<{ readonly href: string; readonly text: string }>;
  readonly heading: string;
  /** One line under the heading, HTML. */
  readonly intro?: string;
  readonly fragments: readonly Fragment[];
}

export interface PageOptions {
  /** The page's event stream (a same-origin path), for live updates; none for a page that does not change. */
  readonly events?: string;
  /** The daemon's identity and scope, shown in the footer (escaped). */
  readonly footer?: string;
}

/**
 * Served HTML is read-only and self-contained: its style inline, its one script from the daemon
 * itself, nothing fetched from anywhere else (the CSP says so to the browser as well).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The path the page's script is served at. */
export const LIVE_SCRIPT_PATH = '/assets/live.js';

const STYLE = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1b1f24; background: #fff; }
body { margin: 0; line-height: 1.45; }
header.bar { background: #1b1f24; color: #fff; padding: .5rem 1.5rem; display: flex; gap: 2rem; align-items: center; flex-wrap: wrap; }
header.bar a { color: #fff; }
header.bar .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; }
header.bar nav ul { list-style: none; display: flex; gap: 1.25rem; margin: 0; padding: 0; }
header.bar nav a[aria-current="page"] { text-decoration: underline 3px; text-underline-offset: 5px; }
#connection { margin-left: auto; font-size: .9rem; }
main { max-width: 76rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav.crumbs ol { list-style: none; padding: 0; margin: 0; display: flex; gap: .5rem; }
nav.crumbs li + li::before { content: "›"; margin-right: .5rem; color: #57606a; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { font-size: 1.3rem; margin-top: 1.75rem; } h3 { font-size: 1.1rem; }
.meta { color: #3d444d; }
code { font-family: ui-monospace, monospace; font-size: .9em; }
a { color: #0550ae; }
a:focus-visible, button:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid #bf8700; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th[scope="row"] { font-weight: normal; }
time, td > code { white-space: nowrap; }
.plain time { white-space: normal; }
.plain code { overflow-wrap: anywhere; }
ul.plain, ol.plain { margin: 0; padding-left: 1.1rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
label.filter { display: block; margin: .75rem 0; }
label.filter input { font: inherit; padding: .25rem .5rem; width: 20rem; max-width: 100%; }
.state { display: inline-block; padding: 0 .45rem; border-radius: 1rem; border: 1px solid; font-size: .9em; white-space: nowrap; }
.state::before { margin-right: .3rem; }
.state-ok { color: #1a7f37; border-color: #1a7f37; background: #dafbe1; } .state-ok::before { content: "✓"; }
.state-bad { color: #a40e26; border-color: #cf222e; background: #ffebe9; } .state-bad::before { content: "✗"; }
.state-busy { color: #7d4e00; border-color: #bf8700; background: #fff8c5; } .state-busy::before { content: "◔"; }
.state-idle { color: #3d444d; border-color: #8c959f; background: #f6f8fa; } .state-idle::before { content: "○"; }
.cause { color: #a40e26; }
.phase rect { fill: #f6f8fa; stroke: #57606a; stroke-width: 1.5; }
.phase.type-other rect { stroke-dasharray: 6 3; }
.phase.state-ok rect:first-child { fill: #dafbe1; stroke: #1a7f37; }
.phase.state-bad rect:first-child { fill: #ffebe9; stroke: #cf222e; stroke-width: 3; }
.phase.state-busy rect:first-child { fill: #fff8c5; stroke: #bf8700; stroke-width: 3; }
.phase:focus > rect:first-child, .phase:hover > rect:first-child, .phase.selected > rect:first-child { stroke: #1b1f24; stroke-width: 4; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { color: #57606a; font-size: .85rem; max-width: 76rem; margin: 0 auto; padding: 0 1.5rem 2rem; }
`;

const NAV: ReadonlyArray<{ readonly section: Section; readonly href: string; readonly text: string }> = [
  { section: 'apps', href: '/', text: 'Apps' },
  { section: 'jobs', href: '/jobs', text: 'Jobs' },
];

/** The whole HTML document of a page. Pure: the same page gives the same text. */
export function renderPage(page: Page, opts: PageOptions = {}): string {
  const crumbs = page.breadcrumbs?.length
    ? `<nav class="crumbs" aria-label="Breadcrumb"><ol>${page.breadcrumbs.map((c) => `<li><a href="${esc(c.href)}">${esc(c.text)}</a></li>`).join('')}<li aria-current="page">${esc(page.heading)}</li></ol></nav>`
    : '';
  return htmlDocument({
    title: `${page.title} · kubemin`,
    csp: CONTENT_SECURITY_POLICY,
    style: STYLE + GRAPH_STYLE,
    head: opts.events ? [`<script src="${LIVE_SCRIPT_PATH}" defer></script>`] : [],
    bodyAttributes: opts.events ? ` data-events="${esc(opts.events)}"` : '',
    body: [
      '<a class="sr-only" href="#main">Skip to the content</a>',
      '<header class="bar">',
      '<a class="brand" href="/">kubemin</a>',
      `<nav aria-label="Sections"><ul>${NAV.map((n) => `<li><a href="${n.href}"${n.section === page.section ? ' aria-current="page"' : ''}>${n.text}</a></li>`).join('')}</ul></nav>`,
      // Filled by the script: without it, the page says nothing of live updates it does not get.
      opts.events ? '<span id="connection" role="status"></span>' : '',
      '</header>',
      '<main id="main">',
      crumbs,
      `<h1>${esc(page.heading)}</h1>`,
      page.intro ? `<p class="meta">${page.intro}</p>` : '',
      ...page.fragments.map((f) => f.html),
      '</main>',
      opts.footer ? `<footer>${esc(opts.footer)}</footer>` : '',
    ],
  });
}

/** How a state reads: a word and a shape (✓ ✗ ◔ ○), never colour alone. */
export type Tone = 'ok' | 'bad' | 'busy' | 'idle';

export function stateBadge(text: string, tone: Tone): string {
  return `<span class="state state-${tone}">${esc(text)}</span>`;
}

/** `850 ms`, `12.4 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** An ISO time as `2026-12-04 16:55:02 UTC` (the server's; the page has no script to localise it). */
function formatTime(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : iso;
}

/** `<time datetime>` for a machine, the UTC text for people. */
export function timeElement(iso: string): string {
  return `<time datetime="${esc(iso)}">${esc(formatTime(iso))}</time>`;
}
