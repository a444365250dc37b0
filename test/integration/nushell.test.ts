/**
 * nushell beyond what every integrated shell goes through in test/integration/interactive.test.ts
 * (use, prompt, a rejected code, clear and TAB in tmux): in tmux, a rejected code that saves
 * nothing, the expiry warning once, clear back to the exact environment, a passed-through
 * command's exit status. Without a terminal: both ways of loading the integration are silent, the
 * completer offers target profiles only, and the data reader (nushell has no eval) takes every quoting vector byte for byte and refuses anything that is not output.
 */
import t from 'tap'
import { execa } from 'execa'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { shellByName } from '../../lib/shells/index.js'
import { completionLists } from '../../lib/shells/completion/lists.js'
import { Tmux } from '../helpers/tmux.js'
import { requireShell } from '../helpers/shells.js'
import { nuApply, readDump, requireRow, sessionOf, shellRow } from '../helpers/shell-table.js'
import { makeWorld } from '../helpers/world.js'
import { CANARIES, VECTORS } from '../shells/vectors.js'
import { differences, setLines } from '../shells/harness.js'
import { CLI, FILES, ROOT, makeBin, tempDir } from './common.js'

const NU = shellRow('nu')
const INTEGRATION = join(ROOT, FILES.nu.integration)
const MFA_PROMPT = /MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):/g
const SUMMARY = /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \((?:11h59m|12h00m)\)$/gm
const WARNING = /^awsmfa: the prod session ends in 7(?:19|20)m; renew it with: awsmfa use prod$/m
const WARNINGS = new RegExp(WARNING.source, 'gm')
const count = (screen: string, pattern: RegExp): number => screen.match(pattern)?.length ?? 0
/** A nu expression: what a child process sees of `name`, or <unset>. */
const childSees = (name: string): string => `(do { let r = (^printenv ${name} | complete); if $r.exit_code == 0 { $r.stdout | str trim -r -c (char nl) } else { '<unset>' } })`
/** The session's and the saved variables as nuon, to compare before and after. */
const SNAPSHOT = `($env | transpose k v | where {|e| $e.k =~ '^(AWS|__AWSMFA)' } | to nuon)`

t.test('nu: the static file and the saved init output load silently and define the integration', async (t) => {
  const nu = requireRow(t, NU)
  if (nu === undefined) return
  const dir = tempDir(t, 'awsmfa-nu-init-')
  const init = await execa(process.execPath, [CLI, 'init', 'nu'], { reject: false, stripFinalNewline: false })
  t.equal(init.exitCode, 0, init.stderr)
  const saved = join(dir, 'awsmfa-init.nu')
  writeFileSync(saved, init.stdout)
  for (const file of [INTEGRATION, saved]) {
    const probe = `source '${file}'; print (['awsmfa' 'awsmfa_prompt' '__awsmfa_complete' '__awsmfa_profiles'] | each {|c| scope commands | where name == $c | length } | str join ',')`
    const r = await execa(nu, NU.command(probe), { env: { PATH: process.env.PATH ?? '', HOME: dir }, extendEnv: false, reject: false, cwd: dir })
    t.equal(r.exitCode, 0, `${file}: loads\n${r.stderr}`)
    t.equal(r.stderr, '', `${file}: nothing on stderr`)
    t.equal(r.stdout, '1,1,1,1', `${file}: awsmfa, awsmfa_prompt and the completion, each once`)
  }
})

t.test('nu: the completer offers the target profiles with account and role, after use/env/exec/console/doctor', async (t) => {
  const nu = requireRow(t, NU)
  if (nu === undefined) return
  const world = await makeWorld(t)
  const ask = async (line: string): Promise<unknown> => {
    const r = await execa(nu, NU.command(`source '${INTEGRATION}'; __awsmfa_complete '${line}' | to json -r`), { env: world.env(), extendEnv: false, reject: false, cwd: world.home })
    t.equal(r.stderr, '', `${line}: nothing on stderr`)
    return JSON.parse(r.stdout || 'null')
  }
  const targets = (await ask('awsmfa use ')) as Array<{ value: string; description: string }>
  t.ok(Array.isArray(targets), 'a list')
  t.ok(targets.some((c) => c.value === 'prod' && c.description === '123456789034 ServerworksRolePU'), `prod with account and role\n${JSON.stringify(targets)}`)
  t.notOk(targets.some((c) => c.value === 'alice'), 'not the IAM user source profile')
  t.same(await ask('awsmfa use -t 123456 '), targets, 'an option value is not the profile')
  t.same(await ask('awsmfa use prod '), [], 'nothing after the profile')
  const values = (offered: unknown): unknown[] => (offered as Array<{ value: string } | string>).map((c) => (typeof c === 'string' ? c : c.value))
  const lists = completionLists()
  t.same(values(await ask('awsmfa ')), lists.commands.map((c) => c.name), 'the commands, in completion order (generated from lib/command-line.ts)')
  t.same(values(await ask('awsmfa -')), lists.topOptions.flatMap((o) => o.spellings), 'before a command: --help, --version')
  for (const c of lists.commands) {
    t.same(values(await ask(`awsmfa ${c.name} -`)), [...c.options.flatMap((o) => o.spellings), ...(c.commandLine ? ['--'] : [])], `${c.name}'s options`)
  }
  t.same(await ask('awsmfa use -d '), lists.commands.find((c) => c.name === 'use')?.options.find((o) => o.spellings.includes('-d'))?.value?.words, 'the values after -d')
  t.same(await ask('awsmfa use --region '), [], 'nothing after an option whose value nobody can guess')
  t.same(await ask('awsmfa agent '), ['start', 'stop', 'status', 'forget', 'add'], "agent's words (serve is hidden)")
  t.same(await ask('awsmfa agent forget '), targets, 'agent forget: one profile')
  t.same(await ask('awsmfa agent forget prod '), [], 'agent forget: only one')
  t.same(await ask('awsmfa agent add prod '), targets, 'agent add: any number')
  t.equal(await ask('awsmfa exec prod -- '), null, "after --: the other program's words, nushell's own completion")
})

t.test('nu: the data reader takes every vector byte for byte, and a line that is not output changes nothing', async (t) => {
  const nu = requireRow(t, NU)
  if (nu === undefined) return
  const dir = tempDir(t, 'awsmfa-nu-data-')
  const shell = shellByName('nu')
  const { lines, expected } = setLines(shell, 'V', [...VECTORS, ...CANARIES])
  const output = join(dir, 'out.nu')
  writeFileSync(output, `${[shell.unset('AWSMFA_PRE'), ...lines].join('\n')}\n`)
  const dump = join(dir, 'env.dump')
  /** nu applies `output` as `awsmfa use` does, then a child writes what it inherited to `dump`. */
  const applyOutput = (env: Record<string, string> = {}) =>
    execa(nu, NU.command(`${nuApply(`(open --raw '${output}' | decode utf-8)`)}; ${NU.dumpEnv(dump)}`), { env: { PATH: process.env.PATH ?? '', HOME: dir, ...env }, extendEnv: false, reject: false, cwd: dir })
  const r = await applyOutput({ AWSMFA_PRE: 'inherited' })
  t.equal(r.exitCode, 0, r.stderr)
  t.equal(r.stderr, '')
  const seen = new Map([...(readDump(dump) ?? [])].filter(([name]) => name.startsWith('AWSMFA_')))
  t.same(differences(expected, seen), [], 'a child sees every value byte for byte, and AWSMFA_PRE is gone')

  // Code where output belongs: refused before anything is applied, without echoing the line.
  for (const bad of ['print CANARY_RAN', 'load-env {"A": "x"}; touch CANARY', 'load-env {"A": ("x" + "y")}', 'load-env {"A-B": "x"}', 'hide-env -i A; touch CANARY', 'load-env {"A": 1}']) {
    writeFileSync(output, `${shell.set('AWSMFA_FIRST', 'applied')}\n${bad}\n`)
    const b = await applyOutput()
    t.not(b.exitCode, 0, `refused: ${bad}`)
    t.match(b.stderr, /line 2 of the awsmfa env --shell nu output is not a statement/, 'names the line by number')
    t.notMatch(b.stdout + b.stderr, /CANARY_RAN/, 'never runs it')
  }
})

t.test('nu: clear names a hostile profile with every control character as ?', async (t) => {
  const nu = requireRow(t, NU)
  if (nu === undefined) return
  const dir = tempDir(t, 'awsmfa-nu-clear-')
  const r = await execa(nu, NU.command(`source '${INTEGRATION}'; awsmfa clear`), {
    env: { PATH: process.env.PATH ?? '', HOME: dir, AWSMFA_PROFILE: 'p\x1b]0;pwned\x07\u009b2J\x7fé' },
    extendEnv: false,
    reject: false,
    cwd: dir,
  })
  t.equal(r.exitCode, 0, r.stderr)
  t.equal(r.stderr, 'awsmfa: cleared the p?]0;pwned??2J?é session from this terminal')
})

t.test('nu in tmux (beyond the shared scenario in interactive.test.ts): nothing saved by a rejected code, the warning once, clear back to the exact environment, passthrough status', async (t) => {
  const nu = requireRow(t, NU)
  if (nu === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  const bin = makeBin(t)
  const session = sessionOf(NU)
  const started = session.interactive(world.home, session.startup(INTEGRATION))
  const worldEnv = world.env()
  const tmux = await Tmux.start(t, tmuxPath, {
    command: [nu, ...started.args],
    env: { ...worldEnv, ...started.env, PATH: `${bin}:${worldEnv.PATH}`, SHELL: nu },
    cwd: world.home,
  })
  const ask = async (label: string, expression: string): Promise<string> => {
    await tmux.line(`print $"${label}=(${expression})"`)
    return (await tmux.waitForMatch(new RegExp(`^${label}=(.*)$`, 'm')))[1] ?? ''
  }

  await tmux.waitForMatch(/^\[\]\$/m)
  await tmux.line("$env.AWS_PROFILE = 'dev'; $env.AWS_REGION = 'us-west-1'; $env.AWSMFA_WARN_MINUTES = '720'")
  await tmux.line(`let before = ${SNAPSHOT}`)

  // A rejected code: LAST_EXIT_CODE non-zero, the environment identical, nothing saved.
  await tmux.line('awsmfa use prod')
  await tmux.waitFor('the MFA prompt', (s) => count(s, MFA_PROMPT) === 1)
  await tmux.line('000000')
  await tmux.waitForMatch(/^awsmfa: prod: AWS rejected the MFA code\./m)
  t.not(await ask('RC1', '$env.LAST_EXIT_CODE'), '0', 'a failed use leaves a non-zero status')
  t.equal(await ask('SAME1', `$before == ${SNAPSHOT}`), 'true', 'and the environment exactly as it was (nothing saved either)')

  await tmux.line('awsmfa use prod')
  await tmux.waitFor('the second MFA prompt', (s) => count(s, MFA_PROMPT) === 2)
  await tmux.line(world.code())
  await tmux.waitFor('the summary line', (s) => count(s, SUMMARY) === 1)
  // The next prompt before the next command, as a person waits for it: text typed ahead is echoed
  // before the pre_prompt hook runs, and the warning would follow it on the same line.
  await tmux.waitForMatch(/^\[prod (?:11h59m|12h00m)\]\$/m)
  t.equal(await ask('SV2', childSees('__AWSMFA_SAVED')), '<unset>', 'what use saved is not exported')

  // AWSMFA_WARN_MINUTES=720: one line at the next prompt, and only one for this session.
  await tmux.waitForMatch(WARNING)
  t.equal(count(await tmux.screen(), WARNINGS), 1, 'the warning once, though prompts followed')

  await tmux.line('awsmfa clear')
  await tmux.waitForMatch(/^awsmfa: cleared the prod session from this terminal$/m)
  t.equal(await ask('SAME3', `$before == ${SNAPSHOT}`), 'true', 'the environment is as it was before the first use')

  // Another command goes to the program; its exit status becomes LAST_EXIT_CODE.
  await tmux.line('awsmfa bogus')
  await tmux.waitForMatch(/^awsmfa: 'bogus' is not an awsmfa command$/m)
  t.equal(await ask('RC4', '$env.LAST_EXIT_CODE'), '2', 'the usage error status')
  await tmux.line('awsmfa --version')
  t.equal(await ask('RC5', '$env.LAST_EXIT_CODE'), '0')

  t.equal(count(await tmux.screen(), WARNINGS), 1, 'never again for that session, nor after clear')
  t.equal(world.emulator.issued.length, 1, 'one session issued, none for the rejected code')
})
