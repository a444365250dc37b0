/**
 * lib/ imports in one direction: no module reaches itself through its imports, type-only imports
 * included (a type cycle is a design knot even when the bundle erases it). Imports are read by
 * TypeScript's own pre-processor, so every `import`, `export … from` and `import()` counts.
 */
import t from 'tap'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

const LIB = resolve(import.meta.dirname, '../../lib')

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? modules(path) : path.endsWith('.ts') ? [path] : []
  })
}

const files = modules(LIB)
const imports = new Map(
  files.map((file) => {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName)
    const local = found.filter((name) => name.startsWith('.')).map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')))
    return [file, local.filter((path) => files.includes(path))] as const
  }),
)

/** Every cycle found by a depth-first walk, as `a.ts -> b.ts -> a.ts`. */
function cycles(): string[] {
  const found: string[] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    path.push(file)
    for (const next of imports.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next].map((p) => relative(LIB, p)).join(' -> '))
      else if (state.get(next) === undefined) visit(next)
    }
    path.pop()
    state.set(file, 'done')
  }
  for (const file of files) if (state.get(file) === undefined) visit(file)
  return found
}

t.ok(files.length > 50 && [...imports.values()].flat().length > 100, `the walk sees lib/: ${files.length} modules`)
t.same(cycles(), [], 'no import cycle in lib/')
