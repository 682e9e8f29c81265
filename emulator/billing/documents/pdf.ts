// A small PDF 1.4 writer: pages of positioned text in the standard Helvetica fonts, which every
// reader has, so the file needs no embedded font. Strings are written in WinAnsiEncoding (Latin-1
// plus a few symbols such as € and ×); characters outside it print as '?'.

export interface TextRun {
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
}

export interface PdfPage {
  runs: TextRun[];
  /** Horizontal rules, drawn 0.5 pt thick. */
  rules?: Array<{ x1: number; x2: number; y: number }>;
}

/** US Letter in points. */
export const PAGE = { width: 612, height: 792 } as const;

const WIN_ANSI_EXTRAS: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '•': 0x95 };

function encodeWinAnsi(text: string): Buffer {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    const extra = WIN_ANSI_EXTRAS[ch];
    if (extra !== undefined) bytes.push(extra);
    else if (code >= 0x20 && code <= 0x7e) bytes.push(code);
    else if (code >= 0xa0 && code <= 0xff) bytes.push(code);
    else bytes.push(63);
  }
  return Buffer.from(bytes);
}

/** A PDF literal string: backslash, parentheses and bytes outside ASCII escaped as octal. */
function literal(text: string): string {
  let out = '(';
  for (const byte of encodeWinAnsi(text)) {
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out})`;
}

function contentStream(page: PdfPage): string {
  const ops: string[] = [];
  for (const rule of page.rules ?? []) {
    ops.push(`0.5 w ${rule.x1} ${rule.y} m ${rule.x2} ${rule.y} l S`);
  }
  for (const run of page.runs) {
    const font = run.bold ? '/F2' : '/F1';
    ops.push(`BT ${font} ${run.size ?? 10} Tf ${run.x} ${run.y} Td ${literal(run.text)} Tj ET`);
  }
  return ops.join('\n');
}

/** Writes the pages as a complete PDF file with a correct cross-reference table. */
export function writePdf(pages: PdfPage[], title: string): Buffer {
  // Object numbers: 1 catalog, 2 page tree, 3–4 fonts, 5 info, then a page and its content each.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 6 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>';
  objects[5] = `<< /Title ${literal(title)} /Producer (Recur Stripe emulator) >>`;
  pages.forEach((page, i) => {
    const id = pageIds[i]!;
    const stream = contentStream(page);
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] ` +
      `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
  });

  // The header's second line holds bytes above 127 so that tools treat the file as binary.
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = length;
    const chunk = Buffer.from(`${id} 0 obj\n${objects[id]}\nendobj\n`, 'latin1');
    chunks.push(chunk);
    length += chunk.length;
  }
  // Each cross-reference entry is exactly 20 bytes, as the format requires.
  const xref = [`xref\n0 ${objects.length}\n`, '0000000000 65535 f \n'];
  for (let id = 1; id < objects.length; id++) {
    xref.push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  }
  xref.push(`trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${length}\n%%EOF\n`);
  chunks.push(Buffer.from(xref.join(''), 'latin1'));
  return Buffer.concat(chunks);
}
