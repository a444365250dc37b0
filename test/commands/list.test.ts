/**
 * `awsmfa list` end to end with the built CLI: a config with good, chained, broken and source
 * profiles; the table (aligned, colour only on a terminal) and the stable --json array.
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ALICE_MFA, CLI, PROD_ROLE, SHORT_ROLE, makeWorld, type World } from '../helpers/world.js'

const ESC = '\u001b'

function config(marker: string): string {
  return `[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu-west-1

[profile short]
role_arn = ${SHORT_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
duration_seconds = 3600

[profile chained]
role_arn = ${PROD_ROLE}
source_profile = sessiontoken
mfa_serial = ${ALICE_MFA}

[profile chained-short]
role_arn = ${PROD_ROLE}
source_profile = sessiontoken
mfa_serial = ${ALICE_MFA}
duration_seconds = 3600

[profile via-role]
role_arn = ${SHORT_ROLE}
source_profile = prod

[profile lost]
role_arn = ${PROD_ROLE}
source_profile = nobody
mfa_serial = ${ALICE_MFA}

[profile nokeys]
role_arn = ${PROD_ROLE}
source_profile = empty
mfa_serial = ${ALICE_MFA}

[profile nomfa]
role_arn = ${PROD_ROLE}
source_profile = alice

[profile toolong]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
duration_seconds = 86400

[profile words]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
duration_seconds = twelve hours

[profile vaulted]
role_arn = ${PROD_ROLE}
source_profile = vault
mfa_serial = ${ALICE_MFA}
mfa_process = touch ${marker}.mfa

[profile vault]
credential_process = touch ${marker}

[profile odd]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu${ESC}[31m-west-1

[profile empty]
region = us-east-1

[profile alice]
region = eu-central-1
`
}

function credentials(world: { alice: { accessKeyId: string; secretAccessKey: string } }): string {
  return `[alice]
aws_access_key_id = ${world.alice.accessKeyId}
aws_secret_access_key = ${world.alice.secretAccessKey}

[sessiontoken]
aws_access_key_id = ASIAEXAMPLETEMPORARY
aws_secret_access_key = temporarySecret
aws_session_token = temporaryToken
`
}

async function listWorld(t: Parameters<typeof makeWorld>[0]): Promise<{ world: World; marker: string }> {
  const world = await makeWorld(t)
  const marker = join(world.scratch, 'credential-process-ran')
  world.writeConfig(config(marker))
  world.writeCredentials(credentials(world))
  return { world, marker }
}

const EXPECTED: Record<string, string> = {
  chained: 'chained: 1h max',
  'chained-short': 'chained: 1h max',
  lost: 'source not found',
  nokeys: 'source has no keys',
  nomfa: 'no mfa_serial',
  odd: 'ok 12h',
  prod: 'ok 12h',
  short: 'ok 1h',
  toolong: 'duration out of range',
  vaulted: 'ok 12h (keys from credential_process)',
  'via-role': 'source assumes a role',
  words: 'bad duration',
}

t.test('the table: one aligned row per target profile, with its verdict; no colour when piped', async (t) => {
  const { world, marker } = await listWorld(t)
  const result = await world.run(['list'], { env: { NO_COLOR: undefined } })
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stderr, '')
  t.notOk(result.stdout.includes(ESC), 'no escape sequences at all when piped')
  const lines = result.stdout.trimEnd().split('\n')
  const header = lines[0] ?? ''
  t.match(header, /^PROFILE +ACCOUNT +ROLE +SOURCE +MFA +DURATION +REGION +VERDICT$/)
  const rows = lines.slice(1)
  const names = rows.map((row) => row.split(/ +/)[0])
  t.same(names, Object.keys(EXPECTED), 'every target, sorted; no source profiles (alice, empty, vault, sessiontoken)')

  // Aligned: every column starts where its title starts, with a space before it.
  const starts = ['ACCOUNT', 'ROLE', 'SOURCE', 'MFA', 'DURATION', 'REGION', 'VERDICT'].map((title) => header.indexOf(title))
  for (const row of rows) {
    for (const start of starts) t.equal(row[start - 1], ' ', `column at ${start} is aligned in: ${row}`)
  }
  const cell = (row: string, column: number): string => row.slice(starts[column] ?? 0, starts[column + 1] ?? undefined).trim()
  const byName = new Map(rows.map((row) => [row.split(/ +/)[0] ?? '', row]))
  for (const [name, verdict] of Object.entries(EXPECTED)) t.equal(cell(byName.get(name) ?? '', 6), verdict, `${name}: ${verdict}`)

  const prod = byName.get('prod') ?? ''
  t.equal(cell(prod, 0), '123456789034', 'account')
  t.equal(cell(prod, 1), 'ServerworksRolePU', 'role name')
  t.equal(cell(prod, 2), 'alice', 'source')
  t.equal(cell(prod, 3), 'mfa/alice', 'the MFA device')
  t.equal(cell(prod, 4), '12h', 'duration')
  t.equal(cell(prod, 5), 'eu-west-1', 'region')
  t.equal(cell(byName.get('short') ?? '', 4), '1h')
  t.equal(cell(byName.get('short') ?? '', 5), 'eu-central-1', 'region falls back to the source profile')
  t.equal(cell(byName.get('nomfa') ?? '', 3), '-')
  t.equal(cell(byName.get('odd') ?? '', 5), 'eu\\x1b[31m-west-1', 'config text is shown escaped, never raw')

  t.notOk(existsSync(marker), 'credential_process was not run')
  t.notOk(existsSync(`${marker}.mfa`), 'mfa_process was not run')
  t.equal(world.emulator.requests.length, 0, 'no call to AWS')
})

t.test('--json: a stable array with every field, raw values', async (t) => {
  const { world, marker } = await listWorld(t)
  const result = await world.run(['list', '--json'])
  t.equal(result.exitCode, 0, result.stderr)
  t.equal(result.stderr, '')
  const entries = JSON.parse(result.stdout) as Array<Record<string, unknown>>
  t.same(entries.map((entry) => entry.profile), Object.keys(EXPECTED))
  const keys = ['profile', 'account', 'role', 'roleArn', 'source', 'keys', 'mfaSerial', 'durationSeconds', 'region', 'status', 'verdict', 'problems', 'kind']
  for (const entry of entries) {
    t.same(Object.keys(entry), keys, `${String(entry.profile)}: the same keys in the same order`)
    t.equal(entry.verdict, EXPECTED[String(entry.profile)])
  }
  const by = (name: string): Record<string, unknown> => entries.find((entry) => entry.profile === name) ?? {}
  t.same(by('prod'), {
    profile: 'prod',
    account: '123456789034',
    role: 'ServerworksRolePU',
    roleArn: PROD_ROLE,
    source: 'alice',
    keys: 'long-term',
    mfaSerial: ALICE_MFA,
    durationSeconds: 43200,
    region: 'eu-west-1',
    status: 'ok',
    verdict: 'ok 12h',
    problems: [],
    kind: 'role',
  })
  t.match(by('chained'), { keys: 'temporary', status: 'error', problems: [{ code: 'chained', severity: 'error' }] })
  t.match(by('chained-short'), { durationSeconds: 3600, status: 'warn', problems: [{ code: 'chained', severity: 'warn' }] }, 'chained but within 1 h: works, with a warning')
  t.match(by('via-role'), { keys: 'role', problems: [{ code: 'source-assumes-role', severity: 'error' }] })
  t.match(by('lost'), { keys: null, status: 'error', problems: [{ code: 'source-not-found', fix: /add \[nobody\]/ }] })
  t.match(by('nokeys'), { keys: 'none', problems: [{ code: 'source-no-keys' }] })
  t.match(by('nomfa'), { mfaSerial: null, status: 'warn', problems: [{ code: 'no-mfa-serial', severity: 'warn' }] })
  t.match(by('toolong'), { durationSeconds: null, problems: [{ code: 'duration-out-of-range' }] })
  t.match(by('words'), { durationSeconds: null, problems: [{ code: 'bad-duration' }] })
  t.match(by('vaulted'), { keys: 'credential_process', status: 'ok' })
  t.equal(by('odd').region, `eu${ESC}[31m-west-1`, 'JSON carries the raw value (JSON escapes it)')
  t.notOk(result.stdout.includes(ESC), 'and JSON text itself holds no raw escape byte')
  t.notOk(existsSync(marker), 'credential_process was not run')
  t.equal(world.emulator.requests.length, 0)
})

t.test('colour: on a terminal, and with FORCE_COLOR; never with NO_COLOR', async (t) => {
  const { world } = await listWorld(t)
  const forced = await world.run(['list'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } })
  t.match(forced.stdout, new RegExp(`${ESC}\\[32mok 12h`), 'ok in green')
  t.match(forced.stdout, new RegExp(`${ESC}\\[31mchained: 1h max`), 'errors in red')
  t.match(forced.stdout, new RegExp(`${ESC}\\[33mno mfa_serial`), 'warnings in yellow')
  const plain = forced.stdout.replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')
  const piped = await world.run(['list'], { env: { NO_COLOR: undefined } })
  t.equal(plain, piped.stdout, 'colour changes nothing else (alignment included)')
  const noColor = await world.run(['list'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })
  t.notOk(noColor.stdout.includes(ESC), 'NO_COLOR wins')

  const script = await execa('sh', ['-c', 'command -v script'], { reject: false })
  if (script.exitCode !== 0) {
    t.fail('script(1) from util-linux is needed to give the CLI a terminal')
    return
  }
  const env = { ...world.env(), NO_COLOR: undefined, TERM: 'xterm-256color' }
  const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} list`
  const tty = await execa('script', ['-qec', command, '/dev/null'], { env, extendEnv: false, reject: false, stdin: 'ignore' })
  t.equal(tty.exitCode, 0, tty.stderr)
  t.match(tty.stdout, new RegExp(`${ESC}\\[32mok 12h`), 'a terminal gets colour')
  const ttyNoColor = await execa('script', ['-qec', command, '/dev/null'], { env: { ...env, NO_COLOR: '1' }, extendEnv: false, reject: false, stdin: 'ignore' })
  t.notOk(ttyNoColor.stdout.includes(`${ESC}[3`), 'NO_COLOR on a terminal: no colour')
})

t.test('no target profiles: an empty JSON array, and a hint on stderr for the table', async (t) => {
  const world = await makeWorld(t, { config: () => '[profile alice]\nregion = eu-west-1\n' })
  const json = await world.run(['list', '--json'])
  t.equal(json.exitCode, 0)
  t.same(JSON.parse(json.stdout), [])
  const table = await world.run(['list'])
  t.equal(table.exitCode, 0)
  t.equal(table.stdout, '')
  t.match(table.stderr, /^awsmfa: no profile with role_arn in .*config/)
})

t.test('credential_source = Environment is judged by this environment', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[profile envsrc]\nrole_arn = ${PROD_ROLE}\ncredential_source = Environment\nmfa_serial = ${ALICE_MFA}\n`,
  })
  const verdict = async (env: Record<string, string | undefined>): Promise<string> => {
    const result = await world.run(['list', '--json'], { env })
    return String((JSON.parse(result.stdout) as Array<{ verdict: string }>)[0]?.verdict)
  }
  t.equal(await verdict({}), 'no keys in environment')
  t.equal(await verdict({ AWS_ACCESS_KEY_ID: world.alice.accessKeyId, AWS_SECRET_ACCESS_KEY: 'x' }), 'ok 12h')
  t.equal(await verdict({ AWS_ACCESS_KEY_ID: 'ASIAXXXX', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 't' }), 'chained: 1h max')
  t.equal(await verdict({ AWS_ACCESS_KEY_ID: 'ASIAXXXX', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: 't', AWSMFA_PROFILE: 'prod' }), 'environment holds a session')
})

t.test('[sso-session x] and [services x] sections are not profiles, even with a role_arn', async (t) => {
  const world = await makeWorld(t, {
    config: () => `[sso-session corp]\nrole_arn = ${PROD_ROLE}\nsso_region = eu-west-1\n\n[services local]\nrole_arn = ${PROD_ROLE}\n\n[profile prod]\nrole_arn = ${PROD_ROLE}\nsource_profile = alice\nmfa_serial = ${ALICE_MFA}\n`,
  })
  const result = await world.run(['list', '--json'])
  t.equal(result.exitCode, 0, result.stderr)
  t.same((JSON.parse(result.stdout) as Array<{ profile: string }>).map((p) => p.profile), ['prod'])
})
