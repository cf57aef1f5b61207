import { relative, resolve } from 'node:path'
import ts from 'typescript'

/** A named type of the package's own source that an entry's exports reach, and one path by which they reach it. */
export interface Reached {
  readonly name: string
  readonly file: string
  readonly via: string
}

const typeSymbols = ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum
const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected

/**
 * The named types (interfaces, classes, enums, type aliases) declared in this package that the exports of `entry` reach
 * through their properties, parameters, return values, type arguments, unions and intersections, but that `entry` does
 * not export, nor any of `alongside` (the package's other entries, which an app imports too): an app sees these shapes
 * and cannot name them. Generic type aliases are left out: they are helpers for writing shapes (`Fact<T, Fields>`), and
 * the shapes they write are named where they are used.
 */
export function unexportedTypes(program: ts.Program, entry: string, alongside: readonly string[] = []): Reached[] {
  const root = resolve('.')
  const checker = program.getTypeChecker()
  const ours = (declaration: ts.Declaration): boolean => {
    const file = declaration.getSourceFile().fileName
    return file.startsWith(root) && !file.includes('/node_modules/')
  }
  const exportsOf = (path: string): ts.Symbol[] => {
    const source = program.getSourceFile(resolve(path))
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source)
    if (module === undefined) throw new Error(`${path} is not a module of the program`)
    return checker.getExportsOfModule(module).map((symbol) => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol))
  }
  const entryExports = exportsOf(entry)
  const exported = new Set([...entryExports, ...alongside.flatMap(exportsOf)])

  const missing = new Map<string, Reached>()
  const note = (symbol: ts.Symbol | undefined, via: string): void => {
    const declaration = symbol?.declarations?.[0]
    if (symbol === undefined || declaration === undefined || !ours(declaration) || !(symbol.flags & typeSymbols)) return
    if (ts.isTypeAliasDeclaration(declaration) && declaration.typeParameters !== undefined) return
    if (!exported.has(symbol) && !missing.has(symbol.name)) missing.set(symbol.name, { name: symbol.name, file: relative(root, declaration.getSourceFile().fileName), via })
  }

  const seen = new Set<ts.Type>()
  const visit = (type: ts.Type, via: string): void => {
    if (seen.has(type)) return
    seen.add(type)
    note(type.aliasSymbol, via)
    note(type.symbol, via)
    for (const argument of type.aliasTypeArguments ?? []) visit(argument, via)
    if (type.isUnionOrIntersection()) for (const member of type.types) visit(member, via)
    if (!(type.flags & ts.TypeFlags.Object)) return
    if ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference) for (const argument of checker.getTypeArguments(type as ts.TypeReference)) visit(argument, via)
    // A dependency's type (an rxjs Observable) is walked only through the type arguments above.
    const declaration = type.symbol?.declarations?.[0]
    if (declaration !== undefined && !ours(declaration)) return
    for (const property of checker.getPropertiesOfType(type)) {
      const where = property.valueDeclaration ?? property.declarations?.[0]
      if (where !== undefined && (!ours(where) || ts.getCombinedModifierFlags(where) & hidden)) continue
      visit(checker.getTypeOfSymbol(property), `${via}.${property.name}`)
    }
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      for (const parameter of signature.getParameters()) visit(checker.getTypeOfSymbol(parameter), `${via}(${parameter.name})`)
      visit(signature.getReturnType(), `${via}()`)
    }
    for (const index of checker.getIndexInfosOfType(type)) visit(index.type, `${via}[]`)
  }

  for (const symbol of entryExports) visit(symbol.flags & typeSymbols ? checker.getDeclaredTypeOfSymbol(symbol) : checker.getTypeOfSymbol(symbol), symbol.name)
  return [...missing.values()].sort((a, b) => a.name.localeCompare(b.name))
}
