/**
 * Hostile data shared by the hardening tests: a profile name (from the credentials file; the SDK's
 * INI loader takes any section name there) and a role ARN that carry shell syntax, `%`, quotes,
 * typographic quotes and terminal escapes (OSC title, CSI, 8-bit CSI U+009B, BEL), in a world whose
 * emulator issues HOSTILE_SECRET / HOSTILE_TOKEN.
 */
import type { Test } from 'tap'
import { ROLE_ACCOUNT, USER_ACCOUNT, defaultConfig, defaultCredentials, defaultRoles, makeWorld, type World } from '../helpers/world.js'

/** A profile name from the credentials file (the SDK's INI loader takes any section name there). */
export const HOSTILE_PROFILE = "p$(touch CANARY)'\"`touch CANARY`;&|<>%s%F{red}!!\x1b[31m\x1b]0;pwned\x07\x9b2J‘’ é🔑"
/** A role whose path and name carry the same; the emulator trusts alice for it without MFA. */
export const HOSTILE_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/$(touch CANARY)/\`touch CANARY\`;'"\\&|<>%s%n‘’\x1b]0;pwned\x07/Hostile\x1b[2J\x07`

export function hostileWorld(t: Test, extraConfig = ''): Promise<World> {
  return makeWorld(t, {
    hostile: true,
    roles: [...defaultRoles(), { arn: HOSTILE_ROLE, maxSessionDuration: 43200, trustedPrincipals: [`arn:aws:iam::${USER_ACCOUNT}:user/alice`] }],
    config: () => defaultConfig() + extraConfig,
    credentials: (alice) => `${defaultCredentials(alice)}\n[${HOSTILE_PROFILE}]\nrole_arn = ${HOSTILE_ROLE}\nsource_profile = alice\nregion = eu-west-1\n`,
  })
}

