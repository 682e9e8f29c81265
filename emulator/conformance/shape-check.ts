/**
 * Checks a JSON value against an SDK shape, recursively: every non-optional field present, each
 * value of its declared type and nullability, enum values from the declared union, nothing the
 * type does not declare. Expandable fields (`string | Customer`) take either form; a union of
 * objects takes the member the value fits best, so its problems are the ones reported.
 */
import type { Shape } from './sdk-types.js';

export interface CheckOptions {
  /**
   * `data.previous_attributes`: only the changed fields, plain hashes key by key, and `null` for
   * a field that did not exist before.
   */
  partial?: boolean;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkShape(value: unknown, shape: Shape, path: string, options: CheckOptions = {}): string[] {
  const wrong = () => [`${path}: ${describeValue(value)} is not ${shape.text}`];
  switch (shape.kind) {
    case 'unknown':
      return [];
    case 'string':
      if (typeof value !== 'string') return wrong();
      if (shape.values && !shape.values.includes(value)) {
        return [`${path}: '${value}' is not one of ${shape.text}`];
      }
      return [];
    case 'decimal':
      // On the wire a decimal is a string; the SDK may hand it over as its Decimal object.
      return typeof value === 'string' || isPlainObject(value) ? [] : wrong();
    case 'number':
      return typeof value === 'number' ? [] : wrong();
    case 'boolean':
      return typeof value === 'boolean' && (shape.value === null || shape.value === value) ? [] : wrong();
    case 'null':
      return value === null ? [] : wrong();
    case 'empty':
      return value === '' ? [] : wrong();
    case 'array':
      if (!Array.isArray(value)) return wrong();
      return value.flatMap((item, i) => checkShape(item, shape.of, `${path}[${i}]`, {}));
    case 'union': {
      let best: string[] | null = null;
      for (const option of shape.options) {
        const problems = checkShape(value, option, path, options);
        if (problems.length === 0) return [];
        const fitsKind =
          option.kind === 'object'
            ? isPlainObject(value)
            : option.kind === 'array'
              ? Array.isArray(value)
              : false;
        if (fitsKind && (best === null || problems.length < best.length)) best = problems;
      }
      return best ?? wrong();
    }
    case 'object': {
      if (!isPlainObject(value)) return wrong();
      const fields = shape.fields();
      const index = shape.index();
      const problems: string[] = [];
      if (!options.partial) {
        for (const [name, field] of fields) {
          if (!field.optional && !(name in value))
            problems.push(`${path}.${name}: missing (${field.shape.text})`);
        }
      }
      for (const [name, child] of Object.entries(value)) {
        const childPath = `${path}.${name}`;
        const declared = fields.get(name)?.shape ?? index;
        if (!declared) {
          problems.push(`${childPath}: not declared by ${shape.text}`);
          continue;
        }
        if (options.partial && child === null) continue;
        // Plain hashes in previous_attributes carry only their changed keys too.
        const nestedPartial = options.partial && isPlainObject(child) && !('object' in child);
        problems.push(...checkShape(child, declared, childPath, { partial: nestedPartial }));
      }
      return problems;
    }
  }
}
