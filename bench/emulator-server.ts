/**
 * The project's STS emulator (lib/emulator) as a stand-alone process for the benchmark, so the
 * client being timed never shares a process or an event loop with the server.
 *
 * bench/sts-world.ts bundles this file with esbuild into a temp file and starts it. It prints ONE JSON
 * line on stdout — {url, port, tlsPort, code, users} — and serves until its stdin closes (or
 * SIGTERM); then it prints one more JSON line with the answers it sent, so the runner can prove
 * every timed call really was a successful AssumeRole.
 *
 * Why many users: AWS lets an MFA code work once per device, and so does the emulator. Every timed
 * run therefore gets its own IAM user with its own MFA device (and its own long-term keys); the
 * runner switches between them between runs, outside the timing. All devices share one TOTP seed
 * and the emulator's clock is frozen at start-up, so a single code `C` is valid for every device
 * for the life of this process — the command line stays `awsmfa env prod --token-code C`. The
 * emulator still checks the code, the device, the signature and single use, exactly as in tests;
 * the clock is frozen for at most one benchmark row (a few minutes at most, under the emulator's
 * 5-minute signature-skew limit, which the frozen clock would otherwise start to trip).
 *
 * Options (argv): --users N, --account ID, --tls-port P --tls-cert FILE --tls-key FILE
 * (adds a TLS front on 127.0.0.1:P that forwards bytes to the emulator, for the network-namespace
 * rows where the AWS CLI must reach `https://sts.<region>.amazonaws.com`).
 */
import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { parseArgs } from 'node:util'
import { startEmulator, type EmulatorRole, type EmulatorUser } from '../lib/emulator/index.js'
import { PROD_ROLE, USER_ACCOUNT, makeUser, randomMfaSecret } from '../test/helpers/aws-files.js'
import { splice } from '../test/helpers/splice.js'

/** The first line this process prints: what the runner needs to write a world and time a row. */
export interface BenchEmulatorInfo {
  url: string
  port: number
  tlsPort: number | undefined
  roleArn: string
  /** The one code valid for every device while this process runs (its clock is frozen). */
  code: string
  users: Array<{ name: string; accessKeyId: string; secretAccessKey: string; mfaSerial: string }>
}

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50' },
    'tls-port': { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
})

const seed = randomMfaSecret()
const count = Number(values.users)
const users: EmulatorUser[] = []
for (let i = 1; i <= count; i++) users.push(makeUser(`bench${String(i).padStart(4, '0')}`, seed))
// The same trust as the tests' `prod`: the user account, MFA required, 12 h sessions.
const roles: EmulatorRole[] = [
  { arn: PROD_ROLE, maxSessionDuration: 43200, trustedPrincipals: [`arn:aws:iam::${USER_ACCOUNT}:root`], requireMfa: true },
]

const frozen = Date.now()
const emulator = await startEmulator({ users, roles, now: () => frozen })

let tlsPort: number | undefined
let closeTls = (): void => {}
if (values['tls-port'] !== undefined) {
  const tls = createTlsServer({ key: readFileSync(values['tls-key'] ?? ''), cert: readFileSync(values['tls-cert'] ?? '') }, (socket) => {
    const upstream = connect(emulator.port, '127.0.0.1')
    // No Nagle on either leg: a small request or answer must not wait ~40 ms for a delayed ACK.
    socket.setNoDelay(true)
    upstream.setNoDelay(true)
    splice(socket, upstream)
  })
  await new Promise<void>((resolve, reject) => {
    tls.once('error', reject)
    tls.listen(Number(values['tls-port']), '127.0.0.1', () => resolve())
  })
  tlsPort = Number(values['tls-port'])
  closeTls = () => void tls.close()
}

const info: BenchEmulatorInfo = {
  url: emulator.url,
  port: emulator.port,
  tlsPort,
  roleArn: PROD_ROLE,
  code: emulator.totp(users[0]?.mfaSerial ?? ''),
  users: users.map((u) => ({ name: u.userName, accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey, mfaSerial: u.mfaSerial ?? '' })),
}
process.stdout.write(`${JSON.stringify(info)}\n`)

let stopping = false
async function stop(): Promise<void> {
  if (stopping) return
  stopping = true
  closeTls()
  await emulator.close()
  const answers: Record<string, number> = {}
  for (const r of emulator.requests) {
    const key = `${r.action || '?'} ${r.status}${r.errorCode ? ` ${r.errorCode}` : ''}`
    answers[key] = (answers[key] ?? 0) + 1
  }
  process.stdout.write(`${JSON.stringify({ answers })}\n`)
}
process.stdin.on('end', () => void stop())
process.stdin.resume()
process.on('SIGTERM', () => void stop())
