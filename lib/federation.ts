/**
 * Console sign-in through AWS's federation endpoint (IAM user guide, "Enable custom identity broker
 * access to the AWS console"): the session's keys → `Action=getSigninToken` with SessionDuration →
 * a sign-in token → the `Action=login` URL. The rules AWS applies are checked here before any call;
 * the URL and the token are bearer secrets and never reach a message.
 */
import type { Deps, Env } from './deps.js'
import { MIN_DURATION, MAX_DURATION, formatRemaining } from './duration.js'
import { AwsmfaError, EXIT } from './errors.js'
import { isCertificateFailure, type Connection } from './network.js'
import { arnPartition, regionPartition } from './partitions.js'
import { describeFailure } from './sts.js'
import { printable } from './text.js'

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov'

const HOSTS: Readonly<Record<Partition, { readonly signin: string; readonly console: string }>> = {
  aws: { signin: 'https://signin.aws.amazon.com/federation', console: 'console.aws.amazon.com' },
  'aws-cn': { signin: 'https://signin.amazonaws.cn/federation', console: 'console.amazonaws.cn' },
  'aws-us-gov': { signin: 'https://signin.amazonaws-us-gov.com/federation', console: 'console.amazonaws-us-gov.com' },
}

/**
 * The partition a role lives in, by the one partition rule (lib/partitions.ts): its ARN says
 * (arn:aws-cn:…), else the region. Only these three have a documented federation endpoint.
 */
export function partitionOf(roleArn: string | undefined, region: string | undefined): Partition {
  const id = arnPartition(roleArn ?? '') ?? (region === undefined ? 'aws' : regionPartition(region))
  if (id === 'aws' || id === 'aws-cn' || id === 'aws-us-gov') return id
  throw new AwsmfaError(`the session is in the partition ${printable(id)}, which has no console federation endpoint awsmfa knows`, {
    fix: 'sign in to that partition\'s console directly (awsmfa console knows aws, aws-cn and aws-us-gov)',
    exitCode: EXIT.usage,
  })
}

/** The federation URL up to the `?`: the partition's, or AWSMFA_SIGNIN_URL (tests, a private mirror). */
export function federationUrl(partition: Partition, env: Env): string {
  const override = env.AWSMFA_SIGNIN_URL
  if (!override) return HOSTS[partition].signin
  if (!/^https?:\/\/[^?#\s]+$/.test(override)) {
    throw new AwsmfaError(`AWSMFA_SIGNIN_URL '${printable(override)}' is not a URL without a query`, {
      fix: 'set it to the whole federation URL up to the ?, e.g. https://signin.aws.amazon.com/federation, or unset it',
      exitCode: EXIT.usage,
    })
  }
  return override
}

/** What --destination asked for, checked before any MFA code is spent. */
export type DestinationChoice = { readonly kind: 'home' } | { readonly kind: 'service'; readonly name: string } | { readonly kind: 'url'; readonly url: URL }

const SERVICE = /^[a-z0-9][a-z0-9-]{0,62}$/

export function parseDestination(text: string | undefined): DestinationChoice {
  if (text === undefined || text === '') return { kind: 'home' }
  if (SERVICE.test(text)) return { kind: 'service', name: text }
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url === undefined || url.protocol !== 'https:') {
    throw new AwsmfaError(`--destination '${printable(text)}' is neither a console service (s3, ec2, iam, …) nor an https URL of the console`, {
      fix: 'use a service name such as s3, or a URL such as https://console.aws.amazon.com/s3/home',
      exitCode: EXIT.usage,
    })
  }
  return { kind: 'url', url }
}

/** The console page to land on, in the session's partition; a region picks the region's console. */
export function consoleDestination(choice: DestinationChoice, partition: Partition, region: string | undefined): string {
  const host = HOSTS[partition].console
  const query = region === undefined ? '' : `?region=${encodeURIComponent(region)}`
  if (choice.kind === 'home') return region === undefined ? `https://${host}/` : `https://${host}/console/home${query}`
  if (choice.kind === 'service') return `https://${host}/${choice.name}/home${query}`
  const { hostname } = choice.url
  if (hostname !== host && !hostname.endsWith(`.${host}`)) {
    throw new AwsmfaError(`--destination ${printable(choice.url.href)} is not a page of the console (${host}) for this session's partition`, {
      fix: `use a URL on ${host} (e.g. https://${host}/s3/home), or a service name such as s3`,
      exitCode: EXIT.usage,
    })
  }
  return choice.url.href
}

/** A session's standing for console sign-in, as far as awsmfa can tell before calling AWS. */
export interface SigninCandidate {
  readonly profile: string
  /** undefined: a user session (GetSessionToken). */
  readonly roleArn: string | undefined
  /** Why the session is role chaining (temporary source keys); undefined for long-term keys. */
  readonly chainedBecause: string | undefined
  readonly remainingSeconds: number
  /** How to get a fresh session, for the fix. */
  readonly renew: string
}

/**
 * AWS gives a console session a length (SessionDuration, 900–43200 s) only for AssumeRole
 * credentials obtained with an IAM user's long-term keys, and signs no one in with GetSessionToken
 * credentials. awsmfa asks for the session's remaining time, so each of these is refused here,
 * before any call. Returns the SessionDuration to ask for.
 */
export function signinDuration(candidate: SigninCandidate): number {
  const profile = candidate.profile
  if (candidate.roleArn === undefined) {
    throw new AwsmfaError('is an MFA session as the IAM user itself (GetSessionToken), and AWS\'s federation endpoint signs no one in to the console with those credentials', {
      fix: 'use a profile with role_arn (awsmfa console ROLE_PROFILE), or sign in as the IAM user with its password and MFA',
      profile,
      exitCode: EXIT.usage,
    })
  }
  if (candidate.chainedBecause !== undefined) {
    throw new AwsmfaError(
      `gets its keys from ${candidate.chainedBecause}, so its session is role chaining; AWS gives a console session a length\n(SessionDuration) only for a role assumed with an IAM user's long-term keys`,
      { fix: `point source_profile at the IAM user's long-term keys (AKIA…), then awsmfa console ${printable(profile)}`, profile, exitCode: EXIT.usage },
    )
  }
  if (candidate.remainingSeconds < MIN_DURATION) {
    const left = candidate.remainingSeconds <= 0 ? 'has expired' : `has only ${formatRemaining(candidate.remainingSeconds)} left`
    throw new AwsmfaError(`the session ${left}; AWS signs in to the console for at least 15 minutes`, {
      fix: candidate.renew,
      profile,
      exitCode: EXIT.usage,
    })
  }
  return Math.min(MAX_DURATION, candidate.remainingSeconds)
}

export interface SessionKeys {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
}

/** `Action=getSigninToken`: the session's keys for a sign-in token (valid 15 minutes). The URL holds the keys: never shown. */
export async function getSigninToken(
  base: string,
  keys: SessionKeys,
  sessionDuration: number,
  context: { readonly profile: string; readonly timeoutMs: number; readonly connection: Connection },
  deps: Pick<Deps, 'fetch' | 'env' | 'stderr'>,
): Promise<string> {
  const session = JSON.stringify({ sessionId: keys.accessKeyId, sessionKey: keys.secretAccessKey, sessionToken: keys.sessionToken })
  const url = `${base}?Action=getSigninToken&SessionDuration=${sessionDuration}&Session=${encodeURIComponent(session)}`
  const shown = printable(base)
  const fail = (cause: string, fix: string): AwsmfaError => new AwsmfaError(cause, { fix, profile: context.profile, exitCode: EXIT.failed })
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), context.timeoutMs)
  let status: number
  let body: string
  try {
    const answer = await deps.fetch(url, { signal: controller.signal, transport: context.connection.transport })
    status = answer.status
    body = await answer.text()
  } catch (error) {
    if (controller.signal.aborted) throw fail(`no answer from the federation endpoint at ${shown} in time`, 'check the network, a proxy or VPN')
    const { proxy, caBundle } = context.connection
    const via = proxy === undefined ? '' : ` through the proxy ${proxy.shown}`
    const { code } = describeFailure(error)
    if (code !== undefined && isCertificateFailure(code)) {
      const trust = caBundle === undefined ? 'the default CA roots' : `the CA bundle ${printable(caBundle.path)} (${caBundle.origin})`
      throw fail(
        `the TLS certificate of the federation endpoint at ${shown} is not trusted (${printable(code)}${via}); checked against ${trust}`,
        caBundle === undefined
          ? 'behind a TLS-inspecting proxy, set AWS_CA_BUNDLE=/path/to/corporate-ca.pem to your company\'s CA certificate'
          : 'put your company\'s TLS-inspection CA in that bundle, or point AWS_CA_BUNDLE at the right one',
      )
    }
    throw fail(`could not reach the federation endpoint at ${shown}${via} (${printable(code ?? 'network error')})`, proxy === undefined
      ? 'check the network, a proxy or VPN (HTTPS_PROXY, and AWSMFA_SIGNIN_URL, if set)'
      : `check ${proxy.variable} and that the proxy lets CONNECT to the sign-in host through`)
  } finally {
    clearTimeout(timer)
  }
  if (status !== 200) {
    throw fail(
      `the federation endpoint at ${shown} refused the session (HTTP ${status})`,
      'AWS signs in only a role session made from an IAM user\'s long-term keys that has not expired: check awsmfa status, or get a new one with awsmfa console PROFILE',
    )
  }
  let token: unknown
  try {
    token = (JSON.parse(body) as { SigninToken?: unknown }).SigninToken
  } catch {
    token = undefined
  }
  if (typeof token !== 'string' || token === '') {
    throw fail(`the federation endpoint at ${shown} sent an answer that is not a sign-in token`, 'check AWSMFA_SIGNIN_URL and any proxy in between')
  }
  return token
}

/** The `Action=login` URL: a bearer secret for 15 minutes. */
export function loginUrl(base: string, signinToken: string, destination: string): string {
  const query = new URLSearchParams({ Action: 'login', Issuer: 'awsmfa', Destination: destination, SigninToken: signinToken })
  return `${base}?${query.toString()}`
}
