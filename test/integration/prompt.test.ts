/**
 * awsmfa_prompt in bash and zsh with PATH emptied (so it cannot start a process even if it tried):
 * the text for each time left, nothing without a session, $? kept, colour only when asked, and a
 * hostile profile name printed literally under prompt expansion (bash PS1, zsh prompt_subst).
 * fish gets the same table (it may use `date`).
 */
import { powershellQuote } from '../../lib/shells/powershell.js'
import t from 'tap'
import { execa } from 'execa'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { requirePwsh } from '../helpers/shells.js'
import { requireRow, sessionOf, shellRow } from '../helpers/shell-table.js'
import { FILES, INTEGRATED, ROOT, shQuote, tempDir, type IntegratedShell } from './common.js'
import { formatRemaining } from '../../lib/duration.js'
import { MAX_SESSION_SECONDS } from '../../lib/session.js'

/**
 * Expiries, as offsets from the shell's own clock or as a literal value, and the text each must
 * give (formatRemaining floors to minutes; '' is "no session", what a non-number expiry shows).
 * No row sits on a minute boundary: the clock may tick between setting the expiry and reading it,
 * so each offset lies 29 s or more above the boundary below it (12h00m30s, not 12h00m). An expiry
 * more than MAX_SESSION_SECONDS ahead is not a time, as for lib/session.ts heldSession.
 */
type Row = { offset: number; text: string } | { at: string; text: string }
const TABLE: Row[] = [
  { offset: 43200 + 30, text: `prod ${formatRemaining(43200)}` },
  { offset: 43170, text: 'prod 11h59m' },
  { offset: 3600 + 30, text: 'prod 1h00m' },
  { offset: 3599, text: 'prod 59m' },
  { offset: 42 * 60 + 30, text: 'prod 42m' },
  { offset: 59, text: 'prod 0m' },
  { offset: 0, text: 'prod expired' },
  { offset: -7200, text: 'prod expired' },
  // The bound: just inside it a session (a tick only moves it further inside), just past it none.
  { offset: MAX_SESSION_SECONDS - 30, text: `prod ${formatRemaining(MAX_SESSION_SECONDS - 60)}` },
  { offset: MAX_SESSION_SECONDS + 60, text: '' },
  { at: '99999999999999', text: '' },
]

const rowName = (row: Row): string =>
  'at' in row ? `expiry ${row.at}` : `expiry at now${row.offset >= 0 ? '+' : ''}${row.offset}s`

/** Each script states the 36 h bound once, on the line after a comment naming MAX_SESSION_SECONDS. */
function scriptBound(path: string): number[] {
  const lines = readFileSync(join(ROOT, path), 'utf8').split('\n')
  return lines.flatMap((line, i) => (line.includes('lib/session.ts MAX_SESSION_SECONDS') ? [Number(/\b(\d+)\b/.exec(lines[i + 1] ?? '')?.[1])] : []))
}

t.test('the table agrees with lib/duration.ts formatRemaining', async (t) => {
  t.equal(formatRemaining(43170), '11h59m')
  t.equal(formatRemaining(42 * 60 + 5), '42m')
  t.equal(formatRemaining(43200), '12h00m')
  t.equal(formatRemaining(MAX_SESSION_SECONDS - 60), '35h59m')
  // A tick between setting and reading the expiry must not change a row's text.
  for (const row of TABLE) {
    if ('at' in row) continue
    if (row.offset > MAX_SESSION_SECONDS) t.equal(row.text, '', 'past the bound, a tick keeps it past (60 s of margin)')
    else if (row.offset > 0) t.ok(row.offset % 60 >= 29, `${row.offset} s is 29 s or more past a minute boundary`)
    else t.equal(row.text, 'prod expired', 'at or past the end, a tick changes nothing')
  }
})

t.test('each prompt script states the bound of lib/session.ts MAX_SESSION_SECONDS once', async (t) => {
  for (const { integration } of Object.values(FILES)) {
    t.same(scriptBound(integration), [MAX_SESSION_SECONDS], integration)
  }
})

interface PromptShell {
  name: 'bash' | 'zsh'
  argv(script: string): string[]
  /** Sets AWSMFA_EXPIRATION to the shell's own clock + offset, without a process. */
  expiresIn(offset: number): string
  /** Expands `prompt` as the shell expands its PS1 and prints it. */
  expandPrompt(prompt: string): string
  prompt: string
}

const SHELLS: PromptShell[] = [
  {
    name: 'bash',
    argv: (script) => ['--norc', '--noprofile', '-c', `set -u; source ${shQuote(join(ROOT, FILES.bash.integration))}; ${script}`],
    expiresIn: (offset) => `export AWSMFA_EXPIRATION=$((EPOCHSECONDS + ${offset}))`,
    expandPrompt: (prompt) => `PS1=${shQuote(prompt)}; printf '%s\\n' "\${PS1@P}"`,
    prompt: '[$(awsmfa_prompt)]',
  },
  {
    name: 'zsh',
    argv: (script) => ['-f', '-c', `setopt no_unset prompt_subst; source ${shQuote(join(ROOT, FILES.zsh.integration))}; zmodload zsh/datetime; ${script}`],
    expiresIn: (offset) => `export AWSMFA_EXPIRATION=$((EPOCHSECONDS + ${offset}))`,
    expandPrompt: (prompt) => `PS1=${shQuote(prompt)}; print -rP -- "$PS1"`,
    prompt: '[$(awsmfa_prompt)]',
  },
]

for (const shell of SHELLS) {
  t.test(`${shell.name}: awsmfa_prompt with PATH='' prints the right text and keeps $?`, async (t) => {
    const binary = requireRow(t, shellRow(shell.name))
    if (binary === undefined) return
    const dir = tempDir(t, 'awsmfa-prompt-')
    const lines: string[] = ['export AWSMFA_PROFILE=prod', "PATH=''"]
    for (const row of TABLE) {
      lines.push('at' in row ? `export AWSMFA_EXPIRATION=${row.at}` : shell.expiresIn(row.offset), 'awsmfa_prompt; echo')
    }
    // $? survives, both plain and with -v.
    lines.push(shell.expiresIn(630), 'ret7() { return 7; }', 'ret7; awsmfa_prompt >/dev/null; echo "status=$?"')
    lines.push('ret7; awsmfa_prompt -v SEGMENT; echo "status=$?"; echo "SEGMENT=$SEGMENT"')
    // No session: nothing at all.
    lines.push('unset AWSMFA_PROFILE; echo "none=[$(awsmfa_prompt)]"')
    lines.push('export AWSMFA_PROFILE=prod; unset AWSMFA_EXPIRATION; echo "noexp=[$(awsmfa_prompt)]"')
    // A non-number expiry is no session, and is never evaluated (a[$(…)] would run in arithmetic).
    lines.push(`export AWSMFA_EXPIRATION='a[$(echo pwned >canary-arith)]'; echo "garbage=[$(awsmfa_prompt)]"`)
    // Colour only when asked, and NO_COLOR wins.
    lines.push(shell.expiresIn(7230), 'AWSMFA_PROMPT_COLOR=1 awsmfa_prompt; echo')
    lines.push(shell.expiresIn(1230), 'AWSMFA_PROMPT_COLOR=1 awsmfa_prompt; echo')
    lines.push(shell.expiresIn(90), 'AWSMFA_PROMPT_COLOR=1 NO_COLOR=1 awsmfa_prompt; echo')
    const result = await execa(binary, shell.argv(lines.join('\n')), {
      env: { HOME: dir, LANG: 'C.UTF-8' },
      extendEnv: false,
      reject: false,
      cwd: dir,
    })
    t.equal(result.stderr, '', 'nothing on stderr (no command was looked up)')
    t.equal(result.exitCode, 0)
    const out = result.stdout.split('\n')
    TABLE.forEach((row, i) => t.equal(out[i], row.text, rowName(row)))
    const rest = out.slice(TABLE.length)
    t.equal(rest[0], 'status=7', '$? kept')
    t.equal(rest[1], 'status=7', '$? kept with -v')
    t.equal(rest[2], 'SEGMENT=prod 10m', '-v stores the text')
    t.equal(rest[3], 'none=[]', 'no session: nothing')
    t.equal(rest[4], 'noexp=[]', 'no expiry: nothing')
    t.equal(rest[5], 'garbage=[]', 'a malformed expiry: nothing')
    t.notOk(existsSync(join(dir, 'canary-arith')), 'and nothing ran')
    if (shell.name === 'bash') {
      t.equal(rest[6], '\x01\x1b[32m\x02prod 2h00m\x01\x1b[0m\x02', 'green, escapes wrapped in \\001…\\002 for readline')
      t.equal(rest[7], '\x01\x1b[33m\x02prod 20m\x01\x1b[0m\x02', 'yellow under an hour')
    } else {
      t.equal(rest[6], '%F{green}prod 2h00m%f', 'green, as a zsh prompt escape')
      t.equal(rest[7], '%F{yellow}prod 20m%f', 'yellow under an hour')
    }
    t.equal(rest[8], 'prod 1m', 'NO_COLOR wins')
  })

  t.test(`${shell.name}: a hostile AWSMFA_PROFILE prints literally in the prompt and runs nothing`, async (t) => {
    const binary = requireRow(t, shellRow(shell.name))
    if (binary === undefined) return
    const dir = tempDir(t, 'awsmfa-hostile-')
    const hostile = '$(touch canary)%F{red}`touch canary2`\\w!'
    const script = [
      `export AWSMFA_PROFILE=${shQuote(hostile + '\x1b[31m')}`,
      shell.expiresIn(3630),
      shell.expandPrompt(shell.prompt),
      'awsmfa_prompt -v SEG',
      // zsh -v stores a prompt string, escaped for prompt_subst: it goes INTO the prompt, as in the
      // documented `awsmfa_prompt -v RPROMPT`; bash -v stores plain text, read by PS1 as ${SEG}.
      shell.name === 'zsh' ? 'PS1="[$SEG]"; print -rP -- "$PS1"' : shell.expandPrompt('[$SEG]'),
    ].join('\n')
    const result = await execa(binary, shell.argv(script), {
      env: { HOME: dir, LANG: 'C.UTF-8', PATH: process.env.PATH ?? '/usr/bin:/bin' },
      extendEnv: false,
      reject: false,
      cwd: dir,
    })
    t.equal(result.exitCode, 0, result.stderr)
    t.equal(result.stderr, '')
    const expected = `[${hostile}?[31m 1h00m]`
    t.equal(result.stdout, `${expected}\n${expected}`, 'the name, literally, with the escape character replaced')
    t.notOk(existsSync(join(dir, 'canary')), 'no $(…) ran')
    t.notOk(existsSync(join(dir, 'canary2')), 'no `…` ran')
  })
}

t.test('zsh: under prompt_bang a ! in the name stays a !', async (t) => {
  const zsh = requireRow(t, shellRow('zsh'))
  if (zsh === undefined) return
  const result = await execa(zsh, ['-f', '-c', `setopt prompt_subst prompt_bang; source ${shQuote(join(ROOT, FILES.zsh.integration))}; zmodload zsh/datetime; export AWSMFA_PROFILE='a!b' AWSMFA_EXPIRATION=$((EPOCHSECONDS + 150)); PS1='[$(awsmfa_prompt)]'; print -rP -- "$PS1"`], { reject: false })
  t.equal(result.stdout, '[a!b 2m]', result.stderr)
})

t.test('fish: awsmfa_prompt prints the same table, keeps $status, nothing without a session', async (t) => {
  const fish = requireRow(t, shellRow('fish'))
  if (fish === undefined) return
  const lines = [`source ${shQuote(join(ROOT, FILES.fish.integration))}`, 'set -gx AWSMFA_PROFILE prod']
  for (const row of TABLE) lines.push('at' in row ? `set -gx AWSMFA_EXPIRATION ${row.at}` : `set -gx AWSMFA_EXPIRATION (math (date +%s) + ${row.offset})`, 'awsmfa_prompt; echo')
  lines.push('set -gx AWSMFA_EXPIRATION (math (date +%s) + 630)', 'false; awsmfa_prompt >/dev/null; echo "status=$status"')
  lines.push('set -e AWSMFA_PROFILE; printf \'none=[%s]\\n\' (awsmfa_prompt)')
  lines.push(`set -gx AWSMFA_PROFILE ${"'$(touch canary)%F{red}'"}; echo (awsmfa_prompt)`)
  const dir = tempDir(t, 'awsmfa-fish-prompt-')
  const result = await execa(fish, ['--no-config', '-c', lines.join('\n')], { reject: false, cwd: dir })
  t.equal(result.stderr, '')
  const out = result.stdout.split('\n')
  TABLE.forEach((row, i) => t.equal(out[i], row.text, rowName(row)))
  t.equal(out[TABLE.length], 'status=1')
  t.equal(out[TABLE.length + 1], 'none=[]')
  t.equal(out[TABLE.length + 2], '$(touch canary)%F{red} 10m')
  t.notOk(existsSync(join(dir, 'canary')))
})

t.test('pwsh: awsmfa_prompt prints the same table under StrictMode Latest, nothing for a malformed expiry', async (t) => {
  const pwsh = requirePwsh(t)
  if (pwsh === undefined) return
  const set = (row: Row): string =>
    'at' in row ? `$Env:AWSMFA_EXPIRATION = '${row.at}'` : `$Env:AWSMFA_EXPIRATION = [string]([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + ${row.offset})`
  const lines = [
    "Set-StrictMode -Version Latest; $ErrorActionPreference = 'Stop'",
    `. ${powershellQuote(join(ROOT, FILES.powershell.integration))}`,
    "$Env:AWSMFA_PROFILE = 'prod'",
    ...TABLE.flatMap((row) => [set(row), '[Console]::Out.WriteLine("[$(awsmfa_prompt)]")']),
    "$Env:AWSMFA_EXPIRATION = 'soon'",
    '[Console]::Out.WriteLine("[$(awsmfa_prompt)]")',
  ]
  const dir = tempDir(t, 'awsmfa-pwsh-prompt-')
  const result = await execa(pwsh, shellRow('powershell').command(lines.join('\n')), {
    cwd: dir,
    env: { HOME: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  })
  t.equal(result.stderr, '', 'no StrictMode error, no exception')
  const out = result.stdout.split('\n')
  TABLE.forEach((row, i) => t.equal(out[i], `[${row.text}]`, rowName(row)))
  t.equal(out[TABLE.length], '[]', 'a non-number expiry: nothing')
})

for (const row of INTEGRATED) {
  t.test(`${row.label}: AWSMFA_WARN_MINUTES warns once per session, only inside the window, never prompting`, async (t) => {
    const binary = requireRow(t, row)
    if (binary === undefined) return
    const session = sessionOf(row)
    const expiresIn = (seconds: number): string => session.set('AWSMFA_EXPIRATION', String(Math.floor(Date.now() / 1000) + seconds))
    const hook = session.beforePrompt
    const script = [
      row.source(join(ROOT, FILES[row.name as IntegratedShell].integration)),
      session.set('AWSMFA_PROFILE', 'prod'),
      session.set('AWSMFA_WARN_MINUTES', '10'),
      expiresIn(3600),
      hook, // an hour left: no warning
      expiresIn(570),
      hook, hook, hook, // 9 minutes left: one warning
      expiresIn(-5),
      hook, hook, // a new (expired) session: one more
      session.show('DONE', 'AWSMFA_PROFILE'),
    ].join('\n')
    const result = await execa(binary, row.command(script), { reject: false, stdin: 'ignore', env: { HOME: tempDir(t, 'awsmfa-warn-') } })
    t.equal(result.stdout, 'DONE=prod')
    t.equal(result.stderr, 'awsmfa: the prod session ends in 9m; renew it with: awsmfa use prod\nawsmfa: the prod session has expired; renew it with: awsmfa use prod')
  })
}
