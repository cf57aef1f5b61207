// The events page of the API reference, generated from the typed event map (lib/event-map.ts):
// every event the client emits, when, and its payload's fields, in the map's order.
import ts from 'typescript'

const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope

/** The payload of one event as TypeScript-like text: each alternative with its fields, one per line. */
function payloadText(checker, type) {
  const alternatives = type.isUnion() && !(type.flags & ts.TypeFlags.Boolean) ? type.types : [type]
  return alternatives
    .map((alternative) => {
      const fields = checker.getPropertiesOfType(alternative)
      if (fields.length === 0 && alternative.flags & ts.TypeFlags.Object) return '{}'
      if (alternative.symbol !== undefined && alternative.symbol.flags & ts.SymbolFlags.Class) return checker.typeToString(alternative, undefined, flags)
      const isPlain = alternative.flags & ts.TypeFlags.Object && !checker.getIndexInfosOfType(alternative).length && fields.length > 0 && !alternative.getCallSignatures().length
      if (!isPlain) return checker.typeToString(alternative, undefined, flags)
      const lines = fields.map((field) => {
        const optional = field.flags & ts.SymbolFlags.Optional ? '?' : ''
        const fieldType = checker.typeToString(checker.getTypeOfSymbol(field), undefined, flags)
        const note = ts.displayPartsToString(field.getDocumentationComment(checker))
        return `  ${field.name}${optional}: ${fieldType}${note === '' ? '' : ` // ${note.replace(/\s+/g, ' ')}`}`
      })
      return `{\n${lines.join('\n')}\n}`
    })
    .join('\n| ')
}

/** The markdown of the events page. */
export function eventsPage(mapFile = 'lib/event-map.ts') {
  const program = ts.createProgram([mapFile], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(mapFile)
  const map = source.statements.find((statement) => ts.isInterfaceDeclaration(statement) && statement.name.text === 'EventPayloads')
  if (map === undefined) throw new Error(`${mapFile} has no EventPayloads interface`)
  const sections = map.members.filter(ts.isPropertySignature).map((member) => {
    const name = member.name.text
    const symbol = checker.getSymbolAtLocation(member.name)
    const when = ts.displayPartsToString(symbol.getDocumentationComment(checker))
    const payload = payloadText(checker, checker.getTypeAtLocation(member))
    return `## ${name}\n\n${when}\n\n\`\`\`ts\nclient.on('${name}', (payload) => { … })\n\n// payload:\n${payload}\n\`\`\`\n`
  })
  return `---
title: Events
---

# Events

Every event of the client, in the order of \`EventPayloads\` (the typed event map): what
\`client.on(name, listener)\` calls its listener with. \`client.subscribe(listener)\` gets every
event as \`listener(name, [payload])\`. Listeners run after the state change that caused the event,
so the client's getters already see it. A wrong event name or payload field fails to compile.

${sections.join('\n')}`
}
