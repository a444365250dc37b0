// Shared by the emulator tests: a real SDK client pointed at the emulator, and exact error checks.
import { STSClient, type STSClientConfig } from '@aws-sdk/client-sts'
import type { Test } from 'tap'
import { demoWorld, startEmulator, type Emulator, type EmulatorOptions, type EmulatorUser } from '../../lib/emulator/index.js'

// Never let the SDK reach for the EC2 metadata address, and keep Node 20's support warning quiet.
process.env.AWS_EC2_METADATA_DISABLED = 'true'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

export const world = demoWorld()
export const alice = world.users[0] as EmulatorUser & { mfaSerial: string; mfaSecret: string }
export const PU_ROLE = 'arn:aws:iam::123456789034:role/ServerworksRolePU'
export const RO_ROLE = 'arn:aws:iam::123456789034:role/ReadOnly'
export const ALICE_ARN = 'arn:aws:iam::123456789012:user/alice'

/** A second account's user that no role trusts. */
export const mallory: EmulatorUser = {
  userName: 'mallory', accountId: '210987654321',
  accessKeyId: 'AKIAMALLORYNOTTRUST1', secretAccessKey: 'mallory/notARealSecretKey/0123456789abcd',
  mfaSerial: 'arn:aws:iam::210987654321:mfa/mallory', mfaSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
}

export interface Keys { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
export const aliceKeys: Keys = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey }

/** A fresh emulator for one test (so single-use MFA codes never leak between tests), closed at teardown. */
export async function emulator(t: Test, extra: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  const emu = await startEmulator({ users: [...world.users, mallory], roles: world.roles, ...extra })
  t.teardown(() => emu.close())
  return emu
}

export interface Observed { status: number; requestId: string | undefined }

/** A real SDK client; `seen` records the raw status and x-amzn-RequestId of every HTTP attempt. */
export function client(emu: Emulator, keys: Keys = aliceKeys, config: Partial<STSClientConfig> = {}): { sts: STSClient; seen: Observed[] } {
  const sts = new STSClient({ region: 'eu-west-1', endpoint: emu.url, credentials: keys, ...config })
  const seen: Observed[] = []
  // 'deserialize' step at low priority sits inside the SDK's deserializer: it sees each raw response.
  sts.middlewareStack.add((next) => async (args) => {
    const out = await next(args)
    const response = out.response as { statusCode?: number; headers?: Record<string, string> }
    seen.push({ status: response.statusCode ?? 0, requestId: response.headers?.['x-amzn-requestid'] })
    return out
  }, { step: 'deserialize', priority: 'low', name: 'observeResponses' })
  return { sts, seen }
}

export interface SdkError {
  name: string
  message: string
  $fault?: string
  $metadata: { httpStatusCode?: number; requestId?: string; attempts?: number }
}

export function isSdkError(value: unknown): value is SdkError {
  return value instanceof Error && '$metadata' in value
}

/** Awaits a rejection and checks it is exactly this AWS answer, with the request id from the header. */
export async function rejectsWith(t: Test, call: Promise<unknown>, seen: Observed[],
  expected: { name: string; status: number; message: string | RegExp }): Promise<SdkError> {
  const err: unknown = await call.then(() => undefined, (e: unknown) => e)
  if (!isSdkError(err)) {
    t.fail(`expected ${expected.name}, got ${String(err)}`)
    throw new Error('unexpected answer')
  }
  t.equal(err.name, expected.name, 'error name')
  if (typeof expected.message === 'string') t.equal(err.message, expected.message, 'exact message')
  else t.match(err.message, expected.message, 'message')
  t.equal(err.$metadata.httpStatusCode, expected.status, 'HTTP status')
  const last = seen.at(-1)
  t.ok(last?.requestId, 'answer carried x-amzn-RequestId')
  t.equal(err.$metadata.requestId, last?.requestId, '$metadata.requestId is the header value')
  return err
}

/** A six-digit code that is valid for none of the steps the emulator accepts now. */
export function wrongCode(emu: Emulator, serial: string): string {
  const now = Date.now()
  const valid = new Set([-30_000, 0, 30_000].map((d) => emu.totp(serial, now + d)))
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (!valid.has(code)) return code
  }
}

interface PresignRequest {
  method: string; protocol: string; hostname: string; port: number; path: string
  query: Record<string, string>; headers: Record<string, string>
}

/**
 * A GET URL for `params`, presigned by the SDK's own SigV4 signer (the client's resolved `signer`),
 * so the raw XML answer can be read with fetch.
 */
export async function presignedUrl(emu: Emulator, params: Record<string, string>, keys: Keys = aliceKeys): Promise<URL> {
  const { sts } = client(emu, keys)
  const signerFor = sts.config.signer as unknown as () => Promise<{ presign(r: PresignRequest, o?: { expiresIn?: number }): Promise<PresignRequest> }>
  const signed = await (await signerFor()).presign({
    method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: emu.port, path: '/',
    query: params, headers: { host: `127.0.0.1:${emu.port}` },
  }, { expiresIn: 60 })
  const url = new URL(emu.url)
  for (const [k, v] of Object.entries(signed.query)) url.searchParams.set(k, v)
  return url
}
