import { externalDataInterceptor, loadSharedConfigFiles } from '@smithy/core/config'
import type { Deps } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import { printable } from './text.js'
import { configPaths } from './config-paths.js'

/**
 * One profile's keys, merged from both files as the AWS CLI does (credentials file wins). A
 * record without a prototype: a key read from the files never meets Object.prototype's names.
 */
export type ProfileSettings = Readonly<Record<string, string | undefined>>

export interface SharedConfig {
  readonly configPath: string
  readonly credentialsPath: string
  /** By name. A Map: a profile named toString or __proto__ is just a name. */
  readonly profiles: ReadonlyMap<string, ProfileSettings>
}

/** A profile that can be a target: it names a role and where the keys to assume it come from. */
export interface TargetProfile {
  readonly name: string
  readonly roleArn: string
  /** The profile holding the keys; undefined with `credential_source = Environment`. */
  readonly sourceProfile: string | undefined
  readonly credentialSource: string | undefined
  /** From the target, else from the source profile (as awsume and Granted do). */
  readonly mfaSerial: string | undefined
  readonly durationSeconds: string | undefined
  readonly roleSessionName: string | undefined
  readonly externalId: string | undefined
  readonly region: string | undefined
  readonly endpointUrl: string | undefined
  /** The target's own network settings (SPEC §8); never another profile's. */
  readonly caBundle: string | undefined
  readonly useFipsEndpoint: string | undefined
  readonly useDualstackEndpoint: string | undefined
  readonly mfaProcess: string | undefined
}

export { configPaths } from './config-paths.js'

/**
 * Reads both shared files and parses them with the SDK's own INI loader, so awsmfa sees
 * exactly the profiles the SDK would. We read the bytes ourselves first: the loader
 * swallows every error, and a user deserves to hear that a file is unreadable.
 */
export async function loadSharedConfig(deps: Pick<Deps, 'env' | 'homedir' | 'readFile'>): Promise<SharedConfig> {
  const { configPath, credentialsPath } = configPaths(deps)
  const [configText, credentialsText] = await Promise.all([readConfigFile(configPath, deps), readConfigFile(credentialsPath, deps)])
  externalDataInterceptor.interceptFile(configPath, configText)
  externalDataInterceptor.interceptFile(credentialsPath, credentialsText)
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ configFilepath: configPath, filepath: credentialsPath })
  const profiles = new Map<string, ProfileSettings>()
  for (const [name, settings] of Object.entries(configFile)) {
    // The loader keeps [sso-session x] and [services x] sections as 'sso-session.x'/'services.x': not profiles.
    if (/^(sso-session|services)\./.test(name)) continue
    profiles.set(name, settingsRecord(settings))
  }
  for (const [name, settings] of Object.entries(credentialsFile)) profiles.set(name, settingsRecord(profiles.get(name), settings))
  return { configPath, credentialsPath, profiles }
}

function settingsRecord(...parts: Array<ProfileSettings | undefined>): ProfileSettings {
  return Object.assign(Object.create(null) as Record<string, string | undefined>, ...parts)
}

async function readConfigFile(path: string, deps: Pick<Deps, 'readFile'>): Promise<string> {
  let bytes: Buffer
  try {
    bytes = await deps.readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return ''
    if (code === 'EISDIR') {
      throw new AwsmfaError(`${printable(path)} is a directory, not an AWS config file`, {
        fix: 'point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the file itself',
        exitCode: EXIT.usage,
      })
    }
    throw new AwsmfaError(`cannot read ${printable(path)} (${code ?? 'error'})`, {
      fix: `check the file's permissions: chmod 600 ${printable(path)}`,
      exitCode: EXIT.usage,
    })
  }
  if (bytes.includes(0)) {
    throw new AwsmfaError(`${printable(path)} is not a text file (it contains NUL bytes)`, {
      fix: 'restore the file from a backup, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at the right file',
      exitCode: EXIT.usage,
    })
  }
  return bytes.toString('utf8')
}

/**
 * What `awsmfa env NAME` makes of a profile, the one rule env, list, doctor and console share:
 * `role` — it names a role (one AssumeRole); `user` — no role_arn, but an MFA device and the IAM
 * user's own static keys (one GetSessionToken, a session as the user itself); undefined — not a target.
 */
export type TargetKind = 'role' | 'user'

export function targetKind(settings: ProfileSettings): TargetKind | undefined {
  if (settings.role_arn) return 'role'
  if (settings.mfa_serial && settings.aws_access_key_id && settings.aws_secret_access_key) return 'user'
  return undefined
}

/** True when a profile can be a target (a role, or a user session): the profiles awsmfa lists and completes. */
export function isTargetProfile(settings: ProfileSettings): boolean {
  return targetKind(settings) !== undefined
}

/** A profile for a user session: GetSessionToken with the profile's own keys and MFA device. */
export interface UserProfile {
  readonly name: string
  readonly mfaSerial: string
  readonly durationSeconds: string | undefined
  readonly region: string | undefined
  readonly endpointUrl: string | undefined
  readonly mfaProcess: string | undefined
  readonly caBundle: string | undefined
  readonly useFipsEndpoint: string | undefined
  readonly useDualstackEndpoint: string | undefined
}

/** The user-session reading of a profile; only for profiles whose targetKind is `user`. */
export function resolveUser(config: SharedConfig, name: string): UserProfile {
  const settings = config.profiles.get(name) ?? {}
  if (targetKind(settings) !== 'user' || !settings.mfa_serial) resolveTarget(config, name)
  return {
    name,
    mfaSerial: settings.mfa_serial ?? '',
    durationSeconds: settings.duration_seconds || undefined,
    region: profileRegion(config, name),
    endpointUrl: settings.endpoint_url || undefined,
    mfaProcess: settings.mfa_process || undefined,
    caBundle: settings.ca_bundle || undefined,
    useFipsEndpoint: settings.use_fips_endpoint || undefined,
    useDualstackEndpoint: settings.use_dualstack_endpoint || undefined,
  }
}


/**
 * The region a profile names for its sessions: its own, else (for a role) its source profile's,
 * as the AWS CLI reads a source's settings. A user session has no source: only its own.
 */
export function profileRegion(config: SharedConfig, name: string): string | undefined {
  const settings = config.profiles.get(name) ?? {}
  if (targetKind(settings) !== 'role') return settings.region || undefined
  return settings.region || sourceSettings(config, settings)?.region || undefined
}

/** The MFA device a profile's sessions use: its own mfa_serial, else (for a role) its source profile's, as awsume and Granted read it. */
export function profileMfaSerial(config: SharedConfig, name: string): string | undefined {
  const settings = config.profiles.get(name) ?? {}
  if (targetKind(settings) !== 'role') return settings.mfa_serial || undefined
  return settings.mfa_serial || sourceSettings(config, settings)?.mfa_serial || undefined
}

function sourceSettings(config: SharedConfig, settings: ProfileSettings): ProfileSettings | undefined {
  return settings.source_profile ? config.profiles.get(settings.source_profile) : undefined
}

/**
 * Where a role profile says its keys come from, the one rule `env` refuses by (resolveTarget) and
 * `list`/`doctor` explain (lib/checks/target.ts): a source profile that exists, or the environment
 * (credential_source = Environment), or what is wrong with the two settings.
 */
export type KeySource =
  | { readonly kind: 'profile'; readonly name: string; readonly settings: ProfileSettings }
  | { readonly kind: 'environment' }
  | { readonly kind: 'both'; readonly sourceProfile: string; readonly credentialSource: string }
  | { readonly kind: 'neither' }
  | { readonly kind: 'unsupported'; readonly credentialSource: string }
  | { readonly kind: 'missing'; readonly name: string }

export function keySource(config: SharedConfig, settings: ProfileSettings): KeySource {
  const sourceProfile = settings.source_profile
  const credentialSource = settings.credential_source
  if (sourceProfile && credentialSource) return { kind: 'both', sourceProfile, credentialSource }
  if (credentialSource) return credentialSource === 'Environment' ? { kind: 'environment' } : { kind: 'unsupported', credentialSource }
  if (!sourceProfile) return { kind: 'neither' }
  const found = config.profiles.get(sourceProfile)
  return found === undefined ? { kind: 'missing', name: sourceProfile } : { kind: 'profile', name: sourceProfile, settings: found }
}

/**
 * Resolves `name` into a target profile, or explains why it cannot be one.
 * Only the files are consulted: ambient AWS_* variables never choose the source.
 */
export function resolveTarget(config: SharedConfig, name: string): TargetProfile {
  const settings = config.profiles.get(name)
  if (settings === undefined) {
    throw new AwsmfaError(`no profile named '${printable(name)}' in ${printable(config.configPath)} or ${printable(config.credentialsPath)}`, {
      fix: nearbyNames(config, name),
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  const roleArn = settings.role_arn
  if (!roleArn) {
    throw new AwsmfaError('has no role_arn, so there is no role to assume (and no mfa_serial with its own keys for a user session)', {
      fix: `add role_arn = arn:aws:iam::ACCOUNT:role/NAME to [profile ${printable(name)}], or mfa_serial for an MFA session as the IAM user itself, or pick a profile from awsmfa list`,
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  const from = keySource(config, settings)
  const refuse = (cause: string, fix: string): never => {
    throw new AwsmfaError(cause, { fix, profile: name, exitCode: EXIT.usage })
  }
  switch (from.kind) {
    case 'both':
      return refuse('sets both source_profile and credential_source; AWS accepts only one', BOTH_SOURCES_FIX)
    case 'neither':
      return refuse(NO_SOURCE, NO_SOURCE_FIX)
    case 'unsupported':
      return refuse(unsupportedCredentialSource(from.credentialSource), UNSUPPORTED_CREDENTIAL_SOURCE_FIX)
    case 'missing':
      return refuse(
        `names source_profile '${printable(from.name)}', which is not in ${printable(config.credentialsPath)} or ${printable(config.configPath)}`,
        `add [${printable(from.name)}] with aws_access_key_id and aws_secret_access_key to ${printable(config.credentialsPath)}`,
      )
    case 'profile':
    case 'environment':
      break
  }
  return {
    name,
    roleArn,
    sourceProfile: from.kind === 'profile' ? from.name : undefined,
    credentialSource: from.kind === 'environment' ? 'Environment' : undefined,
    mfaSerial: profileMfaSerial(config, name),
    durationSeconds: settings.duration_seconds || undefined,
    roleSessionName: settings.role_session_name || undefined,
    externalId: settings.external_id || undefined,
    region: profileRegion(config, name),
    endpointUrl: settings.endpoint_url || undefined,
    caBundle: settings.ca_bundle || undefined,
    useFipsEndpoint: settings.use_fips_endpoint || undefined,
    useDualstackEndpoint: settings.use_dualstack_endpoint || undefined,
    mfaProcess: settings.mfa_process || undefined,
  }
}

/** What env and doctor both say about the key-source settings, where their words are the same. */
export const BOTH_SOURCES_FIX = 'remove one of them (usually credential_source)'
export const NO_SOURCE = 'has neither source_profile nor credential_source, so there are no keys to assume the role with'
export const NO_SOURCE_FIX = 'add source_profile = <the profile with the IAM user\'s access keys>'
export const UNSUPPORTED_CREDENTIAL_SOURCE_FIX = 'use source_profile with the IAM user\'s long-term keys, or credential_source = Environment'
export function unsupportedCredentialSource(credentialSource: string): string {
  return `uses credential_source = ${printable(credentialSource)}, which awsmfa does not support`
}

function nearbyNames(config: SharedConfig, name: string): string {
  const targets = [...config.profiles.keys()].filter((p) => isTargetProfile(config.profiles.get(p) ?? {}))
  const lower = name.toLowerCase()
  const close = targets.filter((p) => p.toLowerCase().includes(lower) || lower.includes(p.toLowerCase())).slice(0, 5)
  if (close.length > 0) return `did you mean ${close.map((p) => `'${printable(p)}'`).join(', ')}? (awsmfa list shows them all)`
  if (targets.length === 0) return `add a role profile to ${printable(config.configPath)} (see README: Configuration)`
  return 'run awsmfa list to see the profiles that can be used'
}
