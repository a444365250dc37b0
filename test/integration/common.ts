/** Shared by the shell-integration tests: where the shipped files are, and an `awsmfa` on PATH. */
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { shellByName, type ShellName } from '../../lib/shells/index.js'
import { singleQuote } from '../../lib/shells/posix.js'
import { SHELL_TABLE, type ShellRow } from '../helpers/shell-table.js'

export const ROOT = resolve(import.meta.dirname, '../..')
export const CLI = join(ROOT, 'dist/awsmfa.mjs')

/** Every shell but sh ships an integration (`awsmfa init <shell>`, shells/awsmfa.<ext>). */
export type IntegratedShell = Exclude<ShellName, 'sh'>

/** The rows of the shell table whose shell has an integration and a completion (lib/shells registry). */
export const INTEGRATED: readonly ShellRow[] = SHELL_TABLE.filter((row) => shellByName(row.name).integrationFile !== undefined)

/** The shipped files of each integrated shell, as the lib/shells registry names them. */
export const FILES: Readonly<Record<IntegratedShell, { integration: string; completion: string }>> = (() => {
  const files: Partial<Record<ShellName, { integration: string; completion: string }>> = {}
  for (const row of INTEGRATED) {
    const { integrationFile, completionFile } = shellByName(row.name)
    if (integrationFile === undefined || completionFile === undefined || row.name === 'sh') throw new Error(`${row.name}: an integration needs both files, and sh has none`)
    files[row.name] = { integration: integrationFile, completion: completionFile }
  }
  if (SHELL_TABLE.length - INTEGRATED.length !== 1) throw new Error('IntegratedShell says only sh has no integration; update it')
  return files as Record<IntegratedShell, { integration: string; completion: string }>
})()

export function shipped(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8')
}

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A temp directory removed at teardown. */
export function tempDir(t: Teardown, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  t.teardown(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5 }))
  return dir
}

/**
 * A bin directory holding `awsmfa`, a tiny script that runs the built CLI with this Node, as the
 * link install.sh makes would. Put it first on PATH.
 */
export function makeBin(t: Teardown): string {
  const bin = tempDir(t, 'awsmfa-bin-')
  const script = join(bin, 'awsmfa')
  writeFileSync(script, `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(CLI)} "$@"\n`)
  chmodSync(script, 0o755)
  return bin
}

/** A POSIX single-quoted word: lib/shells/posix.ts's, the one quoter. */
export const shQuote = singleQuote

/** Every file under `dir` with its bytes (directories are not files). */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      const stat = lstatSync(path)
      if (stat.isDirectory()) walk(path)
      else files.set(path.slice(dir.length), stat.isSymbolicLink() ? `-> ${readlinkSync(path)}` : readFileSync(path).toString('base64'))
    }
  }
  walk(dir)
  return files
}
