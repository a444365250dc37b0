import { AwsmfaError, EXIT } from './errors.js'

/** AWS accepts 900–43200 s for AssumeRole; anything else is refused before a call. */
export const MIN_DURATION = 900
export const MAX_DURATION = 43200
/** AWS caps a session assumed with temporary credentials ("role chaining") at one hour. */
export const CHAINED_MAX_DURATION = 3600
/** GetSessionToken for an IAM user: 900–129600 s (36 h), 43200 by default (STS API reference). */
export const USER_MAX_DURATION = 129600
export const USER_DEFAULT_DURATION = 43200

/** What one STS call accepts as DurationSeconds, for the messages that name it. */
export interface DurationRange {
  readonly call: 'AssumeRole' | 'GetSessionToken'
  readonly max: number
  /** What awsmfa asks for when neither --duration nor duration_seconds says. */
  readonly default: number
}
export const ASSUME_ROLE_RANGE: DurationRange = { call: 'AssumeRole', max: MAX_DURATION, default: MAX_DURATION }
export const SESSION_TOKEN_RANGE: DurationRange = { call: 'GetSessionToken', max: USER_MAX_DURATION, default: USER_DEFAULT_DURATION }

/** Whether the call accepts `seconds` as DurationSeconds (900 s up to the range's maximum). */
export function inDurationRange(seconds: number, range: DurationRange): boolean {
  return seconds >= MIN_DURATION && seconds <= range.max
}

/** Parses `43200`, `12h`, `45m`, `1h30m`, `90s` into seconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed)
  if (match === null || trimmed === '') return undefined
  const [, h = '0', m = '0', s = '0'] = match
  return Number(h) * 3600 + Number(m) * 60 + Number(s)
}

/** Validates a duration from `--duration` or `duration_seconds`, naming where it came from. */
export function checkDuration(text: string, origin: string, range: DurationRange = ASSUME_ROLE_RANGE): number {
  const seconds = parseDuration(text)
  if (seconds === undefined) {
    throw new AwsmfaError(`${origin} '${text}' is not a duration`, {
      fix: 'write seconds (3600) or hours and minutes (12h, 45m, 1h30m)',
      exitCode: EXIT.usage,
    })
  }
  if (!inDurationRange(seconds, range)) {
    const hours = `${range.max / 3600}h`
    throw new AwsmfaError(`${origin} ${text} is outside what AWS allows for ${range.call} (15m to ${hours}, 900–${range.max} s)`, {
      fix: `choose a duration between 15m and ${hours}`,
      exitCode: EXIT.usage,
    })
  }
  return seconds
}

/** `11h59m`, `42m`, `0m`: the time left as a person reads it (whole minutes, rounded down). */
export function formatRemaining(seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60))
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return hours > 0 ? `${hours}h${String(rest).padStart(2, '0')}m` : `${rest}m`
}

/** `--min-remaining` (env, exec): how much a reused session must have left; default 15m. */
export const DEFAULT_MIN_REMAINING = '15m'

export function parseMinRemaining(text: string): number {
  const seconds = parseDuration(text)
  if (seconds === undefined) {
    throw new AwsmfaError(`--min-remaining '${text}' is not a duration`, {
      fix: 'write seconds (900) or hours and minutes (15m, 1h, 1h30m)',
      exitCode: EXIT.usage,
    })
  }
  return seconds
}
