import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import ts from 'typescript'

/** A source file that exists only in memory, at `path` inside the package (so `kandy-rx` resolves to the package itself). */
export interface VirtualFile {
  readonly path: string
  readonly text: string
}

/** What a consumer's `tsconfig` would say: strict, and the libraries' own declarations checked too. */
export const consumerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  types: ['node'],
}

/**
 * Type-checks `files` (virtual) and `onDisk` (real paths) in one program, and returns the
 * diagnostics per file: `kandy-rx` resolves through package.json's exports to dist/types, as it
 * does for an app that installed the package.
 */
export function diagnosticsOf(files: readonly VirtualFile[], onDisk: readonly string[] = [], options: ts.CompilerOptions = consumerOptions): Map<string, string[]> {
  const virtual = new Map(files.map((file) => [resolve(file.path), file.text]))
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (path) => virtual.get(resolve(path)) ?? readFile(path)
  host.fileExists = (path) => virtual.has(resolve(path)) || fileExists(path)
  const program = ts.createProgram([...virtual.keys(), ...onDisk.map((path) => resolve(path))], options, host)
  const found = new Map<string, string[]>()
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const where = diagnostic.file === undefined ? '(options)' : resolve(diagnostic.file.fileName)
    const line = diagnostic.file === undefined || diagnostic.start === undefined ? 0 : diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
    found.set(where, [...(found.get(where) ?? []), `${where}:${line} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`])
  }
  return found
}

/** The ```js / ```ts code blocks of a markdown file, with the line each starts on. */
export function codeBlocks(markdownPath: string): { readonly line: number; readonly code: string }[] {
  const lines = readFileSync(markdownPath, 'utf8').split('\n')
  const blocks: { line: number; code: string }[] = []
  let open: { line: number; body: string[] } | undefined
  lines.forEach((text, index) => {
    if (open === undefined && /^```(js|ts|javascript|typescript)\s*$/.test(text)) open = { line: index + 2, body: [] }
    else if (open !== undefined && text.startsWith('```')) {
      blocks.push({ line: open.line, code: open.body.join('\n') })
      open = undefined
    } else open?.body.push(text)
  })
  return blocks
}

/** A path inside the package for a virtual file (never written). */
export const virtualPath = (name: string): string => join(process.cwd(), 'spec', 'types', '.virtual', name)
