/**
 * The STS port: what awsmfa asks of STS and what it gets back, types only. Deps (lib/deps.ts)
 * names StsApi; lib/sts.ts (the rules around the calls) and lib/sts-client.ts (the SDK) use the
 * same shapes. Importing nothing keeps the port free of the domain modules.
 */

/** What the STS client needs to make the connection; `proxyUrl` may hold a password. */
export interface StsTransport {
  readonly proxyUrl: string | undefined
  /** PEM certificates that replace the default roots; undefined keeps Node's roots. */
  readonly ca: readonly string[] | undefined
  /** Called with the status of the proxy's answer to CONNECT, so a refusal can be named. */
  readonly onProxyResponse?: (status: number) => void
}

/** The keys that sign the one AssumeRole call. Never printed, never logged. */
export interface SourceCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string | undefined
  /** Where they came from, for messages: "profile 'alice'" or "the environment". */
  readonly origin: string
  /** Why these keys would make the call role chaining; undefined for long-term keys. */
  readonly chainedBecause: string | undefined
}

/** Everything the one AssumeRole call needs; secrets stay inside this value. */
export interface AssumeRoleRequest {
  readonly roleArn: string
  readonly roleSessionName: string
  readonly durationSeconds: number
  readonly serialNumber: string | undefined
  readonly tokenCode: string | undefined
  readonly externalId: string | undefined
  readonly region: string
  /** An override (VPC endpoint, tests); undefined means the SDK's regional endpoint. */
  readonly endpoint: string | undefined
  readonly credentials: SourceCredentials
  /** The whole call, retries included, ends after this long. */
  readonly timeoutMs: number
  /** Proxy and CA bundle (lib/network.ts); undefined: direct, default roots. */
  readonly transport?: StsTransport | undefined
}

export interface AssumedRole {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
  readonly assumedRoleArn: string
  readonly requestId: string | undefined
}

/** The one GetSessionToken call of a user session: the IAM user's own keys, its MFA device and code (undefined only in the demo's classic first step). */
export interface SessionTokenRequest {
  readonly durationSeconds: number
  readonly serialNumber: string | undefined
  readonly tokenCode: string | undefined
  readonly region: string
  readonly endpoint: string | undefined
  readonly credentials: SourceCredentials
  readonly timeoutMs: number
  /** Proxy and CA bundle (lib/network.ts); undefined: direct, default roots. */
  readonly transport?: StsTransport | undefined
}

export interface SessionToken {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken: string
  readonly expiration: Date
  readonly requestId: string | undefined
}

export interface CallerIdentityRequest {
  readonly region: string
  readonly endpoint: string | undefined
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string | undefined }
  readonly timeoutMs: number
  readonly transport?: StsTransport | undefined
}

export interface CallerIdentity {
  readonly account: string
  readonly arn: string
  readonly userId: string
  /** The server's clock from the Date header, to measure skew. */
  readonly serverDate: Date | undefined
}

/** The STS calls awsmfa makes. The real one loads the SDK lazily (lib/sts-client.ts). */
export interface StsApi {
  assumeRole(request: AssumeRoleRequest): Promise<AssumedRole>
  getSessionToken(request: SessionTokenRequest): Promise<SessionToken>
  getCallerIdentity(request: CallerIdentityRequest): Promise<CallerIdentity>
}
