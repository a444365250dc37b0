/**
 * install.sh in a throwaway HOME, on a copy of the checkout (its node_modules linked, so `npm ci`
 * is skipped as already done, while the build really runs): links awsmfa under --prefix, adds
 * exactly one marked line per shell, a second run changes nothing, the lines load the
 * integration, --uninstall restores every rc file byte for byte, --no-modify-rc touches none.
 */
import { powershellQuote } from '../../lib/shells/powershell.js'
import t from 'tap'
import { execa } from 'execa'
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pwshPath, requirePwsh, requireShell } from '../helpers/shells.js'
import { STARTUP_SHELLS, shellByName, type ShellName } from '../../lib/shells/index.js'
import { ROOT, snapshot, tempDir } from './common.js'
import { findShell, sessionOf, shellRow } from '../helpers/shell-table.js'
import { missingPart } from '../helpers/missing.js'

const MARK = '# added by awsmfa install.sh'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A copy of the checkout as a user would have it, with node_modules linked (installed already). */
function copyCheckout(t: Teardown): string {
  const dir = tempDir(t, 'awsmfa-checkout-')
  for (const entry of ['lib', 'scripts', 'shells', 'completions', 'package.json', 'package-lock.json', 'tsconfig.json', 'install.sh']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true })
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

function countMarks(path: string): number {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line.includes(MARK)).length
}

async function install(checkout: string, home: string, scratch: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = await execa('sh', [join(checkout, 'install.sh'), ...args], {
    cwd: scratch,
    env: {
      HOME: home,
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // npm's cache and logs outside HOME, so HOME holds only what install.sh writes.
      npm_config_cache: join(scratch, 'npm-cache'),
      npm_config_update_notifier: 'false',
      ...extraEnv,
    },
    extendEnv: false,
    reject: false,
    timeout: 300_000,
  })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

t.test('install.sh: install, idempotent, working lines, uninstall restores the rc files', async (t) => {
  for (const tool of ['bash', 'zsh', 'fish', 'npm']) await requireShell(t, tool)
  const checkout = copyCheckout(t)
  const home = tempDir(t, 'awsmfa-home-')
  const scratch = tempDir(t, 'awsmfa-scratch-')
  const prefix = join(scratch, 'prefix')
  // A .bashrc without a final newline, a .zshrc with one, no fish or PowerShell files yet.
  writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'")
  writeFileSync(join(home, '.zshrc'), 'bindkey -e\n')
  const before = snapshot(home)

  const first = await install(checkout, home, scratch, ['--prefix', prefix])
  t.equal(first.exitCode, 0, first.stderr)
  t.match(first.stdout, /building dist\/awsmfa\.mjs/, 'it built dist/')
  t.match(first.stdout, /npm dependencies are already installed/, 'npm ci skipped: node_modules is complete')
  t.match(first.stdout, /Open a new terminal/, 'says what to do next')
  t.match(first.stdout, new RegExp(`${prefix}/bin is not on PATH: the marked lines below put it there`), 'says the bin directory is not on PATH, and that the lines fix it')

  const link = join(prefix, 'bin', 'awsmfa')
  t.ok(lstatSync(link).isSymbolicLink(), 'awsmfa is a link')
  t.equal(readlinkSync(link), join(checkout, 'dist', 'awsmfa.mjs'))
  const version = await execa(link, ['--version'], { reject: false })
  t.equal(version.exitCode, 0, version.stderr)
  t.equal(version.stdout, JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')).version, 'the linked CLI runs')

  const rcFiles = {
    bash: join(home, '.bashrc'),
    zsh: join(home, '.zshrc'),
    fish: join(home, '.config', 'fish', 'conf.d', 'awsmfa.fish'),
  }
  // Two marked lines each: --prefix's bin is not on PATH here, so the block puts it there first.
  for (const [shell, rc] of Object.entries(rcFiles)) t.equal(countMarks(rc), 2, `${shell}: one marked block (PATH, integration) in ${rc}`)
  t.ok(readFileSync(rcFiles.bash, 'utf8').startsWith("alias ll='ls -l'\n"), 'the existing .bashrc kept, its last line ended')
  t.ok(readFileSync(rcFiles.zsh, 'utf8').startsWith('bindkey -e\ncase ":${PATH-}:" in '), 'the line appended to .zshrc')
  t.match(readFileSync(rcFiles.bash, 'utf8'), `${checkout}/shells/awsmfa.bash`, 'bash loads the STATIC file of the checkout')
  t.match(readFileSync(rcFiles.fish, 'utf8'), `${checkout}/shells/awsmfa.fish`)
  // install.sh adds the PowerShell lines only where pwsh is on PATH (CI puts it there).
  const psProfile = join(home, '.config', 'powershell', 'Microsoft.PowerShell_profile.ps1')
  if ((process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, 'pwsh')))) t.ok(countMarks(psProfile) >= 1, 'pwsh on PATH: the PowerShell profile has the marked lines')
  else t.notOk(existsSync(join(home, '.config', 'powershell')), 'no PowerShell profile without pwsh')
  t.match(first.stdout, /bash: added lines \(awsmfa, and .* on PATH\) to .*\.bashrc/)

  // Second run: nothing changes, and nothing is rebuilt.
  const installed = snapshot(home)
  const distStat = statSync(join(checkout, 'dist', 'awsmfa.mjs')).mtimeMs
  const second = await install(checkout, home, scratch, ['--prefix', prefix])
  t.equal(second.exitCode, 0, second.stderr)
  t.same(snapshot(home), installed, 'a second run leaves every file in HOME byte-identical')
  t.match(second.stdout, /up to date; nothing to build/)
  t.match(second.stdout, /already links to/)
  t.match(second.stdout, /bash: .* already loads awsmfa/)
  t.equal(statSync(join(checkout, 'dist', 'awsmfa.mjs')).mtimeMs, distStat, 'dist/ not rebuilt')

  // The lines load the integration in each shell (starting no Node: awsmfa is not even on PATH here).
  const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const bash = await execa('bash', ['-c', 'source ~/.bashrc && declare -F awsmfa awsmfa_prompt _awsmfa_complete && echo "${AWSMFA_SHELL-none}"'], { env, extendEnv: false, reject: false })
  t.equal(bash.stdout, 'awsmfa\nawsmfa_prompt\n_awsmfa_complete\nnone', bash.stderr)
  const zsh = await execa('zsh', ['-c', 'source ~/.zshrc && whence -w awsmfa awsmfa_prompt _awsmfa && echo "${AWSMFA_SHELL-none}"'], { env, extendEnv: false, reject: false })
  t.equal(zsh.stdout, 'awsmfa: function\nawsmfa_prompt: function\n_awsmfa: function\nnone', zsh.stderr)
  const fish = await execa('fish', ['-c', 'functions -q awsmfa awsmfa_prompt __awsmfa_profiles; and echo loaded'], { env, extendEnv: false, reject: false })
  t.equal(fish.stdout, 'loaded', `fish reads conf.d/awsmfa.fish at start-up ${fish.stderr}`)

  // Uninstall: rc files as they were, byte for byte; the file it created is gone; the link too.
  const removed = await install(checkout, home, scratch, ['--prefix', prefix, '--uninstall'])
  t.equal(removed.exitCode, 0, removed.stderr)
  t.same(snapshot(home), before, 'HOME holds exactly the files it held before, byte for byte')
  t.notOk(existsSync(link), 'the link is removed')
  t.match(removed.stdout, /fish: removed .*awsmfa\.fish \(it created it\)/)
  const again = await install(checkout, home, scratch, ['--prefix', prefix, '--uninstall'])
  t.equal(again.exitCode, 0)
  t.same(snapshot(home), before, 'uninstalling twice is harmless')
})

t.test('install.sh --no-modify-rc touches no rc file and prints the lines instead', async (t) => {
  await requireShell(t, 'npm')
  const checkout = copyCheckout(t)
  // Reuse a built dist from the first run? Each checkout builds its own: real, and isolated.
  const home = tempDir(t, 'awsmfa-home-')
  const scratch = tempDir(t, 'awsmfa-scratch-')
  writeFileSync(join(home, '.bashrc'), '# mine\n')
  const before = snapshot(home)
  const result = await install(checkout, home, scratch, ['--prefix', join(scratch, 'p'), '--no-modify-rc'])
  t.equal(result.exitCode, 0, result.stderr)
  t.same(snapshot(home), before, 'HOME unchanged')
  t.match(result.stdout, /bash: add this line to .*\.bashrc: if \[ -r '.*\/shells\/awsmfa\.bash' \]; then \. /)
  t.ok(existsSync(join(scratch, 'p', 'bin', 'awsmfa')), 'the link is still made')
})

t.test('install.sh refuses a Node older than the engines range, before touching anything', async (t) => {
  const checkout = copyCheckout(t)
  const home = tempDir(t, 'awsmfa-home-')
  const scratch = tempDir(t, 'awsmfa-scratch-')
  const fakeBin = join(scratch, 'bin')
  mkdirSync(fakeBin)
  writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\necho 18.19.0\n', { mode: 0o755 })
  const result = await install(checkout, home, scratch, ['--prefix', join(scratch, 'p')], { PATH: `${fakeBin}:${process.env.PATH ?? '/usr/bin:/bin'}` })
  t.equal(result.exitCode, 1)
  t.match(result.stderr, /Node 18\.19\.0 is too old \(awsmfa needs Node >= 20\.19 or >= 22\.12\)\n  fix: /)
  t.same(snapshot(home), new Map(), 'HOME untouched')
  t.notOk(existsSync(join(scratch, 'p')), 'nothing linked')
})

t.test('install.sh --help and unknown options', async (t) => {
  const home = tempDir(t, 'awsmfa-home-')
  const help = await install(ROOT, home, home, ['--help'])
  t.equal(help.exitCode, 0)
  t.match(help.stdout, /^usage: \.\/install\.sh \[--prefix DIR\] \[--no-modify-rc\] \[--uninstall\]/)
  const bad = await install(ROOT, home, home, ['--frobnicate'])
  t.equal(bad.exitCode, 1)
  t.match(bad.stderr, /unknown option: --frobnicate/)
})

t.test('install.sh --uninstall in a UTF-8 locale gives back rc files of any bytes: Latin-1, Shift_JIS, CRLF, binary junk, no final newline', async (t) => {
  for (const tool of ['bash', 'zsh', 'npm']) await requireShell(t, tool)
  const checkout = copyCheckout(t)
  const home = tempDir(t, 'awsmfa-home-')
  const scratch = tempDir(t, 'awsmfa-scratch-')
  const prefix = join(scratch, 'prefix')
  const utf8 = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }
  // Not valid UTF-8, which a UTF-8 grep drops: Latin-1 with CRLF and no final newline; Shift_JIS and NUL-free binary junk.
  const bashrc = Buffer.from('export NAME=caf\xe9\r\n# r\xe9sum\xe9 \xa9 2026\r\nalias x=y', 'latin1')
  const zshrc = Buffer.concat([Buffer.from([0x82, 0xa0, 0x82, 0xa2, 0x20, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x0a]), Buffer.from('\xff\xfe\x01\x02\x1b[2J\x80\x9b\xc3\x28 junk\n\r\n\t\n', 'latin1')])
  writeFileSync(join(home, '.bashrc'), bashrc)
  writeFileSync(join(home, '.zshrc'), zshrc)
  const before = snapshot(home)

  const first = await install(checkout, home, scratch, ['--prefix', prefix], utf8)
  t.equal(first.exitCode, 0, first.stderr)
  t.ok(countMarks(join(home, '.bashrc')) >= 1, 'its marked line(s) added to .bashrc')
  t.ok(readFileSync(join(home, '.zshrc')).subarray(0, zshrc.length).equals(zshrc), '.zshrc: the line appended after its bytes')
  const second = await install(checkout, home, scratch, ['--prefix', prefix], utf8)
  t.equal(second.exitCode, 0, second.stderr)
  t.match(second.stdout, /bash: .* already loads awsmfa/, 'a second run sees its own line among the junk')
  const removed = await install(checkout, home, scratch, ['--prefix', prefix, '--uninstall'], utf8)
  t.equal(removed.exitCode, 0, removed.stderr)
  t.same(snapshot(home), before, 'every rc file byte for byte as it was')

  // A line the user added after awsmfa's, itself without a final newline, stays exactly.
  await install(checkout, home, scratch, ['--prefix', prefix], utf8)
  const late = Buffer.from("alias late='\xe9'", 'latin1')
  writeFileSync(join(home, '.zshrc'), Buffer.concat([readFileSync(join(home, '.zshrc')), late]))
  const again = await install(checkout, home, scratch, ['--prefix', prefix, '--uninstall'], utf8)
  t.equal(again.exitCode, 0, again.stderr)
  t.ok(readFileSync(join(home, '.zshrc')).equals(Buffer.concat([zshrc, late])), ".zshrc: only awsmfa's line removed; the later line kept, still without a newline")
  t.ok(readFileSync(join(home, '.bashrc')).equals(bashrc), '.bashrc: as it was again')
})

/** A copy of the checkout at `.../<folder>/awsmfa` (a name with quotes in it), and a fresh home and scratch folder. */
function checkoutIn(t: Teardown, folder: string): { checkout: string; home: string; scratch: string } {
  const parent = join(tempDir(t, 'awsmfa-quotes-'), folder)
  mkdirSync(parent)
  const checkout = join(parent, 'awsmfa')
  cpSync(copyCheckout(t), checkout, { recursive: true, verbatimSymlinks: true })
  return { checkout, home: tempDir(t, 'awsmfa-home-'), scratch: tempDir(t, 'awsmfa-scratch-') }
}

t.test("install.sh: the PowerShell profile line loads from a checkout path holding ’ and '", async (t) => {
  const pwsh = requirePwsh(t)
  if (pwsh === undefined) return
  await requireShell(t, 'npm')
  // ’ (U+2019) is a quote character to PowerShell, like '; sed-doubling ' alone broke this line.
  const { checkout, home, scratch } = checkoutIn(t, "Bob’s o'checkout")
  const path = `${dirname(pwsh)}:${process.env.PATH ?? '/usr/bin:/bin'}`
  const result = await install(checkout, home, scratch, ['--prefix', join(scratch, 'p')], { PATH: path })
  t.equal(result.exitCode, 0, `install.sh succeeded\n${result.stderr}`)
  const profile = join(home, '.config', 'powershell', 'Microsoft.PowerShell_profile.ps1')
  const text = readFileSync(profile, 'utf8')
  t.equal(countMarks(profile), 2, 'the marked block: the PATH line (--prefix bin is not on PATH), then the integration')
  t.match(text, /^[\x20-\x7e\n]*$/, 'the line is ASCII: awsmfa wrote ’ as [char]0x2019')
  const loaded = await execa(pwsh, shellRow('powershell').command(`. ${powershellQuote(profile)}; (Get-Command awsmfa).CommandType; (Get-Command awsmfa).Definition; [bool](Get-Command awsmfa_prompt -ErrorAction SilentlyContinue)`), {
    env: { HOME: home, PATH: path },
    extendEnv: false,
    reject: false,
  })
  t.equal(loaded.stderr, '', 'the profile ran without an error')
  t.same(loaded.stdout.split('\n'), ['Alias', join(checkout, 'shells', 'awsmfa.ps1'), 'True'], 'awsmfa is the integration file at the quoted path; awsmfa_prompt is defined')
})

/** The built CLI of `checkout`, as install.sh runs it. */
async function ask(checkout: string, args: string[], env: Record<string, string>) {
  const result = await execa(process.execPath, [join(checkout, 'dist', 'awsmfa.mjs'), ...args], { env, extendEnv: false, reject: false, stdin: 'ignore' })
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
}

t.test('the hidden questions install.sh asks: install-shells and init SHELL --print-…, from the shell registry', async (t) => {
  const env = { HOME: '/home/me', PATH: process.env.PATH ?? '/usr/bin:/bin' }
  const list = await ask(ROOT, ['install-shells'], env)
  t.equal(list.exitCode, 0, list.stderr)
  t.equal(list.stdout, STARTUP_SHELLS.map((shell) => shell.name).join('\n'), 'one shell a line: those of the registry with a startup')
  t.same(list.stdout.split('\n'), ['bash', 'zsh', 'fish', 'powershell', 'nu'], 'today: the four install.sh always handled, and nushell')

  // The files and programs install.sh used before it asked the CLI, byte for byte.
  const expected: Array<[string, Record<string, string>, string, string]> = [
    ['bash', {}, '/home/me/.bashrc', 'bash'],
    ['zsh', {}, '/home/me/.zshrc', 'zsh'],
    ['zsh', { ZDOTDIR: '/z dot' }, '/z dot/.zshrc', 'zsh'],
    ['zsh', { ZDOTDIR: '' }, '/home/me/.zshrc', 'zsh'],
    ['fish', {}, '/home/me/.config/fish/conf.d/awsmfa.fish', 'fish'],
    ['fish', { XDG_CONFIG_HOME: '/x c' }, '/x c/fish/conf.d/awsmfa.fish', 'fish'],
    ['powershell', {}, '/home/me/.config/powershell/Microsoft.PowerShell_profile.ps1', 'pwsh'],
    ['pwsh', { XDG_CONFIG_HOME: '/x c' }, '/x c/powershell/Microsoft.PowerShell_profile.ps1', 'pwsh'],
    ['nu', {}, '/home/me/.config/nushell/config.nu', 'nu'],
    ['nu', { XDG_CONFIG_HOME: '/x c' }, '/x c/nushell/config.nu', 'nu'],
  ]
  for (const [shell, extra, rcFile, program] of expected) {
    const file = await ask(ROOT, ['init', shell, '--print-rc-file'], { ...env, ...extra })
    t.same(file, { exitCode: 0, stdout: rcFile, stderr: '' }, `${shell} ${JSON.stringify(extra)}: --print-rc-file`)
    const exe = await ask(ROOT, ['init', shell, '--print-program'], env)
    t.same(exe, { exitCode: 0, stdout: program, stderr: '' }, `${shell}: --print-program`)
  }
  // The lines: each shell's own module writes them, with its own quote().
  const dir = "/opt/it's ’here’/bin"
  for (const shell of STARTUP_SHELLS) {
    const line = await ask(ROOT, ['init', shell.name, '--print-rc-line'], env)
    t.same(line, { exitCode: 0, stdout: shell.startup?.sourceLine(join(ROOT, shell.integrationFile ?? '')), stderr: '' }, `${shell.name}: --print-rc-line`)
    t.match(line.stdout, shell.quote(join(ROOT, shell.integrationFile ?? '')), `${shell.name}: the path in the line is the shell's quote() of it`)
    const path = await ask(ROOT, ['init', shell.name, '--print-path-line', dir], env)
    t.same(path, { exitCode: 0, stdout: shell.startup?.pathLine(dir), stderr: '' }, `${shell.name}: --print-path-line`)
    t.match(path.stdout, shell.quote(dir), `${shell.name}: the directory in the PATH line is the shell's quote() of it`)
  }

  // Hidden from help; a shell install.sh does not set up, or two questions at once, are usage errors.
  for (const args of [['--help'], ['init', '--help']]) {
    const help = await ask(ROOT, args, env)
    t.equal(help.exitCode, 0)
    t.notMatch(help.stdout, /install-shells|--print-/, `${args.join(' ')} does not show them`)
  }
  const unknown = await ask(ROOT, ['frobnicate'], env)
  t.notMatch(unknown.stderr, /install-shells/, 'nor does the list of commands in a usage message')
  for (const args of [['init', 'sh', '--print-rc-line'], ['init', 'tcsh', '--print-rc-file'], ['init', 'bash', '--print-rc-line', '--print-rc-file'], ['init', 'bash', '--print-path-line', ''], ['install-shells', 'extra']]) {
    const bad = await ask(ROOT, args, env)
    t.equal(bad.exitCode, 2, args.join(' '))
    t.equal(bad.stdout, '', `${args.join(' ')}: nothing on stdout`)
    t.match(bad.stderr, /^awsmfa: [^\n]+\n  fix: [^\n]+$/, `${args.join(' ')}: one message with its fix`)
  }
})

t.test("install.sh from a checkout and --prefix holding ’, ' and spaces: every shell's lines are awsmfa's, load the integration and put the bin on PATH once", async (t) => {
  for (const tool of ['bash', 'zsh', 'fish', 'npm']) await requireShell(t, tool)
  const pwsh = pwshPath()
  if (pwsh === undefined) missingPart(t, 'pwsh is not installed (scripts/setup.sh installs it)')
  const nu = findShell(shellRow('nu'))
  if (nu === undefined) missingPart(t, `nu is not installed (${shellRow('nu').install})`)
  const { checkout, home, scratch } = checkoutIn(t, "Bob’s o'checkout  two")
  const prefix = join(scratch, "pre fix’s o'bin")
  const bindir = join(prefix, 'bin')
  const path = [...[pwsh, nu].flatMap((exe) => (exe === undefined ? [] : [dirname(exe)])), process.env.PATH ?? '/usr/bin:/bin'].join(':')
  writeFileSync(join(home, '.bashrc'), "alias ll='ls -l'\n")
  const before = snapshot(home)

  const first = await install(checkout, home, scratch, ['--prefix', prefix], { PATH: path })
  t.equal(first.exitCode, 0, first.stderr)
  const env = { HOME: home, PATH: path }
  const list = await ask(checkout, ['install-shells'], env)
  const shells = list.stdout.split('\n').filter((name) => (pwsh !== undefined || name !== 'powershell') && (nu !== undefined || name !== 'nu'))
  t.ok(shells.length >= 3, `the shells: ${shells.join(', ')}`)
  const rcFiles = new Map<string, string>()
  for (const name of shells) {
    const shell = shellByName(name)
    const rc = (await ask(checkout, ['init', name, '--print-rc-file'], env)).stdout
    rcFiles.set(name, rc)
    const marked = readFileSync(rc, 'utf8').split('\n').filter((line) => line.includes(MARK))
    t.equal(marked.length, 2, `${name}: the PATH line, then the integration`)
    // awsmfa's own quoter wrote both paths (lib/shells/); install.sh has none.
    t.equal(marked[0], `${shell.startup?.pathLine(bindir)}  ${MARK}`, `${name}: the PATH line is the registry's`)
    t.ok(marked[1]?.startsWith(`${shell.startup?.sourceLine(join(checkout, shell.integrationFile ?? ''))}  ${MARK}`), `${name}: the integration line is the registry's`)
  }

  // A new shell reads its start-up file (twice: a nested shell); awsmfa is the integration, the
  // program is found in the quoted bin directory, and PATH holds it once.
  for (const name of shells) {
    const row = shellRow(name as ShellName)
    const exe = findShell(row)
    if (exe === undefined) continue
    const rc = rcFiles.get(name) ?? ''
    const script = [row.source(rc), row.source(rc), sessionOf(row).whereIs].join('\n')
    // pwsh keeps a start-up cache and telemetry id under XDG_CACHE_HOME: outside HOME, which is compared below.
    const result = await execa(exe, row.command(script), { env: { ...env, XDG_CACHE_HOME: join(scratch, 'cache'), POWERSHELL_TELEMETRY_OPTOUT: '1' }, extendEnv: false, reject: false })
    t.equal(result.stderr, '', `${name}: the start-up file ran without an error`)
    const [kind, program, pathValue = ''] = result.stdout.split('\n')
    t.equal(kind, sessionOf(row).integrationKind, `${name}: awsmfa is the integration`)
    t.equal(program, join(bindir, 'awsmfa'), `${name}: the program is found in the bin directory`)
    t.equal(pathValue.split(':').filter((dir) => dir === bindir).length, 1, `${name}: PATH holds it once`)
  }

  const installed = snapshot(home)
  const second = await install(checkout, home, scratch, ['--prefix', prefix], { PATH: path })
  t.equal(second.exitCode, 0, second.stderr)
  t.same(snapshot(home), installed, 'a second run changes no file')
  const removed = await install(checkout, home, scratch, ['--prefix', prefix, '--uninstall'], { PATH: path })
  t.equal(removed.exitCode, 0, removed.stderr)
  t.same(snapshot(home), before, 'HOME as it was, byte for byte')
})
