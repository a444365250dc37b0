/**
 * THE shell table of the tests (as fnm's e2e suite has one): one row per real shell awsmfa
 * prints code for. Every real-shell test iterates it; adding a shell to the tests is one row here
 * (plus tests that only make sense for that shell). What a shell's SYNTAX is lives in lib/shells/;
 * a row says how the tests find, run and read a real shell.
 *
 * Paths handed to a row's functions are of safe characters (test/shells/harness.ts tempDir),
 * so a row may embed them in single quotes unescaped.
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { shellByName, wordList, type ShellName } from '../../lib/shells/index.js'
import { missing, type Planned } from './missing.js'

/** A shell-specific further way of evaluating output, for the round-trip tests. */
export interface Variant {
  readonly label: string
  /** argv for the row's binary (or `host`'s) that evaluates the text in `file`. */
  args(file: string): string[]
  /** Another row whose binary evaluates this row's output (the sh output in bash). */
  readonly host?: ShellName
  /** A binary outside the table instead (`sh`: whatever the system's /bin/sh is). */
  readonly exe?: string
}

/**
 * How the tests drive a shell that has loaded its integration: lines of a script or typed into a
 * terminal (tmux). Values given are plain words; labels are [A-Z0-9_]+.
 */
export interface SessionParts {
  /** A line printing `label=<value>` of the shell's own variable `name`, or `label=<unset>`. */
  show(label: string, name: string): string
  /** A line printing `label=<value>` of `name` as a child process sees it, or `label=<unset>`. */
  probe(label: string, name: string): string
  /** A line printing `label=<exit status of the previous command>`. */
  status(label: string): string
  /** The statement the integration runs before each prompt (its expiry warning), run by hand. */
  readonly beforePrompt: string
  /** A line printing `label=[<what awsmfa_prompt prints>]`. */
  showPrompt(label: string): string
  /** A line that sets and exports `name` (after `hostile` too). */
  set(name: string, value: string): string
  /** What status() shows after the function refuses its arguments: 2, as the CLI's usage errors (nushell makes a command's error 1). */
  readonly usageErrorStatus: string
  /** `line`, a command that may fail, run so that the script goes on (a failed external ends a nushell script). */
  attempt(line: string): string
  /** A statement that runs the program `argv[0]` with the other words as its arguments, each passed verbatim. */
  run(argv: readonly string[]): string
  /** Start-up lines of an interactive shell: the integration file `integration` loaded, the prompt `[<awsmfa_prompt>]$ `. */
  startup(integration: string): string[]
  /**
   * Writes `lines` as the start-up file of an interactive shell whose home is `home`: the argv after
   * the binary that starts it reading that file (and no other), and the environment it needs.
   */
  interactive(home: string, lines: readonly string[]): { args: string[]; env: Record<string, string> }
  /** Lines printing what `awsmfa` is in this shell, the program `awsmfa` found on PATH, and PATH joined by `:`. */
  readonly whereIs: string
  /** What the first of those lines prints when `awsmfa` is the integration. */
  readonly integrationKind: string
  /** argv after the binary of a new terminal's shell: interactive, reading the user's own start-up files. */
  readonly terminal: readonly string[]
  /** The screen once that shell's line editor takes keys, where keys typed earlier are lost (PSReadLine). */
  readonly ready?: RegExp
  /**
   * Readies a fresh HOME so that the shell's first interactive start leaves no job of its own writing
   * there after the test (fish generates man-page completions in the background), before the test
   * snapshots or removes it.
   */
  readonly settle?: (home: string) => void
  /** User customisations a careless integration trips over (aliases and functions named like what it calls, strict modes), run before loading it. */
  readonly hostile: string
}

export interface ShellRow {
  /** The `--shell` value and lib/shells module whose output this shell evaluates. */
  readonly name: ShellName
  /** The binary, looked up on PATH, then in `dirs`. */
  readonly exe: string
  /** How tests name it: 'bash', 'sh (dash)', 'pwsh'. */
  readonly label: string
  /** How to get it: shown when it is missing (a skip locally, a failure in CI). */
  readonly install: string
  /** Directories searched after PATH. */
  readonly dirs?: readonly string[]
  /** Extension of script files it runs (pwsh runs only .ps1). */
  readonly ext: string
  /** A POSIX shell: `eval $(…)` and `"$@"` mean what POSIX says; `command(code)` ends in `-c code`. */
  readonly posix: boolean
  /** Decodes its input by LC_CTYPE, so the legacy multibyte locales (hardening/locales) apply. */
  readonly localeSensitive: boolean
  /** A successful evaluation exits 0 (pwsh's exit status is not asserted). */
  readonly exitsZero: boolean
  /** Setting a variable to '' removes it (PowerShell before 7.5 does; the output writes a removal). */
  readonly emptyIsUnset: boolean
  /** argv that runs the script file `file`, no user configuration read. */
  file(file: string): string[]
  /** argv that runs the code `code`, no user configuration read; a POSIX row's ends in `-c code name`, so words appended are "$@". */
  command(code: string): string[]
  /** The statement that evaluates the text in file `path` as a user evaluates `awsmfa env` output. */
  evalFile(path: string): string
  /**
   * A statement that runs a CHILD process which writes the environment it inherited, raw and
   * NUL-separated (`env -0` format), to `path` (absolute, or relative to the working directory).
   */
  dumpEnv(path: string): string
  /**
   * Statements that run `"$T_NODE" "$T_CLI" env "$T_PROFILE"` followed by the words of `$T_ARGS`
   * (split at spaces), exit 9 when it fails, and evaluate its output.
   */
  readonly evalEnv: string
  /** The statement that loads the shell integration file at `path` (`builtin` where the shell has it: a user's function named `source` cannot get in). */
  source(path: string): string
  /** Shell-specific further ways of evaluating output (round-trip tests). */
  readonly variants: readonly Variant[]
  /** Other rows that evaluate this row's output too (`awsmfa env` without --shell prints sh, which bash and zsh users eval). */
  readonly readBy?: readonly ShellName[]
  /** For a shell with an integration (lib/shells integrationFile): how tests drive it (sessionOf: a test file iterating the integrated rows fails to load without it). */
  readonly session?: SessionParts
}

/** The file a pwsh (or any shell's) `dumpEnv` runs with node: copies /proc/self/environ byte for byte. */
export const ENV_DUMP = resolve(import.meta.dirname, 'env-dump.cjs')

const nodeDump = (path: string): string => `& '${process.execPath}' '${ENV_DUMP}' '${path}'`
/** The same child in nushell, whose call operator is `^`. */
const nuDump = (path: string): string => `^'${process.execPath}' '${ENV_DUMP}' '${path}'`

const posixEval = (path: string): string => `eval "$(cat '${path}')"`
const POSIX_ENV = 'out=$("$T_NODE" "$T_CLI" env "$T_PROFILE" $T_ARGS) || exit 9; eval "$out"'

// Aliases and functions that would run `touch CANARY` if the output called them unprotected.
export const ALIASES = `alias export='touch CANARY;'; alias unset='touch CANARY;'; `
export const FUNCTIONS = `export() { touch CANARY; }; unset() { touch CANARY; }; `

/** The cmdlets the shipped PowerShell files call (by module-qualified name, as test/integration/lint.test.ts demands). */
function shippedCmdlets(files: readonly string[]): string[] {
  const names = files.flatMap((file) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/\bMicrosoft\.PowerShell\.\w+\\([A-Za-z]+-[A-Za-z]+)/g)].map((m) => m[1] as string))
  return [...new Set(names)].sort()
}

const withPrelude = (row: { command(code: string): string[] }, prelude: string) => (file: string) => row.command(`${prelude}${posixEval(file)}`)

/** The checkout: the nu row reads awsmfa's output through the shipped integration (shells/awsmfa.nu). */
const ROOT = resolve(import.meta.dirname, '../..')
/**
 * nushell has no eval: `awsmfa use` (shells/awsmfa.nu) parses the output as DATA and applies it.
 * `text` is a nu expression holding the output. The scale test and evalEnv go this way.
 */
export const nuApply = (text: string): string => `${NU_SOURCE}; ${nuApplySourced(text)}`
/** Loads the integration, once per nu process: each `source` defines its commands again, and nushell's cost
 *  grows with every one (25,000 values in parts of 500: 29 s sourcing it per part, 7.8 s sourcing it once). */
export const NU_SOURCE = `source '${join(ROOT, 'shells', 'awsmfa.nu')}'`
/** nuApply for a script that has run NU_SOURCE. */
export const nuApplySourced = (text: string): string => `__awsmfa_apply (__awsmfa_read ${text})`
const nuCommand = (code: string): string[] => ['--no-config-file', '--no-std-lib', '-c', code]

const bashCommand = (code: string): string[] => ['--norc', '--noprofile', '-c', code, 'bash']
const zshCommand = (code: string): string[] => ['-f', '-c', code, 'zsh']
const pwshCommand = (code: string): string[] => ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', code]
/** Cmdlets that could remove or set a variable, had the output called them. */
const OUTPUT_CMDLETS = ['Remove-Item', 'Set-Item', 'Set-Variable']
const pwshEval = (path: string): string => `Get-Content -Raw -LiteralPath '${path}' | Invoke-Expression`

/** Writes the start-up file `path` (its directory made) and returns what interactive() returns. */
function startupFile(path: string, lines: readonly string[], args: string[], env: Record<string, string> = {}) {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, [...lines, ''].join('\n'))
  return { args, env }
}

/** fish generates completions from man pages at its first interactive start unless this directory exists. */
const settleFish = (home: string): void => {
  mkdirSync(join(home, '.local', 'share', 'fish', 'generated_completions'), { recursive: true })
}

/** The session parts bash and zsh share; `own`: what differs. */
const posixSession = (own: Pick<SessionParts, 'beforePrompt' | 'whereIs' | 'integrationKind' | 'startup' | 'interactive' | 'hostile'>): SessionParts => ({
  ...own,
  show: (label, name) => `echo "${label}=\${${name}-<unset>}"`,
  probe: (label, name) => `echo "${label}=$(printenv ${name} || echo '<unset>')"`,
  status: (label) => `echo "${label}=$?"`,
  showPrompt: (label) => `echo "${label}=[$(awsmfa_prompt)]"`,
  set: (name, value) => `builtin export ${name}=${value}`,
  usageErrorStatus: '2',
  attempt: (line) => line,
  run: (argv) => argv.map(shellByName('sh').quote).join(' '),
  terminal: ['-i'],
})

/** A nu expression: what a child process sees of `name`, or <unset>. */
const nuChildSees = (name: string): string =>
  `(do { let r = (^printenv ${name} | complete); if $r.exit_code == 0 { $r.stdout | str trim -r -c (char nl) } else { '<unset>' } })`

export const SHELL_TABLE: readonly ShellRow[] = [
  {
    name: 'bash',
    exe: 'bash',
    label: 'bash',
    install: 'apt-get install -y bash',
    ext: 'bash',
    posix: true,
    localeSensitive: true,
    exitsZero: true,
    emptyIsUnset: false,
    file: (f) => ['--norc', '--noprofile', f],
    command: bashCommand,
    evalFile: posixEval,
    dumpEnv: (p) => `env -0 > '${p}'`,
    evalEnv: POSIX_ENV,
    source: (p) => `builtin source '${p}'`,
    variants: [
      { label: 'bash set -euo pipefail, extglob', args: withPrelude({ command: bashCommand }, 'set -euo pipefail; shopt -s extglob; ') },
      { label: 'bash --posix', args: (f) => ['--posix', ...bashCommand(posixEval(f))] },
      { label: 'bash with export/unset aliases and functions', args: withPrelude({ command: bashCommand }, `shopt -s expand_aliases; ${ALIASES}${FUNCTIONS}`) },
    ],
    session: posixSession({
      beforePrompt: '__awsmfa_prompt_command',
      whereIs: 'type -t awsmfa; type -P awsmfa; printf "%s\\n" "$PATH"',
      integrationKind: 'function',
      startup: (integration) => [`PS1='[$(awsmfa_prompt)]$ '`, `source '${integration}'`],
      interactive: (home, lines) => startupFile(join(home, '.bashrc'), lines, ['--noprofile', '--rcfile', join(home, '.bashrc'), '-i']),
      hostile: [
        'set -u -o pipefail',
        'command() { echo FUNCTION-HIJACK; }',
        'printf() { echo FUNCTION-HIJACK; }',
        'export() { echo FUNCTION-HIJACK; }',
        'unset() { echo FUNCTION-HIJACK; }',
        'shopt -s expand_aliases',
        "alias awsmfa='echo ALIAS-HIJACK'",
        "alias command='echo ALIAS-HIJACK'",
        "alias eval='echo ALIAS-HIJACK'",
      ].join('\n'),
    }),
  },
  {
    name: 'zsh',
    exe: 'zsh',
    label: 'zsh',
    install: 'apt-get install -y zsh',
    ext: 'zsh',
    posix: true,
    localeSensitive: true,
    exitsZero: true,
    emptyIsUnset: false,
    file: (f) => ['-f', f],
    command: zshCommand,
    evalFile: posixEval,
    dumpEnv: (p) => `env -0 > '${p}'`,
    // zsh splits an unquoted parameter only when asked: ${=…}
    evalEnv: 'out=$("$T_NODE" "$T_CLI" env "$T_PROFILE" ${=T_ARGS}) || exit 9; eval "$out"',
    source: (p) => `builtin source '${p}'`,
    variants: [
      { label: 'zsh prompt_subst', args: withPrelude({ command: zshCommand }, 'setopt prompt_subst; ') },
      {
        label: 'zsh rc_quotes sh_word_split glob_subst posix_builtins err_exit no_unset',
        args: withPrelude({ command: zshCommand }, 'setopt rc_quotes sh_word_split glob_subst posix_builtins err_exit no_unset; '),
      },
      { label: 'zsh with export/unset aliases and functions', args: withPrelude({ command: zshCommand }, `${ALIASES}${FUNCTIONS}`) },
    ],
    session: posixSession({
      beforePrompt: '__awsmfa_precmd',
      whereIs: 'whence -w awsmfa; whence -p awsmfa; printf "%s\\n" "$PATH"',
      integrationKind: 'awsmfa: function',
      // The integration before compinit, as many ~/.zshrc files have it: completion registers at the first prompt.
      startup: (integration) => ['setopt prompt_subst', `PROMPT='[$(awsmfa_prompt)]$ '`, `source '${integration}'`, 'autoload -Uz compinit && compinit -u -D'],
      interactive: (home, lines) => startupFile(join(home, '.zshrc'), lines, ['-d', '-i'], { ZDOTDIR: home }),
      hostile: [
        'setopt no_unset ksh_arrays sh_word_split',
        "alias awsmfa='echo ALIAS-HIJACK'",
        "alias eval='echo ALIAS-HIJACK'",
        'function print { echo FUNCTION-HIJACK; }',
        'function export { echo FUNCTION-HIJACK; }',
        'function unset { echo FUNCTION-HIJACK; }',
      ].join('\n'),
    }),
  },
  {
    name: 'sh',
    exe: 'dash',
    label: 'sh (dash)',
    install: 'apt-get install -y dash',
    ext: 'sh',
    posix: true,
    localeSensitive: true,
    exitsZero: true,
    emptyIsUnset: false,
    file: (f) => [f],
    command: (code) => ['-c', code, 'sh'],
    evalFile: posixEval,
    dumpEnv: (p) => `env -0 > '${p}'`,
    evalEnv: POSIX_ENV,
    source: (p) => `. '${p}'`,
    readBy: ['bash', 'zsh'],
    variants: [
      { label: 'dash set -eu', args: (f) => ['-c', `set -eu; ${posixEval(f)}`, 'sh'] },
      { label: 'dash with export/unset aliases', args: (f) => ['-c', `${ALIASES}${posixEval(f)}`, 'sh'] },
      { label: 'sh set -eu', exe: 'sh', args: (f) => ['-c', `set -eu; ${posixEval(f)}`, 'sh'] },
      { label: 'sh output in bash set -euo pipefail', host: 'bash', args: withPrelude({ command: bashCommand }, 'set -euo pipefail; ') },
      { label: 'sh output in bash with aliases', host: 'bash', args: withPrelude({ command: bashCommand }, `shopt -s expand_aliases; ${ALIASES}`) },
      { label: 'sh output in zsh with aliases', host: 'zsh', args: withPrelude({ command: zshCommand }, ALIASES) },
    ],
  },
  {
    name: 'fish',
    exe: 'fish',
    label: 'fish',
    install: 'apt-get install -y fish',
    ext: 'fish',
    posix: false,
    localeSensitive: true,
    exitsZero: true,
    emptyIsUnset: false,
    file: (f) => ['--no-config', f],
    command: (code) => ['--no-config', '-c', code],
    evalFile: (p) => `cat '${p}' | source`,
    dumpEnv: (p) => `env -0 > '${p}'`,
    evalEnv: '$T_NODE $T_CLI env $T_PROFILE (string split -n " " -- $T_ARGS) | source; set -l st $pipestatus; test $st[1] -eq 0; or exit 9',
    source: (p) => `builtin source '${p}'`,
    variants: [
      { label: 'fish source', args: (f) => ['--no-config', '-c', `source '${f}'`] },
      { label: 'fish source inside a function (like the integration)', args: (f) => ['--no-config', '-c', `function awsmfa_t; cat '${f}' | source; end; awsmfa_t`] },
    ],
    session: {
      show: (label, name) => `if set -q ${name}; echo "${label}=$${name}"; else; echo "${label}=<unset>"; end`,
      probe: (label, name) => `echo "${label}="(printenv ${name}; or echo '<unset>')`,
      status: (label) => `echo "${label}=$status"`,
      beforePrompt: 'emit fish_prompt',
      whereIs: 'type -t awsmfa; command -s awsmfa; string join : $PATH',
      integrationKind: 'function',
      terminal: ['-i'],
      showPrompt: (label) => `printf '${label}=[%s]\\n' (awsmfa_prompt)`,
      set: (name, value) => `set -gx ${name} ${value}`,
      usageErrorStatus: '2',
      attempt: (line) => line,
      run: (argv) => argv.map(shellByName('fish').quote).join(' '),
      startup: (integration) => ["function fish_prompt; printf '[%s]$ ' (awsmfa_prompt); end", `source '${integration}'`],
      interactive: (home, lines) => {
        settleFish(home)
        return startupFile(join(home, '.config', 'fish', 'config.fish'), ["set -g fish_greeting ''", ...lines], ['-i'], { XDG_CONFIG_HOME: join(home, '.config') })
      },
      settle: settleFish,
      hostile: [
        "alias awsmfa='echo ALIAS-HIJACK'",
        'function printf; echo FUNCTION-HIJACK; end',
        'function math; echo FUNCTION-HIJACK; end',
        'function count; echo FUNCTION-HIJACK; end',
        'function source; echo FUNCTION-HIJACK; end',
      ].join('\n'),
    },
  },
  {
    name: 'powershell',
    exe: 'pwsh',
    label: 'pwsh',
    install: 'scripts/setup.sh installs it: dotnet tool install --global PowerShell --version 7.6.9',
    dirs: [join(homedir(), '.dotnet', 'tools')],
    ext: 'ps1',
    posix: false,
    // its output is pure ASCII ([char]0xHHHH for the rest) and .NET does not decode it by LC_CTYPE
    localeSensitive: false,
    exitsZero: false,
    emptyIsUnset: true,
    file: (f) => ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', f],
    command: pwshCommand,
    evalFile: pwshEval,
    // pwsh re-encodes native output it redirects, so the child writes the file itself
    dumpEnv: nodeDump,
    evalEnv: [
      '$cliArgs = @($env:T_ARGS -split " " | Where-Object { $_ -ne "" })',
      '$out = & $env:T_NODE $env:T_CLI env $env:T_PROFILE @cliArgs',
      'if ($LASTEXITCODE -ne 0) { exit 9 }',
      '$out | Out-String | Invoke-Expression',
    ].join('\n'),
    source: (p) => `. '${p}'`,
    variants: [
      {
        label: `pwsh with ${wordList(OUTPUT_CMDLETS, 'and')} functions`,
        args: (f) => pwshCommand(`${OUTPUT_CMDLETS.map((name) => `function ${name} { $null = New-Item -ItemType File CANARY }; `).join('')}${pwshEval(f)}`),
      },
    ],
    session: {
      // no cmdlet: `hostile` below replaces them
      show: (label, name) => `"${label}=$(if ($null -ne [Environment]::GetEnvironmentVariable('${name}')) { $Env:${name} } else { '<unset>' })"`,
      probe: (label, name) => `& { $v = printenv ${name}; if ($LASTEXITCODE -eq 0) { "${label}=$v" } else { '${label}=<unset>' } }`,
      status: (label) => `"${label}=$LASTEXITCODE"`,
      // the prompt function's call of awsmfa_prompt warns
      beforePrompt: '$null = awsmfa_prompt',
      whereIs: '(Get-Command awsmfa).CommandType; (Get-Command awsmfa -CommandType Application).Source; $env:PATH',
      // the dot-sourced file makes `awsmfa` an alias of itself (so its exit sets $?)
      integrationKind: 'Alias',
      terminal: ['-NoLogo'],
      ready: /^PS .*>/m,
      showPrompt: (label) => `"${label}=[$(awsmfa_prompt)]"`,
      set: (name, value) => `$Env:${name} = '${value}'`,
      usageErrorStatus: '2',
      attempt: (line) => line,
      run: (argv) => `& ${argv.map(shellByName('powershell').quote).join(' ')}`,
      startup: (integration) => [`. '${integration}'`, 'function prompt { "[$(awsmfa_prompt)]$ " }'],
      interactive: (home, lines) =>
        startupFile(join(home, 'profile.ps1'), lines, ['-NoProfile', '-NoLogo', '-NoExit', '-Command', `. '${join(home, 'profile.ps1')}'`]),
      hostile: [
        'Set-StrictMode -Version Latest',
        "$ErrorActionPreference = 'Stop'",
        // every cmdlet the integration and its completion call, as a profile might wrap one: an
        // alias (which wins over a function) for the one that applies the output, functions for all
        "function __hijack { 'ALIAS-HIJACK' }",
        'Set-Alias -Name Invoke-Expression -Value __hijack',
        ...shippedCmdlets(['shells/awsmfa.ps1', 'completions/awsmfa.ps1']).map((name) => `function ${name} { 'FUNCTION-HIJACK' }`),
      ].join('\n'),
    },
  },
  {
    name: 'nu',
    exe: 'nu',
    label: 'nu',
    install: 'scripts/setup.sh installs it: npm install --prefix .tools nushell@0.115.1, linked as .tools/bin/nu',
    dirs: [join(ROOT, '.tools', 'bin')],
    ext: 'nu',
    posix: false,
    // nushell reads its input as UTF-8 whatever LC_CTYPE says, and the output is pure ASCII (\u{…})
    localeSensitive: false,
    exitsZero: true,
    emptyIsUnset: false,
    file: (f) => ['--no-config-file', '--no-std-lib', f],
    command: nuCommand,
    // as code (the row's scripts embed a child between the statements); the integration's data
    // reader takes the output in evalEnv, the scale test and test/integration/nushell.test.ts
    evalFile: (p) => `source '${p}'`,
    // env -0 through nushell's pipe would do; the node child writes the file itself, as for pwsh
    dumpEnv: nuDump,
    evalEnv: [
      "let cli_args = ($env | get -o T_ARGS | default '' | split row ' ' | where {|word| $word != '' })",
      "let out = (try { ^$env.T_NODE $env.T_CLI env $env.T_PROFILE ...$cli_args } catch { exit 9 })",
      nuApply('$out'),
    ].join('\n'),
    source: (p) => `source '${p}'`,
    variants: [],
    session: {
      show: (label, name) => `print $"${label}=($env | get -o ${name} | default '<unset>')"`,
      probe: (label, name) => `print $"${label}=${nuChildSees(name)}"`,
      // a script that has run no failing external has no LAST_EXIT_CODE (an interactive nu starts at 0)
      status: (label) => `print $"${label}=($env.LAST_EXIT_CODE? | default 0)"`,
      beforePrompt: '__awsmfa_warn',
      whereIs: "print (which awsmfa | get 0.type); print (which -a awsmfa | where type == external | get 0.path); print ($env.PATH | str join ':')",
      integrationKind: 'custom',
      terminal: [],
      showPrompt: (label) => `print $"${label}=[(awsmfa_prompt)]"`,
      set: (name, value) => `$env.${name} = '${value}'`,
      usageErrorStatus: '1',
      attempt: (line) => `try { ${line} } catch { }`,
      run: (argv) => `^${argv.map(shellByName('nu').quote).join(' ')}`,
      // the integration before the prompt closure, which nushell parses with the file: awsmfa_prompt must exist by then
      startup: (integration) => [`source '${integration}'`, `$env.PROMPT_COMMAND = {|| $"[(awsmfa_prompt)]" }`, `$env.PROMPT_INDICATOR = {|| '$ ' }`, `$env.PROMPT_COMMAND_RIGHT = {|| '' }`],
      interactive: (home, lines) => {
        const dir = join(home, '.config', 'nushell')
        startupFile(join(dir, 'env.nu'), [], [])
        return startupFile(join(dir, 'config.nu'), ['$env.config.show_banner = false', ...lines], ['--config', join(dir, 'config.nu'), '--env-config', join(dir, 'env.nu')], {
          XDG_CONFIG_HOME: join(home, '.config'),
        })
      },
      // none it could withstand: nushell has no `builtin`, and a user's alias or def of a command the
      // file calls (print, load-env), made before the file is sourced, is what the file's calls run
      hostile: '',
    },
  },
]

/** The row of `name`; throws for a name without one. */
export function shellRow(name: ShellName): ShellRow {
  const row = SHELL_TABLE.find((r) => r.name === name)
  if (row === undefined) throw new Error(`no row for ${name} in test/helpers/shell-table.ts`)
  return row
}

/** The session parts of a row whose shell has an integration; throws for a row without them (a test file using it fails to load). */
export function sessionOf(row: ShellRow): SessionParts {
  if (row.session === undefined) throw new Error(`${row.name} has an integration but no session parts in test/helpers/shell-table.ts`)
  return row.session
}

/** The shell a user gets without --shell: its output, and the rows that also read it (readBy). */
export const DEFAULT_OUTPUT: ShellName = 'sh'

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Absolute path of `exe` on PATH, else in `dirs`, else undefined. */
export function findExe(exe: string, dirs: readonly string[] = []): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...dirs]) {
    if (dir !== '' && executable(join(dir, exe))) return join(dir, exe)
  }
  return undefined
}

/** The row's binary, or undefined. */
export function findShell(row: ShellRow): string | undefined {
  return findExe(row.exe, row.dirs)
}


/**
 * The row's binary for a test about it. Missing in CI (CI=true): the test FAILS. Missing locally:
 * the test is a tap SKIP with the reason and install hint (never a pass). Call it first in a
 * test of its own (the skip is a plan of 0); on undefined return and assert nothing else.
 */
export function requireRow(t: Planned, row: ShellRow): string | undefined {
  const path = findShell(row)
  if (path !== undefined) return path
  const why = `${row.exe} is not installed (${row.install}); the ${row.name} output is NOT verified here`
  missing(t, why)
  return undefined
}

/** Entries of an `env -0` (dumpEnv) file: name → raw value bytes; undefined when there is no file. */
export function readDump(file: string): Map<string, Buffer> | undefined {
  if (!existsSync(file)) return undefined
  const env = new Map<string, Buffer>()
  const buf = readFileSync(file)
  let start = 0
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0) continue
    const entry = buf.subarray(start, i)
    start = i + 1
    const eq = entry.indexOf(0x3d)
    if (eq > 0) env.set(entry.subarray(0, eq).toString('latin1'), entry.subarray(eq + 1))
  }
  return env
}

/** `names` as a dumpEnv file holds them, as UTF-8 text; null for a name it lacks (or for every name without a file). */
export function dumpedValues(file: string, names: readonly string[]): Record<string, string | null> {
  const dumped = readDump(file)
  return Object.fromEntries(names.map((name) => [name, dumped?.get(name)?.toString('utf8') ?? null]))
}
