import type { Shell } from './types.js'
import { CONTROL, assertValue, assertVariableName, hex2 } from './check.js'

/**
 * POSIX single quotes: everything between them is literal, so the only character to handle is `'`
 * itself, written `'\''` (close, escaped quote, reopen). Raw control bytes, newlines included,
 * are literal too: dash, bash and zsh all read them back through `eval "$(…)"`.
 */
export function singleQuote(value: string): string {
  assertValue(value)
  return `'${value.replaceAll("'", `'\\''`)}'`
}

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
  for (const ch of value) {
    const escaped = ch === '\\' || ch === "'" ? `\\${ch}` : CONTROL.test(ch) ? (DOLLAR_ESCAPES[ch] ?? `\\x${hex2(ch.charCodeAt(0))}`) : undefined
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
  return CONTROL.test(value) ? dollarQuote(value) : singleQuote(value)
}

/**
 * bash and zsh write the same statements. `builtin` skips aliases (both expand them in `eval`
 * text; zsh even non-interactively) and functions named `export`/`unset`; `unset -v`, because
 * plain `unset` removes a function of that name when no variable exists.
 */
export function builtinExportShell(name: 'bash' | 'zsh', files: Pick<Shell, 'integrationFile' | 'completionFile' | 'install'>): Shell {
  return {
    name,
    quote: bashZshQuote,
    set(variable, value) {
      assertVariableName(variable)
      return `builtin export ${variable}=${bashZshQuote(value)}`
    },
    unset(variable) {
      assertVariableName(variable)
      return `builtin unset -v ${variable}`
    },
    ...files,
  }
}
