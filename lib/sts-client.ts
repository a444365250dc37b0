/**
 * The real STS calls, through @aws-sdk/client-sts. This module is imported lazily (only by
 * commands that call STS) so --version, init and completion never pay for loading the SDK.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { Agent as HttpAgent, ClientRequest } from 'node:http'
import type { HttpsProxyAgent as HttpsProxyAgentType } from 'https-proxy-agent'
import type { AgentOptions as HttpsAgentOptions } from 'node:https'
import type { StsTransport } from './network.js'
import type { AssumeRoleRequest, AssumedRole, CallerIdentity, CallerIdentityRequest, StsApi } from './sts.js'

interface ClientOptions {
  region: string
  endpoint: string | undefined
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined }
  timeoutMs: number
  transport?: StsTransport | undefined
}

/**
 * The agents for the SDK's NodeHttpHandler (it ignores HTTPS_PROXY and makes its own): a CONNECT
 * tunnel through the proxy (https-proxy-agent, loaded only when a proxy is set), or a direct
 * https.Agent's options; either way the CA bundle, when set, replaces the default roots.
 */
async function agentsFor(transport: StsTransport | undefined): Promise<{ httpsAgent?: HttpAgent | HttpsAgentOptions; httpAgent?: HttpAgent }> {
  if (transport === undefined) return {}
  const ca = transport.ca === undefined ? undefined : [...transport.ca]
  if (transport.proxyUrl === undefined) return ca === undefined ? {} : { httpsAgent: { keepAlive: true, maxSockets: 50, ca } }
  const [{ HttpsProxyAgent }, { HttpProxyAgent }] = await Promise.all([import('https-proxy-agent'), import('http-proxy-agent')])
  const proxyUrl = transport.proxyUrl
  // The tunnel's TLS (to STS, not to the proxy) is where the bundle applies.
  class TunnelAgent extends HttpsProxyAgent<string> {
    override connect(request: ClientRequest, options: Parameters<HttpsProxyAgentType<string>['connect']>[1]): ReturnType<HttpsProxyAgentType<string>['connect']> {
      // Only the TLS branch (secureEndpoint) reads ca; an http:// endpoint has no certificate.
      return super.connect(request, ca === undefined || !options.secureEndpoint ? options : { ...options, ca })
    }
  }
  const httpsAgent = new TunnelAgent(proxyUrl)
  httpsAgent.on('proxyConnect', (answer: { statusCode?: number }) => {
    if (typeof answer.statusCode === 'number') transport.onProxyResponse?.(answer.statusCode)
  })
  return { httpsAgent, httpAgent: new HttpProxyAgent(proxyUrl) }
}

async function makeClient(options: ClientOptions): Promise<{ client: STSClient; responseDate: () => Date | undefined }> {
  const client = new STSClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    // awsmfa resolves the endpoint itself (lib/network.ts, with the SDK's own rules) and passes it
    // above. Left alone, the SDK would read endpoint_url, use_fips_endpoint and
    // use_dualstack_endpoint from [default] or $AWS_PROFILE's profile, not from this one.
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    credentials: {
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.secretAccessKey,
      ...(options.credentials.sessionToken === undefined ? {} : { sessionToken: options.credentials.sessionToken }),
    },
    // Throttling, 5xx and a stalled attempt are retried with back-off; the overall abort below
    // bounds the total. Without throwOnRequestTimeout the SDK only warns when an attempt stalls.
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: Math.min(5000, options.timeoutMs),
      requestTimeout: Math.max(1000, Math.floor(options.timeoutMs / 3)),
      throwOnRequestTimeout: true,
      ...(await agentsFor(options.transport)),
    },
  })
  let date: Date | undefined
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args)
      const response = result.response as { headers?: Record<string, string> } | undefined
      const header = response?.headers?.date
      if (header !== undefined) date = new Date(header)
      return result
    },
    { step: 'deserialize', name: 'awsmfaResponseDate' },
  )
  return { client, responseDate: () => date }
}

async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    return await call(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

export const realSts: StsApi = {
  async assumeRole(request: AssumeRoleRequest): Promise<AssumedRole> {
    const { client } = await makeClient({ ...request, credentials: request.credentials })
    try {
      const output = await withDeadline(request.timeoutMs, (abortSignal) =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: request.roleArn,
            RoleSessionName: request.roleSessionName,
            DurationSeconds: request.durationSeconds,
            ...(request.serialNumber === undefined ? {} : { SerialNumber: request.serialNumber }),
            ...(request.tokenCode === undefined ? {} : { TokenCode: request.tokenCode }),
            ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
          }),
          { abortSignal },
        ),
      )
      const credentials = output.Credentials
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
        throw Object.assign(new Error('the AssumeRole answer has no credentials'), { name: 'SyntaxError' })
      }
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: credentials.Expiration,
        assumedRoleArn: output.AssumedRoleUser?.Arn ?? '',
        requestId: output.$metadata.requestId,
      }
    } finally {
      client.destroy()
    }
  },

  async getCallerIdentity(request: CallerIdentityRequest): Promise<CallerIdentity> {
    const { client, responseDate } = await makeClient(request)
    try {
      const output = await withDeadline(request.timeoutMs, (abortSignal) => client.send(new GetCallerIdentityCommand({}), { abortSignal }))
      return { account: output.Account ?? '', arn: output.Arn ?? '', userId: output.UserId ?? '', serverDate: responseDate() }
    } finally {
      client.destroy()
    }
  },
}
