/**
 * The subset of Stripe's search query language that integrations use:
 *   email:'a@b.co'   name~'shirt'   -active:'false'   created>1700000000   metadata['plan']:'pro'
 *   field:null       clauses joined by AND or by OR (Stripe forbids mixing the two).
 * `:` is a case-insensitive exact match, `~` a substring match of at least 3 characters.
 */
import type Stripe from 'stripe';
import { invalidRequest } from './errors.js';
import { type ParamFields, p } from './params.js';

type Scalar = string | number | boolean | null | undefined;
export type SearchFields<T> = Record<string, (record: T) => Scalar>;

type Operator = ':' | '~' | '>' | '<' | '>=' | '<=';
interface Clause {
  field: string;
  metadataKey?: string;
  operator: Operator;
  value: string | number | null;
  negated: boolean;
}

export const searchFields: ParamFields = {
  query: p.string({ required: true }),
  limit: p.integer({ min: 1, max: 100 }),
  page: p.string(),
};

const queryError = (message: string) => invalidRequest(message, { param: 'query' });

class Tokens {
  private index = 0;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    while (this.index < this.text.length && /\s/.test(this.text[this.index]!)) this.index++;
  }
  done(): boolean {
    this.skipSpace();
    return this.index >= this.text.length;
  }
  peekWord(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][\w.]*/.exec(this.text.slice(this.index));
    return match ? match[0] : '';
  }
  take(pattern: RegExp): string | null {
    this.skipSpace();
    const match = pattern.exec(this.text.slice(this.index));
    if (!match) return null;
    this.index += match[0].length;
    return match[0];
  }
  quoted(): string | null {
    this.skipSpace();
    const quote = this.text[this.index];
    if (quote !== "'" && quote !== '"') return null;
    let out = '';
    for (let i = this.index + 1; i < this.text.length; i++) {
      const ch = this.text[i]!;
      if (ch === '\\' && i + 1 < this.text.length) {
        out += this.text[++i];
      } else if (ch === quote) {
        this.index = i + 1;
        return out;
      } else {
        out += ch;
      }
    }
    throw queryError(`Unterminated string in search query: ${this.text}`);
  }
}

function parseClause(tokens: Tokens): Clause {
  const negated = tokens.take(/^-/) !== null;
  const field = tokens.take(/^[A-Za-z_][\w.]*/);
  if (!field)
    throw queryError(
      'The search query is malformed. See https://stripe.com/docs/search#search-query-language',
    );
  let metadataKey: string | undefined;
  if (field === 'metadata') {
    if (!tokens.take(/^\[/)) throw queryError("Expected a metadata key, as in metadata['key'].");
    const key = tokens.quoted();
    if (key === null || !tokens.take(/^\]/))
      throw queryError("Expected a quoted metadata key, as in metadata['key'].");
    metadataKey = key;
  }
  const operator = tokens.take(/^(>=|<=|:|~|>|<)/) as Operator | null;
  if (!operator) throw queryError(`Expected an operator after ${field} in the search query.`);
  const quoted = tokens.quoted();
  let value: string | number | null;
  if (quoted !== null) value = quoted;
  else if (tokens.take(/^null\b/)) value = null;
  else {
    const number = tokens.take(/^-?\d+(\.\d+)?/);
    if (number === null) throw queryError(`Expected a value for ${field} in the search query.`);
    value = Number(number);
  }
  return { field, ...(metadataKey !== undefined && { metadataKey }), operator, value, negated };
}

function parseQuery(query: string): { join: 'AND' | 'OR'; clauses: Clause[] } {
  const tokens = new Tokens(query);
  const clauses = [parseClause(tokens)];
  let join: 'AND' | 'OR' | null = null;
  while (!tokens.done()) {
    const word = tokens.peekWord();
    if (word !== 'AND' && word !== 'OR') throw queryError(`Unexpected input in search query near '${word}'.`);
    if (join && join !== word) throw queryError('Search queries cannot mix AND and OR.');
    join = word;
    tokens.take(/^(AND|OR)/);
    clauses.push(parseClause(tokens));
  }
  if (clauses.length > 10) throw queryError('Search queries may contain at most 10 clauses.');
  return { join: join ?? 'AND', clauses };
}

function matchClause(actual: Scalar, clause: Clause): boolean {
  const { operator, value } = clause;
  if (value === null) return operator === ':' && (actual === null || actual === undefined || actual === '');
  if (actual === null || actual === undefined) return false;
  if (operator === ':') return String(actual).toLowerCase() === String(value).toLowerCase();
  if (operator === '~') {
    return String(actual).toLowerCase().includes(String(value).toLowerCase());
  }
  const left = Number(actual);
  const right = Number(value);
  if (Number.isNaN(left) || Number.isNaN(right)) return false;
  if (operator === '>') return left > right;
  if (operator === '<') return left < right;
  if (operator === '>=') return left >= right;
  return left <= right;
}

/** Compiles a query against the fields a resource supports; `resource` names it in errors. */
export function compileSearch<T extends { metadata?: Stripe.Metadata | null }>(
  query: string,
  resource: string,
  fields: SearchFields<T>,
): (record: T) => boolean {
  const { join, clauses } = parseQuery(query);
  for (const clause of clauses) {
    if (clause.operator === '~' && String(clause.value ?? '').length < 3) {
      throw queryError('Substring search (~) requires at least 3 characters.');
    }
    if (clause.field !== 'metadata' && !Object.hasOwn(fields, clause.field)) {
      throw queryError(
        `Field \`${clause.field}\` is an unsupported search field for resource \`${resource}\`. ` +
          `See http://stripe.com/docs/search#query-fields-for-${resource} for a list of supported fields.`,
      );
    }
  }
  const test = (record: T, clause: Clause) => {
    const actual =
      clause.metadataKey !== undefined
        ? record.metadata?.[clause.metadataKey]
        : fields[clause.field]!(record);
    return matchClause(actual, clause) !== clause.negated;
  };
  return join === 'AND'
    ? (record) => clauses.every((clause) => test(record, clause))
    : (record) => clauses.some((clause) => test(record, clause));
}

function decodePage(page: string | undefined): number {
  if (!page) return 0;
  const offset = Number(
    Buffer.from(page, 'base64url')
      .toString('utf8')
      .replace(/^offset:/, ''),
  );
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw invalidRequest('Invalid page token.', { param: 'page' });
  return offset;
}

export interface SearchParams {
  query: string;
  limit?: number;
  page?: string;
  expand?: string[];
}

/** Runs a compiled query over records (newest first) and pages the result like Stripe. */
export function searchResult<T extends { metadata?: Stripe.Metadata | null }>(
  newestFirst: T[],
  params: SearchParams,
  options: { url: string; resource: string; fields: SearchFields<T> },
): Stripe.ApiSearchResult<T> {
  const matches = compileSearch(params.query, options.resource, options.fields);
  const limit = params.limit ?? 10;
  const offset = decodePage(params.page);
  const all = newestFirst.filter(matches);
  const data = all.slice(offset, offset + limit);
  const hasMore = offset + limit < all.length;
  const result: Stripe.ApiSearchResult<T> = {
    object: 'search_result',
    data,
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : null,
    url: options.url,
  };
  // Stripe counts matches only when asked to, through `expand[]=total_count`.
  if (params.expand?.includes('total_count')) result.total_count = all.length;
  return result;
}
