import t from 'tap'
import { SHELL_NAMES, assertVariableName, isShellName, shellByName } from '../../lib/shells/index.js'
import type { ShellName } from '../../lib/shells/index.js'
import { VECTORS } from './vectors.js'

/** Expected quote() output per shell, in the order of VECTORS. */
const EXPECTED: Record<ShellName, readonly string[]> = {
  bash: [
    String.raw`'it'\''s'`,
    "'$HOME $(id) `x`'",
    String.raw`'C:\a\ \\ \'\'''`,
    String.raw`$'line1\nline2'`,
    String.raw`$'x\n\n'`,
    String.raw`$'a\rb\tc'`,
    String.raw`$'\x07\x1B\x7F'`,
    "'café ☃ 🔐'",
    "'Bob’s ‘key’'",
    // glob characters never appear raw: the word survives an unquoted eval $(…) too
    String.raw`$'\x2A\x3F\x5Ba] ~root'`,
    "'a!b !!'",
    "'-n'",
    "'=a='",
    "''",
  ],
  zsh: [], // same as bash, filled in below
  sh: [
    String.raw`'it'\''s'`,
    "'$HOME $(id) `x`'",
    String.raw`'C:\a\ \\ \'\'''`,
    "'line1\nline2'",
    "'x\n\n'",
    // tab and glob characters never raw: helpers made by printf once per script (an unquoted eval $(…) survives)
    "'a\rb'\"${__awsmfa_c011:=$(\\printf '\\011')}\"'c'",
    "'\x07\x1b\x7f'",
    "'café ☃ 🔐'",
    "'Bob’s ‘key’'",
    "\"${__awsmfa_c052:=$(\\printf '\\052')}\"\"${__awsmfa_c077:=$(\\printf '\\077')}\"\"${__awsmfa_c133:=$(\\printf '\\133')}\"'a] ~root'",
    "'a!b !!'",
    "'-n'",
    "'=a='",
    "''",
  ],
  fish: [
    String.raw`'it\'s'`,
    "'$HOME $(id) `x`'",
    String.raw`'C:\\a\\ \\\\ \\\''`,
    String.raw`'line1'\n'line2'`,
    String.raw`'x'\n\n`,
    String.raw`'a'\r'b'\t'c'`,
    String.raw`\x07\x1B\x7F`,
    "'café ☃ 🔐'",
    "'Bob’s ‘key’'",
    "'*?[a] ~root'",
    "'a!b !!'",
    "'-n'",
    "'=a='",
    "''",
  ],
  powershell: [
    "'it''s'",
    "'$HOME $(id) `x`'",
    String.raw`'C:\a\ \\ \'''`,
    "('line1' + [char]0x000A + 'line2')",
    "('x' + [char]0x000A + [char]0x000A)",
    "('a' + [char]0x000D + 'b' + [char]0x0009 + 'c')",
    "('' + [char]0x0007 + [char]0x001B + [char]0x007F)",
    "('caf' + [char]0x00E9 + ' ' + [char]0x2603 + ' ' + [char]0xD83D + [char]0xDD10)",
    "('Bob' + [char]0x2019 + 's ' + [char]0x2018 + 'key' + [char]0x2019)",
    "'*?[a] ~root'",
    "'a!b !!'",
    "'-n'",
    "'=a='",
    "''",
  ],
  // one line of printable ASCII: `"` and `\` escaped, every other character as \u{HEX} of its code point
  nu: [
    `"it's"`,
    '"$HOME $(id) `x`"',
    String.raw`"C:\\a\\ \\\\ \\'"`,
    String.raw`"line1\u{A}line2"`,
    String.raw`"x\u{A}\u{A}"`,
    String.raw`"a\u{D}b\u{9}c"`,
    String.raw`"\u{7}\u{1B}\u{7F}"`,
    String.raw`"caf\u{E9} \u{2603} \u{1F510}"`,
    String.raw`"Bob\u{2019}s \u{2018}key\u{2019}"`,
    '"*?[a] ~root"',
    '"a!b !!"',
    '"-n"',
    '"=a="',
    '""',
  ],
}
EXPECTED.zsh = EXPECTED.bash

t.test('quote(): exact text for every DESIGN.md vector', async (t) => {
  for (const name of SHELL_NAMES) {
    const shell = shellByName(name)
    t.equal(EXPECTED[name].length, VECTORS.length, `${name}: one expectation per vector`)
    VECTORS.forEach((value, i) => {
      t.equal(shell.quote(value), EXPECTED[name][i], `${name} quotes ${JSON.stringify(value)}`)
    })
  }
})

t.test('quote(): more shapes', async (t) => {
  const bash = shellByName('bash')
  const fish = shellByName('fish')
  const ps = shellByName('powershell')
  // \xHH followed by a hex digit: both shells read at most two digits (checked by the round trip)
  t.equal(bash.quote('\x07f\x1bA'), String.raw`$'\x07f\x1BA'`)
  t.equal(bash.quote("\n'\\"), String.raw`$'\n\'\\'`)
  t.equal(fish.quote('\n'), String.raw`\n`)
  t.equal(fish.quote("\n'\\\n"), String.raw`\n'\'\\'\n`)
  t.equal(fish.quote('\x01\x1f'), String.raw`\x01\x1F`)
  t.equal(ps.quote('\n'), "('' + [char]0x000A)")
  t.equal(ps.quote("a\n'"), "('a' + [char]0x000A + '''')")
  t.equal(ps.quote('‚‛'), "('' + [char]0x201A + [char]0x201B)")
  t.equal(ps.quote('a\u0085b\u2028c\u2029'), "('a' + [char]0x0085 + 'b' + [char]0x2028 + 'c' + [char]0x2029)")
  t.equal(ps.quote('“x”'), "('' + [char]0x201C + 'x' + [char]0x201D)", 'every character above U+007E is a [char]')
  t.equal(ps.quote('\u{10FFFF}~'), "('' + [char]0xDBFF + [char]0xDFFF + '~')", 'astral: both UTF-16 halves; ~ is ASCII')
  for (const value of [...VECTORS, 'сe', '\u00A5\u20A9 \\ ~ \uFF07']) {
    t.match(ps.quote(value), /^[\x20-\x7e]*$/, `pure printable ASCII: ${JSON.stringify(value)}`)
    t.match(shellByName('nu').quote(value), /^"[\x20-\x7e]*"$/, `nu: pure printable ASCII: ${JSON.stringify(value)}`)
  }
  t.equal(shellByName('nu').quote('\u{10FFFF}#\''), String.raw`"\u{10FFFF}#'"`, 'nu: astral whole; # and \' literal')
  // non-ASCII that is not a control character stays literal in the POSIX shells and fish
  for (const name of ['bash', 'zsh', 'sh', 'fish'] as const) {
    t.equal(shellByName(name).quote('\u0085\u2028'), "'\u0085\u2028'", `${name}: C1 and U+2028 literal`)
  }
})

t.test('quote(): NUL and lone surrogates throw in every shell', async (t) => {
  for (const name of SHELL_NAMES) {
    const shell = shellByName(name)
    t.throws(() => shell.quote('a\0b'), /NUL/, `${name}: NUL`)
    t.throws(() => shell.quote('\0'), /NUL/, `${name}: bare NUL`)
    t.throws(() => shell.set('AWSMFA_X', 'a\0'), /NUL/, `${name}: set with NUL`)
    t.throws(() => shell.quote('\ud83d'), /surrogate/, `${name}: lone high surrogate`)
    t.throws(() => shell.quote('a\udd10'), /surrogate/, `${name}: lone low surrogate`)
    t.throws(() => shell.quote('\udd10\ud83d'), /surrogate/, `${name}: reversed pair`)
    t.doesNotThrow(() => shell.quote('\ud83d\udd10'), `${name}: a proper pair`)
  }
})

t.test('set() and unset(): exact statements', async (t) => {
  const cases: Record<ShellName, [set: string, empty: string, unset: string]> = {
    // every POSIX statement ends with `;`: `eval $(awsmfa env p)` without quotes joins the lines
    bash: ["builtin export AWS_REGION='eu-west-1';", "builtin export AWSMFA_E='';", 'builtin unset -v AWS_PROFILE;'],
    zsh: ["builtin export AWS_REGION='eu-west-1';", "builtin export AWSMFA_E='';", 'builtin unset -v AWS_PROFILE;'],
    sh: ["\\export AWS_REGION='eu-west-1';", "\\export AWSMFA_E='';", '\\unset -v AWS_PROFILE;'],
    fish: ["set -gx AWS_REGION 'eu-west-1'", "set -gx AWSMFA_E ''", 'set -e -g AWS_PROFILE; or builtin true'],
    powershell: [
      "$Env:AWS_REGION = 'eu-west-1'",
      '$Env:AWSMFA_E = $null',
      '$Env:AWS_PROFILE = $null',
    ],
    nu: ['load-env {"AWS_REGION": "eu-west-1"}', 'load-env {"AWSMFA_E": ""}', 'hide-env -i AWS_PROFILE'],
  }
  for (const name of SHELL_NAMES) {
    const shell = shellByName(name)
    const [set, empty, unset] = cases[name]
    t.equal(shell.set('AWS_REGION', 'eu-west-1'), set, `${name} set`)
    t.equal(shell.set('AWSMFA_E', ''), empty, `${name} set empty`)
    t.equal(shell.unset('AWS_PROFILE'), unset, `${name} unset`)
    for (const value of VECTORS) {
      const statement = shell.set('AWSMFA_X', value)
      if (name === 'sh') {
        // dash has no escape for a newline: sh keeps raw line breaks, but only inside the quotes
        t.equal(statement, `\\export AWSMFA_X=${shell.quote(value)};`, `sh: set(${JSON.stringify(value)})`)
      } else {
        t.notMatch(statement, /[\n\r]/, `${name}: set(${JSON.stringify(value)}) is one line`)
      }
    }
  }
  t.equal(shellByName('bash').set('X', 'a\nb'), String.raw`builtin export X=$'a\nb';`)
  t.equal(shellByName('powershell').set('X', 'a\nb'), "$Env:X = ('a' + [char]0x000A + 'b')")
  t.equal(shellByName('nu').set('X', 'a\nb"'), String.raw`load-env {"X": "a\u{A}b\""}`)
})

t.test('variable names: rejected, never escaped', async (t) => {
  const bad = ['', '1A', 'A-B', 'A B', 'A.B', 'A$', '$A', 'A=B', 'é', 'A\n', 'A;B', 'A\0', 'PATH', 'AWS_CA_PATH', 'MANPATH', 'xPATH']
  for (const name of bad) {
    t.throws(() => assertVariableName(name), /invalid variable name/, `assert rejects ${JSON.stringify(name)}`)
    for (const shell of SHELL_NAMES.map(shellByName)) {
      t.throws(() => shell.set(name, 'v'), /invalid variable name/, `${shell.name}.set rejects ${JSON.stringify(name)}`)
      t.throws(() => shell.unset(name), /invalid variable name/, `${shell.name}.unset rejects ${JSON.stringify(name)}`)
    }
  }
  for (const name of ['A', '_', '_1', 'AWS_SESSION_TOKEN', 'aws_x', 'Path_', 'PATHX', 'path']) {
    t.doesNotThrow(() => assertVariableName(name), `accepts ${name}`)
  }
  t.throws(() => assertVariableName('path'.toUpperCase()), /PATH/)
})

t.test('registry', async (t) => {
  t.same([...SHELL_NAMES], ['bash', 'zsh', 'sh', 'fish', 'powershell', 'nu'])
  t.ok(Object.isFrozen(SHELL_NAMES))
  for (const name of SHELL_NAMES) {
    t.equal(shellByName(name).name, name)
    t.ok(isShellName(name), name)
  }
  t.equal(shellByName('pwsh'), shellByName('powershell'), 'pwsh is an alias')
  t.ok(isShellName('pwsh'))
  for (const bad of ['', 'Bash', 'csh', 'cmd', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    t.notOk(isShellName(bad), `not a shell: ${JSON.stringify(bad)}`)
    t.throws(() => shellByName(bad), { message: /unknown shell .*bash, zsh, sh, fish, powershell/ }, `throws for ${JSON.stringify(bad)}`)
  }
  t.same(
    Object.fromEntries(SHELL_NAMES.map((n) => [n, [shellByName(n).integrationFile, shellByName(n).completionFile]])),
    {
      bash: ['shells/awsmfa.bash', 'completions/awsmfa.bash'],
      zsh: ['shells/awsmfa.zsh', 'completions/_awsmfa'],
      sh: [undefined, undefined],
      fish: ['shells/awsmfa.fish', 'completions/awsmfa.fish'],
      powershell: ['shells/awsmfa.ps1', 'completions/awsmfa.ps1'],
      nu: ['shells/awsmfa.nu', 'completions/awsmfa.nu'],
    },
  )
})
