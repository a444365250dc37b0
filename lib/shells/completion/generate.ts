/**
 * The generated parts of the shipped completion scripts (completions/): the one INI reader
 * (profiles.awk) and the command lists of lib/command-line.ts, in each shell's syntax (WRITERS).
 * They stay static files (sourced, `eval`ed from `awsmfa init`, copied alone into $fpath or fish's completion directory),
 * so what they share is spliced into them and committed: `npm run gen:completions` writes them,
 * and a test fails when a committed file differs from what this module makes of it.
 *
 * A generated region is the lines between a begin line and an end line, both comments (in the awk
 * program they are awk comments inside the single-quoted shell word), at the indentation of the
 * region:
 *
 *     # generated from lib/shells/completion/profiles.awk by npm run gen:completions; do not edit
 *     …
 *     # end of generated lib/shells/completion/profiles.awk
 *
 * Pure: the caller reads the sources and the files and writes the result (scripts/gen-completions.mjs).
 */
import { SHELL_NAMES, shellByName, type ShellName } from '../index.js'
import { bashCompletionLists } from './bash.js'
import { fishCompletionLists } from './fish.js'
import { completionLists } from './lists.js'
import { nuCompletionLists } from './nu.js'
import { powershellCompletionLists } from './powershell.js'
import type { CompletionLists } from './types.js'
import { zshCompletionLists } from './zsh.js'

/** The one INI reader of the bash, zsh and fish completions (an awk program, no `'` in it). */
export const PROFILES_AWK = 'lib/shells/completion/profiles.awk'

/** The commands and options (the table lib/cli.ts gives yargs), written by each shell's writer. */
export const COMMAND_LINE = 'lib/command-line.ts'

/** What the generated regions are made from, by path: the text each region of one file gets. */
export type Sources = Readonly<Record<string, string>>

/**
 * Each shell's writer of the command lists in its own syntax (a new shell adds its writer here; its
 * template then holds one region from COMMAND_LINE and consumes what the writer defines).
 */
const WRITERS: Partial<Record<ShellName, (lists: CompletionLists) => string>> = {
  bash: bashCompletionLists,
  zsh: zshCompletionLists,
  fish: fishCompletionLists,
  powershell: powershellCompletionLists,
  nu: nuCompletionLists,
}

/** The text of each region of the completion file `file`, `profilesAwk` being profiles.awk's. */
export function completionSources(file: string, profilesAwk: string): Sources {
  const shell = SHELL_NAMES.find((name) => shellByName(name).completionFile === file)
  const writer = shell === undefined ? undefined : WRITERS[shell]
  return { [PROFILES_AWK]: profilesAwk, ...(writer === undefined ? {} : { [COMMAND_LINE]: writer(completionLists()) }) }
}

/** The line near the top of every file with a generated region (after a `#compdef`/`# shellcheck` line). */
export const HEADER = `# Parts of this file are generated from lib/shells/completion/ by npm run gen:completions.`

const BEGIN = /^([ \t]*)# generated from (\S+) by npm run gen:completions; do not edit$/
const DIRECTIVE = /^(#compdef |# shellcheck )/

/** The begin line of the region made from `source`, at `indent`. */
export function beginLine(source: string, indent = ''): string {
  return `${indent}# generated from ${source} by npm run gen:completions; do not edit`
}

/** The end line of the region made from `source`, at `indent`. */
export function endLine(source: string, indent = ''): string {
  return `${indent}# end of generated ${source}`
}

/** The completion files of the shell registry, paths relative to the package root. */
export function completionFiles(): string[] {
  const files: string[] = []
  for (const name of SHELL_NAMES) {
    const file = shellByName(name).completionFile
    if (file !== undefined && !files.includes(file)) files.push(file)
  }
  return files
}

function indented(text: string, indent: string): string[] {
  const lines = text.replace(/\n$/, '').split('\n')
  return lines.map((line) => (line === '' ? '' : indent + line))
}

/**
 * `text` (the completion file `file`) with every generated region rewritten from `sources`, and the
 * header added when the file has a region. A file without regions comes back unchanged; an
 * unknown source or a region without its end line throws, naming the file and the line.
 */
export function renderCompletion(file: string, text: string, sources: Sources): string {
  const lines = text.split('\n')
  const out: string[] = []
  let regions = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    out.push(line)
    const begin = BEGIN.exec(line)
    if (begin === null) continue
    const [, indent = '', source = ''] = begin
    if (!Object.hasOwn(sources, source)) throw new Error(`${file}:${i + 1}: no generator for ${source}`)
    const end = lines.indexOf(endLine(source, indent), i + 1)
    if (end < 0) throw new Error(`${file}:${i + 1}: the region from ${source} has no end line ${JSON.stringify(endLine(source, indent))}`)
    out.push(...indented(sources[source] ?? '', indent), lines[end]!)
    i = end
    regions++
  }
  if (regions > 0 && !out.includes(HEADER)) out.splice(DIRECTIVE.test(out[0] ?? '') ? 1 : 0, 0, HEADER)
  return out.join('\n')
}
