import type { Deps, Env } from './deps.js'
import { CHAINED_MAX_DURATION } from './duration.js'
import { AwsmfaError, EXIT } from './errors.js'
import { processTimeoutMs } from './limits.js'
import type { ProfileSettings, SharedConfig, TargetProfile, UserProfile } from './profiles.js'
import type { SourceCredentials } from './sts-api.js'
import { commandName, firstLine, printable } from './text.js'

export type { SourceCredentials } from './sts-api.js'

export const ENVIRONMENT_NO_KEYS_FIX = 'export the IAM user\'s keys first, or use source_profile instead'

/**
 * Finds the long-term keys behind a target profile: the source profile's static keys or its
 * credential_process, or — only when the profile says credential_source = Environment — the
 * environment. Ambient AWS_* variables are otherwise ignored: a previous `awsmfa use` left
 * temporary keys there, and signing with them would be role chaining.
 */
export async function resolveSourceCredentials(
  target: TargetProfile,
  config: SharedConfig,
  deps: Pick<Deps, 'env' | 'runCommand'>,
): Promise<SourceCredentials> {
  const keys = await findSourceCredentials(target, config, deps)
  assertSendable(target, keys)
  return keys
}

/** AWS's own pattern for an AccessKeyId. */
const ACCESS_KEY_ID = /^\w+$/
/** Session tokens are base64: printable ASCII, no spaces. */
const SESSION_TOKEN = /^[\x21-\x7e]+$/

/**
 * Keys travel in HTTP headers (Authorization, X-Amz-Security-Token). A character picked up in copy
 * and paste (a typographic quote, a space, a line break) cannot be sent there: the HTTP client
 * throws before any request, and the SDK leaves a timer that holds the process for seconds. Say
 * so before the MFA code is asked for. Neither value is ever shown.
 */
function assertSendable(target: { readonly name: string }, keys: SourceCredentials): void {
  if (!ACCESS_KEY_ID.test(keys.accessKeyId)) {
    throw new AwsmfaError(`the access key id from ${keys.origin} holds characters no access key has (a quote, a space or another character picked up in copy and paste?)`, {
      fix: 'copy the key id again: capital letters and digits only, AKIA… (aws configure)',
      profile: target.name,
      exitCode: EXIT.usage,
    })
  }
  if (keys.sessionToken !== undefined && !SESSION_TOKEN.test(keys.sessionToken)) {
    throw new AwsmfaError(`the session token from ${keys.origin} holds characters no session token has (a space, a line break or a typographic character?)`, {
      fix: 'copy the token again, or better, use the IAM user\'s long-term keys as the source',
      profile: target.name,
      exitCode: EXIT.usage,
    })
  }
}

async function findSourceCredentials(
  target: TargetProfile,
  config: SharedConfig,
  deps: Pick<Deps, 'env' | 'runCommand'>,
): Promise<SourceCredentials> {
  if (target.sourceProfile === undefined) return fromEnvironment(target, deps)
  const sourceName = target.sourceProfile
  const source = config.profiles.get(sourceName) ?? {}
  const origin = `profile '${printable(sourceName)}'`
  const keys = sourceProfileKeys(source)
  if (keys.kind === 'static') return withChainingVerdict({ accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken, origin })
  if (keys.kind === 'role') return refuseRoleSource(target, sourceName)
  if (keys.kind === 'credential_process') return withChainingVerdict(await fromCredentialProcess(target, sourceName, source, deps))
  throw new AwsmfaError(`gets its keys from '${printable(sourceName)}', which has no aws_access_key_id/aws_secret_access_key and no credential_process`, {
    fix: `add the IAM user's access keys to [${printable(sourceName)}] in ${printable(config.credentialsPath)} (aws configure --profile ${printable(sourceName)})`,
    profile: target.name,
    exitCode: EXIT.usage,
  })
}

/**
 * The keys of a user-session profile: its own static keys. GetSessionToken must be signed with
 * an IAM user's long-term keys (AWS: "Cannot call GetSessionToken with session credentials"),
 * so temporary ones are refused here, before the MFA code is asked for.
 */
export function resolveUserCredentials(user: UserProfile, config: SharedConfig): SourceCredentials {
  const settings = config.profiles.get(user.name) ?? {}
  const keys = withChainingVerdict({
    accessKeyId: settings.aws_access_key_id ?? '',
    secretAccessKey: settings.aws_secret_access_key ?? '',
    sessionToken: settings.aws_session_token || undefined,
    origin: `profile '${printable(user.name)}'`,
  })
  assertSendable(user, keys)
  if (keys.chainedBecause !== undefined) {
    throw new AwsmfaError(`holds ${keys.chainedBecause}; AWS answers GetSessionToken only for an IAM user's long-term keys`, {
      fix: `put the IAM user's long-term keys (AKIA…) in [${printable(user.name)}] in ${printable(config.credentialsPath)} (aws configure --profile ${printable(user.name)})`,
      profile: user.name,
      exitCode: EXIT.usage,
    })
  }
  return keys
}

/**
 * The no-chaining guarantee: temporary source keys can only assume a role for one hour, so a
 * longer request is refused here, before STS is called and before an MFA code is spent.
 */
export function assertNotChained(target: TargetProfile, source: SourceCredentials, durationSeconds: number): void {
  if (source.chainedBecause === undefined || !exceedsChainedLimit(durationSeconds)) return
  const hours = `${Math.round((durationSeconds / 3600) * 10) / 10} h`
  throw new AwsmfaError(
    `gets its keys from ${source.origin}, which holds ${source.chainedBecause}. ` +
      `AWS limits a role assumed with temporary credentials to 1 hour\n("role chaining"), so the ${hours} session asked for would be refused.`,
    {
      fix: 'point source_profile at the IAM user\'s long-term keys (AKIA…), or run with --duration 1h',
      profile: target.name,
      exitCode: EXIT.usage,
    },
  )
}

/**
 * What a source profile holds, by the files alone: the one reading `env` signs with and
 * `list`/`doctor` explain. Static keys win over the source's own role_arn, as in botocore (a
 * profile may name itself as its source_profile to use its own keys); only a role source
 * without keys would chain. credential_process is not run here.
 */
export type SourceProfileKeys =
  | { readonly kind: 'static'; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken: string | undefined }
  | { readonly kind: 'role' }
  | { readonly kind: 'credential_process' }
  /** `half` names the one key that is there without the other. */
  | { readonly kind: 'none'; readonly half: 'aws_access_key_id' | 'aws_secret_access_key' | undefined }

export function sourceProfileKeys(source: ProfileSettings): SourceProfileKeys {
  const accessKeyId = source.aws_access_key_id
  const secretAccessKey = source.aws_secret_access_key
  if (accessKeyId && secretAccessKey) return { kind: 'static', accessKeyId, secretAccessKey, sessionToken: source.aws_session_token || undefined }
  if (source.role_arn) return { kind: 'role' }
  if (source.credential_process) return { kind: 'credential_process' }
  return { kind: 'none', half: accessKeyId ? 'aws_access_key_id' : secretAccessKey ? 'aws_secret_access_key' : undefined }
}

/**
 * What credential_source = Environment finds: the session an earlier `awsmfa use` left (never a
 * source: signing with it would be role chaining), no keys, or the keys themselves.
 */
export type EnvironmentKeys =
  | { readonly kind: 'awsmfa-session'; readonly profile: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'static'; readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken: string | undefined }

export function environmentKeys(env: Env): EnvironmentKeys {
  if (env.AWSMFA_PROFILE) return { kind: 'awsmfa-session', profile: env.AWSMFA_PROFILE }
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) return { kind: 'none' }
  return { kind: 'static', accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
}

/** Why keys are temporary (a session token, or an ASIA… key id), the one test for role chaining; undefined for long-term keys. */
export function temporaryKeys(accessKeyId: string, sessionToken: string | undefined): 'session-token' | 'asia-key' | undefined {
  if (sessionToken) return 'session-token'
  return accessKeyId.startsWith('ASIA') ? 'asia-key' : undefined
}

/** Whether AWS refuses a session this long from temporary keys (it allows 1 hour: "role chaining"). */
export function exceedsChainedLimit(durationSeconds: number): boolean {
  return durationSeconds > CHAINED_MAX_DURATION
}

function withChainingVerdict(keys: Omit<SourceCredentials, 'chainedBecause'>): SourceCredentials {
  const temporary = temporaryKeys(keys.accessKeyId, keys.sessionToken)
  const chainedBecause = temporary === undefined ? undefined : `temporary credentials (${temporary === 'session-token' ? 'a session token' : 'an ASIA… key'})`
  return { ...keys, chainedBecause }
}

function refuseRoleSource(target: TargetProfile, sourceName: string): never {
  throw new AwsmfaError(
    `gets its keys from '${printable(sourceName)}', which itself assumes a role. Keys from an assumed role are temporary, ` +
      `and AWS limits a role assumed with them to 1 hour\n("role chaining"); awsmfa makes one direct call from long-term keys instead.`,
    {
      fix: 'point source_profile at the IAM user\'s long-term keys (AKIA…)',
      profile: target.name,
      exitCode: EXIT.usage,
    },
  )
}

function fromEnvironment(target: TargetProfile, deps: Pick<Deps, 'env'>): SourceCredentials {
  const keys = environmentKeys(deps.env)
  if (keys.kind === 'awsmfa-session') {
    throw new AwsmfaError(
      `uses credential_source = Environment, but the environment holds the session awsmfa made for '${printable(keys.profile)}', not long-term keys`,
      { fix: 'run awsmfa clear first (or open a new terminal), then try again', profile: target.name, exitCode: EXIT.usage },
    )
  }
  if (keys.kind === 'none') {
    throw new AwsmfaError('uses credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set', {
      fix: ENVIRONMENT_NO_KEYS_FIX,
      profile: target.name,
      exitCode: EXIT.usage,
    })
  }
  const { accessKeyId, secretAccessKey, sessionToken } = keys
  return withChainingVerdict({ accessKeyId, secretAccessKey, sessionToken, origin: 'the environment (AWS_ACCESS_KEY_ID)' })
}

/** Runs the source's credential_process; its stdout holds secrets and is never shown. */
async function fromCredentialProcess(
  target: TargetProfile,
  sourceName: string,
  source: ProfileSettings,
  deps: Pick<Deps, 'env' | 'runCommand'>,
): Promise<Omit<SourceCredentials, 'chainedBecause'>> {
  const timeoutMs = processTimeoutMs(deps.env)
  const commandLine = source.credential_process ?? ''
  const where = `the credential_process of '${printable(sourceName)}'`
  const fail = (cause: string, fix: string): never => {
    throw new AwsmfaError(`${where} ${cause}`, { fix, profile: target.name, exitCode: EXIT.failed })
  }
  const result = await deps.runCommand(commandLine, { timeoutMs })
  if (result.failedToStart) fail('could not be started', `check that ${commandName(commandLine)} is installed and on PATH`)
  if (result.timedOut) fail(`did not finish within ${timeoutMs / 1000} s`, 'run it by hand to see where it waits')
  if (result.exitCode !== 0) {
    const said = firstLine(result.stderr)
    fail(`exited with status ${result.exitCode ?? 'unknown'}${said ? `: ${said}` : ''}`, `run the credential_process (${commandName(commandLine)} …) by hand to see why`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(result.stdout)
  } catch {
    fail('did not print JSON', 'it must print {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}')
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>
  const accessKeyId = record.AccessKeyId
  const secretAccessKey = record.SecretAccessKey
  const sessionToken = record.SessionToken
  if (record.Version !== 1 || typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || !accessKeyId || !secretAccessKey) {
    fail('printed JSON without Version 1, AccessKeyId and SecretAccessKey', 'it must print {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}')
  }
  return {
    accessKeyId: accessKeyId as string,
    secretAccessKey: secretAccessKey as string,
    sessionToken: typeof sessionToken === 'string' && sessionToken ? sessionToken : undefined,
    origin: `profile '${printable(sourceName)}' (credential_process)`,
  }
}
