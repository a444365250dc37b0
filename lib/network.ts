/**
 * The network path of one STS call, decided once before the MFA code is asked for and then both
 * used for the call and shown (--verbose, errors, doctor): the endpoint from the SDK's own rules,
 * the proxy the environment names for it (as the AWS CLI and curl read HTTPS_PROXY/NO_PROXY), and
 * the CA bundle that replaces the default roots (AWS_CA_BUNDLE, else the profile's ca_bundle).
 */
import { X509Certificate } from 'node:crypto'
import type { Deps, Env } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import { stsEndpoint } from './sts.js'
import { describeFailure } from './sts.js'
import type { StsTransport } from './sts-api.js'
import { printable } from './text.js'

export type { StsTransport } from './sts-api.js'

export interface ProxyInUse {
  /** The proxy URL as configured: secret (it may carry user:password@). */
  readonly url: string
  /** The URL with the password replaced by `***`. */
  readonly shown: string
  /** The variable it came from, e.g. `HTTPS_PROXY` or `https_proxy`. */
  readonly variable: string
  readonly hasCredentials: boolean
}

export interface CaBundle {
  readonly path: string
  /** `AWS_CA_BUNDLE`, or `ca_bundle in [profile prod]`. */
  readonly origin: string
  readonly certificates: readonly string[]
}

export interface NetworkPath {
  /** The URL the SDK calls, as shown to the user (printable). */
  readonly endpoint: string
  /** The same URL, as handed to the client. */
  readonly endpointUrl: string
  /** Why that URL: `AWS_ENDPOINT_URL_STS`, `endpoint_url`, or the SDK's rules with their inputs. */
  readonly endpointOrigin: string
  readonly endpointHost: string
  readonly proxy: ProxyInUse | undefined
  /** Set when a proxy variable is set but NO_PROXY says to go direct: the NO_PROXY text. */
  readonly noProxy: { readonly variable: string; readonly value: string } | undefined
  readonly caBundle: CaBundle | undefined
  /** The transport for the STS client (secrets inside). */
  readonly transport: StsTransport
  /** The last status the proxy answered CONNECT with, once the call has run. */
  proxyStatus(): number | undefined
}

export interface NetworkInputs {
  readonly profile: string
  readonly region: string
  readonly endpointUrl: string | undefined
  readonly caBundle: string | undefined
  readonly useFipsEndpoint: string | undefined
  readonly useDualstackEndpoint: string | undefined
}

/**
 * Decides the network path for `inputs.profile`. Configuration errors (a CA bundle that is not
 * there or not PEM, a FIPS/dual-stack combination the SDK's rules refuse) are exit 2, before any code.
 */
export async function resolveNetworkPath(inputs: NetworkInputs, deps: Pick<Deps, 'env' | 'readFile' | 'homedir' | 'proxyForUrl'>): Promise<NetworkPath> {
  const env = deps.env
  const override = stsEndpoint(env, inputs.endpointUrl)
  const useFips = flag(env.AWS_USE_FIPS_ENDPOINT, inputs.useFipsEndpoint)
  const useDualstack = flag(env.AWS_USE_DUALSTACK_ENDPOINT, inputs.useDualstackEndpoint)
  let endpoint: string
  let endpointOrigin: string
  if (override !== undefined) {
    endpoint = override
    endpointOrigin = env.AWS_ENDPOINT_URL_STS ? 'AWS_ENDPOINT_URL_STS' : env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : `endpoint_url in [profile ${printable(inputs.profile)}]`
  } else {
    const { resolveStsEndpoint } = await import('./sts-endpoint.js')
    try {
      endpoint = resolveStsEndpoint({ region: inputs.region, useFips: useFips.value, useDualstack: useDualstack.value })
    } catch (error) {
      throw new AwsmfaError(`the SDK's endpoint rules give no STS endpoint for region ${printable(inputs.region)}${useFips.value ? ' with FIPS' : ''}${useDualstack.value ? ' with dual-stack' : ''}: ${printable(error instanceof Error ? error.message : String(error))}`, {
        fix: 'use another region, or turn off use_fips_endpoint / use_dualstack_endpoint (AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT)',
        exitCode: EXIT.usage,
      })
    }
    const extras = [useFips.value ? `FIPS (${useFips.origin})` : '', useDualstack.value ? `dual-stack (${useDualstack.origin})` : ''].filter(Boolean)
    endpointOrigin = `the SDK's endpoint rules for ${printable(inputs.region)}${extras.length > 0 ? `, ${extras.join(', ')}` : ''}`
  }
  const url = safeUrl(endpoint)
  if (url === undefined) {
    throw new AwsmfaError(`the STS endpoint '${printable(endpoint)}' (from ${endpointOrigin}) is not a URL`, {
      fix: 'write it as https://HOST[:PORT] (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or endpoint_url)',
      exitCode: EXIT.usage,
    })
  }

  return {
    endpoint: printable(endpoint.replace(/\/$/, '')),
    endpointUrl: endpoint,
    endpointOrigin,
    endpointHost: url.hostname,
    ...(await resolveConnection(url, inputs, deps)),
  }
}

/** The proxy, CA bundle and transport of one connection: an STS call's or the console's federation GET. */
export type Connection = Pick<NetworkPath, 'proxy' | 'noProxy' | 'caBundle' | 'transport' | 'proxyStatus'>

/**
 * How a request to `url` goes out: the proxy the environment names for it (NO_PROXY honoured) and
 * the CA bundle (AWS_CA_BUNDLE, else the profile's ca_bundle). A bundle that cannot be read is exit 2.
 */
export async function resolveConnection(
  url: URL,
  inputs: Pick<NetworkInputs, 'profile' | 'caBundle'>,
  deps: Pick<Deps, 'env' | 'readFile' | 'homedir' | 'proxyForUrl'>,
): Promise<Connection> {
  const env = deps.env
  const proxyUrl = (await deps.proxyForUrl(url.href)) || undefined
  const variable = proxyVariable(env, url.protocol)
  const proxy = proxyUrl === undefined ? undefined : describeProxy(proxyUrl, variable ?? 'the environment')
  const noProxyVariable = env.no_proxy ? 'no_proxy' : 'NO_PROXY'
  const noProxy = proxyUrl === undefined && variable !== undefined ? { variable: noProxyVariable, value: env[noProxyVariable] ?? '' } : undefined

  const caBundle = await readCaBundle(inputs, deps)
  // Node's ca option replaces the roots NODE_EXTRA_CA_CERTS extends: add those back, as Node would.
  const extra = caBundle === undefined || !env.NODE_EXTRA_CA_CERTS ? [] : await readCertificates(env.NODE_EXTRA_CA_CERTS, deps).catch(() => [])
  let proxyStatus: number | undefined
  return {
    proxy,
    noProxy,
    caBundle,
    transport: {
      proxyUrl,
      ca: caBundle === undefined ? undefined : [...caBundle.certificates, ...extra],
      onProxyResponse: (status) => void (proxyStatus = status),
    },
    proxyStatus: () => proxyStatus,
  }
}

/** An `AWS_USE_…` variable wins over the profile's setting, as in the SDK; `true` (any case) turns it on. */
function flag(fromEnv: string | undefined, fromProfile: string | undefined): { value: boolean; origin: string } {
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv.trim().toLowerCase() === 'true', origin: 'environment' }
  return { value: (fromProfile ?? '').trim().toLowerCase() === 'true', origin: 'profile' }
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** Which variable names the proxy for this scheme, in the order proxy-from-env reads them (lowercase first). */
function proxyVariable(env: Env, protocol: string): string | undefined {
  const scheme = protocol.replace(/:$/, '')
  return [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY'].find((name) => Boolean(env[name]))
}

/** The proxy URL with its password masked: it is shown in --verbose, errors and doctor. */
export function maskProxyUrl(raw: string): string {
  const url = safeUrl(raw)
  if (url === undefined) return printable(raw.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@'))
  if (url.password !== '') url.password = '***'
  return printable(url.href.replace(/\/$/, ''))
}

function describeProxy(raw: string, variable: string): ProxyInUse {
  const url = safeUrl(raw)
  return { url: raw, shown: maskProxyUrl(raw), variable, hasCredentials: url !== undefined && (url.username !== '' || url.password !== '') }
}

async function readCaBundle(inputs: Pick<NetworkInputs, 'profile' | 'caBundle'>, deps: Pick<Deps, 'env' | 'readFile' | 'homedir'>): Promise<CaBundle | undefined> {
  const fromEnv = deps.env.AWS_CA_BUNDLE || undefined
  const path = fromEnv ?? inputs.caBundle
  if (path === undefined) return undefined
  const origin = fromEnv !== undefined ? 'AWS_CA_BUNDLE' : `ca_bundle in [profile ${printable(inputs.profile)}]`
  const expanded = path.startsWith('~/') ? `${deps.homedir()}/${path.slice(2)}` : path
  let certificates: string[]
  try {
    certificates = await readCertificates(expanded, deps)
  } catch (error) {
    const reason = error instanceof AwsmfaError ? error.message : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    throw new AwsmfaError(`the CA bundle ${printable(path)} (${origin}) ${reason}`, {
      fix: `point ${fromEnv !== undefined ? 'AWS_CA_BUNDLE' : 'ca_bundle'} at a readable PEM file of CA certificates (-----BEGIN CERTIFICATE-----), e.g. the one your company's IT publishes`,
      exitCode: EXIT.usage,
    })
  }
  return { path: expanded, origin, certificates }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** The PEM certificates in a file; throws AwsmfaError (reason only) when there are none or one is broken. */
async function readCertificates(path: string, deps: Pick<Deps, 'readFile'>): Promise<string[]> {
  const text = (await deps.readFile(path)).toString('latin1')
  const blocks = text.match(PEM_CERTIFICATE) ?? []
  if (blocks.length === 0) throw new AwsmfaError('holds no PEM certificate (-----BEGIN CERTIFICATE-----)')
  blocks.forEach((block, index) => {
    try {
      new X509Certificate(block)
    } catch {
      throw new AwsmfaError(`holds a certificate that is not valid PEM (number ${index + 1})`)
    }
  })
  return blocks
}

/** One line per part of the path, for --verbose and doctor (never a password). */
export function describePath(path: NetworkPath): string[] {
  const lines = [`STS endpoint ${path.endpoint} (from ${path.endpointOrigin})`]
  if (path.proxy !== undefined) lines.push(`through the proxy ${path.proxy.shown} (from ${path.proxy.variable})`)
  else if (path.noProxy !== undefined) lines.push(`no proxy: ${path.noProxy.variable}=${printable(path.noProxy.value)} matches ${printable(path.endpointHost)}, so the connection is direct`)
  else lines.push(`no proxy (${path.endpointUrl.startsWith('http:') ? 'HTTP_PROXY' : 'HTTPS_PROXY'} is not set): the connection is direct`)
  if (path.caBundle !== undefined) {
    const count = path.caBundle.certificates.length
    lines.push(`trusting only the CA bundle ${printable(path.caBundle.path)} (from ${path.caBundle.origin}, ${count} certificate${count === 1 ? '' : 's'})`)
  } else {
    lines.push('trusting the default CA roots (no AWS_CA_BUNDLE or ca_bundle)')
  }
  return lines
}

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/** True for the TLS error codes that mean the server's certificate is not trusted. */
export function isCertificateFailure(code: string): boolean {
  return CERTIFICATE_CODES.has(code)
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN'])
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/**
 * Names the layer that failed — the proxy, TLS trust, or name resolution — when it can tell;
 * undefined leaves the explanation to explainStsError (AWS's own answers).
 */
export function explainNetworkFailure(error: unknown, path: NetworkPath, profile: string): AwsmfaError | undefined {
  const failure = describeFailure(error)
  const code = failure.code ?? /\b([A-Z][A-Z0-9_]{5,})\b/.exec(failure.message)?.[1]
  const refused = (cause: string, fix: string): AwsmfaError => new AwsmfaError(cause, { fix, profile, exitCode: EXIT.failed })
  const proxy = path.proxy
  const proxySettings = proxy === undefined ? '' : `check ${proxy.variable} (http://[user:password@]host:port, password percent-encoded)`
  const status = path.proxyStatus()
  // 407 is the standard answer; tinyproxy says 401 to wrong credentials. Either way: the proxy's login.
  if (proxy !== undefined && (status === 407 || status === 401)) {
    return refused(
      proxy.hasCredentials
        ? `the proxy ${proxy.shown} refused its user name or password (HTTP ${status}${status === 407 ? ' Proxy Authentication Required' : ''}); nothing reached STS`
        : `the proxy ${proxy.shown} asks for a user name and password (HTTP ${status}${status === 407 ? ' Proxy Authentication Required' : ''}); nothing reached STS`,
      `${proxySettings}; the user and password are the ones your proxy expects`,
    )
  }
  if (proxy !== undefined && status !== undefined && status !== 200) {
    const url = new URL(path.endpointUrl)
    const port = url.port || (url.protocol === 'http:' ? '80' : '443')
    return refused(
      `the proxy ${proxy.shown} refused the tunnel to ${printable(path.endpointHost)} (HTTP ${status}); nothing reached STS`,
      `${proxySettings}; ask the proxy's administrators to allow CONNECT to ${printable(path.endpointHost)}:${port}, or list the host in NO_PROXY if it is reachable directly`,
    )
  }
  if (code !== undefined && isCertificateFailure(code)) {
    const trust = path.caBundle === undefined ? 'the default CA roots' : `the CA bundle ${printable(path.caBundle.path)} (${path.caBundle.origin})`
    return refused(
      `the TLS certificate of ${printable(path.endpointHost)} is not trusted (${code}${proxy === undefined ? '' : `, through the proxy ${proxy.shown}`}); checked against ${trust}`,
      path.caBundle === undefined
        ? 'behind a TLS-inspecting proxy, set AWS_CA_BUNDLE=/path/to/corporate-ca.pem (or ca_bundle = … in the profile) to your company\'s CA certificate'
        : `put the CA that signed ${printable(path.endpointHost)}'s certificate (your company's TLS-inspection CA) in that bundle, or point AWS_CA_BUNDLE / ca_bundle at the right one`,
    )
  }
  if (proxy !== undefined) {
    const message = failure.message
    if (code === 'ECONNREFUSED' || DNS_CODES.has(code ?? '') || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') {
      return refused(`could not connect to the proxy ${proxy.shown} (${code}); nothing reached STS`, `${proxySettings}, and that the proxy is running`)
    }
    if (CLOSED_CODES.has(code ?? '') || /Proxy connection ended|socket hang up/i.test(message)) {
      return refused(
        `the proxy ${proxy.shown} closed the connection to ${printable(path.endpointHost)} before STS answered${code === undefined ? '' : ` (${code})`}`,
        `${proxySettings}; the proxy may block ${printable(path.endpointHost)} or need credentials`,
      )
    }
    return undefined
  }
  if (code !== undefined && DNS_CODES.has(code)) {
    const direct = path.noProxy !== undefined ? ` (${path.noProxy.variable} sends it direct)` : ''
    return refused(
      `could not reach STS at ${path.endpoint}: the name ${printable(path.endpointHost)} does not resolve (${code})${direct}`,
      path.noProxy !== undefined
        ? `remove ${printable(path.endpointHost)} from ${path.noProxy.variable} if it is reachable only through the proxy, or check DNS`
        : 'check the network and DNS; behind a corporate proxy set HTTPS_PROXY=http://proxy.example.com:8080 (and NO_PROXY for hosts reached directly)',
    )
  }
  return undefined
}
