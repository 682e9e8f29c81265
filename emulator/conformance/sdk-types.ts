/**
 * The installed `stripe` package's declarations, read with the TypeScript compiler API: the
 * machine-readable contract of the API version the emulator speaks. It answers two questions:
 * which `*Params` type an operation (method + path) takes and which resource it returns, and what
 * shape a type has, recursively (fields with optional-ness, nullability, enum unions, lists,
 * expandable `string | Resource` unions).
 *
 * The declarations are parsed once per process (a few seconds) and every shape is cached.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript-api';

export interface Field {
  optional: boolean;
  shape: Shape;
}

/** A type reduced to what a JSON value can show. `empty` is the `''` of `Stripe.Emptyable<T>`. */
export type Shape =
  | { kind: 'string'; values: readonly string[] | null; text: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean | null; text: string }
  | { kind: 'null'; text: string }
  | { kind: 'empty'; text: string }
  | { kind: 'decimal'; text: string }
  | { kind: 'array'; of: Shape; text: string }
  | {
      kind: 'object';
      text: string;
      fields: () => ReadonlyMap<string, Field>;
      /** The value type of an index signature (`Metadata`, `MetadataParam`), if any. */
      index: () => Shape | null;
    }
  | { kind: 'union'; options: readonly Shape[]; text: string }
  | { kind: 'unknown'; text: string };

export interface SdkOperation {
  /** `Resource.method`, e.g. `SubscriptionScheduleResource.update`. */
  name: string;
  method: string;
  /** The SDK's path with placeholders written `{}`: `/v1/subscription_schedules/{}`. */
  path: string;
  /** The `params` argument's type name (`SubscriptionScheduleUpdateParams`), null if it takes none. */
  paramsName: string | null;
  params: Shape | null;
  /** The resource returned (for list operations, the listed resource), null if none is named. */
  resultName: string | null;
  result: Shape | null;
}

const esmDir = join(dirname(createRequire(import.meta.url).resolve('stripe')), '../esm');

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `/v1/x/:id/y` and `/v1/x/{x}/y` both become `/v1/x/{}/y`. */
export function normalizePath(path: string): string {
  return path.replace(/\{[^}]+\}|:[^/]+/g, '{}');
}

class SdkTypes {
  private readonly checker: ts.TypeChecker;
  private readonly program: ts.Program;
  private readonly shapes = new Map<ts.Type, Shape>();
  private operationList: SdkOperation[] | null = null;
  private byObject: Map<string, { live: Shape | null; deleted: Shape | null }> | null = null;

  constructor() {
    // The v1 resources (and what they import): the v2 API and its types are not needed.
    const roots = filesUnder(join(esmDir, 'resources'), '.d.ts').filter((f) => !f.includes('/resources/V2/'));
    this.program = ts.createProgram(roots, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    });
    this.checker = this.program.getTypeChecker();
  }

  shapeOf(type: ts.Type): Shape {
    const known = this.shapes.get(type);
    if (known) return known;
    const shape = this.build(type);
    this.shapes.set(type, shape);
    return shape;
  }

  private build(type: ts.Type): Shape {
    const text = this.checker.typeToString(type);
    const flags = type.flags;
    if (type.aliasSymbol?.name === 'Decimal') return { kind: 'decimal', text };
    if (flags & ts.TypeFlags.Union) return this.union((type as ts.UnionType).types, text);
    if (flags & ts.TypeFlags.StringLiteral) {
      const value = (type as ts.StringLiteralType).value;
      return value === '' ? { kind: 'empty', text } : { kind: 'string', values: [value], text };
    }
    if (flags & ts.TypeFlags.String) return { kind: 'string', values: null, text };
    if (flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return { kind: 'number', text };
    if (flags & ts.TypeFlags.BooleanLiteral) {
      return { kind: 'boolean', value: text === 'true', text };
    }
    if (flags & ts.TypeFlags.Boolean) return { kind: 'boolean', value: null, text };
    if (flags & ts.TypeFlags.Null) return { kind: 'null', text };
    if (flags & ts.TypeFlags.Intersection) {
      // `OtherString` is `string & Record<never, never>`: any string, kept apart from the literals.
      if ((type as ts.IntersectionType).types.some((t) => t.flags & ts.TypeFlags.String)) {
        return { kind: 'string', values: null, text };
      }
    }
    if (this.checker.isArrayType(type)) {
      const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { kind: 'array', of: element ? this.shapeOf(element) : { kind: 'unknown', text }, text };
    }
    if (flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection)) return this.object(type, text);
    return { kind: 'unknown', text };
  }

  /**
   * Literal strings merge into one enum. `OtherString` (the SDK's room for values added after
   * this version) does not widen it: this version's values are the literals.
   */
  private union(members: readonly ts.Type[], text: string): Shape {
    const options: Shape[] = [];
    const literals: string[] = [];
    let plainString = false;
    let openString = false;
    let booleans = 0;
    for (const member of members) {
      if (member.flags & ts.TypeFlags.Undefined) continue;
      const shape = this.shapeOf(member);
      if (shape.kind === 'string') {
        if (shape.values) literals.push(...shape.values);
        else if (member.flags & ts.TypeFlags.String) plainString = true;
        else openString = true;
      } else if (shape.kind === 'boolean') {
        booleans += 1;
        if (booleans === 1) options.push(shape);
      } else options.push(shape);
    }
    if (booleans === 2) {
      const at = options.findIndex((o) => o.kind === 'boolean');
      options[at] = { kind: 'boolean', value: null, text: 'boolean' };
    }
    if (plainString || openString || literals.length > 0) {
      const values = plainString || literals.length === 0 ? null : literals;
      options.unshift({
        kind: 'string',
        values,
        text: values ? values.map((l) => `'${l}'`).join(' | ') : 'string',
      });
    }
    return options.length === 1 ? options[0]! : { kind: 'union', options, text };
  }

  private object(type: ts.Type, text: string): Shape {
    let fields: Map<string, Field> | null = null;
    let index: Shape | null | undefined;
    return {
      kind: 'object',
      text,
      fields: () => {
        fields ??= new Map(
          this.checker.getPropertiesOfType(type).map((symbol) => [
            symbol.name,
            {
              optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
              shape: this.shapeOf(this.checker.getTypeOfSymbol(symbol)),
            },
          ]),
        );
        return fields;
      },
      index: () => {
        if (index === undefined) {
          const info = this.checker.getIndexInfosOfType(type)[0];
          index = info ? this.shapeOf(info.type) : null;
        }
        return index;
      },
    };
  }

  /** Every operation of every resource class: method and path from the `.js`, types from the `.d.ts`. */
  operations(): SdkOperation[] {
    if (this.operationList) return this.operationList;
    const list: SdkOperation[] = [];
    for (const jsFile of filesUnder(join(esmDir, 'resources'), '.js')) {
      if (jsFile.includes('/resources/V2/')) continue;
      const declarations = this.program.getSourceFile(jsFile.replace(/\.js$/, '.d.ts'));
      if (!declarations) continue;
      const js = ts.createSourceFile(jsFile, readFileSync(jsFile, 'utf8'), ts.ScriptTarget.ES2022, true);
      for (const statement of js.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name) continue;
        const className = statement.name.text;
        const declared = declarations.statements.find(
          (s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className,
        );
        for (const member of statement.members) {
          if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
          const request = findMakeRequest(member);
          if (!request) continue;
          const methodName = member.name.text;
          const signature = declared?.members.find(
            (m): m is ts.MethodDeclaration =>
              ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text === methodName,
          );
          list.push({
            name: `${className}.${methodName}`,
            method: request.method,
            path: normalizePath(request.path),
            ...this.signatureTypes(signature),
          });
        }
      }
    }
    this.operationList = list;
    return list;
  }

  private signatureTypes(signature: ts.MethodDeclaration | undefined) {
    const paramsNode = signature?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === 'params');
    const resultNode = signature?.type ? resourceReference(signature.type) : null;
    return {
      paramsName: paramsNode?.type ? paramsNode.type.getText() : null,
      params: paramsNode?.type ? this.shapeOf(this.checker.getTypeFromTypeNode(paramsNode.type)) : null,
      resultName: resultNode ? resultNode.getText() : null,
      result: resultNode ? this.shapeOf(this.checker.getTypeFromTypeNode(resultNode)) : null,
    };
  }

  /**
   * The resource interface for an `object` value (`'charge'` → `Charge`), and its deleted form
   * (`DeletedCustomer`, told apart by `deleted: true`).
   */
  resourceFor(object: string, deleted: boolean): Shape | null {
    if (!this.byObject) {
      this.byObject = new Map();
      for (const file of this.program.getSourceFiles()) {
        if (!relative(esmDir, file.fileName).startsWith('resources')) continue;
        for (const statement of file.statements) {
          if (!ts.isInterfaceDeclaration(statement)) continue;
          const shape = this.shapeOf(this.checker.getTypeAtLocation(statement.name));
          if (shape.kind !== 'object') continue;
          const objectField = shape.fields().get('object')?.shape;
          if (objectField?.kind !== 'string' || objectField.values?.length !== 1) continue;
          const entry = this.byObject.get(objectField.values[0]!) ?? { live: null, deleted: null };
          // Live interfaces may declare `deleted?: void`; the deleted form has `deleted: true`.
          const deletedField = shape.fields().get('deleted');
          if (deletedField && !deletedField.optional) entry.deleted ??= shape;
          else entry.live ??= shape;
          this.byObject.set(objectField.values[0]!, entry);
        }
      }
    }
    const entry = this.byObject.get(object);
    return (deleted ? entry?.deleted : entry?.live) ?? null;
  }
}

function findMakeRequest(method: ts.MethodDeclaration): { method: string; path: string } | null {
  let found: { method: string; path: string } | null = null;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === '_makeRequest'
    ) {
      const [verb, path] = node.arguments;
      if (verb && path && ts.isStringLiteral(verb)) {
        // `/v1/x/${encodeURIComponent(id)}/y` reads as `/v1/x/{}/y`.
        if (ts.isStringLiteral(path) || ts.isNoSubstitutionTemplateLiteral(path)) {
          found = { method: verb.text, path: path.text };
        } else if (ts.isTemplateExpression(path)) {
          const tail = path.templateSpans.map((span) => `{}${span.literal.text}`).join('');
          found = { method: verb.text, path: `${path.head.text}${tail}` };
        }
        if (found) return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(method);
  return found;
}

const WRAPPERS = new Set(['Promise', 'Response', 'ApiListPromise', 'ApiSearchResultPromise', 'ApiList']);

/** `Promise<Response<ApiList<Charge>>>` → the `Charge` node. */
function resourceReference(node: ts.TypeNode): ts.TypeNode | null {
  if (ts.isTypeReferenceNode(node) && WRAPPERS.has(node.typeName.getText())) {
    const [argument] = node.typeArguments ?? [];
    return argument ? resourceReference(argument) : null;
  }
  return ts.isTypeReferenceNode(node) ? node : null;
}

let loaded: SdkTypes | null = null;

/** The parsed declarations of the installed `stripe` package (parsed on first use). */
export function sdkTypes(): SdkTypes {
  loaded ??= new SdkTypes();
  return loaded;
}

export type { SdkTypes };
