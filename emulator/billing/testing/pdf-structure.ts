// Structural checks on a PDF file, shared by the document and the HTTP tests.

import { expect } from 'vitest';

/** Checks the cross-reference table: every offset points at its "N 0 obj" header. */
export function expectValidXref(pdf: Buffer): void {
  const text = pdf.toString('latin1');
  expect(text.startsWith('%PDF-')).toBe(true);
  expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe('xref');
  const header = /xref\n0 (\d+)\n/.exec(text.slice(startxref));
  const count = Number(header?.[1]);
  const entriesStart = startxref + (header?.[0].length ?? 0);
  for (let id = 1; id < count; id++) {
    const entry = text.slice(entriesStart + id * 20, entriesStart + (id + 1) * 20);
    expect(entry).toMatch(/^\d{10} 00000 n \n$/);
    const offset = Number(entry.slice(0, 10));
    expect(text.slice(offset, offset + `${id} 0 obj`.length)).toBe(`${id} 0 obj`);
  }
  for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    expect(text.slice(start + Number(match[1]), start + Number(match[1]) + 10)).toBe('\nendstream');
  }
}
