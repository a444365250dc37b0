import { join } from 'node:path'
import { painter, type Paint } from '../format/colour.js'
import type { Deps, Terminal } from '../deps.js'
import { formatRemaining } from '../duration.js'
import type { Emulator, EmulatorUser } from '../emulator/types.js'
import { demoWorld } from '../emulator/world.js'
import { AwsmfaError, EXIT, formatError } from '../errors.js'
import { stsTimeoutMs } from '../limits.js'
import { printable } from '../text.js'
import { applyEnvironmentChange, environmentChange } from '../session.js'
import { consoleCommand } from './console.js'
import { envCommand } from './env.js'

const ROLE_ARN = 'arn:aws:iam::123456789034:role/ServerworksRolePU'
const REGION = 'eu-west-1'

interface Captured {
  stdout: string
  stderr: string
}

interface SessionKeys {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
}

/**
 * `awsmfa demo`: the whole flow against the built-in STS emulator on 127.0.0.1, with a throwaway
 * config in a temp directory that is removed at the end (also on failure or Ctrl-C). It runs the
 * real `env` code with a Deps pointed at that world. Nothing in HOME is written; its profiles and keys are
 * never used (the SDK may still read ~/.aws/config for its own client settings, as it always does).
 */
export async function demoCommand(deps: Deps): Promise<number> {
  const paint = await painter(deps.stdout, deps.env, 'stdout')
  const dir = await deps.makeTempDir('awsmfa-demo-')
  let emulator: Emulator | undefined
  let interrupt: (() => void) | undefined
  const interrupted = new Promise<never>((_resolve, reject) => {
    interrupt = () => reject(new AwsmfaError('demo interrupted; its temporary files were removed', { exitCode: EXIT.interrupted }))
  })
  const stopListening = deps.onInterrupt(() => interrupt?.())
  try {
    const world = demoWorld()
    emulator = await deps.startEmulator({ ...world, port: 0 })
    await Promise.race([runDemo(emulator, world.users[0], dir, deps, paint), interrupted])
    return EXIT.ok
  } finally {
    stopListening()
    await emulator?.close()
    await deps.removeDir(dir)
  }
}

async function runDemo(emulator: Emulator, alice: EmulatorUser | undefined, dir: string, deps: Deps, paint: Paint): Promise<void> {
  if (alice?.mfaSerial === undefined) throw new AwsmfaError('the demo world has no MFA user')
  const mfaSerial = alice.mfaSerial
  const out: string[] = []
  const say = (...lines: string[]): void => void out.push(...(lines.length === 0 ? [''] : lines))
  const flush = (): void => {
    if (out.length > 0) deps.stdout.write(`${out.join('\n')}\n`)
    out.length = 0
  }
  const hidden = (value: string, keep = 0): string => `${value.slice(0, keep)}…(${value.length} characters, hidden here)`
  const indent = (text: string, by = '   '): string[] => text.replace(/\n$/, '').split('\n').map((line) => (line === '' ? '' : `${by}${line}`))

  // What a user of the classic two-step has in a profile: GetSessionToken keys (ASIA… and a token).
  const chainedKeys = await getSessionToken(emulator, alice, deps)

  const configPath = join(dir, 'config')
  const credentialsPath = join(dir, 'credentials')
  const config = [
    '[profile prod]',
    `role_arn = ${ROLE_ARN}`,
    'source_profile = alice',
    `mfa_serial = ${mfaSerial}`,
    `region = ${REGION}`,
    '',
    '[profile chained]',
    `role_arn = ${ROLE_ARN}`,
    'source_profile = sessiontoken',
    `mfa_serial = ${mfaSerial}`,
    `region = ${REGION}`,
    '',
    '[profile me]',
    `mfa_serial = ${mfaSerial}`,
    `region = ${REGION}`,
    '',
  ].join('\n')
  const credentials = (show: (value: string, keep?: number) => string): string =>
    [
      '[alice]',
      `aws_access_key_id = ${alice.accessKeyId}`,
      `aws_secret_access_key = ${show(alice.secretAccessKey)}`,
      '',
      '[sessiontoken]',
      `aws_access_key_id = ${chainedKeys.accessKeyId}`,
      `aws_secret_access_key = ${show(chainedKeys.secretAccessKey)}`,
      `aws_session_token = ${show(chainedKeys.sessionToken, 4)}`,
      '',
      '[me]',
      `aws_access_key_id = ${alice.accessKeyId}`,
      `aws_secret_access_key = ${show(alice.secretAccessKey)}`,
      '',
    ].join('\n')
  await deps.writePrivateFile(configPath, config)
  await deps.writePrivateFile(credentialsPath, credentials((value) => value))

  say(paint.bold('awsmfa demo: the whole flow against a local STS emulator'))
  say(paint.dim(`The emulator listens on ${emulator.url}; no AWS account, nothing leaves this machine,`))
  say(paint.dim(`and nothing in your home directory is changed. The throwaway files live in ${printable(dir)} until the demo ends.`))
  say()
  say(paint.bold('The world'))
  say(`   alice              IAM user in ${alice.accountId}: long-term keys (${alice.accessKeyId.slice(0, 4)}…) and a virtual MFA device`)
  say(`   ServerworksRolePU  role in 123456789034: trusts alice with MFA, sessions up to 12 h`)
  say()
  say(paint.bold('~/.aws/config') + paint.dim(' (the throwaway copy)'))
  say(...indent(config))
  say()
  say(paint.bold('~/.aws/credentials') + paint.dim(' ([sessiontoken] is what `aws sts get-session-token` leaves behind)'))
  say(...indent(credentials(hidden)))
  say()

  const code = emulator.totp(mfaSerial)
  say(`${paint.bold('1.')} The MFA device shows ${paint.bold(code)}.`)
  say()

  const captured: Captured = { stdout: '', stderr: '' }
  const inner = innerDeps(deps, { dir, configPath, credentialsPath, emulator, captured, typeCode: () => code })
  say(`${paint.bold('2.')} ${paint.ok('$ awsmfa use prod')}${paint.dim('        # the same as: eval "$(awsmfa env prod)"')}`)
  await envCommand({ profile: 'prod' }, inner)
  say(...indent(captured.stderr))
  const issued = emulator.issued.at(-1)
  if (issued === undefined) throw new AwsmfaError('the emulator issued no session')
  say()
  say(`   ${paint.dim('What `awsmfa env prod` printed for the shell to run (secrets hidden here):')}`)
  const masked = captured.stdout
    .replaceAll(issued.secretAccessKey, hidden(issued.secretAccessKey))
    .replaceAll(issued.sessionToken, hidden(issued.sessionToken, 4))
  say(...indent(masked))
  say()

  const remaining = formatRemaining(Math.round((issued.expiration.getTime() - deps.now()) / 60_000) * 60)
  const identity = await (await deps.loadSts()).getCallerIdentity({
    region: REGION,
    endpoint: emulator.url,
    credentials: { accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken },
    timeoutMs: stsTimeoutMs(inner.env),
  })
  say(`${paint.bold('3.')} Only this terminal holds the session; its prompt shows how long it lasts:`)
  say(`   ${paint.warn(`[prod ${remaining}]`)} $ aws sts get-caller-identity --query Arn`)
  say(`   ${printable(identity.arn)}`)
  say()
  flush()

  // The console, for the rest of this session: the sign-in URL printed (not opened), its token hidden here.
  const base = `${emulator.url}/federation`
  // The terminal as `awsmfa use prod` leaves it: the one environment change, applied.
  const held = applyEnvironmentChange(inner.env, environmentChange({
    profile: 'prod', roleArn: ROLE_ARN, assumedRoleArn: issued.arn, accessKeyId: issued.accessKeyId, secretAccessKey: issued.secretAccessKey,
    sessionToken: issued.sessionToken, expiration: issued.expiration, region: REGION,
  }))
  captured.stdout = ''
  captured.stderr = ''
  say(`${paint.bold('4.')} The AWS console for the rest of the session (up to 12 h, as AWS allows for a role assumed with long-term keys):`)
  say(`   ${paint.ok('$ awsmfa console --url')}${paint.dim('   # without --url it opens the browser')}`)
  await consoleCommand({ url: true }, { ...inner, env: { ...held, AWSMFA_SIGNIN_URL: base } })
  const signin = new URL(captured.stdout.trim())
  const token = signin.searchParams.get('SigninToken') ?? ''
  say(`   ${printable(captured.stdout.trim().replace(token, hidden(token, 11)))}`)
  say(...indent(captured.stderr))
  say(`   ${paint.dim(`(the emulator's federation endpoint stands in for https://signin.aws.amazon.com/federation; the URL is a password for 15 minutes)`)}`)
  say()
  flush()

  say(`${paint.bold('5.')} The usual two steps (get-session-token, then assume-role) are role chaining, capped at 1 h by AWS:`)
  say(`   ${paint.ok('$ awsmfa use chained')}`)
  captured.stdout = ''
  captured.stderr = ''
  const before = emulator.requests.length
  try {
    await envCommand({ profile: 'chained' }, inner)
    say(...indent(paint.error('(unexpected: the chained profile was accepted)')))
  } catch (error) {
    if (!(error instanceof AwsmfaError)) throw error
    say(...indent(captured.stderr + formatError(error)))
    const calls = emulator.requests.length - before
    say(`   ${paint.dim(`(exit status ${error.exitCode}; ${calls === 0 ? 'refused before any call to STS, so no MFA code was spent' : `${calls} call(s) to STS`})`)}`)
  }
  say()
  captured.stdout = ''
  captured.stderr = ''
  const nextCode = emulator.totp(mfaSerial, deps.now() + 30_000)
  say(`${paint.bold('6.')} An MFA session as the IAM user itself, no role (one GetSessionToken, up to 36 h):`)
  say(`   ${paint.ok('$ awsmfa use me')}${paint.dim(`          # the device now shows ${nextCode}`)}`)
  await envCommand({ profile: 'me' }, innerDeps(deps, { dir, configPath, credentialsPath, emulator, captured, typeCode: () => nextCode }))
  say(...indent(captured.stderr))
  flush()
  say()
  say(`Your own setup: ${paint.bold('awsmfa list')} shows your profiles, ${paint.bold('awsmfa doctor')} checks them and explains each fix.`)
  flush()
}

/** The classic first step, without MFA: GetSessionToken with alice's long-term keys. */
async function getSessionToken(emulator: Emulator, alice: EmulatorUser, deps: Deps): Promise<SessionKeys> {
  const keys = await (await deps.loadSts()).getSessionToken({
    durationSeconds: 43200,
    serialNumber: undefined,
    tokenCode: undefined,
    region: REGION,
    endpoint: emulator.url,
    credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey, sessionToken: undefined, origin: "profile 'alice'", chainedBecause: undefined },
    // The demo's world sets no AWSMFA_STS_TIMEOUT: the default, as for its other calls.
    timeoutMs: stsTimeoutMs({}),
  })
  return { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken }
}

/**
 * The Deps `env` runs with inside the demo: the throwaway files, the emulator's endpoint, a
 * terminal where the virtual device's code is "typed", and nothing from the user's environment.
 */
function innerDeps(
  deps: Deps,
  world: { dir: string; configPath: string; credentialsPath: string; emulator: Emulator; captured: Captured; typeCode: () => string },
): Deps {
  const { captured } = world
  const terminal: Terminal = {
    readLine: async (prompt) => {
      const code = world.typeCode()
      captured.stderr += `${prompt}${code}\n`
      return code
    },
    close: () => {},
  }
  return {
    ...deps,
    env: {
      HOME: world.dir,
      AWS_CONFIG_FILE: world.configPath,
      AWS_SHARED_CREDENTIALS_FILE: world.credentialsPath,
      AWS_ENDPOINT_URL_STS: world.emulator.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
    stdout: { write: (text) => void (captured.stdout += text), isTTY: false },
    stderr: { write: (text) => void (captured.stderr += text), isTTY: false },
    homedir: () => world.dir,
    username: () => 'alice',
    openTerminal: async () => terminal,
    runCommand: async () => ({ exitCode: undefined, stdout: '', stderr: '', timedOut: false, failedToStart: true }),
    // The demo's emulator is on this machine: a corporate HTTP_PROXY in the real environment must not carry it.
    proxyForUrl: async () => '',
  }
}
