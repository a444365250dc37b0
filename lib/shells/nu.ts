import { configHome } from './startup.js'
import type { ShellSyntax } from './types.js'
import { assertValue, assertVariableName } from './check.js'

/** Characters written as themselves: printable ASCII but the two a double-quoted string escapes. */
const RAW = /^[\x20-\x21\x23-\x5b\x5d-\x7e]$/

/**
 * A nushell double-quoted string (not `$"…"`, so `(…)` and `$` are literal): `"` and `\` are
 * escaped, and every other character outside printable ASCII is `\u{HEX}` of its code point
 * (astral characters whole). The text is pure ASCII on ONE line, so shells/awsmfa.nu can read the
 * output line by line as data, and no Unicode line or paragraph separator can end it early. The
 * raw strings of SPEC §12 (`r#'…'#`) would keep line breaks raw, which a line reader cannot split.
 */
export function nuQuote(value: string): string {
  assertValue(value)
  let out = '"'
  for (const ch of value) {
    if (RAW.test(ch)) out += ch
    else if (ch === '"' || ch === '\\') out += `\\${ch}`
    else out += `\\u{${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`
  }
  return `${out}"`
}

/**
 * nushell. It has no `eval`: shells/awsmfa.nu reads `awsmfa env --shell nu` output as DATA, one
 * statement a line, each of two shapes, which `source` also runs as code: `hide-env -i NAME`
 * (silent when the name is absent), or `load-env {"NAME": "…"}`, whose record `from nuon` decodes
 * exactly as nushell's parser does. The key is quoted because nuon refuses a bare `true` or `null`.
 */
export const nu: ShellSyntax<'nu'> = {
  name: 'nu',
  quote: nuQuote,
  set(name, value) {
    assertVariableName(name)
    return `load-env {"${name}": ${nuQuote(value)}}`
  },
  unset(name) {
    assertVariableName(name)
    return `hide-env -i ${name}`
  },
  unsetHint: (names) => `hide-env -i ${names.join(' ')}`,
  integrationFile: 'shells/awsmfa.nu',
  completionFile: 'completions/awsmfa.nu',
  // nushell sources only files it knows while parsing: no one line can load `awsmfa init nu` output.
  install: { line: 'source /path/to/awsmfa/shells/awsmfa.nu', rcFile: '$nu.config-path' },
  startup: {
    program: 'nu',
    // nushell's default $nu.config-path on Linux (and wherever XDG_CONFIG_HOME is set).
    rcFile: (env, home) => `${configHome(env, home)}/nushell/config.nu`,
    // `source` of a missing file fails while parsing; `source null` is a no-op, and `path exists`
    // runs at parse time, so a moved checkout leaves nushell starting cleanly.
    sourceLine(path) {
      const file = nuQuote(path)
      return `const __awsmfa_file = if (${file} | path exists) { ${file} } else { null }; source $__awsmfa_file`
    },
    pathLine(dir) {
      const quoted = nuQuote(dir)
      return `if (${quoted} not-in $env.PATH) { $env.PATH = ($env.PATH | prepend ${quoted}) }`
    },
  },
}
