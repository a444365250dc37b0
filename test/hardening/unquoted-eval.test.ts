/**
 * `eval $(awsmfa env p)` without the quotes, as it is often written. The shell splits the output
 * at blanks and line breaks, globs every word, and eval joins the words with single spaces. Every
 * value of the hostile corpus goes through that in bash, zsh and dash (and the sh output in bash
 * and zsh), in a working directory whose file names carry shell syntax (what a glob would insert):
 * each value reaches a child byte-exact, or, where the form cannot carry it (a line break in sh
 * output), the output refuses before anything changes. No code runs either way. Then the real CLI:
 * a normal session and the hostile one, unquoted, in each shell.
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HOSTILE_SECRET, HOSTILE_TOKEN } from '../helpers/hostile-keys.js'
import { shellByName, type ShellName } from '../../lib/shells/index.js'
import { assertNoLeaks } from '../helpers/leaks.js'
import { DEFAULT_OUTPUT, SHELL_TABLE, requireRow, shellRow, type ShellRow } from '../helpers/shell-table.js'
import { CLI, NOMFA_ROLE, makeWorld } from '../helpers/world.js'
import { tempDir } from '../shells/harness.js'
import { CANARIES } from '../shells/vectors.js'
import { HOSTILE_PROFILE, HOSTILE_ROLE, hostileWorld } from './hostile-data.js'
import { fixedValues } from './values.js'

/** File names a glob of the working directory would insert into the text eval reads. */
const HOSTILE_FILES = ["'; touch CANARY; '", '$(touch CANARY)', '`touch CANARY`', "x'; touch CANARY; 'y", 'AWSMFA_V=x', 'a b']

interface Runner {
  readonly module: ShellName
  /** The row whose shell evaluates it. */
  readonly host: ShellRow
  readonly label: string
  readonly args: (driver: string) => string[]
}

const POSIX_ROWS = SHELL_TABLE.filter((row) => row.posix)

// Each POSIX row's own output, the default output in each row that reads it, and bash's glob options.
const RUNNERS: readonly Runner[] = [
  ...POSIX_ROWS.map((row) => ({ module: row.name, host: row, label: row.label, args: row.command })),
  ...(shellRow(DEFAULT_OUTPUT).readBy ?? []).map((name) => ({ module: DEFAULT_OUTPUT, host: shellRow(name), label: `${DEFAULT_OUTPUT} output in ${name}`, args: shellRow(name).command })),
  { module: 'bash', host: shellRow('bash'), label: 'bash extglob nullglob', args: (d) => ['--norc', '--noprofile', '-O', 'extglob', '-O', 'nullglob', '-c', d] },
  { module: 'sh', host: shellRow('bash'), label: 'sh output in bash failglob', args: (d) => ['--norc', '--noprofile', '-O', 'failglob', '-c', d] },
]

// Each file is evaluated unquoted in a subshell of its own; the child (env -0) records what was exported.
const DRIVER = 'for f in "$T_DIR"/v*.sh; do ( eval $(cat "$f"); echo $? > "$f.rc"; env -0 > "$f.env" ) 2> "$f.err"; done'

function readEnv(file: string): Map<string, string> {
  const out = new Map<string, string>()
  if (!existsSync(file)) return out
  for (const entry of readFileSync(file).toString('utf8').split('\0')) {
    const eq = entry.indexOf('=')
    if (eq > 0 && entry.startsWith('AWSMFA_')) out.set(entry.slice(0, eq), entry.slice(eq + 1))
  }
  return out
}

const VALUES = [...fixedValues(), ...CANARIES, 'a  b', '  ', 'a\t b', ' * ', 'x * y', '+(a)', '@(a|b)', '!(x)', '[ab]', 'a?b', '\\*']

for (const runner of RUNNERS) {
  t.test(`${runner.label}: every corpus value survives eval $(…) without quotes, or the output refuses`, async (t) => {
    const exe = requireRow(t, runner.host)
    if (exe === undefined) return
    const shell = shellByName(runner.module)
    const dir = tempDir(`unquoted-${runner.module}`)
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const cwd = join(dir, 'cwd')
    mkdirSync(cwd)
    for (const name of HOSTILE_FILES) writeFileSync(join(cwd, name), '')
    // The values the form can carry go in one session (one eval); each other one in a session of its own.
    const guarded = (value: string): boolean => {
      // the refusing form: the statements inside `case` on a line break (lib/shells/posix.ts guardedScript)
      return /^case 'awsmfa$/m.test(shell.script?.([shell.set('AWSMFA_V', value)], 'prod') ?? '')
    }
    const carried = VALUES.filter((v) => !guarded(v))
    const refusedValues = VALUES.filter(guarded)
    const script = (statements: string[]): string => shell.script?.([shell.unset('AWSMFA_KEEP'), ...statements], 'prod') ?? ''
    writeFileSync(join(dir, 'v-all.sh'), script(carried.map((v, i) => shell.set(`AWSMFA_V${i}`, v))))
    refusedValues.forEach((v, i) => writeFileSync(join(dir, `v${String(i).padStart(4, '0')}.sh`), script([shell.set('AWSMFA_V', v)])))
    const r = await execa(exe, runner.args(DRIVER), { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C.UTF-8', T_DIR: dir, AWSMFA_KEEP: 'kept' }, extendEnv: false, reject: false, timeout: 120_000 })
    t.equal(r.exitCode, 0, 'the driver ran')
    const read = (base: string) => ({
      env: readEnv(`${base}.env`),
      status: existsSync(`${base}.rc`) ? readFileSync(`${base}.rc`, 'utf8').trim() : 'none',
      err: existsSync(`${base}.err`) ? readFileSync(`${base}.err`, 'utf8') : '',
    })
    const all = read(join(dir, 'v-all.sh'))
    t.equal(all.status, '0', `one session of ${carried.length} values: eval status 0`)
    t.equal(all.err, '', 'nothing on stderr')
    t.notOk(all.env.has('AWSMFA_KEEP'), 'its first statement ran (AWSMFA_KEEP unset)')
    const wrong: string[] = []
    carried.forEach((value, i) => {
      if (all.env.get(`AWSMFA_V${i}`) !== value) wrong.push(`${JSON.stringify(value)}: got ${JSON.stringify(all.env.get(`AWSMFA_V${i}`))}`)
    })
    refusedValues.forEach((value, i) => {
      const { env, status, err } = read(join(dir, `v${String(i).padStart(4, '0')}.sh`))
      // Fail safe: status 1, nothing changed (AWSMFA_KEEP still there, AWSMFA_V never set), the fix on stderr.
      if (status !== '1' || env.has('AWSMFA_V') || env.get('AWSMFA_KEEP') !== 'kept' || !err.includes('fix: eval "$(awsmfa env prod)"')) wrong.push(`${JSON.stringify(value)}: refused badly: status ${status}, keep ${JSON.stringify(env.get('AWSMFA_KEEP'))}, stderr ${JSON.stringify(err)}`)
    })
    const refused = refusedValues.length
    t.same(wrong, [], `${VALUES.length} values: exact, or refused safely`)
    if (runner.module === 'sh') t.equal(refused, VALUES.filter((v) => v.includes('\n')).length, 'sh output refuses exactly the values with a line break')
    else t.equal(refused, 0, `${runner.module} output carries every value (no refusal)`)
    t.same(readdirSync(cwd).filter((n) => n.includes('CANARY') && !HOSTILE_FILES.includes(n)), [], 'no value or file name ran code (no new CANARY)')
    t.notOk(existsSync(join(dir, 'CANARY')), 'no CANARY next to the scripts')
  })
}

const READER = `const o = {}; for (const [k, v] of Object.entries(process.env)) if (/^(AWS|AWSMFA)_/.test(k)) o[k] = v; process.stdout.write(JSON.stringify({ status: process.argv[1], env: o }))`
// As typed in the wild: no capture, no quotes; the status of eval, then a child shows what it inherited.
const UNQUOTED = 'eval $("$T_NODE" "$T_CLI" env "$@"); exec "$T_NODE" -e "$T_READER" $?'

// POSIX rows: command(code) ends in `-c code name`, so the words after it are "$@".
const CLI_CASES: ReadonlyArray<{ label: string; host: ShellRow; shell?: string }> = [
  ...POSIX_ROWS.map((host) => ({ label: `${host.label} --shell ${host.name}`, host, shell: host.name })),
  ...[DEFAULT_OUTPUT, ...(shellRow(DEFAULT_OUTPUT).readBy ?? [])].map((name) => ({ label: `default output in ${shellRow(name).label}`, host: shellRow(name) })),
]

t.test('the real CLI, unquoted: a normal session arrives whole in every POSIX shell; AWS_PROFILE goes, nothing leaks', async (t) => {
  const world = await makeWorld(t)
  for (const c of CLI_CASES) await t.test(c.label, async (t) => {
    const exe = requireRow(t, c.host)
    if (exe === undefined) return
    // A role without MFA: no code to wait for (each is single-use within its 30 s window).
    const r = await execa(exe, [...c.host.command(UNQUOTED), ...(c.shell ? ['--shell', c.shell] : []), 'nomfa', '--region', 'eu-west-1'], {
      cwd: world.scratch,
      env: { ...world.env(), AWS_PROFILE: 'alice', T_NODE: process.execPath, T_CLI: CLI, T_READER: READER },
      extendEnv: false,
      reject: false,
    })
    const issued = world.emulator.issued.at(-1)
    const seen = JSON.parse(r.stdout) as { status: string; env: Record<string, string> }
    t.equal(seen.status, '0', `${c.label}: eval status 0`)
    t.equal(seen.env.AWS_PROFILE, undefined, `${c.label}: AWS_PROFILE removed`)
    t.equal(seen.env.AWS_ACCESS_KEY_ID, issued?.accessKeyId, `${c.label}: the session's key id`)
    t.equal(seen.env.AWS_SECRET_ACCESS_KEY, issued?.secretAccessKey, `${c.label}: its secret`)
    t.equal(seen.env.AWS_SESSION_TOKEN, issued?.sessionToken, `${c.label}: its token`)
    t.equal(seen.env.AWSMFA_ROLE_ARN, NOMFA_ROLE, `${c.label}: the role`)
    t.equal(seen.env.AWS_REGION, 'eu-west-1', `${c.label}: the region`)
    t.match(r.stderr, /^nomfa: NoMfaTrust in 123456789034 until \d\d:\d\d \(12h00m\)$/, `${c.label}: stderr is the summary line only (no "not a valid identifier")`)
    assertNoLeaks(t, world, { text: [r.stderr] }, c.label)
  })
})

t.test('the real CLI, unquoted, hostile values: bash and zsh output carry them exactly; sh output refuses before anything changes', async (t) => {
  const world = await hostileWorld(t)
  for (const c of CLI_CASES) await t.test(c.label, async (t) => {
    const exe = requireRow(t, c.host)
    if (exe === undefined) return
    const cwd = join(world.scratch, `cwd-${c.label.replaceAll(/[^a-z]/g, '')}`)
    mkdirSync(cwd)
    for (const name of HOSTILE_FILES) writeFileSync(join(cwd, name), '')
    const r = await execa(exe, [...c.host.command(UNQUOTED), ...(c.shell ? ['--shell', c.shell] : []), HOSTILE_PROFILE], {
      cwd,
      env: { ...world.env(), AWS_PROFILE: 'alice', T_NODE: process.execPath, T_CLI: CLI, T_READER: READER },
      extendEnv: false,
      reject: false,
    })
    const issued = world.emulator.issued.at(-1)
    const seen = JSON.parse(r.stdout) as { status: string; env: Record<string, string> }
    const posix = c.shell === undefined || c.shell === 'sh'
    if (!posix) {
      t.equal(seen.status, '0', `${c.label}: eval status 0`)
      t.same(
        [seen.env.AWS_PROFILE, seen.env.AWS_ACCESS_KEY_ID, seen.env.AWS_SECRET_ACCESS_KEY, seen.env.AWS_SESSION_TOKEN, seen.env.AWSMFA_PROFILE, seen.env.AWSMFA_ROLE_ARN],
        [undefined, issued?.accessKeyId, HOSTILE_SECRET, HOSTILE_TOKEN, HOSTILE_PROFILE, HOSTILE_ROLE],
        `${c.label}: every hostile value byte for byte`,
      )
    } else {
      // The hostile secret holds a line break, which sh quoting keeps raw: the unquoted form refuses.
      t.equal(seen.status, '1', `${c.label}: eval status 1`)
      t.same([seen.env.AWS_PROFILE, seen.env.AWS_ACCESS_KEY_ID, seen.env.AWSMFA_PROFILE], ['alice', undefined, undefined], `${c.label}: nothing changed (AWS_PROFILE kept, no key)`)
      t.match(r.stderr, /holds a line break, which eval without quotes cannot carry; nothing was changed\n {2}fix: eval "\$\(awsmfa env /, `${c.label}: says use the quotes`)
    }
    t.same(readdirSync(cwd).filter((n) => !HOSTILE_FILES.includes(n)), [], `${c.label}: no CANARY, nothing written`)
    assertNoLeaks(t, world, { text: [r.stderr] }, c.label)
  })
})
