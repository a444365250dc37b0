/**
 * The one region rule. A new session's region is `--region`, else the profile's own (the target's,
 * else its source's: profiles.ts profileRegion), else this terminal's AWS_REGION/AWS_DEFAULT_REGION
 * unless an earlier `awsmfa use` set them; STS is called there, or in us-east-1 when nothing names
 * one. A session a terminal already holds has the region its variables say. `env`, `exec`, `list`,
 * `doctor`, `status` and `console` all read it from here.
 */
import type { Env } from './deps.js'

/** STS answers in us-east-1 when nothing names a region (the global endpoint's home). */
export const FALLBACK_STS_REGION = 'us-east-1'

/** The region of the session this environment holds (or of the terminal itself): AWS_REGION, else AWS_DEFAULT_REGION. */
export function heldRegion(env: Env): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined
}

/** AWS_REGION/AWS_DEFAULT_REGION, unless an earlier `awsmfa use` set them: then they belong to that profile, not to this one. */
export function ambientRegion(env: Env): string | undefined {
  return env.AWSMFA_PROFILE ? undefined : heldRegion(env)
}

/** The region a new session gets (exported as AWS_REGION); undefined leaves it unset. */
export function sessionRegion(given: string | undefined, profileRegion: string | undefined, env: Env): string | undefined {
  return given || profileRegion || ambientRegion(env)
}

/** Where STS is called for a session in `region`. */
export function stsRegion(region: string | undefined): string {
  return region ?? FALLBACK_STS_REGION
}
