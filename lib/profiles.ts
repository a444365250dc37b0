import { externalDataInterceptor, loadSharedConfigFiles } from '@smithy/core/config'
import type { Deps } from './deps.js'
import { AwsmfaError, EXIT } from './errors.js'
import { printable } from './text.js'

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

export function configPaths(deps: Pick<Deps, 'env' | 'homedir'>): { configPath: string; credentialsPath: string } {
  const home = deps.homedir()
  const expand = (path: string): string => (path.startsWith('~/') ? `${home}/${path.slice(2)}` : path)
  return {
    configPath: expand(deps.env.AWS_CONFIG_FILE || `${home}/.aws/config`),
    credentialsPath: expand(deps.env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`),
  }
}

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

/** True when a profile names a role to assume: the profiles awsmfa can target and complete. */
export function isTargetProfile(settings: ProfileSettings): boolean {
  return Boolean(settings.role_arn)
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
    throw new AwsmfaError('has no role_arn, so there is no role to assume', {
      fix: `add role_arn = arn:aws:iam::ACCOUNT:role/NAME to [profile ${printable(name)}], or pick a role profile (awsmfa list)`,
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  const sourceProfile = settings.source_profile
  const credentialSource = settings.credential_source
  if (sourceProfile && credentialSource) {
    throw new AwsmfaError('sets both source_profile and credential_source; AWS accepts only one', {
      fix: 'remove one of them (usually credential_source)',
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  if (!sourceProfile && !credentialSource) {
    throw new AwsmfaError('has neither source_profile nor credential_source, so there are no keys to assume the role with', {
      fix: 'add source_profile = <the profile with the IAM user\'s access keys>',
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  if (credentialSource && credentialSource !== 'Environment') {
    throw new AwsmfaError(`uses credential_source = ${printable(credentialSource)}, which awsmfa does not support`, {
      fix: 'use source_profile with the IAM user\'s long-term keys, or credential_source = Environment',
      profile: name,
      exitCode: EXIT.usage,
    })
  }
  let source: ProfileSettings = {}
  if (sourceProfile) {
    const found = config.profiles.get(sourceProfile)
    if (found === undefined) {
      throw new AwsmfaError(`names source_profile '${printable(sourceProfile)}', which is not in ${printable(config.credentialsPath)} or ${printable(config.configPath)}`, {
        fix: `add [${printable(sourceProfile)}] with aws_access_key_id and aws_secret_access_key to ${printable(config.credentialsPath)}`,
        profile: name,
        exitCode: EXIT.usage,
      })
    }
    source = found
  }
  return {
    name,
    roleArn,
    sourceProfile: sourceProfile || undefined,
    credentialSource: credentialSource || undefined,
    mfaSerial: settings.mfa_serial || source.mfa_serial || undefined,
    durationSeconds: settings.duration_seconds || undefined,
    roleSessionName: settings.role_session_name || undefined,
    externalId: settings.external_id || undefined,
    region: settings.region || source.region || undefined,
    endpointUrl: settings.endpoint_url || undefined,
    caBundle: settings.ca_bundle || undefined,
    useFipsEndpoint: settings.use_fips_endpoint || undefined,
    useDualstackEndpoint: settings.use_dualstack_endpoint || undefined,
    mfaProcess: settings.mfa_process || undefined,
  }
}

function nearbyNames(config: SharedConfig, name: string): string {
  const targets = [...config.profiles.keys()].filter((p) => isTargetProfile(config.profiles.get(p) ?? {}))
  const lower = name.toLowerCase()
  const close = targets.filter((p) => p.toLowerCase().includes(lower) || lower.includes(p.toLowerCase())).slice(0, 5)
  if (close.length > 0) return `did you mean ${close.map((p) => `'${printable(p)}'`).join(', ')}? (awsmfa list shows them all)`
  if (targets.length === 0) return `add a role profile to ${printable(config.configPath)} (see README: Configuration)`
  return 'run awsmfa list to see the profiles that can be used'
}
