// A typedoc plugin for the API reference (`npm run docs`): writes the events page from the typed
// event map, and renders the examples of doc comments as code. Our doc comments show an example
// as a paragraph of code after the summary (STYLE.md); typedoc would render it as prose, so each
// paragraph that parses as TypeScript becomes an `@example` with a fenced code block.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Comment, CommentTag, Converter } from 'typedoc'
import ts from 'typescript'
import { eventsPage } from './events.mjs'

/** Where typedoc.json's projectDocuments expects the generated events page. */
const eventsFile = fileURLToPath(new URL('../dist/docs/events.md', import.meta.url))

/** True for a paragraph that is TypeScript (a call, a declaration), not a sentence. */
function isCode(paragraph) {
  // `…` stands for code left out in an example; it is not valid TypeScript.
  const source = ts.createSourceFile('example.ts', paragraph.replaceAll('…', 'undefined'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  return source.parseDiagnostics.length === 0 && /[(=]/.test(paragraph)
}

/** Moves the code paragraphs of a comment's summary into `@example` blocks. */
function examplesAsCode(comment) {
  if (comment.summary.some((part) => part.kind === 'inline-tag')) return
  const [first, ...rest] = Comment.combineDisplayParts(comment.summary).split(/\n\s*\n/)
  const code = rest.filter(isCode)
  if (code.length === 0) return
  comment.summary = [{ kind: 'text', text: [first, ...rest.filter((paragraph) => !code.includes(paragraph))].join('\n\n') }]
  comment.blockTags.unshift(...code.map((block) => new CommentTag('@example', [{ kind: 'code', text: `\`\`\`ts\n${block}\n\`\`\`` }])))
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  mkdirSync(dirname(eventsFile), { recursive: true })
  writeFileSync(eventsFile, eventsPage(fileURLToPath(new URL('../lib/event-map.ts', import.meta.url))))
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of Object.values(context.project.reflections)) {
      if (reflection.comment !== undefined) examplesAsCode(reflection.comment)
    }
  })
}
