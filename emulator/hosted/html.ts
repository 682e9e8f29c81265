/**
 * What the hosted pages share: escaping, the page frame and its stylesheet, and the small HTTP
 * chores of a server-rendered form (reading a urlencoded body, answering HTML, redirecting).
 * The pages carry no scripts: every action is a plain form POST answered by a redirect or a page.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export { formatDate, formatMoney } from '../billing/documents/money.js';

/** `per month`, `every 3 months`: how a recurring price is billed. */
export function intervalText(recurring: { interval: string; interval_count: number }): string {
  return recurring.interval_count === 1
    ? `per ${recurring.interval}`
    : `every ${recurring.interval_count} ${recurring.interval}s`;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | null | undefined | false | ReadonlyArray<Html>;

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map((p: Html) => p.text).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  parts.forEach((part, i) => {
    out += render(part) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const STYLE = `
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1a1f36; }
  h1 { font-size: 1.5rem; }
  table { width: 100%; border-collapse: collapse; margin: 1rem 0; }
  td, th { padding: .45rem .75rem .45rem 0; border-bottom: 1px solid #e3e8ee; text-align: left; vertical-align: top; }
  .amount { text-align: right; white-space: nowrap; }
  .muted { color: #697386; font-size: .9rem; }
  fieldset { border: 1px solid #e3e8ee; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
  label { display: block; margin: .35rem 0; }
  input[type=email], input[type=text] { font: inherit; padding: .4rem; width: 100%; box-sizing: border-box; }
  button { font: inherit; padding: .55rem 1.2rem; border: 0; border-radius: 6px; background: #635bff; color: #fff; cursor: pointer; }
  button.secondary { background: #e3e8ee; color: #1a1f36; }
  .error { color: #df1b41; font-weight: 600; }
  .notice { background: #f6f9fc; border-radius: 6px; padding: .75rem 1rem; }
  section { margin: 1.5rem 0; }
  form { margin: .75rem 0; }
`;

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body.text}
</main>
</body>
</html>
`;
}

export function sendHtml(res: ServerResponse, status: number, document: string): void {
  res
    .writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(document);
}

/** 303 See Other: the browser follows a form POST with a GET, as after a real checkout. */
export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { Location: location, 'Cache-Control': 'no-store' }).end();
}

const MAX_FORM_BYTES = 64 * 1024;

/** The urlencoded body of a form POST. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error('Form body too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Answers a request for a page that does not exist (or a method the page does not take). */
export function notFound(res: ServerResponse, what: string): void {
  sendHtml(res, 404, page('Not found', html`<h1>Not found</h1><p>${what}</p>`));
}
