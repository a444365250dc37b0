/**
 * install.sh when ~/.local/bin is not on PATH: in a fresh HOME with a stock PATH, its marked block
 * puts the bin directory on PATH, and a NEW terminal (an interactive shell in tmux, reading its
 * own start-up file) finds awsmfa in bash, zsh, fish and pwsh. A run from such a terminal keeps the
 * block; --uninstall gives every rc file back byte for byte.
 */
import t from 'tap'
import { execa } from 'execa'
import { cpSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pwshPath, requireShell } from '../helpers/shells.js'
import { Tmux } from '../helpers/tmux.js'
import { ROOT, snapshot, tempDir } from './common.js'
import { missingPart } from '../helpers/missing.js'

const MARK = '# added by awsmfa install.sh'
const STOCK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

t.test('install.sh puts ~/.local/bin on PATH with its marked block; new bash, zsh, fish and pwsh terminals find awsmfa', async (t) => {
  for (const tool of ['bash', 'zsh', 'fish', 'tmux']) await requireShell(t, tool)
  const tmuxPath = await requireShell(t, 'tmux')
  const pwsh = pwshPath()
  if (pwsh === undefined) missingPart(t, 'pwsh is not installed (scripts/setup.sh installs it)')
  // node on the stock PATH (the system one), pwsh where it is installed.
  const stockPath = [STOCK_PATH, ...(pwsh === undefined ? [] : [dirname(pwsh)])].join(':')
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
  const rcFiles: Record<string, string> = {
    bash: join(home, '.bashrc'),
    zsh: join(home, '.zshrc'),
    fish: join(home, '.config/fish/conf.d/awsmfa.fish'),
    ...(pwsh === undefined ? {} : { powershell: join(home, '.config/powershell/Microsoft.PowerShell_profile.ps1') }),
  }
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
  const terminals: Array<{ shell: string; command: string[]; probe: string; ready?: RegExp }> = [
    { shell: 'bash', command: ['bash', '-i'], probe: 'type -P awsmfa; awsmfa --version; type -t awsmfa' },
    { shell: 'zsh', command: ['zsh', '-i'], probe: 'whence -p awsmfa; awsmfa --version; whence -w awsmfa' },
    { shell: 'fish', command: ['fish', '-i'], probe: 'command -s awsmfa; awsmfa --version; type -t awsmfa' },
    ...(pwsh === undefined ? [] : [{ shell: 'powershell', command: [pwsh, '-NoLogo'], ready: /^PS .*>/m, probe: '(Get-Command awsmfa -CommandType Application).Source; awsmfa --version; (Get-Command awsmfa).CommandType' }]),
  ]
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  for (const terminal of terminals) {
    await t.test(`a new ${terminal.shell} terminal finds awsmfa`, async (t) => {
      const tmux = await Tmux.start(t, tmuxPath, { command: terminal.command, env: { ...env, SHELL: terminal.command[0] ?? '' }, cwd: home })
      // Keys typed before a line editor is ready can be lost (PSReadLine): wait for the prompt.
      if (terminal.ready !== undefined) await tmux.waitForMatch(terminal.ready, 'main:one', 60_000)
      await tmux.line(`${terminal.probe}; echo DONE-PROBE`)
      const screen = await tmux.waitFor('the probe', (s) => (/^DONE-PROBE$/m.test(s) ? s : undefined), 'main:one', 60_000)
      t.match(screen, new RegExp(`^${bindir.replaceAll('.', '\\.')}/awsmfa$`, 'm'), 'the program is found in ~/.local/bin')
      t.match(screen, new RegExp(`^${version.replaceAll('.', '\\.')}$`, 'm'), 'and runs')
      t.match(screen, /^(function|awsmfa: function|Function|Alias)$/m, 'and the integration is loaded')
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
