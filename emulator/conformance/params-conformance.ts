/**
 * Holds an emulator route's declared parameters to its SDK operation's `*Params` type: every
 * declared path exists there, with a matching kind, and enum values within the SDK's. What the
 * pinned SDK does not declare the emulator must refuse (`parameter_unknown`), so a declaration
 * that drifts from the SDK shows here, not in production.
 */
import type { ParamFields, ParamSpec } from '../core/params.js';
import type { Shape } from './sdk-types.js';

function optionsOf(shape: Shape): readonly Shape[] {
  return shape.kind === 'union' ? shape.options : [shape];
}

function describe(shape: Shape): string {
  return shape.text.length > 120 ? `${shape.text.slice(0, 117)}...` : shape.text;
}

/** Problems of one declared parameter against the SDK's type of it, as `path: what` lines. */
export function conformParam(spec: ParamSpec, sdk: Shape, path: string): string[] {
  const options = optionsOf(sdk);
  const problems: string[] = [];
  const matches = (wanted: Shape['kind']) => options.filter((o) => o.kind === wanted);
  const mismatch = () => [
    ...problems,
    `${path}: declared ${spec.kind} but the SDK's type is ${describe(sdk)}`,
  ];
  switch (spec.kind) {
    case 'string': {
      // A free string where the SDK lists values is looser than Stripe, not a different parameter.
      return matches('string').length > 0 ? problems : mismatch();
    }
    case 'decimal':
      return matches('decimal').length > 0 || matches('string').length > 0 ? problems : mismatch();
    case 'integer':
    case 'number':
      return matches('number').length > 0 ? problems : mismatch();
    case 'boolean':
      return matches('boolean').length > 0 ? problems : mismatch();
    case 'range': {
      const range = matches('object')[0];
      if (range?.kind !== 'object' || !range.fields().has('gte') || matches('number').length === 0) {
        return mismatch();
      }
      return problems;
    }
    case 'enum': {
      const strings = matches('string');
      if (strings.length === 0) return mismatch();
      const allowed = strings.flatMap((o) => (o.kind === 'string' ? (o.values ?? null) : []));
      if (strings.some((o) => o.kind === 'string' && o.values === null)) return problems;
      const extra = spec.values.filter((v) => !allowed.includes(v));
      if (extra.length > 0)
        problems.push(`${path}: enum values ${extra.join(', ')} are not the SDK's (${describe(sdk)})`);
      return problems;
    }
    case 'metadata': {
      const object = matches('object')[0];
      if (object?.kind !== 'object' || object.index() === null) return mismatch();
      return problems;
    }
    case 'object': {
      const object = matches('object')[0];
      if (object?.kind !== 'object') return mismatch();
      return [...problems, ...conformFields(spec.fields, object, path)];
    }
    case 'array': {
      const array = matches('array')[0];
      if (array?.kind !== 'array') return mismatch();
      return [...problems, ...conformParam(spec.of, array.of, `${path}[0]`)];
    }
    case 'oneOf': {
      // Each accepted form must be one the SDK accepts.
      return [...problems, ...spec.options.flatMap((option) => conformParam(option, sdk, path))];
    }
  }
}

export function conformFields(fields: ParamFields, sdk: Shape, path = ''): string[] {
  if (sdk.kind !== 'object')
    return [`${path || '(params)'}: the SDK's type is ${describe(sdk)}, not an object`];
  const declared = sdk.fields();
  const index = sdk.index();
  const childPath = (key: string) => (path ? `${path}[${key}]` : key);
  const problems = Object.entries(fields).flatMap(([key, spec]) => {
    const field = declared.get(key);
    if (field) return conformParam(spec, field.shape, childPath(key));
    if (index) return conformParam(spec, index, childPath(key));
    return [`${childPath(key)}: the SDK's ${describe(sdk)} has no such parameter`];
  });
  // What the SDK requires, Stripe refuses without (parameter_missing): the emulator must too.
  for (const [key, field] of declared) {
    if (field.optional) continue;
    if (!fields[key]) problems.push(`${childPath(key)}: required by the SDK but not declared`);
    else if (!fields[key].required)
      problems.push(`${childPath(key)}: required by the SDK but declared optional`);
  }
  return problems;
}
