import { escapeHtml as esc } from './escape-html.js';

/** A self-contained page: its style inline, its Content-Security-Policy in a meta element. */
export interface HtmlDocument {
  readonly title: string;
  readonly csp: string;
  readonly style: string;
  /** More elements of the head (a script). */
  readonly head?: readonly string[];
  /** The body element's attributes, as written (` data-events="..."`), escaped by the caller. */
  readonly bodyAttributes?: string;
  /** The body's lines; empty ones are left out. */
  readonly body: readonly string[];
}

/** The whole HTML text of a page (`kubemin view`'s, the daemon's): one element a line, ending with a newline. */
export function htmlDocument(d: HtmlDocument): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${d.csp}">`,
    `<title>${esc(d.title)}</title>`,
    `<style>${d.style}</style>`,
    ...(d.head ?? []),
    '</head>',
    `<body${d.bodyAttributes ?? ''}>`,
    ...d.body,
    '</body>',
    '</html>',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n')
    .concat('\n');
}

/** The rules of the workflow graph (render-svg.ts) that every page drawing one shares; each page colours the phases its own way. */
export const GRAPH_STYLE = `
figure { margin: 1rem 0; overflow-x: auto; }
.graph text { font: 13px system-ui, sans-serif; fill: #1b1f24; }
.graph text.title { font-weight: 600; }
.phase rect.inner { fill: none; }
.phase:focus { outline: none; }
.edge { fill: none; stroke: #57606a; stroke-width: 1.5; }
.edge-depends-on { stroke-dasharray: 5 4; }
.arrowhead { fill: #57606a; }
ol.phases { padding-left: 0; list-style: none; }
ol.phases > li { border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; }
ol.phases > li:target { border: 3px solid #1b1f24; }
`;
