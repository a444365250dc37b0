/**
 * A local AWS STS over real HTTP on 127.0.0.1, for tests and `awsmfa demo`: Query protocol,
 * SigV4 verification, MFA with single-use TOTP codes, role chaining limits, and AWS's exact
 * error answers. Only node:http and node:crypto, so it bundles into the CLI.
 */
import { startServer } from './server.js'
import type { Emulator, EmulatorOptions } from './types.js'

export type { Emulator, EmulatorOptions, EmulatorRole, EmulatorUser, Fault, FederationLogEntry, IssuedCredentials, RequestLogEntry, SessionSecrets } from './types.js'
export { demoWorld } from './world.js'

export function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  return startServer(options)
}
