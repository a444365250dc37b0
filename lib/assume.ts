/**
 * The core pipeline shared by `env`, `exec` and `demo`: argv options → profile → source keys →
 * MFA code → the one AssumeRole → Session. Shell text is someone else's job (lib/session.ts).
 */
import type { Deps } from './deps.js'
import { ASSUME_ROLE_RANGE, SESSION_TOKEN_RANGE, checkDuration } from './duration.js'
import { AwsmfaError, EXIT, writeDebugStack } from './errors.js'
import { stsTimeoutMs } from './limits.js'
import { obtainTokenCode } from './mfa.js'
import { describePath, explainNetworkFailure, resolveNetworkPath, type NetworkInputs, type NetworkPath } from './network.js'
import { partitionProblem } from './partitions.js'
import { REGION_NAME, USER_ARN, SESSION_NAME, deviceOwner } from './aws-names.js'
import { loadSharedConfig, resolveTarget, resolveUser, targetKind, type SharedConfig, type TargetProfile } from './profiles.js'
import type { Session } from './session.js'
import { assertNotChained, resolveSourceCredentials, resolveUserCredentials } from './source.js'
import { sessionRegion, stsRegion } from './region.js'
import { explainStsError, type CallContext } from './sts.js'
import { checkAssumedRole, checkSessionCredentials } from './sts-answer.js'
import { printable } from './text.js'

export interface SessionOptions {
  readonly profile: string
  readonly tokenCode?: string | undefined
  readonly duration?: string | undefined
  readonly region?: string | undefined
  readonly sessionName?: string | undefined
  readonly verbose?: boolean | undefined
}

/**
 * argv → profile → code → AssumeRole → Session. Shared by `env` and `exec`. Everything that can
 * be checked locally is checked before the MFA code is asked for, so a mistake costs no code.
 */
export async function obtainSession(options: SessionOptions, deps: Deps): Promise<Session> {
  const verbose = (line: string): void => {
    if (options.verbose) deps.stderr.write(`awsmfa: ${line}\n`)
  }
  const config = await loadSharedConfig(deps)
  verbose(`config ${printable(config.configPath)}, credentials ${printable(config.credentialsPath)}`)
  if (targetKind(config.profiles.get(options.profile) ?? {}) === 'user') return obtainUserSession(options, config, verbose, deps)
  const target = resolveTarget(config, options.profile)
  try {
    const durationSeconds = chooseDuration(options, target)
    const roleSessionName = chooseSessionName(options, target, deps)
    const source = await resolveSourceCredentials(target, config, deps)
    verbose(`source keys from ${source.origin} (${source.accessKeyId.slice(0, 4)}…${source.sessionToken ? ', with a session token' : ''})`)
    assertNotChained(target, source, durationSeconds)
    const region = sessionRegion(options.region, target.region, deps.env)
    assertRegionName(region)
    assertOnePartition(target.roleArn, target.mfaSerial, region)
    const { stsRegion, network } = await stsPath({ ...target, profile: target.name }, region, verbose, deps)
    const endpointShown = network.endpoint
    verbose(`AssumeRole ${printable(target.roleArn)} for ${durationSeconds} s as '${roleSessionName}' at ${endpointShown}`)
    assertMfaDevice(target.mfaSerial)
    const tokenCode = target.mfaSerial === undefined ? undefined : await obtainTokenCode(target, target.mfaSerial, options.tokenCode, deps)
    const sts = await deps.loadSts()
    let assumed
    try {
      assumed = await sts.assumeRole({
        roleArn: target.roleArn,
        roleSessionName,
        durationSeconds,
        serialNumber: target.mfaSerial,
        tokenCode,
        externalId: target.externalId,
        region: stsRegion,
        endpoint: network.endpointUrl,
        credentials: source,
        timeoutMs: stsTimeoutMs(deps.env),
        transport: network.transport,
      })
    } catch (error) {
      throw explainCallFailure(error, network, {
        profile: target.name,
        roleArn: target.roleArn,
        mfaSerial: target.mfaSerial,
        durationSeconds,
        sourceOrigin: source.origin,
        endpointShown,
      }, deps)
    }
    verbose(`request id ${printable(assumed.requestId ?? 'unknown')}`)
    checkAssumedRole(assumed, { roleArn: target.roleArn, endpointShown, nowMs: deps.now() })
    return {
      profile: target.name,
      roleArn: target.roleArn,
      assumedRoleArn: assumed.assumedRoleArn,
      accessKeyId: assumed.accessKeyId,
      secretAccessKey: assumed.secretAccessKey,
      sessionToken: assumed.sessionToken,
      expiration: assumed.expiration,
      region,
    }
  } catch (error) {
    throw error instanceof AwsmfaError ? error.forProfile(target.name) : error
  }
}

/**
 * A user session (a profile with mfa_serial and its own keys, no role_arn): one GetSessionToken
 * with the MFA device and code. The session acts as the IAM user itself.
 */
async function obtainUserSession(options: SessionOptions, config: SharedConfig, verbose: (line: string) => void, deps: Deps): Promise<Session> {
  const user = resolveUser(config, options.profile)
  try {
    if (options.sessionName !== undefined) {
      throw new AwsmfaError('--session-name names a role session, and this profile has no role (it makes an MFA session as the IAM user itself)', {
        fix: 'drop --session-name, or use a profile with role_arn',
        exitCode: EXIT.usage,
      })
    }
    const durationSeconds = options.duration !== undefined
      ? checkDuration(options.duration, '--duration', SESSION_TOKEN_RANGE)
      : user.durationSeconds !== undefined ? checkDuration(user.durationSeconds, 'duration_seconds', SESSION_TOKEN_RANGE) : SESSION_TOKEN_RANGE.default
    const source = resolveUserCredentials(user, config)
    verbose(`keys from ${source.origin} (${source.accessKeyId.slice(0, 4)}…)`)
    const region = sessionRegion(options.region, user.region, deps.env)
    assertRegionName(region)
    assertMfaDevice(user.mfaSerial)
    assertOnePartition(undefined, user.mfaSerial, region)
    const { stsRegion, network } = await stsPath({ ...user, profile: user.name }, region, verbose, deps)
    const endpointShown = network.endpoint
    verbose(`GetSessionToken for ${durationSeconds} s with MFA device ${printable(user.mfaSerial)} at ${endpointShown}`)
    const tokenCode = await obtainTokenCode(user, user.mfaSerial, options.tokenCode, deps)
    const sts = await deps.loadSts()
    let issued
    try {
      issued = await sts.getSessionToken({
        durationSeconds,
        serialNumber: user.mfaSerial,
        tokenCode,
        region: stsRegion,
        endpoint: network.endpointUrl,
        credentials: source,
        timeoutMs: stsTimeoutMs(deps.env),
        transport: network.transport,
      })
    } catch (error) {
      throw explainCallFailure(error, network, { profile: user.name, roleArn: '', mfaSerial: user.mfaSerial, durationSeconds, sourceOrigin: source.origin, endpointShown }, deps)
    }
    verbose(`request id ${printable(issued.requestId ?? 'unknown')}`)
    checkSessionCredentials(issued, { endpointShown, nowMs: deps.now() })
    return {
      profile: user.name,
      roleArn: undefined,
      assumedRoleArn: undefined,
      user: deviceOwner(user.mfaSerial),
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: issued.expiration,
      region,
    }
  } catch (error) {
    throw error instanceof AwsmfaError ? error.forProfile(user.name) : error
  }
}

/** The one network path both STS calls take (endpoint rules, proxy, CA bundle), each step told in --verbose. */
async function stsPath(inputs: Omit<NetworkInputs, 'region'>, region: string | undefined, verbose: (line: string) => void, deps: Deps): Promise<{ stsRegion: string; network: NetworkPath }> {
  const network = await resolveNetworkPath({ ...inputs, region: stsRegion(region) }, deps)
  for (const line of describePath(network)) verbose(line)
  return { stsRegion: stsRegion(region), network }
}

/** A failed STS call in plain words: the network layer that failed, else what STS said (stack masked, with AWSMFA_DEBUG=1). */
function explainCallFailure(error: unknown, network: NetworkPath, context: CallContext, deps: Deps): AwsmfaError {
  writeDebugStack(error, deps)
  return explainNetworkFailure(error, network, context.profile) ?? explainStsError(error, context)
}

/** A region the SDK cannot take, checked here so a typo costs no MFA code and is not blamed on STS. */
function assertRegionName(region: string | undefined): void {
  if (region === undefined || REGION_NAME.test(region)) return
  throw new AwsmfaError(`region '${printable(region)}' is not the name of an AWS region`, {
    fix: 'use a region name such as eu-west-1 (--region, region in the profile, or AWS_REGION)',
    exitCode: EXIT.usage,
  })
}

/** role_arn (none for a user session), mfa_serial and region in different partitions can never work: say so before a code is spent. */
function assertOnePartition(roleArn: string | undefined, mfaSerial: string | undefined, region: string | undefined): void {
  const problem = partitionProblem(roleArn, mfaSerial, region)
  if (problem !== undefined) throw new AwsmfaError(problem.text, { fix: problem.fix, exitCode: EXIT.usage })
}

/** A user ARN where the device ARN belongs is the commonest MFA mistake; catch it before a code is spent. */
function assertMfaDevice(mfaSerial: string | undefined): void {
  if (mfaSerial === undefined || !USER_ARN.test(mfaSerial)) return
  throw new AwsmfaError(`mfa_serial '${printable(mfaSerial)}' is the ARN of a user, not of an MFA device`, {
    fix: `use the device's ARN, arn:aws:iam::ACCOUNT:mfa/NAME (IAM → Users → Security credentials → MFA), e.g. ${printable(mfaSerial.replace(':user/', ':mfa/'))}`,
    exitCode: EXIT.usage,
  })
}

function chooseDuration(options: SessionOptions, target: TargetProfile): number {
  if (options.duration !== undefined) return checkDuration(options.duration, '--duration')
  if (target.durationSeconds !== undefined) return checkDuration(target.durationSeconds, 'duration_seconds')
  return ASSUME_ROLE_RANGE.default
}

function chooseSessionName(options: SessionOptions, target: TargetProfile, deps: Pick<Deps, 'username'>): string {
  const given = options.sessionName ?? target.roleSessionName
  if (given !== undefined) {
    if (!SESSION_NAME.test(given)) {
      throw new AwsmfaError(`the session name '${printable(given)}' is not one AWS accepts`, {
        fix: 'use 2–64 characters from letters, digits and +=,.@_- (role_session_name or --session-name)',
        exitCode: EXIT.usage,
      })
    }
    return given
  }
  return defaultSessionName(deps.username())
}

/** `awsmfa-<local user>`, cleaned to what RoleSessionName accepts: [\w+=,.@-]{2,64}. */
export function defaultSessionName(user: string): string {
  const cleaned = `awsmfa-${user}`.replace(/[^\w+=,.@-]/g, '-')
  return cleaned.slice(0, 64)
}
