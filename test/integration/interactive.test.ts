/**
 * As a person would: every shell with an integration (the shell table's rows, each with its session
 * parts), interactive in tmux, the static integration loaded from its start-up file, against the
 * project's STS emulator. `awsmfa use prod`, the MFA prompt on the terminal, the code typed, the
 * session in THIS shell only, the prompt segment, a rejected code that changes nothing, a second
 * `use`, `awsmfa clear` restoring what was there before the first, and TAB completion of `prod`.
 * Then what only PowerShell (PSReadLine, Ctrl-C, StrictMode profiles) and zsh (more TAB positions) need.
 */
import { powershellQuote } from '../../lib/shells/powershell.js'
import t from 'tap'
import { execa } from 'execa'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tmux } from '../helpers/tmux.js'
import { requirePwsh, requireShell } from '../helpers/shells.js'
import { requireRow, sessionOf, shellRow } from '../helpers/shell-table.js'
import { ALICE_MFA, makeWorld } from '../helpers/world.js'
import { FILES, INTEGRATED, ROOT, makeBin, type IntegratedShell } from './common.js'

const integration = (shell: keyof typeof FILES): string => join(ROOT, FILES[shell].integration)

/** The rows of the shell table whose shell has an integration: each one's parts for a session (a test proves every one has them). */
const SESSIONS = INTEGRATED.map((row) => ({ row, session: sessionOf(row) }))

const MFA_PROMPT = /MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):/g
const SUMMARY = /^prod: ServerworksRolePU in 123456789034 until \d\d:\d\d \((?:11h59m|12h00m)\)$/gm
const count = (screen: string, pattern: RegExp): number => screen.match(pattern)?.length ?? 0

for (const { row, session } of SESSIONS) {
  t.test(`${row.label} in tmux: use, prompt, a rejected code, clear, TAB`, async (t) => {
    const binary = requireRow(t, row)
    if (binary === undefined) return
    const tmuxPath = await requireShell(t, 'tmux')
    const world = await makeWorld(t)
    t.equal(ALICE_MFA, 'arn:aws:iam::123456789012:mfa/alice')
    const bin = makeBin(t)
    const started = session.interactive(world.home, session.startup(integration(row.name as IntegratedShell)))
    const command = [binary, ...started.args]
    const env = started.env
    const worldEnv = world.env()
    const tmux = await Tmux.start(t, tmuxPath, {
      command,
      env: { ...worldEnv, ...env, PATH: `${bin}:${worldEnv.PATH}`, SHELL: binary },
      cwd: world.home,
    })
    const probe = async (label: string, name: string, target = 'main:one'): Promise<string> => {
      await tmux.line(session.probe(label, name), target)
      const [, value] = await tmux.waitForMatch(new RegExp(`^${label}=(.*)$`, 'm'), target)
      return value ?? ''
    }

    await tmux.waitForMatch(/^\[\]\$$/m)
    await tmux.line(session.set('AWS_PROFILE', 'dev'))
    await tmux.line(session.set('AWS_REGION', 'us-west-1'))

    // A second terminal, started before the session.
    await tmux.newWindow('two', command)
    await tmux.waitForMatch(/^\[\]\$$/m, 'main:two')

    // awsmfa use prod: the MFA prompt reaches the terminal through the wrapper's capture.
    await tmux.line('awsmfa use prod')
    await tmux.waitFor('the MFA prompt', (s) => count(s, MFA_PROMPT) === 1)
    await tmux.line(world.code())
    await tmux.waitFor('the summary line', (s) => count(s, SUMMARY) === 1)
    const issued = world.emulator.issued[0]
    t.ok(issued, 'the emulator issued a session')
    await tmux.line(session.show('K', 'AWS_ACCESS_KEY_ID'))
    const [, key] = await tmux.waitForMatch(/^K=(.*)$/m)
    t.equal(key, issued?.accessKeyId, '$AWS_ACCESS_KEY_ID in this shell is the issued key')
    t.equal(await probe('K1', 'AWS_ACCESS_KEY_ID'), issued?.accessKeyId, 'and it is exported')
    t.equal(await probe('S1', 'AWS_SESSION_TOKEN'), issued?.sessionToken)
    t.equal(await probe('P1', 'AWS_PROFILE'), '<unset>', 'AWS_PROFILE removed while the session is on')
    t.equal(await probe('R1', 'AWS_REGION'), 'eu-west-1', "the profile's region")
    t.equal(await probe('SH1', 'AWSMFA_SHELL'), '<unset>', 'AWSMFA_SHELL is not exported: only the program gets it, per call')

    // The prompt segment: in the prompt itself, and from the function.
    await tmux.waitForMatch(/^\[prod (?:11h59m|12h00m)\]\$/m)
    await tmux.line(session.showPrompt('PROMPT1'))
    const [, segment] = await tmux.waitForMatch(/^PROMPT1=\[(.*)\]$/m)
    t.match(segment, /^prod (?:11h59m|12h00m)$/, 'awsmfa_prompt shows prod 11h59m or prod 12h00m')

    // The other terminal is untouched.
    t.equal(await probe('K2', 'AWS_ACCESS_KEY_ID', 'main:two'), '<unset>', 'the second terminal has no keys')
    t.equal(await probe('P2', 'AWS_PROFILE', 'main:two'), '<unset>')
    await tmux.line(session.showPrompt('PROMPT2'), 'main:two')
    t.same((await tmux.waitForMatch(/^PROMPT2=\[(.*)\]$/m, 'main:two'))[1], '', 'and no prompt segment')

    // A rejected code: the message reaches the user, the status is non-zero, nothing changes.
    await tmux.line('awsmfa use prod')
    await tmux.waitFor('the second MFA prompt', (s) => count(s, MFA_PROMPT) === 2)
    await tmux.line('000000')
    await tmux.waitForMatch(/^awsmfa: prod: AWS rejected the MFA code\./m)
    await tmux.line(session.status('RC3'))
    const [, rc] = await tmux.waitForMatch(/^RC3=(\d+)$/m)
    t.not(rc, '0', `a failed use returns non-zero (${rc})`)
    t.equal(await probe('K3', 'AWS_ACCESS_KEY_ID'), issued?.accessKeyId, 'the previous session is intact')
    t.equal(await probe('E3', 'AWSMFA_PROFILE'), 'prod')

    // A second use replaces the session; clear still goes back to what was there before the first.
    await tmux.line('awsmfa use prod')
    await tmux.waitFor('the third MFA prompt', (s) => count(s, MFA_PROMPT) === 3)
    await tmux.line(world.code())
    await tmux.waitFor('the second summary line', (s) => count(s, SUMMARY) === 2)
    const second = world.emulator.issued[1]
    t.ok(second, 'a second session was issued')
    t.equal(await probe('K4', 'AWS_ACCESS_KEY_ID'), second?.accessKeyId, 'the second session replaced the first')

    await tmux.line('awsmfa clear')
    await tmux.waitForMatch(/^awsmfa: cleared the prod session from this terminal$/m)
    t.equal(await probe('P5', 'AWS_PROFILE'), 'dev', 'clear restores the earlier AWS_PROFILE')
    t.equal(await probe('R5', 'AWS_REGION'), 'us-west-1', 'and AWS_REGION')
    t.equal(await probe('D5', 'AWS_DEFAULT_REGION'), '<unset>', 'and the absence of AWS_DEFAULT_REGION')
    t.equal(await probe('K5', 'AWS_ACCESS_KEY_ID'), '<unset>', 'the keys are gone')
    t.equal(await probe('T5', 'AWS_SESSION_TOKEN'), '<unset>')
    t.equal(await probe('E5', 'AWSMFA_PROFILE'), '<unset>')
    await tmux.line(session.showPrompt('PROMPT5'))
    t.same((await tmux.waitForMatch(/^PROMPT5=\[(.*)\]$/m))[1], '', 'the prompt segment is gone')

    // TAB completes the target profile (not alice, the IAM user's profile).
    await tmux.keys(['C-l'])
    await tmux.type('awsmfa use pr')
    await tmux.keys(['Tab'])
    await tmux.waitForMatch(/^\[\]\$ awsmfa use prod ?$/m)
    await tmux.keys(['C-c'])

    t.equal(world.emulator.issued.length, 2, 'two sessions issued, none for the rejected code')
  })
}

// Each case twice: a plain profile, and one with the user's StrictMode and ErrorAction Stop.
for (const strict of [false, true]) {
  t.test(`PowerShell in tmux with PSReadLine${strict ? ', StrictMode Latest + ErrorAction Stop profile' : ''}`, async (t) => {
    const pwsh = requirePwsh(t)
    if (pwsh === undefined) return
    const tmuxPath = await requireShell(t, 'tmux')
    const world = await makeWorld(t)
    const bin = makeBin(t)
    writeFileSync(join(bin, 'argv'), '#!/bin/sh\nfor a; do printf "<%s>" "$a"; done; echo\n', { mode: 0o755 })
    const worldEnv = world.env()
    const profile = join(world.home, 'profile.ps1')
    writeFileSync(profile, [
      strict ? "Set-StrictMode -Version Latest; $ErrorActionPreference = 'Stop'" : '',
      `. ${powershellQuote(integration('powershell'))}`,
      // The README's recipe: no empty [] without a session.
      'function prompt { $s = awsmfa_prompt; "$(if ($s) { "[$s] " })PS> " }',
      '',
    ].join('\n'))
    const tmux = await Tmux.start(t, tmuxPath, {
      command: [pwsh, '-NoProfile', '-NoLogo', '-NoExit', '-Command', `. '${profile}'`],
      env: { ...worldEnv, PATH: `${bin}:${worldEnv.PATH}` },
      cwd: world.home,
    })
    await tmux.waitForMatch(/^PS>\s*$/m)
    await tmux.line('$Env:AWS_PROFILE = "dev"; $before = (Get-ChildItem Env:AWS*, Env:AWSMFA* | Out-String)')

    // Ctrl-C at the MFA prompt: nothing changes, and the next output starts on its own line.
    await tmux.line('awsmfa use prod')
    await tmux.waitFor('the MFA prompt', (s) => count(s, MFA_PROMPT) === 1)
    await tmux.keys(['C-c'])
    await tmux.waitForMatch(/MFA code for prod[\s\S]*\nPS>\s*$/)
    await tmux.line('"AFTER_CTRL_C=$?"')
    await tmux.waitForMatch(/^AFTER_CTRL_C=/m)
    const afterCtrlC = await tmux.screen()
    t.match(afterCtrlC, /MFA code for prod \([^)\n]*\): (?:\^C)?[ \t]*\n/, `the prompt line ends at ^C: the message starts on its own line\n${afterCtrlC}`)

    // A rejected code: $? False, the environment identical.
    await tmux.line('awsmfa use prod; "FAILED=$? $LASTEXITCODE"')
    await tmux.waitFor('the second MFA prompt', (s) => count(s, MFA_PROMPT) === 2)
    await tmux.line('000000')
    t.equal((await tmux.waitForMatch(/^FAILED=(.*)$/m))[1], 'False 1', 'failed use: $? False, $LASTEXITCODE 1')
    await tmux.line('"SAME=$($before -ceq (Get-ChildItem Env:AWS*, Env:AWSMFA* | Out-String))"')
    t.equal((await tmux.waitForMatch(/^SAME=(.*)$/m))[1], 'True', 'the environment is as it was')

    // use with the MFA prompt on the terminal.
    await tmux.line('awsmfa use prod; "USED=$? $LASTEXITCODE"')
    await tmux.waitFor('the third MFA prompt', (s) => count(s, MFA_PROMPT) === 3)
    await tmux.line(world.code())
    t.equal((await tmux.waitForMatch(/^USED=(.*)$/m))[1], 'True 0')
    await tmux.waitFor('the summary line', (s) => count(s, SUMMARY) === 1)
    await tmux.line('"K=$Env:AWS_ACCESS_KEY_ID"')
    t.equal((await tmux.waitForMatch(/^K=(.*)$/m))[1], world.emulator.issued.at(-1)?.accessKeyId)
    await tmux.waitForMatch(/^\[prod (?:11h59m|12h00m)\] PS>\s*$/m)
    t.pass('the prompt segment shows the session')

    // exec through the function: -- and everything after it as typed.
    await tmux.line("awsmfa exec prod -- argv -o x -- -t:123456 -t 012345 'a b' ''")
    // Waits for the whole line (the screen may be caught while it is being written).
    t.equal((await tmux.waitForMatch(/^(<-o>.*<a b><>)$/m))[1], '<-o><x><--><-t:123456><-t><012345><a b><>', 'exec: the words after -- verbatim')

    // TAB after `use ` lists the target profiles only.
    await tmux.type('awsmfa use ')
    await tmux.keys(['Tab'])
    const menu = await tmux.waitFor('the completion menu', (s) => {
      const tail = s.slice(s.lastIndexOf('<-o><x>'))
      return /\breadonly\b/.test(tail) && /\bprod\b/.test(tail) ? tail : undefined
    })
    t.notMatch(menu, /\balice\b/, `the IAM-user source profile is not offered\n${menu}`)
    t.notMatch(menu, /profile\.ps1/, 'no file names')
    // The tooltips (account and role) are checked through TabExpansion2 in powershell.test.ts.
    await tmux.keys(['C-c'])

    // clear restores.
    await tmux.line('awsmfa clear; "CLEARED=$? $LASTEXITCODE P=$Env:AWS_PROFILE K=$Env:AWS_ACCESS_KEY_ID."')
    t.equal((await tmux.waitForMatch(/^CLEARED=(.*)$/m))[1], 'True 0 P=dev K=.')
    await tmux.waitForMatch(/^PS>\s*$/m)
    t.pass('no segment, no empty [] after clear')
  })
}

t.test('zsh in tmux: TAB at more positions (exec after --, options before the profile, init, --shell=)', async (t) => {
  const row = shellRow('zsh')
  const zsh = requireRow(t, row)
  if (zsh === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  const bin = makeBin(t)
  const session = sessionOf(row)
  const started = session.interactive(world.home, session.startup(integration('zsh')))
  const command = [zsh, ...started.args]
  const env = started.env
  const worldEnv = world.env()
  const tmux = await Tmux.start(t, tmuxPath, { command, env: { ...worldEnv, ...env, PATH: `${bin}:${worldEnv.PATH}` }, cwd: world.home })
  await tmux.waitForMatch(/^\[\]\$$/m)
  const cases: Array<[typed: string, completed: string]> = [
    ['awsmfa exec prod -- printen', 'awsmfa exec prod -- printenv'],
    ['awsmfa exec -d 1h r', 'awsmfa exec -d 1h readonly'],
    ['awsmfa init z', 'awsmfa init zsh'],
    ['awsmfa env --shell=f', 'awsmfa env --shell=fish'],
    ['awsmfa doctor n', 'awsmfa doctor nomfa'],
  ]
  for (const [typed, completed] of cases) {
    await tmux.keys(['C-l'])
    await tmux.type(typed)
    await tmux.keys(['Tab'])
    const escaped = completed.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')
    await tmux.waitForMatch(new RegExp(`^\\[\\]\\$ ${escaped} ?$`, 'm'))
    t.pass(`${typed} + TAB → ${completed}`)
    await tmux.keys(['C-c'])
  }
})

for (const { row, session } of SESSIONS) {
  t.test(`${row.label} with the integration: a /bin/sh script run from it gets POSIX output it can eval`, async (t) => {
    const binary = requireRow(t, row)
    if (binary === undefined) return
    const dash = requireRow(t, shellRow('sh'))
    if (dash === undefined) return
    const world = await makeWorld(t)
    const bin = makeBin(t)
    const worldEnv = world.env()
    // The script a user runs from this shell: a plain `eval "$(awsmfa env …)"` in dash.
    const script = session.run([dash, '-c', 'eval "$(awsmfa env prod -t "$1")" && echo "P=$AWSMFA_PROFILE K=${AWS_ACCESS_KEY_ID%${AWS_ACCESS_KEY_ID#????}}"', 'sh', world.code()])
    const lines = [row.source(integration(row.name as IntegratedShell)), script]
    const result = await execa(binary, row.command(lines.join('\n')), { env: { ...worldEnv, PATH: `${bin}:${worldEnv.PATH}` }, extendEnv: false, reject: false, cwd: world.home })
    t.equal(result.stdout, 'P=prod K=ASIA', `dash evaluated the output\n${result.stderr}`)
  })
}
