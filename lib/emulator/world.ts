import { createHash, randomBytes } from 'node:crypto'
import type { EmulatorRole, EmulatorUser } from './types.js'

/**
 * The world `awsmfa demo` shows: alice's long-term keys live in 123456789012, the work happens in
 * 123456789034 behind an MFA-only trust. Every key here is fake, but shaped like a real one so
 * that format checks in clients pass.
 */
export function demoWorld(): { users: EmulatorUser[]; roles: EmulatorRole[] } {
  const alice: EmulatorUser = {
    userName: 'alice',
    accountId: '123456789012',
    accessKeyId: 'AKIAAWSMFADEMOALICE1',
    secretAccessKey: 'demo/ALICE/notARealSecretKey/0123456789a',
    mfaSerial: 'arn:aws:iam::123456789012:mfa/alice',
    mfaSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  }
  return {
    users: [alice],
    roles: [
      {
        arn: 'arn:aws:iam::123456789034:role/ServerworksRolePU',
        maxSessionDuration: 43200,
        trustedPrincipals: [userArn(alice)],
        requireMfa: true,
      },
      {
        arn: 'arn:aws:iam::123456789034:role/ReadOnly',
        maxSessionDuration: 3600,
        trustedPrincipals: ['arn:aws:iam::123456789012:root'],
        requireMfa: true,
      },
    ],
  }
}

export const userArn = (user: EmulatorUser): string => `arn:aws:iam::${user.accountId}:user/${user.userName}`

/** `arn:aws:iam::ACCT:role/path/NAME` → account and the role's name (the last path segment). */
export function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn)
  return m ? { accountId: m[1] ?? '', name: m[2] ?? '' } : undefined
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** AWS unique ids (AIDA… for users, AROA… for roles) are stable per principal: derive them from the ARN. */
export function stableId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest()
  let id = prefix
  for (let i = 0; i < 17; i++) id += UPPER_ALNUM[(digest[i] ?? 0) % 32]
  return id
}

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length)
  let out = ''
  for (const b of bytes) out += alphabet[b % alphabet.length]
  return out
}

/** Temporary credentials shaped like STS's: ASIA + 16, a 40-char secret, a long base64 token. */
export function newTemporaryKeys(): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
  return {
    accessKeyId: `ASIA${randomFrom(UPPER_ALNUM, 16)}`,
    secretAccessKey: randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 40),
    sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(300).toString('base64')}`,
  }
}
