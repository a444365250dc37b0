/**
 * The real STS calls, through @aws-sdk/client-sts. This module is imported lazily (only by
 * commands that call STS) so --version, init and completion never pay for loading the SDK.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts'
import { agentsFor } from './http-agents.js'
import type { StsTransport } from './network.js'
import type { AssumeRoleRequest, AssumedRole, CallerIdentity, CallerIdentityRequest, SessionToken, SessionTokenRequest, StsApi } from './sts.js'

interface ClientOptions {
  region: string
  endpoint: string | undefined
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined }
  timeoutMs: number
  transport?: StsTransport | undefined
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

  async getSessionToken(request: SessionTokenRequest): Promise<SessionToken> {
    const { client } = await makeClient(request)
    try {
      const output = await withDeadline(request.timeoutMs, (abortSignal) =>
        client.send(
          new GetSessionTokenCommand({
            DurationSeconds: request.durationSeconds,
            ...(request.serialNumber === undefined ? {} : { SerialNumber: request.serialNumber }),
            ...(request.tokenCode === undefined ? {} : { TokenCode: request.tokenCode }),
          }),
          { abortSignal },
        ),
      )
      const credentials = output.Credentials
      if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
        throw Object.assign(new Error('the GetSessionToken answer has no credentials'), { name: 'SyntaxError' })
      }
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: credentials.Expiration,
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
