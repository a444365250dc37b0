import type { Deps } from '../deps.js'
import { MAX_DURATION, checkDuration } from '../duration.js'
import { AwsmfaError, EXIT } from '../errors.js'
import { obtainTokenCode } from '../mfa.js'
import { loadSharedConfig, resolveTarget, type TargetProfile } from '../profiles.js'
import { credentialProcessJson, renderSession, summaryLine, type Session } from '../session.js'
import { shellByName } from '../shells/index.js'
import type { Shell } from '../shells/types.js'
import { assertNotChained, resolveSourceCredentials } from '../source.js'
import { stsTimeoutMs } from '../limits.js'
import { explainStsError, stsEndpoint } from '../sts.js'
import { printable } from '../text.js'

export interface SessionOptions {
  readonly profile: string
  readonly tokenCode?: string | undefined
  readonly duration?: string | undefined
  readonly region?: string | undefined
  readonly sessionName?: string | undefined
  readonly verbose?: boolean | undefined
}

export interface EnvOptions extends SessionOptions {
  readonly shell?: string | undefined
  readonly json?: boolean | undefined
}

/** STS answers in us-east-1 when nothing names a region (the global endpoint's home). */
const FALLBACK_STS_REGION = 'us-east-1'
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/

/** `awsmfa env <profile>`: one direct AssumeRole with MFA, printed as shell code on stdout. */
export async function envCommand(options: EnvOptions, deps: Deps): Promise<number> {
  // Resolve the output format first: a typo in --shell must not cost an MFA code.
  if (options.json && options.shell !== undefined) {
    // The shell integration passes --shell and evaluates stdout: JSON must never reach an eval.
    throw new AwsmfaError('--json and --shell ask for two different outputs', {
      fix: 'use awsmfa env PROFILE --json (outside awsmfa use), or drop --json',
      profile: options.profile,
      exitCode: EXIT.usage,
    })
  }
  const shell = options.json ? undefined : chooseShell(options.shell, deps)
  const session = await obtainSession(options, deps)
  deps.stdout.write(shell === undefined ? credentialProcessJson(session) : renderSession(session, shell))
  deps.stderr.write(`${summaryLine(session, deps.now())}\n`)
  if (deps.stdout.isTTY && shell !== undefined) {
    deps.stderr.write(
      `awsmfa: the lines above only take effect when the shell runs them: eval "$(awsmfa env ${printable(options.profile)})", or awsmfa use ${printable(options.profile)} with the shell integration (awsmfa init --help)\n`,
    )
  }
  return EXIT.ok
}

function chooseShell(flag: string | undefined, deps: Pick<Deps, 'env'>): Shell {
  const name = flag ?? (deps.env.AWSMFA_SHELL || 'sh')
  try {
    return shellByName(name)
  } catch {
    const origin = flag === undefined ? 'AWSMFA_SHELL' : '--shell'
    throw new AwsmfaError(`${origin} '${printable(name)}' is not a shell awsmfa writes for`, {
      fix: 'use one of bash, zsh, sh, fish, powershell (pwsh)',
      exitCode: EXIT.usage,
    })
  }
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
  const target = resolveTarget(config, options.profile)
  try {
    const durationSeconds = chooseDuration(options, target)
    const roleSessionName = chooseSessionName(options, target, deps)
    const source = await resolveSourceCredentials(target, config, deps)
    verbose(`source keys from ${source.origin} (${source.accessKeyId.slice(0, 4)}…${source.sessionToken ? ', with a session token' : ''})`)
    assertNotChained(target, source, durationSeconds)
    // An ambient region set by an earlier `awsmfa use` belongs to that profile, not to this one.
    const ambientRegion = deps.env.AWSMFA_PROFILE ? undefined : deps.env.AWS_REGION || deps.env.AWS_DEFAULT_REGION
    const region = options.region || target.region || ambientRegion || undefined
    assertRegionName(region)
    const endpoint = stsEndpoint(deps.env, target.endpointUrl)
    const stsRegion = region ?? FALLBACK_STS_REGION
    const endpointShown = printable(endpoint ?? `https://sts.${stsRegion}.amazonaws.com`)
    verbose(`AssumeRole ${printable(target.roleArn)} for ${durationSeconds} s as '${roleSessionName}' at ${endpointShown}`)
    assertMfaDevice(target)
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
        endpoint,
        credentials: source,
        timeoutMs: stsTimeoutMs(deps.env),
      })
    } catch (error) {
      if (deps.env.AWSMFA_DEBUG === '1' && error instanceof Error) deps.stderr.write(`${error.stack ?? error.message}\n`)
      throw explainStsError(error, {
        profile: target.name,
        roleArn: target.roleArn,
        mfaSerial: target.mfaSerial,
        durationSeconds,
        sourceOrigin: source.origin,
        endpointShown,
      })
    }
    verbose(`request id ${printable(assumed.requestId ?? 'unknown')}`)
    return {
      profile: target.name,
      roleArn: target.roleArn,
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

/** What the SDK takes as a region (a host label). Checked here so a typo costs no MFA code and is not blamed on STS. */
const REGION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

function assertRegionName(region: string | undefined): void {
  if (region === undefined || REGION.test(region)) return
  throw new AwsmfaError(`region '${printable(region)}' is not the name of an AWS region`, {
    fix: 'use a region name such as eu-west-1 (--region, region in the profile, or AWS_REGION)',
    exitCode: EXIT.usage,
  })
}

/** A user ARN where the device ARN belongs is the commonest MFA mistake; catch it before a code is spent. */
function assertMfaDevice(target: TargetProfile): void {
  if (target.mfaSerial === undefined || !/^arn:aws[\w-]*:iam::\d{12}:user\//.test(target.mfaSerial)) return
  throw new AwsmfaError(`mfa_serial '${printable(target.mfaSerial)}' is the ARN of a user, not of an MFA device`, {
    fix: `use the device's ARN, arn:aws:iam::ACCOUNT:mfa/NAME (IAM → Users → Security credentials → MFA), e.g. ${printable(target.mfaSerial.replace(':user/', ':mfa/'))}`,
    exitCode: EXIT.usage,
  })
}

function chooseDuration(options: SessionOptions, target: TargetProfile): number {
  if (options.duration !== undefined) return checkDuration(options.duration, '--duration')
  if (target.durationSeconds !== undefined) return checkDuration(target.durationSeconds, 'duration_seconds')
  return MAX_DURATION
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
