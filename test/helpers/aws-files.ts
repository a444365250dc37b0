/**
 * What a world is made of, shared by the tests' world (world.ts) and the benchmark (bench/): the
 * IAM users and roles the emulator knows, the AWS config and credentials files the CLI reads,
 * and the environment it runs with, which holds nothing of the developer's own AWS setup.
 * Pure (no emulator, no child process), so bench/emulator-server.ts can bundle it.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EmulatorUser } from '../../lib/emulator/index.js'

export const USER_ACCOUNT = '123456789012'
export const ROLE_ACCOUNT = '123456789034'
export const PROD_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/ServerworksRolePU`
export const SHORT_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/ReadOnly`
export const NOMFA_ROLE = `arn:aws:iam::${ROLE_ACCOUNT}:role/NoMfaTrust`
export const ALICE_MFA = mfaSerialOf('alice')

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const base32 = (n: number): string => Array.from(randomBytes(n), (b) => BASE32[b % 32]).join('')

/** The MFA device of IAM user `userName` in USER_ACCOUNT. */
export function mfaSerialOf(userName: string): string {
  return `arn:aws:iam::${USER_ACCOUNT}:mfa/${userName}`
}

/** A fresh TOTP seed (base32, 160 bits). */
export function randomMfaSecret(): string {
  return base32(32)
}

/** An IAM user in USER_ACCOUNT with fresh, random keys and its own MFA device (seed given or fresh). */
export function makeUser(userName: string, mfaSecret: string = randomMfaSecret()): EmulatorUser {
  return {
    userName,
    accountId: USER_ACCOUNT,
    accessKeyId: `AKIA${base32(16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    mfaSerial: mfaSerialOf(userName),
    mfaSecret,
  }
}

/** One config section: `[default]` or `[profile NAME]`, its settings in order, undefined ones left out. */
export function profileSection(name: string, settings: Readonly<Record<string, string | number | undefined>>): string {
  const header = name === 'default' ? '[default]' : `[profile ${name}]`
  const lines = Object.entries(settings).flatMap(([key, value]) => (value === undefined ? [] : [`${key} = ${value}`]))
  return `${[header, ...lines].join('\n')}\n`
}

/** A profile that assumes `roleArn` from `source` (the shape of every role profile here). */
export function roleProfile(
  name: string,
  role: { roleArn: string; source: string; mfaSerial?: string; region?: string; durationSeconds?: number },
): string {
  return profileSection(name, {
    role_arn: role.roleArn,
    source_profile: role.source,
    mfa_serial: role.mfaSerial,
    region: role.region,
    duration_seconds: role.durationSeconds,
  })
}

/** Sections joined as a config file writes them: a blank line between two. */
export function configText(sections: readonly string[]): string {
  return sections.join('\n')
}

/** The credentials file: long-term keys for `user` under `[profile]`. */
export function credentialsText(profile: string, user: Pick<EmulatorUser, 'accessKeyId' | 'secretAccessKey'>): string {
  return `[${profile}]
aws_access_key_id = ${user.accessKeyId}
aws_secret_access_key = ${user.secretAccessKey}
`
}

export interface AwsFiles {
  readonly configPath: string
  readonly credentialsPath: string
}

/** Writes `config` and `credentials` into `dir` (made if missing); credentials 0600, as the AWS CLI writes them. */
export function writeAwsFiles(dir: string, files: { config: string; credentials: string }): AwsFiles {
  mkdirSync(dir, { recursive: true })
  const configPath = join(dir, 'config')
  const credentialsPath = join(dir, 'credentials')
  writeFileSync(configPath, files.config)
  writeFileSync(credentialsPath, files.credentials, { mode: 0o600 })
  return { configPath, credentialsPath }
}

/**
 * The environment a CLI under test runs with: this machine's PATH, user alice in a throwaway HOME,
 * a fixed locale and zone, the given AWS files, no instance metadata and no colour.
 */
export function cliEnv(home: string, files: AwsFiles): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    USER: 'alice',
    LANG: 'C.UTF-8',
    TZ: 'UTC',
    AWS_CONFIG_FILE: files.configPath,
    AWS_SHARED_CREDENTIALS_FILE: files.credentialsPath,
    AWS_EC2_METADATA_DISABLED: 'true',
    NO_COLOR: '1',
  }
}
