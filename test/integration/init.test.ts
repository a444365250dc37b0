/**
 * `awsmfa init <shell>` prints exactly the shipped integration followed by the shipped completion
 * (PowerShell from a checkout: the line that dot-sources the file);
 * sourcing it, or the static file, under each shell's strict flags prints nothing and loads the
 * completion exactly once.
 */
import t from 'tap'
import { execa } from 'execa'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SHELL_TABLE, requireRow, shellRow } from '../helpers/shell-table.js'
import { initCommand, packageRoot } from '../../lib/commands/init.js'
import type { Deps } from '../../lib/deps.js'
import { CLI, FILES, INTEGRATED, ROOT, shipped, tempDir, type IntegratedShell } from './common.js'
import { readFile } from 'node:fs/promises'
import { shellByName } from '../../lib/shells/index.js'
import { powershell } from '../../lib/shells/powershell.js'
import { realFiles } from '../../lib/real-deps.js'

async function runInit(args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(process.execPath, [CLI, 'init', ...args], { reject: false, stripFinalNewline: false, stdin: 'ignore' })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

// A shell with initSourcesFile (PowerShell) prints its source line from a checkout: tested below.
for (const { name } of INTEGRATED.filter((row) => shellByName(row.name).initSourcesFile !== true)) {
  const shell = name as IntegratedShell
  t.test(`awsmfa init ${shell} prints the shipped integration, then the shipped completion`, async (t) => {
    const result = await runInit([shell])
    t.equal(result.exitCode, 0, result.stderr)
    t.equal(result.stderr, '', 'nothing on stderr when stdout is not a terminal')
    t.equal(result.stdout, shipped(FILES[shell].integration) + shipped(FILES[shell].completion))
  })
}

// PowerShell sets $? only after a script (the dot-sourced file), never after a function: from a
// checkout init prints the line that dot-sources shells/awsmfa.ps1 (test/integration/powershell.test.ts
// proves $? through it); the standalone executable writes that file to the user's cache first.
const PWSH_LINE = `${powershell.startup?.sourceLine(join(ROOT, FILES.powershell.integration))}\n`

t.test('awsmfa init powershell from the checkout prints the line that dot-sources shells/awsmfa.ps1', async (t) => {
  const result = await runInit(['powershell'])
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stderr, '', 'nothing on stderr when stdout is not a terminal')
  t.equal(result.stdout, PWSH_LINE)
})

/** initCommand as the standalone executable runs it: shipped files from its assets, real files otherwise. */
function standaloneDeps(env: Record<string, string>, home: string): { deps: Deps; out: () => string; err: () => string } {
  let out = ''
  let err = ''
  const deps = {
    env,
    homedir: () => home,
    stdout: { write: (s: string) => void (out += s), isTTY: false },
    stderr: { write: (s: string) => void (err += s), isTTY: false },
    ...realFiles,
    readShipped: async (file: string) => shipped(file),
  } as unknown as Deps
  return { deps, out: () => out, err: () => err }
}

t.test('the standalone executable puts its PowerShell text in the user cache and prints the line that dot-sources it', async (t) => {
  const home = tempDir(t, 'awsmfa-sa-home-')
  const text = shipped(FILES.powershell.integration) + shipped(FILES.powershell.completion)
  const first = standaloneDeps({}, home)
  t.equal(await initCommand({ shell: 'powershell' }, first.deps), 0)
  const match = /^if \(Test-Path -LiteralPath '([^']+)'\) \{ \. '\1' \}\n$/.exec(first.out())
  t.ok(match, `one dot-source line: ${first.out()}`)
  const file = match?.[1] ?? ''
  t.ok(file.startsWith(join(home, '.cache', 'awsmfa', 'awsmfa-')) && file.endsWith('.ps1'), `under ~/.cache/awsmfa: ${file}`)
  t.equal(readFileSync(file, 'utf8'), text, 'the file holds the integration, then the completion')
  t.equal(first.out(), `${powershell.startup?.sourceLine(file)}\n`, "the registry's line")
  t.equal(first.err(), '')
  const before = statSync(file).mtimeMs
  const again = standaloneDeps({}, home)
  await initCommand({ shell: 'powershell' }, again.deps)
  t.equal(again.out(), first.out(), 'the same file the next time')
  t.equal(statSync(file).mtimeMs, before, 'not rewritten when it holds the text already')

  const xdg = tempDir(t, 'awsmfa-sa-xdg-')
  const moved = standaloneDeps({ XDG_CACHE_HOME: xdg }, home)
  await initCommand({ shell: 'powershell' }, moved.deps)
  t.match(moved.out(), `${join(xdg, 'awsmfa')}/awsmfa-`, 'XDG_CACHE_HOME is the cache when set')

  // A cache it cannot write: the text itself (which works, with $? always True), and one line saying so.
  const blocked = join(tempDir(t, 'awsmfa-sa-blocked-'), 'file')
  writeFileSync(blocked, 'not a directory')
  const refused = standaloneDeps({ XDG_CACHE_HOME: blocked }, home)
  t.equal(await initCommand({ shell: 'powershell' }, refused.deps), 0)
  t.equal(refused.out(), text, 'the integration text')
  t.match(refused.err(), /^awsmfa: cannot write .*\(ENOTDIR\), so init prints the integration itself and \$\? stays True after awsmfa commands\n  fix: [^\n]+\n$/)

  // In real pwsh: through that line, $? is awsmfa's exit status (a script's exit sets it).
  const row = shellRow('powershell')
  const pwsh = requireRow(t, row)
  if (pwsh === undefined) return
  const bin = tempDir(t, 'awsmfa-sa-bin-')
  writeFileSync(join(bin, 'awsmfa'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 })
  const script = join(bin, 'probe.ps1')
  writeFileSync(script, [
    'Set-StrictMode -Version Latest',
    "$ErrorActionPreference = 'Stop'",
    `Invoke-Expression (Get-Content -Raw -LiteralPath '${join(bin, 'line.ps1')}')`,
    'awsmfa frobnicate 2>$null; "bad: $? $LASTEXITCODE"',
    'awsmfa --version > $null; "good: $? $LASTEXITCODE"',
    "awsmfa frobnicate 2>$null && 'chained'",
    '(Get-Command awsmfa).CommandType',
  ].join('\n'))
  writeFileSync(join(bin, 'line.ps1'), first.out())
  const result = await execa(pwsh, row.file(script), { env: { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: home, XDG_CACHE_HOME: join(home, 'pwsh-cache') }, extendEnv: false, reject: false })
  t.equal(result.stderr, '', 'no error under StrictMode and Stop')
  t.same(result.stdout.split('\n'), ['bad: False 2', 'good: True 0', 'Alias'], '$? False after a failure (and && stops), True after success; awsmfa is the cached script')
})

t.test('init pwsh is init powershell; sh and unknown names are usage errors with empty stdout', async (t) => {
  const pwsh = await runInit(['pwsh'])
  t.equal(pwsh.exitCode, 0)
  t.equal(pwsh.stdout, PWSH_LINE)
  for (const name of [...SHELL_TABLE.filter((row) => !INTEGRATED.includes(row)).map((row) => row.name), 'tcsh']) {
    const result = await runInit([name])
    t.equal(result.exitCode, 2, `init ${name}`)
    t.equal(result.stdout, '')
    t.match(result.stderr, /^awsmfa: .*\n  fix: /)
  }
})

t.test('initCommand in-process: finds the package root from lib/commands and reads through deps', async (t) => {
  const root = await packageRoot(new URL('../../lib/commands/init.ts', import.meta.url).href, { readFile: (p) => readFile(p) })
  t.equal(root, ROOT)
  const bundled = await packageRoot(new URL('../../dist/chunks/init-x.mjs', import.meta.url).href, { readFile: (p) => readFile(p) })
  t.equal(bundled, ROOT, 'and from dist/chunks/, where the bundle puts it')
  const read: string[] = []
  let out = ''
  let err = ''
  const deps = {
    env: {},
    stdout: { write: (s: string) => void (out += s), isTTY: true },
    stderr: { write: (s: string) => void (err += s), isTTY: true },
    readFile: async (path: string) => {
      read.push(path)
      return readFile(path)
    },
  } as unknown as Deps
  t.equal(await initCommand({ shell: 'zsh' }, deps), 0)
  t.equal(out, shipped(FILES.zsh.integration) + shipped(FILES.zsh.completion))
  t.match(err, /eval "\$\(awsmfa init zsh\)"/, 'on a terminal, a hint says where the line goes')
  t.ok(read.length <= 6, `a handful of reads (${read.length})`)
})

interface StrictCase {
  /** argv that sources `file` (or evaluates its text, with init) under strict flags, then prints `probe`. */
  argv(mode: 'source' | 'init', file: string): string[]
  /** Lines in the xtrace/fish_trace output that mark one load of the completion. */
  completionLoads: RegExp
}

/** Per shell: its strict flags and trace. null: not here (pwsh: powershell.test.ts loads it under Set-StrictMode; nu has
 *  neither flags nor a trace: nushell.test.ts loads both texts and checks the commands are there). */
const STRICT: Readonly<Record<IntegratedShell, StrictCase | null>> = {
  bash: {
    argv: (mode, file) => [
      '--norc', '--noprofile', '-c',
      `set -euo pipefail; PS4='+ '; set -x; ${mode === 'source' ? `source '${file}'` : `eval "$(cat '${file}')"`}; set +x; declare -F _awsmfa_complete awsmfa awsmfa_prompt >/dev/null`,
    ],
    completionLoads: /^\++ builtin complete -F _awsmfa_complete awsmfa$/gm,
  },
  zsh: {
    argv: (mode, file) => [
      '-f', '-c',
      `setopt err_exit no_unset; PS4='+ '; setopt xtrace; ${mode === 'source' ? `source '${file}'` : `eval "$(<'${file}')"`}; unsetopt xtrace; (( $+functions[_awsmfa] && $+functions[awsmfa] && $+functions[awsmfa_prompt] ))`,
    ],
    completionLoads: /^\++ \[\[ \S+ == loadautofunc \]\]$/gm,
  },
  fish: {
    argv: (mode, file) => [
      '--no-config', '-c',
      `set -g fish_trace 1; ${mode === 'source' ? `source '${file}'` : `cat '${file}' | source`}; set -e fish_trace; functions -q awsmfa awsmfa_prompt __awsmfa_profiles`,
    ],
    completionLoads: /complete -c awsmfa -e/g,
  },
  powershell: null,
  nu: null,
}

for (const { name } of INTEGRATED) {
  const shell = name as IntegratedShell
  const c = STRICT[shell]
  if (c === null) continue
  t.test(`${shell}: sourcing the static file or the init output under strict flags prints nothing, completion loads once`, async (t) => {
    const binary = requireRow(t, shellRow(shell))
    if (binary === undefined) return
    const dir = tempDir(t, 'awsmfa-init-')
    const initFile = join(dir, `init.${shell}`)
    const init = await runInit([shell])
    writeFileSync(initFile, init.stdout)
    for (const [mode, file] of [['source', join(ROOT, FILES[shell].integration)], ['init', initFile]] as const) {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TERM: 'dumb' }
      const quiet = await execa(binary, c.argv(mode, file).map((a) => a.replace(/set -x; |setopt xtrace; |set -g fish_trace 1; /, '')), { env, extendEnv: false, reject: false, cwd: dir })
      t.equal(quiet.exitCode, 0, `${mode}: loads and defines the functions\n${quiet.stderr}`)
      t.equal(quiet.stdout, '', `${mode}: nothing on stdout`)
      t.equal(quiet.stderr, '', `${mode}: nothing on stderr`)
      const traced = await execa(binary, c.argv(mode, file), { env, extendEnv: false, reject: false, cwd: dir })
      t.equal(traced.exitCode, 0, traced.stderr.slice(-2000))
      const loads = traced.stderr.match(c.completionLoads) ?? []
      t.equal(loads.length, 1, `${mode}: the completion is loaded exactly once`)
    }
  })
}
