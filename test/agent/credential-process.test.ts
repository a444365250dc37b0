/**
 * credential_process = awsmfa env P --json, through the real AWS CLI v2: with an agent, two
 * calls make one AssumeRole; without one, the MFA prompt reaches the terminal even though the
 * AWS CLI captures the process's stderr, and with no terminal it fails at once with a clear error.
 */
import t from 'tap'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import { CLI, defaultConfig, makeWorld, type World } from '../helpers/world.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, shellRow } from '../helpers/shell-table.js'
import { Tmux } from '../helpers/tmux.js'
import { startAgent } from '../helpers/agent.js'
import { assertNoLeaks } from '../helpers/leaks.js'

const AWS = '/usr/bin/aws'

function cliConfig(codeFile: string): string {
  const awsmfa = `${process.execPath} ${CLI}`
  return `${defaultConfig()}
[profile prodcode]
role_arn = arn:aws:iam::123456789034:role/ServerworksRolePU
source_profile = alice
mfa_serial = arn:aws:iam::123456789012:mfa/alice
mfa_process = cat ${codeFile} && rm ${codeFile}

[profile viaagent]
credential_process = ${awsmfa} env prodcode --json

[profile viatty]
credential_process = ${awsmfa} env prod --json
`
}

function awsEnv(world: World): Record<string, string> {
  return { ...world.env(), AWS_PAGER: '', LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' }
}

async function callerArn(world: World, profile: string): Promise<{ exitCode: number; arn: string; stderr: string }> {
  const r = await execa(AWS, ['sts', 'get-caller-identity', '--profile', profile, '--region', 'eu-west-1', '--output', 'json', '--endpoint-url', world.emulator.url], {
    env: awsEnv(world), extendEnv: false, reject: false, timeout: 60_000, detached: true, stdin: 'ignore',
  })
  const arn = r.exitCode === 0 ? (JSON.parse(String(r.stdout)) as { Arn: string }).Arn : ''
  return { exitCode: r.exitCode ?? -1, arn, stderr: String(r.stderr) }
}

const assumeCalls = (world: World): number => world.emulator.requests.filter((r) => r.action === 'AssumeRole').length

t.test('AWS CLI v2 with credential_process twice, an agent running: one AssumeRole', async (t) => {
  if (!existsSync(AWS)) {
    t.fail(`${AWS} is not installed (apt-get install awscli)`)
    return
  }
  const world = await makeWorld(t)
  const codeFile = join(world.scratch, 'code')
  world.writeConfig(cliConfig(codeFile))
  await startAgent(t, world)
  const code = world.code()
  writeFileSync(codeFile, code)
  const first = await callerArn(world, 'viaagent')
  t.equal(first.exitCode, 0, first.stderr)
  t.match(first.arn, /^arn:aws:sts::123456789034:assumed-role\/ServerworksRolePU\//)
  t.notOk(existsSync(codeFile), 'the first call spent the one code (mfa_process removed it)')
  const second = await callerArn(world, 'viaagent')
  t.equal(second.exitCode, 0, `the second call needs no code: ${second.stderr}`)
  t.equal(second.arn, first.arn)
  t.equal(assumeCalls(world), 1, 'one AssumeRole in the emulator log for both calls')
  assertNoLeaks(t, world, { text: [first.stderr, second.stderr], paths: [world.scratch], codes: [code] })
})

t.test('no agent, no terminal: the AWS CLI reports awsmfa\'s clear error at once', async (t) => {
  if (!existsSync(AWS)) {
    t.fail(`${AWS} is not installed`)
    return
  }
  const world = await makeWorld(t)
  world.writeConfig(cliConfig(join(world.scratch, 'code')))
  const r = await callerArn(world, 'viatty')
  t.not(r.exitCode, 0)
  t.match(r.stderr, /custom-process/)
  t.match(r.stderr, /prod: needs an MFA code, and there is no terminal to ask for one/)
  t.equal(assumeCalls(world), 0)
})

t.test('no agent, at a terminal: the prompt reaches /dev/tty although the AWS CLI captures stderr', async (t) => {
  if (!existsSync(AWS)) {
    t.fail(`${AWS} is not installed`)
    return
  }
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const tmuxPath = await requireShell(t, 'tmux')
  const world = await makeWorld(t)
  world.writeConfig(cliConfig(join(world.scratch, 'code')))
  const rc = join(world.scratch, 'rc')
  writeFileSync(rc, "PS1='$ '\nunset HISTFILE\n")
  const tmux = await Tmux.start(t, tmuxPath, { command: [bash, '--noprofile', '--rcfile', rc, '-i'], env: { ...awsEnv(world), AWS: AWS } })
  await tmux.waitForMatch(/^\$ ?$/m)
  await tmux.line('"$AWS" sts get-caller-identity --profile viatty --region eu-west-1 --output text --query Arn --endpoint-url "$AWS_ENDPOINT_URL_STS" 2>/dev/null; echo "rc=$?"')
  await tmux.waitForMatch(/MFA code for prod \(arn:aws:iam::123456789012:mfa\/alice\):$/m)
  t.pass('the prompt is on the terminal, with the AWS CLI\'s own stderr sent to /dev/null')
  const code = world.code()
  await tmux.line(code)
  const [, arn] = await tmux.waitForMatch(/^(arn:aws:sts::\S+)$/m)
  t.match(arn, /assumed-role\/ServerworksRolePU\//)
  t.equal((await tmux.waitForMatch(/^rc=(\d+)$/m))[1], '0')
})
