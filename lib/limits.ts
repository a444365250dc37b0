import type { Env } from './deps.js'

/** Every wait has a bound, so no failure hangs a terminal. Users may tune them by environment. */
const DEFAULT_STS_TIMEOUT_MS = 15_000
const DEFAULT_PROCESS_TIMEOUT_MS = 60_000

function seconds(value: string | undefined, fallbackMs: number): number {
  const parsed = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed > 0 ? parsed * 1000 : fallbackMs
}

/** One STS call, retries included: AWSMFA_STS_TIMEOUT seconds, default 15. */
export function stsTimeoutMs(env: Env): number {
  return seconds(env.AWSMFA_STS_TIMEOUT, DEFAULT_STS_TIMEOUT_MS)
}

/** mfa_process and credential_process: AWSMFA_PROCESS_TIMEOUT seconds, default 60 (a hardware key may wait for a touch). */
export function processTimeoutMs(env: Env): number {
  return seconds(env.AWSMFA_PROCESS_TIMEOUT, DEFAULT_PROCESS_TIMEOUT_MS)
}

/** The agent ends after holding nothing this long: AWSMFA_AGENT_IDLE seconds, default one hour. */
export function agentIdleMs(env: Env): number {
  return seconds(env.AWSMFA_AGENT_IDLE, 3_600_000)
}
