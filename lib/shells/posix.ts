import type { ShellSyntax, Startup } from './types.js'
import { printable } from '../text.js'
import { CONTROL, assertValue, assertVariableName, hex2 } from './check.js'

/*
 * `eval $(awsmfa env p)` without quotes is common. The shell then splits the output into words at
 * blanks and line breaks, globs each word (bash, dash; `*`, `?`, `[`, and bash's extglob `+( @( !(`),
 * and eval joins the words with single spaces. So every statement ends with `;`, and no word this
 * module writes holds a glob character, a tab or a run of spaces: each survives both forms exactly.
 * A line break cannot be written that way in POSIX sh (dash has no `$'…'`); guardedScript() makes
 * such output refuse the unquoted form before anything runs.
 */

/** Text that word splitting or globbing would change in an unquoted `$(…)`, besides a line break. */
const UNSAFE_UNQUOTED = /[*?[\t]| {2}|[+@!]\(/

/** Whether `ch`, after `previous`, must be written some other way than raw (see UNSAFE_UNQUOTED). */
function inert(ch: string, previous: string): boolean {
  return UNSAFE_UNQUOTED.test(ch) || (ch === ' ' && previous === ' ') || (ch === '(' && '+@!'.includes(previous) && previous !== '')
}

/**
 * POSIX single quotes: everything between them is literal, so the only character to handle is `'`
 * itself, written `'\''` (close, escaped quote, reopen). Raw control bytes, newlines included,
 * are literal too: dash, bash and zsh all read them back through `eval "$(…)"`.
 */
export function singleQuote(value: string): string {
  assertValue(value)
  return `'${value.replaceAll("'", `'\\''`)}'`
}

/**
 * POSIX sh: single quotes, unless the value holds a glob character, extglob `(`, a tab or a run of
 * spaces (UNSAFE_UNQUOTED). Each of those is then written outside the quotes as
 * `"${__awsmfa_cNNN:=$(\\printf '\\NNN')}"` (NNN its octal code): dash has no `$'…'`, and only printf
 * makes a character from its code. `:=` runs printf once per character and script, not once per
 * use; guardedScript() removes the helpers before and after. Line breaks stay raw inside the quotes.
 */
export function shWord(value: string): string {
  assertValue(value)
  if (!UNSAFE_UNQUOTED.test(value)) return singleQuote(value)
  let out = ''
  let quoted = ''
  let previous = ''
  for (const ch of value) {
    if (inert(ch, previous)) {
      if (quoted !== '') out += singleQuote(quoted)
      const code = ch.charCodeAt(0).toString(8).padStart(3, '0')
      out += `"\${${HELPER}${code}:=$(\\printf '\\${code}')}"`
      quoted = ''
    } else {
      quoted += ch
    }
    previous = ch
  }
  return quoted !== '' ? out + singleQuote(quoted) : out
}

/** `unset A B`: how a person removes variables in bash, zsh and sh (doctor's fix lines). */
export function posixUnsetHint(names: readonly string[]): string {
  return `unset ${names.join(' ')}`
}

/** The prefix of shWord()'s helper variables, one per character: tab, space, `(`, `*`, `?`, `[`. */
const HELPER = '__awsmfa_c'
const HELPERS = ['011', '040', '050', '052', '077', '133'].map((code) => HELPER + code).join(' ')

const DOLLAR_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' }

/**
 * bash/zsh ANSI-C quotes `$'…'`: `\` and `'` are escaped, `\n \t \r` named, every other control
 * character written `\xHH`. Both shells read at most two hex digits after `\x`, so a following
 * hex digit stays literal (`$'\x07f'` is BEL then `f`). Everything else, UTF-8 included, is literal.
 *
 * No escape ever follows a non-ASCII character inside the quotes: the quotes are closed and
 * reopened between them (`$'ア'$'\\'`). In Big5, GBK, GB18030 and Shift_JIS locales a byte of
 * 0x81–0xFE and the byte after it can be one character, and the byte after may be 0x5C, `\`:
 * bash would then read `ア\\'` as a character, an escaped `\` and the closing quote, and run
 * whatever the value holds next. A closing `'` (0x27) is never the second byte of a character.
 */
export function dollarQuote(value: string): string {
  assertValue(value)
  let out = "$'"
  let afterNonAscii = false
  let previous = ''
  for (const ch of value) {
    // Glob characters and runs of spaces as \xHH too, so the word survives an unquoted $(…).
    const hidden = inert(ch, previous)
    previous = ch
    const escaped =
      ch === '\\' || ch === "'" ? `\\${ch}` : CONTROL.test(ch) ? (DOLLAR_ESCAPES[ch] ?? `\\x${hex2(ch.charCodeAt(0))}`) : hidden ? `\\x${hex2(ch.charCodeAt(0))}` : undefined
    if (escaped !== undefined && afterNonAscii) out += "'$'"
    out += escaped ?? ch
    afterNonAscii = ch > '\x7f'
  }
  return `${out}'`
}

/**
 * bash and zsh: plain single quotes, or `$'…'` when the value holds a control character so the
 * output never carries raw control bytes (terminals, logs and copy-paste mangle them).
 */
export function bashZshQuote(value: string): string {
  assertValue(value)
  return CONTROL.test(value) || UNSAFE_UNQUOTED.test(value) ? dollarQuote(value) : singleQuote(value)
}

/**
 * The statements as one text. When a statement still holds a line break (a value with one, in sh
 * output) the unquoted form would join it with a blank and set a wrong value; the statements then
 * sit in a `case` whose subject is a line break: evaluated as written it takes the second branch and
 * runs them, evaluated unquoted the break has become a blank, and the first branch prints the fix
 * and returns 1 before anything changes.
 */
export function guardedScript(statements: readonly string[], profile: string): string {
  // shWord()'s helpers: a value the environment gave them must not be used; none is left behind.
  const helpers = statements.some((statement) => statement.includes(HELPER)) ? `\\unset -v ${HELPERS};` : undefined
  const body = helpers === undefined ? statements : [helpers, ...statements, helpers]
  const text = body.join('\n') + '\n'
  if (!statements.some((statement) => /[\n\t]| {2}/.test(statement))) return text
  const name = printable(profile)
  const message = [
    `awsmfa: the ${name} session holds a line break, which eval without quotes cannot carry; nothing was changed`,
    `  fix: eval "$(awsmfa env ${name})"  (with the double quotes)`,
  ]
  return [
    "case 'awsmfa",
    "awsmfa' in",
    `'awsmfa awsmfa') \\printf '%s\\n' ${message.map(shWord).join(' ')} >&2; \\false;;`,
    "'awsmfa",
    "awsmfa')",
    text + ';;',
    'esac',
    '',
  ].join('\n')
}

/**
 * bash and zsh write the same statements. `builtin` skips aliases (both expand them in `eval`
 * text; zsh even non-interactively) and functions named `export`/`unset`; `unset -v`, because
 * plain `unset` removes a function of that name when no variable exists.
 */
export function builtinExportShell<Name extends 'bash' | 'zsh'>(name: Name, files: Pick<ShellSyntax<Name>, 'integrationFile' | 'completionFile' | 'install' | 'startup'>): ShellSyntax<Name> {
  return {
    name,
    quote: bashZshQuote,
    set(variable, value) {
      assertVariableName(variable)
      return `builtin export ${variable}=${bashZshQuote(value)};`
    },
    unset(variable) {
      assertVariableName(variable)
      return `builtin unset -v ${variable};`
    },
    unsetHint: posixUnsetHint,
    script: guardedScript,
    ...files,
  }
}

/**
 * install.sh's lines for bash and zsh (which read `$'…'`, so bashZshQuote): the integration file
 * is sourced only when it is there, and the PATH line checks first (a nested shell inherits it).
 */
export function posixStartup(program: 'bash' | 'zsh', rcFile: Startup['rcFile']): Startup {
  return {
    program,
    rcFile,
    sourceLine(path) {
      const file = bashZshQuote(path)
      return `if [ -r ${file} ]; then . ${file}; fi`
    },
    pathLine(dir) {
      const quoted = bashZshQuote(dir)
      return `case ":\${PATH-}:" in *:${quoted}:*) ;; *) export PATH=${quoted}"\${PATH:+:$PATH}" ;; esac`
    },
  }
}
