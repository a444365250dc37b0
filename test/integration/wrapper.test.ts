/**
 * The `awsmfa` shell function against a stand-in program that records its arguments and prints
 * what each scenario needs: what `use` runs, that only a successful output is applied, that help
 * and other commands pass straight through and are never evaluated, `$?`, `clear` restoring
 * what the first `use` replaced, strict modes, and user aliases and functions that cannot get in.
 */
import t from 'tap'
import { execa } from 'execa'
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { requireShell } from '../helpers/shells.js'
import { FILES, ROOT, shQuote, tempDir } from './common.js'

/**
 * A fake `awsmfa`: logs the AWSMFA_SHELL it was given and its argv (one line, joined by |), then
 * acts by $FAKE_MODE. `ok` prints what `awsmfa env` prints: it unsets AWS_PROFILE,
 * AWS_DEFAULT_PROFILE and AWS_SECURITY_TOKEN, and sets the keys, the region and the AWSMFA_ names.
 */
function fakeProgram(dir: string): string {
  const path = join(dir, 'awsmfa')
  writeFileSync(
    path,
    `#!/bin/sh
printf 'AWSMFA_SHELL=%s|' "\${AWSMFA_SHELL-<unset>}" >>"$FAKE_LOG"; printf '%s|' "$@" >>"$FAKE_LOG"; printf '\\n' >>"$FAKE_LOG"
shell=$3
case $FAKE_MODE in
  ok)
    if [ "$shell" = fish ]; then
      for name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN; do echo "set -e -g $name; or builtin true"; done
      echo "set -gx AWS_ACCESS_KEY_ID 'ASIAFAKE'"; echo "set -gx AWS_SECRET_ACCESS_KEY 'fakesecret'"; echo "set -gx AWS_SESSION_TOKEN 'faketoken'"
      echo "set -gx AWS_CREDENTIAL_EXPIRATION '2100-01-01T00:00:00Z'"; echo "set -gx AWS_REGION 'eu-west-1'"; echo "set -gx AWS_DEFAULT_REGION 'eu-west-1'"
      echo "set -gx AWSMFA_PROFILE 'prod'"; echo "set -gx AWSMFA_EXPIRATION '4102444800'"
    else
      for name in AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SECURITY_TOKEN; do echo "builtin unset -v $name"; done
      echo "builtin export AWS_ACCESS_KEY_ID='ASIAFAKE'"; echo "builtin export AWS_SECRET_ACCESS_KEY='fakesecret'"; echo "builtin export AWS_SESSION_TOKEN='faketoken'"
      echo "builtin export AWS_CREDENTIAL_EXPIRATION='2100-01-01T00:00:00Z'"; echo "builtin export AWS_REGION='eu-west-1'"; echo "builtin export AWS_DEFAULT_REGION='eu-west-1'"
      echo "builtin export AWSMFA_PROFILE='prod'"; echo "builtin export AWSMFA_EXPIRATION='4102444800'"
    fi
    echo 'prod: ServerworksRolePU in 123456789034 until 07:31 (12h00m)' >&2 ;;
  fail)
    # A failure that (wrongly) printed code: it must not run.
    echo "builtin export AWS_ACCESS_KEY_ID='LEAKED'"; echo "set -gx AWS_ACCESS_KEY_ID LEAKED"
    echo 'awsmfa: prod: AWS rejected the MFA code.' >&2; exit 3 ;;
  text)
    echo 'touch pwned-by-help'; echo 'usage text' ;;
  bare)
    # One assignment and nothing else: the status must still be 0.
    if [ "$shell" = fish ]; then echo "set -gx AWSMFA_ROLE_ARN 'arn:aws:iam::1:role/R'"; else echo "builtin export AWSMFA_ROLE_ARN='arn:aws:iam::1:role/R'"; fi ;;
esac
exit 0
`,
  )
  chmodSync(path, 0o755)
  return path
}

interface WrapperShell {
  name: 'bash' | 'zsh' | 'fish'
  argv(script: string): string[]
  /** Prints `label=<value or <unset>>` for a variable, from the shell itself. */
  show(label: string, name: string): string
  status(label: string): string
  set(name: string, value: string): string
  mode(mode: string): string
  /** User customisations that a careless integration would trip on, set up before sourcing. */
  hostileSetup: string
}

const SHELLS: WrapperShell[] = [
  {
    name: 'bash',
    argv: (script) => ['--norc', '--noprofile', '-c', script],
    show: (label, name) => `echo "${label}=\${${name}-<unset>}"`,
    status: (label) => `echo "${label}=$?"`,
    set: (name, value) => `builtin export ${name}=${value}`,
    mode: (mode) => `builtin export FAKE_MODE=${mode}`,
    hostileSetup: [
      'set -u -o pipefail',
      'command() { echo FUNCTION-HIJACK; }',
      'printf() { echo FUNCTION-HIJACK; }',
      'export() { echo FUNCTION-HIJACK; }',
      'unset() { echo FUNCTION-HIJACK; }',
      'shopt -s expand_aliases',
      "alias awsmfa='echo ALIAS-HIJACK'",
      "alias command='echo ALIAS-HIJACK'",
      "alias eval='echo ALIAS-HIJACK'",
    ].join('\n'),
  },
  {
    name: 'zsh',
    argv: (script) => ['-f', '-c', script],
    show: (label, name) => `echo "${label}=\${${name}-<unset>}"`,
    status: (label) => `echo "${label}=$?"`,
    set: (name, value) => `builtin export ${name}=${value}`,
    mode: (mode) => `builtin export FAKE_MODE=${mode}`,
    hostileSetup: [
      'setopt no_unset ksh_arrays sh_word_split',
      "alias awsmfa='echo ALIAS-HIJACK'",
      "alias eval='echo ALIAS-HIJACK'",
      'function print { echo FUNCTION-HIJACK; }',
      'function export { echo FUNCTION-HIJACK; }',
      'function unset { echo FUNCTION-HIJACK; }',
    ].join('\n'),
  },
  {
    name: 'fish',
    argv: (script) => ['--no-config', '-c', script],
    show: (label, name) => `if set -q ${name}; echo "${label}=$${name}"; else; echo "${label}=<unset>"; end`,
    status: (label) => `echo "${label}=$status"`,
    set: (name, value) => `set -gx ${name} ${value}`,
    mode: (mode) => `set -gx FAKE_MODE ${mode}`,
    hostileSetup: [
      "alias awsmfa='echo ALIAS-HIJACK'",
      'function printf; echo FUNCTION-HIJACK; end',
      'function math; echo FUNCTION-HIJACK; end',
      'function count; echo FUNCTION-HIJACK; end',
      'function source; echo FUNCTION-HIJACK; end',
    ].join('\n'),
  },
]

for (const shell of SHELLS) {
  t.test(`${shell.name}: the awsmfa function`, async (t) => {
    const binary = await requireShell(t, shell.name)
    const dir = tempDir(t, 'awsmfa-wrapper-')
    fakeProgram(dir)
    const log = join(dir, 'log')
    writeFileSync(log, '')
    const lines = [
      shell.hostileSetup,
      `builtin source ${shQuote(join(ROOT, FILES[shell.name].integration))}`,
      shell.set('AWS_PROFILE', 'dev'),
      shell.set('AWS_DEFAULT_REGION', 'us-west-2'),
      // The first use of a shell, whose output is a bare assignment: status 0.
      shell.mode('bare'),
      'awsmfa use prod',
      shell.status('BARESTATUS'),
      // A failed use: nothing applied, the program's status returned.
      shell.mode('fail'),
      'awsmfa use prod',
      shell.status('FAILSTATUS'),
      shell.show('FAILKEY', 'AWS_ACCESS_KEY_ID'),
      shell.show('FAILPROFILE', 'AWS_PROFILE'),
      // Success: applied.
      shell.mode('ok'),
      'awsmfa use prod -d 1h --region eu-west-1',
      shell.status('OKSTATUS'),
      shell.show('OKKEY', 'AWS_ACCESS_KEY_ID'),
      shell.show('OKPROFILE', 'AWS_PROFILE'),
      shell.show('OKREGION', 'AWS_REGION'),
      // A second use keeps what the first one saved.
      'awsmfa use prod',
      // Help, version and other commands: straight through, printed, never evaluated.
      shell.mode('text'),
      'awsmfa use --help',
      'awsmfa use prod -h',
      'awsmfa --version',
      'awsmfa list --json',
      'awsmfa exec prod -- aws s3 ls',
      shell.status('PASSSTATUS'),
      // clear: back to before the first use.
      'awsmfa clear',
      shell.status('CLEARSTATUS'),
      shell.show('CLEARKEY', 'AWS_ACCESS_KEY_ID'),
      shell.show('CLEARPROFILE', 'AWS_PROFILE'),
      shell.show('CLEARREGION', 'AWS_REGION'),
      shell.show('CLEARDEFREGION', 'AWS_DEFAULT_REGION'),
      shell.show('CLEAREXP', 'AWSMFA_EXPIRATION'),
      'awsmfa clear',
      shell.status('CLEAR2STATUS'),
      'awsmfa clear extra',
      shell.status('CLEAR3STATUS'),
      'echo END',
    ]
    const result = await execa(binary, shell.argv(lines.join('\n')), {
      env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, FAKE_LOG: log },
      extendEnv: false,
      reject: false,
      cwd: dir,
    })
    const out = result.stdout
    t.match(out, /END$/, `the script ran to the end\n${result.stderr}`)
    t.notMatch(out + result.stderr, /HIJACK/, 'no user alias or function was used')
    const value = (label: string): string | undefined => new RegExp(`^${label}=(.*)$`, 'm').exec(out)?.[1]
    t.equal(value('BARESTATUS'), '0', 'a successful use returns 0, whatever ran before the output')
    t.equal(value('FAILSTATUS'), '3', 'a failed use returns the program status')
    t.equal(value('FAILKEY'), '<unset>', 'and applies nothing it printed')
    t.equal(value('FAILPROFILE'), 'dev')
    t.equal(value('OKSTATUS'), '0')
    t.equal(value('OKKEY'), 'ASIAFAKE', 'a successful use applies the output')
    t.equal(value('OKPROFILE'), '<unset>')
    t.equal(value('OKREGION'), 'eu-west-1')
    t.equal(value('PASSSTATUS'), '0')
    t.match(out, /^usage text$/m, 'help text reaches stdout')
    t.notOk(existsSync(join(dir, 'pwned-by-help')), 'help text is never evaluated')
    t.equal(value('CLEARSTATUS'), '0')
    t.equal(value('CLEARKEY'), '<unset>', 'clear removes the keys')
    t.equal(value('CLEAREXP'), '<unset>')
    t.equal(value('CLEARPROFILE'), 'dev', 'clear restores AWS_PROFILE from before the FIRST use')
    t.equal(value('CLEARREGION'), '<unset>', 'and the absence of AWS_REGION')
    t.equal(value('CLEARDEFREGION'), 'us-west-2', 'and AWS_DEFAULT_REGION')
    t.equal(value('CLEAR2STATUS'), '0', 'clear without a session is harmless')
    t.equal(value('CLEAR3STATUS'), '2', 'clear with arguments is a usage error')
    t.match(result.stderr, /awsmfa: prod: AWS rejected the MFA code\./, 'the failure message reaches the user')
    t.match(result.stderr, /awsmfa: cleared the prod session from this terminal/)
    t.match(result.stderr, /awsmfa: no awsmfa session in this terminal; nothing to clear/)

    const calls = readFileSync(log, 'utf8').trim().split('\n')
    const given = `AWSMFA_SHELL=${shell.name}|`
    t.same(calls, [
      `${given}env|--shell|${shell.name}|prod|`,
      `${given}env|--shell|${shell.name}|prod|`,
      `${given}env|--shell|${shell.name}|prod|-d|1h|--region|eu-west-1|`,
      `${given}env|--shell|${shell.name}|prod|`,
      `${given}use|--help|`,
      `${given}use|prod|-h|`,
      `${given}--version|`,
      `${given}list|--json|`,
      `${given}exec|prod|--|aws|s3|ls|`,
    ], 'what the program was asked, in order, each call given AWSMFA_SHELL')
  })
}

for (const shell of SHELLS) {
  t.test(`${shell.name}: the first use in a fresh shell returns 0 even when its output is one bare assignment`, async (t) => {
    const binary = await requireShell(t, shell.name)
    const dir = tempDir(t, 'awsmfa-wrapper-')
    fakeProgram(dir)
    const script = [`builtin source ${shQuote(join(ROOT, FILES[shell.name].integration))}`, shell.mode('bare'), 'awsmfa use prod', shell.status('STATUS'), shell.show('ARN', 'AWSMFA_ROLE_ARN')].join('\n')
    const result = await execa(binary, shell.argv(script), {
      env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, FAKE_LOG: join(dir, 'log') },
      extendEnv: false,
      reject: false,
      cwd: dir,
    })
    t.equal(result.stdout, 'STATUS=0\nARN=arn:aws:iam::1:role/R', result.stderr)
  })
}

t.test('fish: a universal AWS_PROFILE, which `use` cannot remove, is named in a warning', async (t) => {
  const fish = await requireShell(t, 'fish')
  const dir = tempDir(t, 'awsmfa-universal-')
  fakeProgram(dir)
  const env = { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), FAKE_LOG: join(dir, 'log'), FAKE_MODE: 'bare' }
  await execa(fish, ['-c', 'set -Ux AWS_PROFILE dev'], { env, extendEnv: false })
  const result = await execa(fish, ['-c', `builtin source ${shQuote(join(ROOT, FILES.fish.integration))}; awsmfa use prod; echo "STATUS=$status"`], { env, extendEnv: false, reject: false })
  t.equal(result.stdout, 'STATUS=0')
  t.match(result.stderr, /^awsmfa: warning: a universal AWS_PROFILE \(set -U\) is still exported, so the AWS CLI would use it instead of this session\n  fix: set -e -U AWS_PROFILE/)
})

/** Runs `script` in `shell` with the fake program first on PATH and exactly `env` besides. */
async function runWith(shell: WrapperShell, dir: string, script: string, env: Record<string, string> = {}) {
  const binary = await requireShell({ fail: (message: string) => { throw new Error(message) } }, shell.name)
  return execa(binary, shell.argv(script), {
    env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: dir, FAKE_LOG: join(dir, 'log'), ...env },
    extendEnv: false,
    reject: false,
    cwd: dir,
  })
}

for (const shell of SHELLS) {
  t.test(`${shell.name}: AWSMFA_SHELL reaches each call of the program and no other process`, async (t) => {
    await requireShell(t, shell.name)
    const dir = tempDir(t, 'awsmfa-shellvar-')
    fakeProgram(dir)
    writeFileSync(join(dir, 'log'), '')
    // A child that is not this shell: what a /bin/sh script run from here would see.
    const child = (label: string): string => `sh -c 'echo "${label}=\${AWSMFA_SHELL-<unset>}"'`
    const script = [
      `builtin source ${shQuote(join(ROOT, FILES[shell.name].integration))}`,
      child('LOADED'),
      shell.show('INSHELL', 'AWSMFA_SHELL'),
      shell.mode('ok'),
      'awsmfa use prod',
      shell.mode('text'),
      'awsmfa doctor',
      'awsmfa status',
      child('AFTER'),
      shell.show('INSHELL2', 'AWSMFA_SHELL'),
      'echo END',
    ].join('\n')
    // An earlier version exported it, and a parent of another kind leaks it: `other` here.
    const other = shell.name === 'fish' ? 'bash' : 'fish'
    const result = await runWith(shell, dir, script, { AWSMFA_SHELL: other })
    const out = result.stdout
    t.match(out, /END$/, `the script ran to the end\n${result.stderr}`)
    const value = (label: string): string | undefined => new RegExp(`^${label}=(.*)$`, 'm').exec(out)?.[1]
    t.equal(value('LOADED'), '<unset>', 'loading the integration removes an inherited AWSMFA_SHELL: a child shell does not see one')
    t.equal(value('INSHELL'), '<unset>', 'and the shell holds none')
    t.equal(value('AFTER'), '<unset>', 'after calls through the function, a child still sees none')
    t.equal(value('INSHELL2'), '<unset>', 'and the shell still holds none')
    t.same(readFileSync(join(dir, 'log'), 'utf8').trim().split('\n'), [
      `AWSMFA_SHELL=${shell.name}|env|--shell|${shell.name}|prod|`,
      `AWSMFA_SHELL=${shell.name}|doctor|`,
      `AWSMFA_SHELL=${shell.name}|status|`,
    ], 'the program is given AWSMFA_SHELL for this shell on every call')
  })
}

const KEY_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'] as const

for (const shell of SHELLS) {
  t.test(`${shell.name}: clear gives back the user's own keys, byte for byte (credential_source = Environment)`, async (t) => {
    await requireShell(t, shell.name)
    const dir = tempDir(t, 'awsmfa-ownkeys-')
    fakeProgram(dir)
    // Reads the five names as a child process sees them (exported), into a JSON file.
    const dump = join(dir, 'dump.mjs')
    writeFileSync(
      dump,
      `import { writeFileSync } from 'node:fs'\n` +
        `const names = ${JSON.stringify(KEY_NAMES)}\n` +
        `writeFileSync(process.argv[2], JSON.stringify(Object.fromEntries(names.filter((n) => n in process.env).map((n) => [n, process.env[n]]))))\n`,
    )
    const dumpTo = (file: string): string => `${shQuote(process.execPath)} ${shQuote(dump)} ${shQuote(join(dir, file))}`
    const script = [
      `builtin source ${shQuote(join(ROOT, FILES[shell.name].integration))}`,
      shell.mode('ok'),
      'awsmfa use prod',
      dumpTo('during.json'),
      'awsmfa use prod',
      'awsmfa clear',
      dumpTo('after.json'),
      'echo END',
    ].join('\n')
    const read = (file: string): unknown => JSON.parse(readFileSync(join(dir, file), 'utf8'))
    const session = { AWS_ACCESS_KEY_ID: 'ASIAFAKE', AWS_SECRET_ACCESS_KEY: 'fakesecret', AWS_SESSION_TOKEN: 'faketoken', AWS_CREDENTIAL_EXPIRATION: '2100-01-01T00:00:00Z' }

    const own = {
      AWS_ACCESS_KEY_ID: 'AKIAOWNKEY',
      AWS_SECRET_ACCESS_KEY: ` se'cr"et $(touch pwned) \\ \n\tline two  `,
      AWS_SESSION_TOKEN: 'own/token+with=chars',
      AWS_SECURITY_TOKEN: '',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
    }
    const withOwn = await runWith(shell, dir, script, own)
    t.match(withOwn.stdout, /END$/, withOwn.stderr)
    t.same(read('during.json'), session, 'use replaced the own keys with the session (and removed AWS_SECURITY_TOKEN)')
    t.same(read('after.json'), own, 'clear restored every own key exactly, the empty one too')
    t.notOk(existsSync(join(dir, 'pwned')), 'a value is never evaluated')

    const without = await runWith(shell, dir, script)
    t.match(without.stdout, /END$/, without.stderr)
    t.same(read('after.json'), {}, 'without own keys before use, clear leaves none')

    // A child of a shell that ran `use` inherits that session: those keys are not the user's own.
    const inherited = await runWith(shell, dir, script, { ...session, AWS_ACCESS_KEY_ID: 'ASIAPARENT', AWSMFA_PROFILE: 'dev', AWSMFA_EXPIRATION: '4102444800' })
    t.match(inherited.stdout, /END$/, inherited.stderr)
    t.same(read('after.json'), {}, 'keys of an inherited awsmfa session are not restored by clear')
  })
}
