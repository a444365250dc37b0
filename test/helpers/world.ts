/**
 * A throwaway world for end-to-end tests: a fresh STS emulator on 127.0.0.1, a temp HOME with
 * ~/.aws/config and ~/.aws/credentials, and a runner for the BUILT CLI (dist/awsmfa.mjs) with
 * an environment that holds nothing of the developer's own AWS setup.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execa, type ResultPromise } from 'execa'
import { startEmulator, type Emulator, type EmulatorRole, type EmulatorUser } from '../../lib/emulator/index.js'
import { HOSTILE_KEYS } from './hostile-keys.js'

export const ROOT = resolve(import.meta.dirname, '../..')
export const CLI = join(ROOT, 'dist/awsmfa.mjs')

export const USER_ACCOUNT = '123456789012'
export const ROLE_ACCOUNT = '123456789034'
export const PROD_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/ServerworksRolePU`
export const SHORT_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/ReadOnly`
export const NOMFA_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/NoMfaTrust`
export const ALICE_MFA = `arn:aws:iam::${USER_ACCOUNT}:mfa/alice`

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** Fresh, random keys and MFA seed per world, so no two tests share a code window. */
function makeAlice(): EmulatorUser {
  const upper = (n: number): string => Array.from(randomBytes(n), (b) => BASE32[b % 32]).join('')
  return {
    userName: 'alice',
    accountId: USER_ACCOUNT,
    accessKeyId: `AKIA${upper(16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    mfaSerial: ALICE_MFA,
    mfaSecret: upper(32),
  }
}

/** Another IAM user in USER_ACCOUNT, shaped like alice: fresh random keys and its own MFA device. */
export function makeUser(userName: string): EmulatorUser {
  return { ...makeAlice(), userName, mfaSerial: `arn:aws:iam::${USER_ACCOUNT}:mfa/${userName}` }
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface World {
  readonly home: string
  /** A temp directory outside HOME for test files. */
  readonly scratch: string
  readonly configPath: string
  readonly credentialsPath: string
  readonly emulator: Emulator
  readonly alice: EmulatorUser
  /** The environment the CLI runs with (a copy; change freely). */
  env(): Record<string, string>
  /** A valid MFA code not handed out before in this world (codes are single-use). */
  code(): string
  /** Runs the built CLI with `args`; never rejects. */
  run(args: string[], options?: { env?: Record<string, string | undefined>; input?: string }): Promise<RunResult>
  /** Every file under HOME with its bytes, to prove a run wrote nothing. */
  snapshotHome(): Map<string, string>
  writeConfig(text: string): void
  writeCredentials(text: string): void
  /** Starts the built CLI and hands back the running process (to signal it); never rejects. */
  start(args: string[], options?: { env?: Record<string, string | undefined> }): ResultPromise<{ reject: false; stdin: 'ignore' }>
  /** Runs the built CLI once for `env --json` and returns the variables a shell would hold after `awsmfa use`. */
  sessionEnv(profile: string, extraArgs?: string[]): Promise<Record<string, string>>
}

export interface WorldOptions {
  /** The emulator issues HOSTILE_SECRET / HOSTILE_TOKEN (test/helpers/hostile-keys.ts). */
  hostile?: boolean
  config?: (alice: EmulatorUser) => string
  credentials?: (alice: EmulatorUser) => string
  roles?: EmulatorRole[]
  /** The emulator's clock (default Date.now), to put it out of step with this computer's. */
  emulatorNow?: () => number
  /** More IAM users besides alice (e.g. one MFA device each, for runs in parallel). */
  extraUsers?: EmulatorUser[]
}

export function defaultConfig(): string {
  return `[default]
region = us-east-2

[profile prod]
role_arn = ${PROD_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}
region = eu-west-1

[profile readonly]
role_arn = ${SHORT_ROLE}
source_profile = alice
mfa_serial = ${ALICE_MFA}

[profile nomfa]
role_arn = ${NOMFA_ROLE}
source_profile = alice

[profile alice]
region = eu-central-1
`
}

export function defaultCredentials(alice: EmulatorUser): string {
  return `[alice]
aws_access_key_id = ${alice.accessKeyId}
aws_secret_access_key = ${alice.secretAccessKey}
`
}

export function defaultRoles(): EmulatorRole[] {
  const aliceArn = `arn:aws:iam::${USER_ACCOUNT}:user/alice`
  return [
    { arn: PROD_ROLE, maxSessionDuration: 43200, trustedPrincipals: [aliceArn], requireMfa: true },
    { arn: SHORT_ROLE, maxSessionDuration: 3600, trustedPrincipals: [`arn:aws:iam::${USER_ACCOUNT}:root`], requireMfa: true },
    { arn: NOMFA_ROLE, maxSessionDuration: 43200, trustedPrincipals: [aliceArn], requireMfa: false },
  ]
}

interface Teardown {
  teardown(fn: () => unknown): void
}

export async function makeWorld(t: Teardown, options: WorldOptions = {}): Promise<World> {
  const alice = makeAlice()
  const emulator = await startEmulator({
    users: [alice, ...(options.extraUsers ?? [])],
    roles: options.roles ?? defaultRoles(),
    ...(options.hostile === true ? { hostile: HOSTILE_KEYS } : {}),
    ...(options.emulatorNow === undefined ? {} : { now: options.emulatorNow }),
  })
  const home = mkdtempSync(join(tmpdir(), 'awsmfa-home-'))
  const scratch = mkdtempSync(join(tmpdir(), 'awsmfa-scratch-'))
  const awsDir = join(home, '.aws')
  mkdirSync(awsDir)
  const configPath = join(awsDir, 'config')
  const credentialsPath = join(awsDir, 'credentials')
  writeFileSync(configPath, (options.config ?? (() => defaultConfig()))(alice))
  writeFileSync(credentialsPath, (options.credentials ?? defaultCredentials)(alice), { mode: 0o600 })
  t.teardown(async () => {
    await emulator.close()
    // A shell still exiting in tmux may write its history while the tree goes: retry ENOTEMPTY.
    rmSync(home, { recursive: true, force: true, maxRetries: 5 })
    rmSync(scratch, { recursive: true, force: true, maxRetries: 5 })
  })

  // Codes are single-use; AWS accepts the previous, current and next 30-s step, and once a step is
  // used it refuses that step and every earlier one. So hand out the current step, then the next,
  // never the previous (a slow run could reach the server a step later, when it is out of window);
  // when both are spent, wait for the clock to reach a fresh step. The wait blocks this process,
  // which is safe: the caller awaited its last run, so no request to the emulator is in flight.
  const STEP_MS = 30_000
  let lastStep = Number.NEGATIVE_INFINITY
  const code = (): string => {
    for (;;) {
      const now = Date.now()
      const current = Math.floor(now / STEP_MS)
      const step = [current, current + 1].find((s) => s > lastStep)
      if (step !== undefined) {
        lastStep = step
        return emulator.totp(ALICE_MFA, step * STEP_MS)
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, (current + 1) * STEP_MS - now + 5)
    }
  }

  const env = (): Record<string, string> => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: 'alice',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_CONFIG_FILE: configPath,
    AWS_SHARED_CREDENTIALS_FILE: credentialsPath,
    AWS_ENDPOINT_URL_STS: emulator.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
    // The world's own agent address (nothing listens there unless a test starts an agent), so no
    // run can reach an agent on this machine's default path.
    AWSMFA_AGENT_SOCK: join(scratch, 'agent', 'agent.sock'),
  })

  const run = async (args: string[], runOptions: { env?: Record<string, string | undefined>; input?: string } = {}): Promise<RunResult> => {
    const merged: Record<string, string | undefined> = { ...env(), ...runOptions.env }
    const result = await execa(process.execPath, [CLI, ...args], {
      env: merged,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
      // No controlling terminal: a prompt must fail fast instead of hanging the test.
      detached: true,
      ...(runOptions.input === undefined ? { stdin: 'ignore' as const } : { input: runOptions.input }),
    })
    return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) }
  }

  const start = (args: string[], startOptions: { env?: Record<string, string | undefined> } = {}) =>
    execa(process.execPath, [CLI, ...args], {
      env: { ...env(), ...startOptions.env },
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      timeout: 60_000,
      detached: true,
      stdin: 'ignore',
    })

  const sessionEnv = async (profile: string, extraArgs: string[] = []): Promise<Record<string, string>> => {
    const result = await run(['env', profile, '--shell', 'bash', '--token-code', code(), ...extraArgs])
    if (result.exitCode !== 0) throw new Error(`env ${profile} failed: ${result.stderr}`)
    // Let a real bash evaluate it, as `awsmfa use` would, and read back what it exported.
    const shell = await execa('bash', ['--norc', '--noprofile', '-c', 'eval "$1" && env -0', 'bash', result.stdout], {
      env: { PATH: process.env.PATH },
      extendEnv: false,
    })
    const variables: Record<string, string> = {}
    for (const entry of shell.stdout.split('\0')) {
      const eq = entry.indexOf('=')
      const name = entry.slice(0, eq)
      if (/^AWS(MFA)?_/.test(name)) variables[name] = entry.slice(eq + 1)
    }
    return variables
  }

  const snapshotHome = (): Map<string, string> => {
    const files = new Map<string, string>()
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else files.set(path, readFileSync(path).toString('base64'))
      }
    }
    walk(home)
    return files
  }

  return {
    home,
    scratch,
    configPath,
    credentialsPath,
    emulator,
    alice,
    env,
    code,
    run,
    snapshotHome,
    writeConfig: (text) => writeFileSync(configPath, text),
    writeCredentials: (text) => writeFileSync(credentialsPath, text, { mode: 0o600 }),
    start,
    sessionEnv,
  }
}

/** Fails the test when any secret shows up in text meant for people (stderr, logs). */
export function assertNoSecrets(
  t: { notOk(value: unknown, message: string): unknown },
  text: string,
  secrets: ReadonlyArray<string | undefined>,
  where = 'stderr',
): void {
  for (const secret of secrets) {
    if (secret) t.notOk(text.includes(secret), `${where} holds no secret (${secret.slice(0, 4)}…)`)
  }
}
