import type { ShellSyntax } from './types.js'
import { CONTROL, assertValue, assertVariableName, hex2 } from './check.js'
import { configHome } from './startup.js'

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' }

/**
 * fish reads `\\` and `\'` inside single quotes (so POSIX `'\''` quoting is wrong there and lets a
 * value run code). Printable text goes in `'…'` with `\` → `\\` and `'` → `\'`; control characters
 * go between quoted runs as unquoted escapes (`\n`, `\t`, `\r`, else `\xHH`), which fish joins into
 * one word: `'a'\n'b'`. An escape is always followed by `'`, `\` or the end of the word, so a
 * following hex digit can never extend `\xHH`.
 */
export function fishQuote(value: string): string {
  assertValue(value)
  if (value === '') return "''"
  let out = ''
  let run = ''
  const flush = (): void => {
    if (run !== '') out += `'${run}'`
    run = ''
  }
  for (const ch of value) {
    if (CONTROL.test(ch)) {
      flush()
      out += ESCAPES[ch] ?? `\\x${hex2(ch.charCodeAt(0))}`
    } else if (ch === '\\' || ch === "'") {
      // Never an escape right after a non-ASCII character: in Big5, GBK, GB18030 and Shift_JIS
      // locales its last byte and the `\` could be read as one character (see posix.ts).
      if (run !== '' && run.slice(-1) > '\x7f') flush()
      run += `\\${ch}`
    } else {
      run += ch
    }
  }
  flush()
  return out
}

/**
 * fish. `set` cannot be shadowed (fish refuses functions named after reserved builtins) and stops
 * reading options at the variable name, so values like `-n` are safe. Both statements use the
 * global scope (the integration sources this from inside a function, where the default would be
 * local). `set -e -g` never touches universal variables: a plain `set -e` erases a universal one
 * when no global exists, permanently and for every running fish. `set -e` fails with status 4 and
 * no message when the variable is absent; `or builtin true` keeps `source`'s status at 0
 * (`true` alone may be a user function; `builtin` is reserved).
 */
export const fish: ShellSyntax<'fish'> = {
  name: 'fish',
  quote: fishQuote,
  set(name, value) {
    assertVariableName(name)
    return `set -gx ${name} ${fishQuote(value)}`
  },
  unset(name) {
    assertVariableName(name)
    return `set -e -g ${name}; or builtin true`
  },
  unsetHint: (names) => names.map((name) => `set -e ${name}`).join('; '),
  integrationFile: 'shells/awsmfa.fish',
  completionFile: 'completions/awsmfa.fish',
  install: { line: 'awsmfa init fish | source', rcFile: '~/.config/fish/config.fish' },
  // install.sh's line goes in a file of its own in conf.d/, which fish reads at start-up.
  startup: {
    program: 'fish',
    rcFile: (env, home) => `${configHome(env, home)}/fish/conf.d/awsmfa.fish`,
    sourceLine(path) {
      const file = fishQuote(path)
      return `test -r ${file}; and source ${file}`
    },
    pathLine(dir) {
      const quoted = fishQuote(dir)
      return `contains -- ${quoted} $PATH; or set -gx PATH ${quoted} $PATH`
    },
  },
}
