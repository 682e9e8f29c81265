import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'vitest';

/** A shell example of the README (a `sh` block that calls curl) and the answer printed below it. */
export interface ReadmeExample {
  section: string;
  script: string;
  /** The JSON block right after it, if there is one: what the README says the last curl answers. */
  answer: unknown;
}

export const README_HOST = 'http://127.0.0.1:3000';

/** A line such as `KEY=rk_…   # the printed key`: a value the reader fills in, so the test does. */
const PLACEHOLDER = /^([A-Z_]+)=\S*…\S*\s*(?:#.*)?$/;

export function readmeExamples(path = new URL('../../README.md', import.meta.url)): ReadmeExample[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const examples: ReadmeExample[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (line !== '```sh') continue;
    const body: string[] = [];
    for (i++; lines[i] !== '```'; i++) body.push(lines[i]!);
    if (!body.some((l) => /\bcurl\b/.test(l))) continue;
    let answer: unknown = null;
    if (lines[i + 1] === '```json') {
      const json: string[] = [];
      for (i += 2; lines[i] !== '```'; i++) json.push(lines[i]!);
      answer = JSON.parse(json.join('\n'));
    }
    examples.push({ section, script: body.join('\n'), answer });
  }
  return examples;
}

/**
 * Runs an example as written, against `baseUrl` instead of the README's host, with its placeholders
 * filled from `values`. Each curl's answer is one line (Recur answers compact JSON); the answers are
 * returned parsed, in order.
 */
export async function runExample(
  example: ReadmeExample,
  baseUrl: string,
  values: Record<string, string>,
): Promise<unknown[]> {
  const script = example.script
    .split('\n')
    .filter((line) => {
      const placeholder = PLACEHOLDER.exec(line.trim());
      if (placeholder && values[placeholder[1]!] === undefined)
        throw new Error(`The README's placeholder ${placeholder[1]} has no value in the test`);
      return !placeholder;
    })
    .join('\n')
    .replaceAll(README_HOST, baseUrl);
  // The wrapper only ends each answer with a newline; the requests are the README's own.
  const wrapped = `curl() { command curl "$@"; echo; }\n${script}`;
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', wrapped], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...values },
  });
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

/**
 * The answer has the documented fields and no others; `…` in a documented string stands for the
 * rest of an id, and a documented date for any date; every other value is as documented.
 */
export function expectDocumented(actual: unknown, documented: unknown, where: string): void {
  if (typeof documented === 'string' && documented.includes('…')) {
    expect(actual, where).toEqual(expect.stringMatching(new RegExp(`^${documented.split('…')[0]}\\w+$`)));
  } else if (typeof documented === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(documented)) {
    expect(actual, where).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
  } else if (documented !== null && typeof documented === 'object' && !Array.isArray(documented)) {
    expect(actual, where).toBeTypeOf('object');
    expect(Object.keys(actual as object).sort(), where).toEqual(Object.keys(documented).sort());
    for (const [key, value] of Object.entries(documented))
      expectDocumented((actual as Record<string, unknown>)[key], value, `${where}.${key}`);
  } else {
    expect(actual, where).toEqual(documented);
  }
}
