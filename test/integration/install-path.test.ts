/**
 * install.sh when ~/.local/bin is not on PATH: in a fresh HOME with a stock PATH, its marked block
 * puts the bin directory on PATH, and a NEW terminal (an interactive shell in tmux, reading its own
 * start-up file) finds awsmfa in every shell install.sh sets up (bash, zsh, fish, pwsh, nu). A run
 * from such a terminal keeps the block; --uninstall gives every rc file back byte for byte.
 */
import t from 'tap'
import { execa } from 'execa'
import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { STARTUP_SHELLS } from '../../lib/shells/index.js'
import { findShell, sessionOf, shellRow } from '../helpers/shell-table.js'
import { requireShell } from '../helpers/shells.js'
import { Tmux } from '../helpers/tmux.js'
import { ROOT, snapshot, tempDir } from './common.js'
import { missingPart } from '../helpers/missing.js'

const MARK = '# added by awsmfa install.sh'
const STOCK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

t.test('install.sh puts ~/.local/bin on PATH with its marked block; a new terminal of every shell it sets up finds awsmfa', async (t) => {
  const tmuxPath = await requireShell(t, 'tmux')
  // Every shell install.sh sets up (the registry's), through its row; one missing is a part not verified.
  const shells = STARTUP_SHELLS.flatMap((shell) => {
    const row = shellRow(shell.name)
    const binary = findShell(row)
    if (binary === undefined) missingPart(t, `${row.exe} is not installed (${row.install})`)
    return binary === undefined ? [] : [{ shell, row, binary, session: sessionOf(row) }]
  })
  // node on the stock PATH (the system one), and each shell where it is installed: install.sh looks for them on PATH.
  const stockPath = [STOCK_PATH, ...new Set(shells.map(({ binary }) => dirname(binary)))].join(':')
  const node = await execa('sh', ['-c', 'command -v node'], { env: { PATH: stockPath }, extendEnv: false, reject: false })
  if (node.exitCode !== 0) {
    t.fail('no node on the stock PATH')
    return
  }

  const checkout = tempDir(t, 'awsmfa-checkout-')
  for (const entry of ['lib', 'scripts', 'shells', 'completions', 'package.json', 'package-lock.json', 'tsconfig.json', 'install.sh']) {
    cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true })
  }
  // The suite's own bundle, copied last and dated ahead, so install.sh finds dist/ up to date and runs
  // no npm at all: an `npm ci` in the copy would empty a linked node_modules, the suite's own.
  cpSync(join(ROOT, 'dist'), join(checkout, 'dist'), { recursive: true })
  const later = new Date(Date.now() + 60_000)
  utimesSync(join(checkout, 'dist/awsmfa.mjs'), later, later)
  const home = tempDir(t, 'awsmfa-home-')
  writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'")
  writeFileSync(join(home, '.zshrc'), 'bindkey -e\n')
  const before = snapshot(home)
  const env = { HOME: home, PATH: stockPath, TERM: 'xterm-256color', LANG: 'C.UTF-8' }
  const install = (args: string[], path = stockPath) =>
    execa('sh', [join(checkout, 'install.sh'), ...args], {
      cwd: home,
      env: { ...env, PATH: path, npm_config_cache: join(checkout, '.npm-cache'), npm_config_update_notifier: 'false' },
      extendEnv: false, reject: false, timeout: 300_000,
    })

  const first = await install([])
  t.equal(first.exitCode, 0, first.stderr)
  const bindir = join(home, '.local/bin')
  t.match(first.stdout, `${bindir} is not on PATH: the marked lines below put it there in new terminals`, 'says so')
  t.notMatch(first.stderr, /is not on PATH/, 'no warning left to act on')
  const rcFiles: Record<string, string> = Object.fromEntries(shells.map(({ shell }) => [shell.name, shell.startup?.rcFile(env, home) ?? '']))
  for (const [shell, rc] of Object.entries(rcFiles)) {
    t.match(first.stdout, `${shell}: added lines (awsmfa, and ${bindir} on PATH) to ${rc}`)
    const marked = readFileSync(rc, 'utf8').split('\n').filter((line) => line.includes(MARK))
    t.equal(marked.length, 2, `${shell}: one marked block of two lines (PATH, then the integration)`)
    t.match(marked[0] ?? '', bindir, `${shell}: the PATH line comes first`)
    const text = readFileSync(rc, 'utf8')
    t.ok(text.endsWith(`${marked.join('\n')}\n`), `${shell}: the block is contiguous, at the end`)
  }

  // New terminals: interactive shells that read their start-up files, with the stock PATH.
  // Each probe prints the program's path on PATH (not the function's name), its version, and that the
  // integration's function is what `awsmfa` runs.
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  for (const { row, binary, session } of shells) {
    session.settle?.(home)
    await t.test(`a new ${row.label} terminal finds awsmfa`, async (t) => {
      const tmux = await Tmux.start(t, tmuxPath, { command: [binary, ...session.terminal], env: { ...env, SHELL: binary }, cwd: home })
      // Keys typed before a line editor is ready can be lost (PSReadLine): wait for the prompt.
      if (session.ready !== undefined) await tmux.waitForMatch(session.ready, 'main:one', 60_000)
      await tmux.line(`${session.whereIs}; awsmfa --version; echo DONE-PROBE`)
      const screen = await tmux.waitFor('the probe', (s) => (/^DONE-PROBE$/m.test(s) ? s : undefined), 'main:one', 60_000)
      t.match(screen, new RegExp(`^${bindir.replaceAll('.', '\\.')}/awsmfa$`, 'm'), 'the program is found in ~/.local/bin')
      t.match(screen, new RegExp(`^${version.replaceAll('.', '\\.')}$`, 'm'), 'and runs')
      t.match(screen, new RegExp(`^${session.integrationKind}$`, 'm'), 'and the integration is loaded')
    })
  }

  // A run from such a terminal (the bin directory now on PATH) keeps the block as it is.
  const installed = snapshot(home)
  const again = await install([], `${bindir}:${stockPath}`)
  t.equal(again.exitCode, 0, again.stderr)
  t.same(snapshot(home), installed, 'a second run from a new terminal changes no file')
  t.match(again.stdout, /bash: .* already loads awsmfa/)

  // Uninstall: every rc file as it was, byte for byte.
  const removed = await install(['--uninstall'])
  t.equal(removed.exitCode, 0, removed.stderr)
  const after = snapshot(home)
  for (const [path, bytes] of before) t.equal(after.get(path), bytes, `${path} restored byte for byte`)
  for (const rc of Object.values(rcFiles)) {
    const rel = rc.slice(home.length)
    if (!before.has(rel)) t.notOk(after.has(rel), `${rel}, which install.sh created, is gone`)
  }
})
