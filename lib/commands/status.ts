import type { Deps, Env } from '../deps.js'
import { formatRemaining } from '../duration.js'
import { localTimestamp } from '../format/duration.js'
import { AwsmfaError, EXIT, writeDebugStack } from '../errors.js'
import { stsTimeoutMs } from '../limits.js'
import { describeRole, heldSession, rfc3339 } from '../session.js'
import { explainNetworkFailure, resolveNetworkPath } from '../network.js'
import type { ProfileSettings } from '../profiles.js'
import { heldRegion, stsRegion as stsRegionOf } from '../region.js'
import { describeFailure, explainStsError, type CallerIdentity } from '../sts.js'
import { printable, serverText } from '../text.js'

export interface StatusOptions {
  readonly verify?: boolean | undefined
  readonly json?: boolean | undefined
}

/** `awsmfa status --json`: every key always present (null when unknown). */
export interface StatusJson {
  profile: string
  roleArn: string | null
  account: string | null
  role: string | null
  region: string | null
  /** RFC 3339, UTC. */
  expiration: string
  /** Unix seconds, as AWSMFA_EXPIRATION. */
  expiresAt: number
  remainingSeconds: number
  /** What GetCallerIdentity said, with --verify; null without it. */
  verified: { arn: string; account: string; userId: string } | null
  /** The sessions a running awsmfa agent holds (no secrets); null when no agent runs. */
  agent: { socket: string; sessions: Array<{ profile: string; roleArn: string; expiration: string; remainingSeconds: number }> } | null
}

function renewHint(profile: string, env: Env): string {
  return env.AWSMFA_SHELL ? `awsmfa use ${profile} for a new session (or awsmfa clear)` : `eval "$(awsmfa env ${profile})" for a new session`
}

/**
 * `awsmfa status`: this terminal's session, read from its environment. Without a usable session:
 * a message on stderr, nothing on stdout, exit 1. `--verify` asks AWS who the keys belong to.
 */
export async function statusCommand(options: StatusOptions, deps: Deps): Promise<number> {
  const { env } = deps
  const held = heldSession(env, deps.now())
  const { heldByAgent, sessionRows } = await import('./agent.js')
  const agent = await heldByAgent(deps)
  if (held === undefined) {
    const offered = agent?.sessions.map((s) => printable(s.profile)) ?? []
    throw new AwsmfaError('this terminal holds no awsmfa session', {
      fix: offered.length > 0
        ? `the agent holds ${offered.join(', ')}: awsmfa use ${offered[0] ?? ''} takes it without a code (awsmfa agent status lists them)`
        : 'awsmfa use PROFILE (shell integration), or eval "$(awsmfa env PROFILE)"; awsmfa list shows the profiles',
      exitCode: EXIT.failed,
    })
  }
  const profileRaw = held.profile
  const profile = printable(profileRaw)
  const expiresAt = held.expiresAt
  if (held.incomplete !== undefined || expiresAt === undefined) {
    throw new AwsmfaError(`this terminal holds only part of the session for '${profile}': ${held.incomplete ?? ''}`, { fix: renewHint(profile, env), exitCode: EXIT.failed })
  }
  const expiration = new Date(expiresAt * 1000)
  const remainingSeconds = expiresAt - Math.floor(deps.now() / 1000)
  if (remainingSeconds <= 0) {
    throw new AwsmfaError(`the session for '${profile}' expired at ${localTimestamp(expiration)} (${formatRemaining(-remainingSeconds)} ago)`, {
      fix: renewHint(profile, env),
      exitCode: EXIT.failed,
    })
  }
  const roleArn = env.AWSMFA_ROLE_ARN || undefined
  const role = roleArn === undefined ? undefined : describeRole(roleArn)
  const region = heldRegion(env)
  const verified = options.verify ? await verify(profileRaw, roleArn, region, deps) : undefined

  if (options.json) {
    const json: StatusJson = {
      profile: profileRaw,
      roleArn: roleArn ?? null,
      account: role?.account || null,
      role: role?.roleName || null,
      region: region ?? null,
      expiration: rfc3339(expiration),
      expiresAt,
      remainingSeconds,
      verified: verified === undefined ? null : { arn: verified.arn, account: verified.account, userId: verified.userId },
      agent: agent === undefined ? null : {
        socket: agent.address.path,
        sessions: agent.sessions.map((s) => ({ profile: s.profile, roleArn: s.roleArn, expiration: s.expiration, remainingSeconds: Math.floor((Date.parse(s.expiration) - deps.now()) / 1000) })),
      },
    }
    deps.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    return EXIT.ok
  }
  const rows: Array<[string, string]> = [
    ['profile', profile],
    // awsmfa exports a user session (GetSessionToken) without AWSMFA_ROLE_ARN: it has no role.
    ['role', roleArn === undefined ? 'none: an MFA session as the IAM user itself (GetSessionToken)' : `${printable(role?.roleName ?? '')} (${printable(roleArn)})`],
    ['account', printable(role?.account || '-')],
    ['region', printable(region ?? '-')],
    ['left', formatRemaining(remainingSeconds)],
    ['expires', `${localTimestamp(expiration)} (local time)`],
  ]
  if (verified !== undefined) rows.push(['verified', `AWS knows these keys as ${serverText(verified.arn)}`])
  // The same columns with and without --verify, so scripts that cut them keep working.
  const width = 'verified'.length
  deps.stdout.write(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n')
  if (agent !== undefined) {
    const count = agent.sessions.length
    deps.stdout.write(`\n${'agent'.padEnd(width)}  ${count} session${count === 1 ? '' : 's'} at ${printable(agent.address.path)}\n`)
    for (const row of sessionRows(agent.sessions, deps.now())) deps.stdout.write(`${''.padEnd(width)}  ${row}\n`)
  }
  return EXIT.ok
}

/** GetCallerIdentity with the session's own keys; the answer must be the role awsmfa assumed. */
async function verify(profile: string, roleArn: string | undefined, region: string | undefined, deps: Deps): Promise<CallerIdentity> {
  const { env } = deps
  const shown = printable(profile)
  const stsRegion = stsRegionOf(region)
  // The same network path env took for this profile: its endpoint rules, the proxy, the CA bundle.
  const settings = await profileSettings(profile, deps)
  const network = await resolveNetworkPath({
    profile,
    region: stsRegion,
    endpointUrl: settings.endpoint_url || undefined,
    caBundle: settings.ca_bundle || undefined,
    useFipsEndpoint: settings.use_fips_endpoint || undefined,
    useDualstackEndpoint: settings.use_dualstack_endpoint || undefined,
  }, deps)
  const endpoint = network.endpointUrl
  const endpointShown = network.endpoint
  const sts = await deps.loadSts()
  let identity: CallerIdentity
  try {
    identity = await sts.getCallerIdentity({
      region: stsRegion,
      endpoint,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: env.AWS_SESSION_TOKEN || undefined },
      timeoutMs: stsTimeoutMs(env),
      transport: network.transport,
    })
  } catch (error) {
    writeDebugStack(error, deps)
    const { name } = describeFailure(error)
    if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
      throw new AwsmfaError(`AWS says the session for '${shown}' in this terminal has expired`, { fix: renewHint(shown, env), exitCode: EXIT.failed })
    }
    if (name === 'InvalidClientTokenId') {
      throw new AwsmfaError(`AWS does not accept the keys in this terminal as the session for '${shown}' (they were changed, or the session was revoked)`, {
        fix: renewHint(shown, env),
        exitCode: EXIT.failed,
      })
    }
    throw explainNetworkFailure(error, network, profile) ?? explainStsError(error, {
      profile,
      roleArn: roleArn ?? '',
      mfaSerial: undefined,
      durationSeconds: 0,
      sourceOrigin: 'this terminal\'s session',
      endpointShown,
    }).forProfile(profile)
  }
  if (roleArn !== undefined) {
    const { account, roleName } = describeRole(roleArn)
    if (!identity.arn.startsWith(`arn:aws`) || !identity.arn.includes(`::${account}:assumed-role/${roleName}/`)) {
      throw new AwsmfaError(`the keys in this terminal belong to ${serverText(identity.arn)}, not to the role ${printable(roleArn)} that awsmfa set up`, {
        fix: `something changed AWS_ACCESS_KEY_ID after awsmfa; ${renewHint(shown, env)}`,
        exitCode: EXIT.failed,
      })
    }
  }
  return identity
}

/** The profile's endpoint_url, as env used it; a config that cannot be read just means none. */
async function profileSettings(profile: string, deps: Deps): Promise<ProfileSettings> {
  try {
    const { loadSharedConfig } = await import('../profiles.js')
    const config = await loadSharedConfig(deps)
    return config.profiles.get(profile) ?? {}
  } catch (error) {
    if (!(error instanceof AwsmfaError)) throw error
    return {}
  }
}
