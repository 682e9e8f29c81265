// Recur holds the pinned SDK's types as the contract with Stripe: a cast around what goes to the SDK
// or comes back from it would let a parameter or field the API version does not have through the
// compiler (a scheduled downgrade once sent `iterations`, removed in 2025-09-30.clover, that way).
// This test reads every non-test file in `src/` with the type checker and fails on any type
// assertion (`x as T`, `<T>x`, so `as any` and `as unknown as` too) whose value or target type
// comes from the `stripe` package, or carries one as a type argument (`Promise<Stripe.Invoice>`).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript-api';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const declaredInStripe = (symbol: ts.Symbol | undefined) =>
  (symbol?.declarations ?? []).some((d) =>
    d.getSourceFile().fileName.includes(`${path.sep}node_modules${path.sep}stripe${path.sep}`),
  );

/**
 * Whether a type, a member of its union or intersection, or one of its type arguments is declared
 * in the SDK's files.
 */
function fromStripe(checker: ts.TypeChecker, type: ts.Type, seen = new Set<ts.Type>()): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  if (type.isUnionOrIntersection()) return type.types.some((t) => fromStripe(checker, t, seen));
  if (declaredInStripe(type.aliasSymbol) || declaredInStripe(type.getSymbol())) return true;
  const args = [
    ...(type.aliasTypeArguments ?? []),
    ...(type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
      ? checker.getTypeArguments(type as ts.TypeReference)
      : []),
  ];
  return args.some((t) => fromStripe(checker, t, seen));
}

/** The Stripe casts in the given files, as `file:line: text`. */
function stripeCasts(files: string[]): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => {},
    },
  )!;
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
        // `x as unknown as T`: the value is the innermost expression.
        const inner = ts.isAsExpression(node.expression) ? node.expression.expression : node.expression;
        const target = checker.getTypeFromTypeNode(node.type);
        if (fromStripe(checker, target) || fromStripe(checker, checker.getTypeAtLocation(inner))) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          found.push(`${path.relative(root, file)}:${line + 1}: ${node.getText()}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('Recur speaks to Stripe without casts', () => {
  it('has no type assertion on a value or to a type of the stripe SDK in src/', () => {
    expect(stripeCasts(sourceFiles(path.join(root, 'src')))).toEqual([]);
  }, 120_000);
});
