import { sharedSession } from '../agent/share.js'
import { chainedSource, checkTarget } from '../checks/target.js'
import type { Deps } from '../deps.js'
import { DEFAULT_MIN_REMAINING, MIN_DURATION, formatRemaining, parseMinRemaining } from '../duration.js'
import { AwsmfaError, EXIT } from '../errors.js'
import {
  consoleDestination, federationUrl, getSigninToken, loginUrl, parseDestination, partitionOf, signinDuration,
  type SessionKeys, type SigninCandidate,
} from '../federation.js'
import { stsTimeoutMs } from '../limits.js'
import { resolveConnection } from '../network.js'
import { loadSharedConfig, resolveTarget, targetKind, type SharedConfig } from '../profiles.js'
import { heldRegion } from '../region.js'
import { describeRole, heldSession } from '../session.js'
import { printable } from '../text.js'

export interface ConsoleOptions {
  /** undefined: this terminal's session. */
  readonly profile?: string | undefined
  readonly url?: boolean | undefined
  readonly destination?: string | undefined
  readonly region?: string | undefined
  readonly tokenCode?: string | undefined
  readonly duration?: string | undefined
  readonly sessionName?: string | undefined
  readonly verbose?: boolean | undefined
  /** With PROFILE: the agent's session must have at least this much left (default 15m, never less: the console's minimum). */
  readonly minRemaining?: string | undefined
  /** --no-agent: with PROFILE, neither ask a running agent nor hand it the new session. */
  readonly noAgent?: boolean | undefined
}

/** A session that may sign in: its keys and what the checks need. Holds secrets. */
interface ConsoleSession extends SigninCandidate {
  readonly keys: SessionKeys
  readonly region: string | undefined
  /** The profile's ca_bundle: the federation GET trusts what the STS call trusts. */
  readonly caBundle: string | undefined
}

/**
 * `awsmfa console [PROFILE]`: this terminal's session (or a new one for PROFILE, with MFA as for
 * env) → getSigninToken with SessionDuration = the time the session has left → the login URL,
 * handed to the browser or, with --url, printed on stdout. The URL never reaches stderr.
 */
export async function consoleCommand(options: ConsoleOptions, deps: Deps): Promise<number> {
  const verbose = (line: string): void => {
    if (options.verbose) deps.stderr.write(`awsmfa: ${line}\n`)
  }
  // Everything that can be refused locally is refused before an MFA code or a call.
  const choice = parseDestination(options.destination)
  federationUrl('aws', deps.env)
  const where = (roleArn: string | undefined, sessionRegion: string | undefined) => {
    const region = options.region || sessionRegion || undefined
    const partition = partitionOf(roleArn, region)
    return { destination: consoleDestination(choice, partition, region), base: federationUrl(partition, deps.env) }
  }
  const session = await consoleSession(options, where, deps)
  const sessionDuration = signinDuration(session)
  const { destination, base } = where(session.roleArn, session.region)
  const connection = await resolveConnection(new URL(base), { profile: session.profile, caBundle: session.caBundle }, deps)
  const via = connection.proxy === undefined ? '' : ` through the proxy ${connection.proxy.shown} (${connection.proxy.variable})`
  verbose(`getSigninToken at ${printable(base)}${via} with SessionDuration ${sessionDuration} s (the session's time left, at most 12 h)`)
  const token = await getSigninToken(base, session.keys, sessionDuration, { profile: session.profile, timeoutMs: stsTimeoutMs(deps.env), connection }, deps)
  const url = loginUrl(base, token, destination)
  const { account, roleName } = describeRole(session.roleArn ?? '')
  // To the nearest minute, as env's line: STS truncates Expiration, so a fresh 12 h session has 43199 s.
  const what = `the console as ${printable(roleName)} in ${printable(account)} for ${formatRemaining(Math.round(sessionDuration / 60) * 60)}`
  if (options.url) {
    deps.stdout.write(`${url}\n`)
    deps.stderr.write(`${printable(session.profile)}: sign-in URL for ${what} (use it within 15 minutes; it is a password, share it with no one)\n`)
    return EXIT.ok
  }
  verbose(`opening ${printable(destination)} in ${deps.env.BROWSER ? 'BROWSER' : 'the system\'s browser'}`)
  await deps.openBrowser(url)
  deps.stderr.write(`${printable(session.profile)}: opened ${what}\n`)
  return EXIT.ok
}

function renewHint(profile: string, deps: Pick<Deps, 'env'>): string {
  const shown = printable(profile)
  return deps.env.AWSMFA_SHELL
    ? `awsmfa use ${shown} for a new session, or awsmfa console ${shown} (a new session just for the console)`
    : `awsmfa console ${shown} (a new session with MFA), or eval "$(awsmfa env ${shown})" first`
}

/** Where the sign-in goes for a role and region; throws for a destination the partition does not serve. */
type Where = (roleArn: string | undefined, region: string | undefined) => unknown

async function consoleSession(options: ConsoleOptions, where: Where, deps: Deps): Promise<ConsoleSession> {
  const held = heldSession(deps.env, deps.now())
  const nowSeconds = Math.floor(deps.now() / 1000)
  // PROFILE names this terminal's own session: use it (no MFA), as exec does, while it has 15 min.
  const heldFits = held !== undefined && held.profile === options.profile && held.incomplete === undefined && (held.expiresAt ?? 0) - nowSeconds >= MIN_DURATION
  if (options.profile === undefined || heldFits) return terminalSession(deps)
  return newSession(options.profile, options, where, deps)
}

async function configOrUndefined(deps: Deps): Promise<SharedConfig | undefined> {
  try {
    return await loadSharedConfig(deps)
  } catch {
    return undefined
  }
}

/** This terminal's session, from the variables env wrote (lib/session.ts heldSession). */
async function terminalSession(deps: Deps): Promise<ConsoleSession> {
  const { env } = deps
  const held = heldSession(env, deps.now())
  if (held === undefined) {
    throw new AwsmfaError('this terminal holds no awsmfa session to sign in to the console with', {
      fix: 'awsmfa console PROFILE (a new session with MFA), or awsmfa use PROFILE first',
      exitCode: EXIT.usage,
    })
  }
  if (held.incomplete !== undefined || held.expiresAt === undefined) {
    throw new AwsmfaError(`this terminal holds only part of the session for '${printable(held.profile)}': ${held.incomplete ?? ''}`, {
      fix: renewHint(held.profile, deps),
      exitCode: EXIT.usage,
    })
  }
  // Whether the session was role chaining, the files tell (the session itself does not).
  const config = await configOrUndefined(deps)
  const settings = config?.profiles.get(held.profile)
  const check = config !== undefined && settings !== undefined && targetKind(settings) === 'role' ? checkTarget(config, held.profile, {}) : undefined
  return {
    profile: held.profile,
    roleArn: held.roleArn,
    chainedBecause: check === undefined ? undefined : chainedSource(check),
    remainingSeconds: held.expiresAt - Math.floor(deps.now() / 1000),
    renew: renewHint(held.profile, deps),
    keys: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '', sessionToken: env.AWS_SESSION_TOKEN ?? '' },
    region: heldRegion(env),
    caBundle: settings?.ca_bundle || undefined,
  }
}

/**
 * A new session for PROFILE, with MFA as for env. Seam for `awsmfa agent` (issue 14): ask the
 * agent for PROFILE's session here first, and fall back to obtainSession when it has none.
 */
async function newSession(profile: string, options: ConsoleOptions, where: Where, deps: Deps): Promise<ConsoleSession> {
  const config = await loadSharedConfig(deps)
  const settings = config.profiles.get(profile)
  const kind = settings === undefined ? undefined : targetKind(settings)
  if (kind === undefined) resolveTarget(config, profile)
  const renew = `awsmfa console ${printable(profile)} again`
  const check = checkTarget(config, profile, deps.env)
  // Refused before the MFA code: a user session, or a role the files say would be chained.
  signinDuration({ profile, roleArn: kind === 'user' ? undefined : check.roleArn, chainedBecause: chainedSource(check), remainingSeconds: 43200, renew })
  try {
    where(check.roleArn, check.region)
  } catch (error) {
    throw error instanceof AwsmfaError ? error.forProfile(profile) : error
  }
  // As env does: a running agent's session for PROFILE first (no code, no STS call), else a new one handed to it.
  const minRemaining = Math.max(MIN_DURATION, parseMinRemaining(options.minRemaining ?? DEFAULT_MIN_REMAINING))
  const session = await sharedSession({
    profile,
    tokenCode: options.tokenCode,
    duration: options.duration,
    region: options.region,
    sessionName: options.sessionName,
    verbose: options.verbose,
  }, { noAgent: options.noAgent, minRemaining }, deps)
  return {
    profile,
    roleArn: session.roleArn,
    chainedBecause: undefined,
    remainingSeconds: Math.floor((session.expiration.getTime() - deps.now()) / 1000),
    renew,
    keys: { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken },
    region: session.region,
    caBundle: settings?.ca_bundle || undefined,
  }
}
