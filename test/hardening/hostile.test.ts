/**
 * Hostile data: an emulator whose secret and token carry `$(…)`, backticks, quotes, backslashes,
 * `;&|<>`, newlines and `%` (lib/emulator/hostile.ts), and a config whose profile name and role
 * ARN carry the same plus terminal escape sequences. In every shell the output of `awsmfa env`
 * runs no code (no CANARY file appears anywhere) and the values reach a CHILD process byte-exact;
 * the prompt segment after `awsmfa use` shows the name literally; `list`, `status` and `doctor`
 * shown on a terminal carry no escape sequence from the config or the server.
 */
import t, { type Test } from 'tap'
import { execa } from 'execa'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { printable } from '../../lib/text.js'
import { requireShell } from '../helpers/shells.js'
import { DEFAULT_OUTPUT, SHELL_TABLE, readDump, requireRow, shellRow, type ShellRow } from '../helpers/shell-table.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import { ALICE_MFA, CLI, PROD_ROLE, ROLE_ACCOUNT, ROOT, USER_ACCOUNT, type World } from '../helpers/world.js'
import { HOSTILE_PROFILE, HOSTILE_ROLE, hostileWorld } from './hostile-data.js'

/** Raw control characters other than newline: C0, DEL and C1 (U+009B is an 8-bit CSI). */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/
const RAW_C0 = /[\x00-\x09\x0b-\x1f\x7f]/
const RAW_C1 = /[\x80-\x9f]/

const STARTED = Date.now() - 1000

/** Every CANARY file under the directories a hostile value could have written into. */
function canaries(dirs: readonly string[]): string[] {
  const found: string[] = []
  const walk = (dir: string, depth: number): void => {
    if (!existsSync(dir) || depth > 6) return
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (name.includes('CANARY')) found.push(path)
      else if (statSync(path).isDirectory()) walk(path, depth + 1)
    }
  }
  for (const dir of dirs) walk(dir, 0)
  // Shared places: only a CANARY made while this file runs counts (another program may have left one).
  for (const path of ['/tmp/CANARY', join(ROOT, 'CANARY'), join(process.cwd(), 'CANARY')]) {
    if (existsSync(path) && statSync(path).mtimeMs >= STARTED) found.push(path)
  }
  return found
}

const NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWSMFA_PROFILE', 'AWSMFA_ROLE_ARN', 'AWSMFA_EXPIRATION']

/** The variables a child inherited (the row's dumpEnv file), as UTF-8 text. */
function decode(file: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of readDump(file) ?? []) if (NAMES.includes(name)) out[name] = value.toString('utf8')
  return out
}

interface EvalCase {
  label: string
  /** The row whose shell evaluates the output. */
  host: ShellRow
  /** --shell value; undefined: the default output, as `eval "$(awsmfa env prod)"` gets it. */
  shell: string | undefined
  /** Statements run before the evaluation. */
  prelude?: string
}

/**
 * Console code pages PowerShell may decode a native program's output with: Japanese, Simplified
 * and Traditional Chinese, Korean, Western European. The output is pure ASCII, so none of them
 * can turn a byte of it into a quote character.
 */
const CODE_PAGES = [932, 936, 949, 950, 1252] as const

/** Sets [Console]::OutputEncoding, then proves it is in force: a UTF-8 é no longer decodes to é. */
function codePagePrelude(codePage: number): string {
  return [
    '[System.Text.Encoding]::RegisterProvider([System.Text.CodePagesEncodingProvider]::Instance)',
    `[Console]::OutputEncoding = [System.Text.Encoding]::GetEncoding(${codePage})`,
    '$probe = & $env:T_NODE -e "process.stdout.write(String.fromCharCode(0xe9))"',
    'if ($probe -eq [string][char]0x00E9) { [Console]::Error.WriteLine("code page not in force"); exit 8 }',
    '',
  ].join('\n')
}

const PWSH = shellRow('powershell')

// Every row evaluates its own output; the default output is evaluated by its row and the rows that read it.
const CASES: EvalCase[] = [
  ...SHELL_TABLE.map((host) => ({ label: host.label, host, shell: host.name })),
  ...[DEFAULT_OUTPUT, ...(shellRow(DEFAULT_OUTPUT).readBy ?? [])].map((name) => ({ label: `default output in ${shellRow(name).label}`, host: shellRow(name), shell: undefined })),
  // PowerShell only: the console code page it may decode a native program's output with
  ...CODE_PAGES.map((codePage) => ({ label: `pwsh with [Console]::OutputEncoding ${codePage}`, host: PWSH, shell: 'powershell', prelude: codePagePrelude(codePage) })),
]

async function evaluateIn(t: Test, world: World, c: EvalCase, exe: string, profile: string, cliArgs: string[]) {
  const cwd = mkdtempSync(join(world.scratch, 'cwd-'))
  const dumpFile = join(cwd, 'env.dump')
  const args = [...(c.shell === undefined ? [] : ['--shell', c.shell]), ...cliArgs]
  const script = join(world.scratch, `eval.${c.host.ext}`)
  writeFileSync(script, [c.prelude ?? '', c.host.evalEnv, c.host.dumpEnv(dumpFile), ''].join('\n'))
  const result = await execa(exe, c.host.file(script), {
    cwd,
    env: { ...world.env(), T_NODE: process.execPath, T_CLI: CLI, T_PROFILE: profile, T_ARGS: args.join(' ') },
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: 60_000,
  })
  t.equal(result.exitCode, 0, `${c.label} evaluated the output (${String(result.stderr).slice(0, 500)})`)
  t.same(canaries([cwd, world.home, world.scratch]), [], 'no CANARY file anywhere: no code ran')
  return { seen: result.exitCode === 0 ? decode(dumpFile) : {}, stderr: String(result.stderr) }
}

for (const c of CASES) {
  t.test(`hostile server and config values through ${c.label}: no code runs, values byte-exact`, async (t) => {
    const exe = requireRow(t, c.host)
    if (exe === undefined) return
    const world = await hostileWorld(t)

    // prod: a normal profile with MFA; the server answers with the hostile secret and token.
    const code = world.code()
    const prod = await evaluateIn(t, world, c, exe, 'prod', ['-t', code])
    const first = world.emulator.issued[0]
    t.ok(first, 'one session issued')
    t.same(prod.seen, {
      AWS_ACCESS_KEY_ID: first?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: HOSTILE_SECRET,
      AWS_SESSION_TOKEN: HOSTILE_TOKEN,
      AWS_REGION: 'eu-west-1',
      AWSMFA_PROFILE: 'prod',
      AWSMFA_ROLE_ARN: PROD_ROLE,
      AWSMFA_EXPIRATION: String(Math.floor((first?.expiration.getTime() ?? 0) / 1000)),
    }, 'a child sees every value byte for byte')
    t.match(prod.stderr, /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \(12h00m\)\n$/, 'stderr: the summary line only')

    // The hostile profile name and role ARN come from the config files, the secrets from the server.
    const hostile = await evaluateIn(t, world, c, exe, HOSTILE_PROFILE, [])
    const second = world.emulator.issued[1]
    t.same(hostile.seen, {
      AWS_ACCESS_KEY_ID: second?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: HOSTILE_SECRET,
      AWS_SESSION_TOKEN: HOSTILE_TOKEN,
      AWS_REGION: 'eu-west-1',
      AWSMFA_PROFILE: HOSTILE_PROFILE,
      AWSMFA_ROLE_ARN: HOSTILE_ROLE,
      AWSMFA_EXPIRATION: String(Math.floor((second?.expiration.getTime() ?? 0) / 1000)),
    }, 'hostile config values arrive byte for byte too')
    t.notMatch(hostile.stderr, RAW_CONTROL, 'the summary line carries no raw control character from the config')
    t.match(hostile.stderr, `${printable(HOSTILE_PROFILE)}: ${printable('Hostile\x1b[2J\x07')} in ${ROLE_ACCOUNT} until`, 'it shows the names escaped')
    assertNoLeaks(t, world, { text: [prod.stderr, hostile.stderr], codes: [code] }, c.label)
  })
}

t.test('hostile text in a failure message is shown escaped, never obeyed', async (t) => {
  const world = await hostileWorld(t, `\n[profile baddur]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nduration_seconds = 1h\x1b]0;pwned\x07\x9b2J\n`)
  const cases: Array<{ args: string[]; exitCode: number; cause: RegExp }> = [
    // the profile name heads every message
    { args: ['env', HOSTILE_PROFILE, '-d', '5s'], exitCode: 2, cause: /--duration 5s is outside/ },
    { args: ['env', `${HOSTILE_PROFILE}x`], exitCode: 2, cause: /no profile named/ },
    // a config value inside the cause
    { args: ['env', 'baddur', '-t', '123456'], exitCode: 2, cause: /duration_seconds '1h\\x1b\]0;pwned\\x07\\x9b2J' is not a duration/ },
    // an argument yargs complains about
    { args: ['env', 'prod', '--bogus\x1b[2J'], exitCode: 2, cause: /env has no option --bogus/ },
  ]
  for (const c of cases) {
    const result = await world.run(c.args)
    t.equal(result.exitCode, c.exitCode, `${printable(c.args.join(' '))}: exit ${c.exitCode}`)
    t.equal(result.stdout, '', 'stdout is empty')
    t.match(result.stderr, c.cause)
    t.notMatch(result.stderr, RAW_CONTROL, 'no raw control character reaches the terminal')
  }
  t.same(canaries([world.home, world.scratch]), [])
})

t.test('a hostile region never reaches the output: refused before the code is asked for', async (t) => {
  const world = await hostileWorld(t, `\n[profile badregion]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\nregion = eu-west-1'$(touch CANARY)\x1b[2J\n`)
  const fromConfig = await world.run(['env', 'badregion'])
  t.equal(fromConfig.exitCode, 2)
  t.equal(fromConfig.stdout, '', 'stdout is empty')
  t.equal(fromConfig.stderr, "awsmfa: badregion: region 'eu-west-1'$(touch CANARY)\\x1b[2J' is not the name of an AWS region\n  fix: use a region name such as eu-west-1 (--region, region in the profile, or AWS_REGION)\n", 'named, escaped, before any MFA prompt')
  const flag = await world.run(['env', 'prod', '-t', '123456', '--region', 'x;$(touch CANARY)'])
  t.equal(flag.exitCode, 2)
  t.equal(flag.stdout, '')
  t.match(flag.stderr, /^awsmfa: prod: region 'x;\$\(touch CANARY\)' is not the name of an AWS region/)
  t.equal(world.emulator.requests.length, 0, 'nothing was sent')
  t.same(canaries([world.home, world.scratch]), [])
})

/** A directory holding an `awsmfa` that runs the built CLI, for the shell integration's `command awsmfa`. */
function binDir(world: World): string {
  const dir = join(world.scratch, 'bin')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'awsmfa'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`, { mode: 0o755 })
  return dir
}

/** Where the row's dumpEnv goes in a prompt case's script. */
const DUMP = '@DUMP@'

/** bash, zsh and fish only: each expands a prompt its own way. */
interface PromptCase {
  shell: 'bash' | 'zsh' | 'fish'
  script: string
}

// After `awsmfa use <hostile profile>`: the prompt as the shell expands it, then `awsmfa clear`.
const PROMPT_CASES: PromptCase[] = [
  {
    shell: 'bash',
    script: [
      'source "$T_ROOT/shells/awsmfa.bash"',
      'awsmfa use "$T_P" 2>use.err || exit 9',
      `PS1='[$(awsmfa_prompt)] \\$ '`,
      'printf %s "${PS1@P}" > prompt.out',
      DUMP,
      'awsmfa clear 2> clear.err',
    ].join('\n'),
  },
  {
    shell: 'zsh',
    script: [
      'source "$T_ROOT/shells/awsmfa.zsh"',
      'awsmfa use "$T_P" 2>use.err || exit 9',
      'setopt prompt_subst',
      `PS1='[$(awsmfa_prompt)] %# '`,
      'print -rnP -- "$PS1" > prompt.out',
      DUMP,
      'awsmfa clear 2> clear.err',
    ].join('\n'),
  },
  {
    shell: 'fish',
    script: [
      'source $T_ROOT/shells/awsmfa.fish',
      'awsmfa use $T_P 2>use.err; or exit 9',
      'printf "[%s] > " (awsmfa_prompt) > prompt.out',
      DUMP,
      'awsmfa clear 2> clear.err',
    ].join('\n'),
  },
]

for (const p of PROMPT_CASES) {
  t.test(`${p.shell}: awsmfa use with hostile data, then the prompt segment shows the name literally`, async (t) => {
    const row = shellRow(p.shell)
    const exe = requireRow(t, row)
    if (exe === undefined) return
    if (!existsSync(join(ROOT, `shells/awsmfa.${p.shell}`))) {
      t.fail(`shells/awsmfa.${p.shell} is missing`)
      return
    }
    const world = await hostileWorld(t)
    const cwd = mkdtempSync(join(world.scratch, 'cwd-'))
    const env = { ...world.env(), PATH: `${binDir(world)}:${world.env().PATH}`, T_NODE: process.execPath, T_P: HOSTILE_PROFILE, T_ROOT: ROOT }
    const result = await execa(exe, row.command(p.script.replace(DUMP, row.dumpEnv('env.dump'))), { cwd, env, extendEnv: false, reject: false, timeout: 60_000 })
    t.equal(result.exitCode, 0, `${p.shell} ran use, the prompt and clear (${String(result.stderr).slice(0, 500)})`)
    t.same(canaries([cwd, world.home, world.scratch]), [], 'no CANARY file anywhere')
    const read = (name: string): string => (existsSync(join(cwd, name)) ? readFileSync(join(cwd, name), 'utf8') : '')
    const seen = decode(join(cwd, 'env.dump'))
    t.equal(seen.AWS_SECRET_ACCESS_KEY, HOSTILE_SECRET, 'the session is in the shell, byte for byte')
    t.equal(seen.AWS_SESSION_TOKEN, HOSTILE_TOKEN)
    t.equal(seen.AWSMFA_PROFILE, HOSTILE_PROFILE)
    const prompt = read('prompt.out')
    t.notMatch(prompt, RAW_C0, 'the prompt carries no raw C0 control character')
    t.notMatch(prompt, RAW_C1, 'the prompt carries no raw C1 control character (U+009B is a CSI)')
    const shown = HOSTILE_PROFILE.replace(/[\x00-\x1f\x7f-\x9f]/g, '?')
    t.match(prompt, /^\[.* (12h00m|11h59m)\] /, 'the segment, then the time left')
    t.ok(prompt.startsWith(`[${shown} 1`), 'the name printed literally (every control character as ?)', { prompt, shown })
    for (const name of ['use.err', 'clear.err']) {
      t.notMatch(read(name), RAW_C0, `${name}: no raw C0 control character`)
      t.notMatch(read(name), RAW_C1, `${name}: no raw C1 control character`)
    }
    t.notOk(existsSync(join(cwd, 'CANARY')))
  })
}

/** Runs the built CLI on a pseudo-terminal (util-linux `script`) and returns what the screen received. */
async function onTerminal(world: World, args: string[], env: Record<string, string>): Promise<{ screen: string; exitCode: number }> {
  const argsFile = join(world.scratch, 'args.json')
  writeFileSync(argsFile, JSON.stringify(args))
  // The command line holds only safe paths; the arguments travel in a file.
  const launcher = join(world.scratch, 'launch.cjs')
  writeFileSync(launcher, `const { spawnSync } = require('node:child_process'); const a = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(argsFile)}, 'utf8')); const r = spawnSync(process.execPath, [${JSON.stringify(CLI)}, ...a], { stdio: 'inherit' }); process.exitCode = r.status ?? 1`)
  const result = await execa('script', ['-q', '-e', '-c', `'${process.execPath}' '${launcher}'`, '/dev/null'], {
    env: { ...world.env(), TERM: 'xterm-256color', ...env },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  })
  return { screen: String(result.stdout), exitCode: result.exitCode ?? -1 }
}

/** The screen text with awsmfa's own colour (SGR) sequences and the pty's CR removed. */
function withoutOwnColour(screen: string): string {
  return screen.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r\n/g, '\n')
}

t.test('list, status and doctor on a terminal: no escape sequence from config or server data', async (t) => {
  await requireShell(t, 'script')
  const extra = [
    '',
    '[profile esc]',
    `role_arn = arn:aws:iam::${ROLE_ACCOUNT}:role/Esc\x1b]0;pwned\x07`,
    'source_profile = src\x1b[2J',
    `mfa_serial = arn:aws:iam::${USER_ACCOUNT}:mfa/a\x1b[5m\x9b31m`,
    'region = eu\x1b[1A',
    'duration_seconds = 12h\x07',
    'mfa_process = echo\x1b]52;c;cHduZWQ=\x07',
    '',
  ].join('\n')
  const world = await hostileWorld(t, extra)
  const session = await world.sessionEnv(HOSTILE_PROFILE)
  t.equal(session.AWS_SECRET_ACCESS_KEY, HOSTILE_SECRET, 'a hostile session to show')
  const runs: Array<{ label: string; args: string[]; env: Record<string, string> }> = [
    { label: 'list', args: ['list'], env: {} },
    { label: 'doctor', args: ['doctor'], env: {} },
    { label: 'doctor esc', args: ['doctor', 'esc'], env: {} },
    { label: 'status', args: ['status'], env: session },
    // The hostile token holds a newline, which HTTP forbids in a header: --verify must fail cleanly.
    // (The SDK leaves a timer behind when Node refuses the header; a short bound keeps the wait short.)
    { label: 'status --verify', args: ['status', '--verify'], env: { ...session, AWSMFA_STS_TIMEOUT: '1' } },
  ]
  for (const run of runs) {
    for (const colour of [false, true]) {
      const { screen } = await onTerminal(world, run.args, colour ? { ...run.env, FORCE_COLOR: '1', NO_COLOR: '' } : { ...run.env, NO_COLOR: '1' })
      const label = `${run.label}${colour ? ' (colour)' : ''}`
      t.ok(screen.length > 0, `${label}: printed something`)
      const text = withoutOwnColour(screen)
      t.notMatch(text, RAW_CONTROL, `${label}: no raw control character but awsmfa's own colour`, { screen })
      if (!colour) t.notMatch(screen.replace(/\r\n/g, '\n'), /\x1b/, `${label}: NO_COLOR: no escape at all`)
      assertNoLeaks(t, world, { text: screen }, label)
    }
  }
  const list = withoutOwnColour((await onTerminal(world, ['list'], { NO_COLOR: '1' })).screen)
  t.match(list, printable(HOSTILE_PROFILE), 'list shows the hostile name escaped')
  t.match(list, 'Esc\\x1b]0;pwned\\x07', 'and the role escaped')
  t.same(canaries([world.home, world.scratch]), [])
})
