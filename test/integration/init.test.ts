/**
 * `awsmfa init <shell>` prints exactly the shipped integration followed by the shipped completion
 * (PowerShell from a checkout: the line that dot-sources the file);
 * sourcing it, or the static file, under each shell's strict flags prints nothing and loads the
 * completion exactly once.
 */
import t from 'tap'
import { execa } from 'execa'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SHELL_TABLE, requireRow, shellRow } from '../helpers/shell-table.js'
import { initCommand, packageRoot } from '../../lib/commands/init.js'
import type { Deps } from '../../lib/deps.js'
import { CLI, FILES, INTEGRATED, ROOT, shipped, tempDir, type IntegratedShell } from './common.js'
import { readFile } from 'node:fs/promises'
import { shellByName } from '../../lib/shells/index.js'
import { powershell } from '../../lib/shells/powershell.js'

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
// proves $? through it); the standalone executable, which has no file, prints the text.
const PWSH_LINE = `${powershell.startup?.sourceLine(join(ROOT, FILES.powershell.integration))}\n`

t.test('awsmfa init powershell from the checkout prints the line that dot-sources shells/awsmfa.ps1', async (t) => {
  const result = await runInit(['powershell'])
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stderr, '', 'nothing on stderr when stdout is not a terminal')
  t.equal(result.stdout, PWSH_LINE)
})

t.test('initCommand for powershell with the standalone assets prints the shipped integration, then the completion', async (t) => {
  let out = ''
  const deps = {
    env: {},
    stdout: { write: (s: string) => void (out += s), isTTY: false },
    stderr: { write: () => undefined, isTTY: false },
    readFile: async () => {
      throw new Error('the standalone executable reads no file')
    },
    readShipped: async (file: string) => shipped(file),
  } as unknown as Deps
  t.equal(await initCommand({ shell: 'powershell' }, deps), 0)
  t.equal(out, shipped(FILES.powershell.integration) + shipped(FILES.powershell.completion))
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
