import type { Finding } from '../checks/finding.js'
import { checkTarget, targetNames, type KeysKind, type TargetCheck } from '../checks/target.js'
import { checkEnvironment } from '../checks/terminal.js'
import { mark, painter, paintSeverity, type Paint } from '../format/colour.js'
import type { Deps } from '../deps.js'
import { MAX_DURATION } from '../duration.js'
import { AwsmfaError, EXIT, writeDebugStack } from '../errors.js'
import { isTargetProfile, loadSharedConfig, resolveTarget, resolveUser, targetKind, type SharedConfig, type TargetProfile } from '../profiles.js'
import { resolveSourceCredentials, type SourceCredentials } from '../source.js'
import { stsTimeoutMs } from '../limits.js'
import { deviceOwner } from '../aws-names.js'
import { sessionRegion, stsRegion } from '../region.js'
import { describePath, explainNetworkFailure, resolveNetworkPath, type NetworkPath } from '../network.js'
import { explainStsError, type CallerIdentity } from '../sts.js'
import { printable, serverText } from '../text.js'

export interface DoctorOptions {
  readonly profile?: string | undefined
  readonly online?: boolean | undefined
}

interface Section {
  readonly heading: string
  readonly findings: Finding[]
}

/** SigV4 refuses requests signed more than 5 minutes away from AWS's clock. */
const SKEW_LIMIT_MS = 5 * 60_000
const SKEW_WARN_MS = 60_000
/** Sources whose keys GetCallerIdentity can try (a role source would need its own AssumeRole). */
const USABLE_KEYS: ReadonlySet<KeysKind> = new Set<KeysKind>(['long-term', 'temporary', 'credential_process', 'environment'])

/**
 * `awsmfa doctor [profile]`: every check list makes, explained with its fix, plus this terminal's
 * environment; `--online` proves the source keys with GetCallerIdentity (no MFA) and measures the
 * clock's skew. The report is what the user asked for, so it goes to stdout. Exit 1 when
 * something is wrong, 0 when all is well (warnings alone do not fail).
 */
export async function doctorCommand(options: DoctorOptions, deps: Deps): Promise<number> {
  const config = await loadSharedConfig(deps)
  let names = targetNames(config)
  if (options.profile !== undefined) {
    const settings = config.profiles.get(options.profile)
    // Unknown names and profiles without role_arn: the same usage error env gives.
    if (settings === undefined || !isTargetProfile(settings)) resolveTarget(config, options.profile)
    names = [options.profile]
  }
  const paint = await painter(deps.stdout, deps.env, 'stdout')
  const sections: Section[] = [await filesSection(config, names.length, deps)]

  const online = options.online ? new OnlineChecks(config, deps) : undefined
  for (const name of names) {
    const check = checkTarget(config, name, deps.env)
    const findings = [...check.findings]
    const network = await networkFindings(config, name, deps)
    findings.push(...network.findings)
    if (online !== undefined) findings.push(...(await online.check(check, network.path)))
    sections.push({ heading: targetHeading(check, paint), findings })
  }
  sections.push({ heading: 'this terminal', findings: [...checkEnvironment(config, deps.env, deps.now()), ...(online?.clockFindings() ?? [])] })

  const lines: string[] = []
  for (const section of sections) {
    lines.push(paint.bold(section.heading))
    for (const finding of section.findings) lines.push(...renderFinding(finding, paint))
    lines.push('')
  }
  const all = sections.flatMap((section) => section.findings)
  const errors = all.filter((f) => f.severity === 'error').length
  const warnings = all.filter((f) => f.severity === 'warn').length
  lines.push(summary(errors, warnings, paint))
  if (!options.online) lines.push(paint.dim('awsmfa doctor --online also proves that the source keys work (GetCallerIdentity, no MFA code needed).'))
  deps.stdout.write(`${lines.join('\n')}\n`)
  return errors > 0 ? EXIT.failed : EXIT.ok
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function summary(errors: number, warnings: number, paint: Paint): string {
  if (errors > 0) {
    return paint.error(`${plural(errors, 'problem')}${warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''}: each has its fix above.`)
  }
  if (warnings > 0) return paint.warn(`No problems; ${plural(warnings, 'warning')} above.`)
  return paint.ok('All good.')
}

function targetHeading(check: TargetCheck, paint: Paint): string {
  const user = `the IAM user itself${check.account === undefined ? '' : ` in ${check.account}`} (MFA session, no role)`
  const role = check.kind === 'user' ? user : check.role === undefined ? printable(check.roleArn) : `${printable(check.role)} in ${check.account ?? ''}`
  return `${printable(check.profile)} → ${role}   ${paintSeverity(check.severity, printable(check.verdict), paint)}`
}

function renderFinding(finding: Finding, paint: Paint): string[] {
  const indent = (text: string): string => text.replace(/\n/g, '\n    ')
  const lines = [`  ${mark(finding.severity, paint)} ${indent(finding.text)}`]
  if (finding.fix !== undefined && finding.severity !== 'ok') lines.push(`    ${paint.bold('fix:')} ${indent(finding.fix)}`)
  return lines
}

async function fileState(path: string, deps: Pick<Deps, 'readFile'>): Promise<'present' | 'missing' | 'unreadable'> {
  try {
    await deps.readFile(path)
    return 'present'
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable'
  }
}

async function filesSection(config: SharedConfig, targets: number, deps: Deps): Promise<Section> {
  const findings: Finding[] = []
  const [configState, credentialsState] = await Promise.all([fileState(config.configPath, deps), fileState(config.credentialsPath, deps)])
  // A missing file is not a ✓: say "missing" (a warning — keys may come from elsewhere; no targets is the error).
  const describe = (label: string, path: string, state: string, variable: string): Finding =>
    state === 'missing'
      ? { severity: 'warn', code: `${label}-file`, text: `${label} ${printable(path)}: missing${deps.env[variable] ? ` (from ${variable})` : ''}` }
      : { severity: 'ok', code: `${label}-file`, text: `${label} ${printable(path)}` }
  findings.push(describe('config', config.configPath, configState, 'AWS_CONFIG_FILE'))
  findings.push(describe('credentials', config.credentialsPath, credentialsState, 'AWS_SHARED_CREDENTIALS_FILE'))
  if (targets === 0) {
    findings.push({
      severity: 'error',
      code: 'no-targets',
      text: `no profile has a role_arn, so there is nothing for awsmfa to assume${configState === 'missing' ? ` (there is no ${printable(config.configPath)})` : ''}`,
      fix: `add to ${printable(config.configPath)}:\n[profile prod]\nrole_arn = arn:aws:iam::ACCOUNT:role/NAME\nsource_profile = <the profile with the IAM user's keys>\nmfa_serial = arn:aws:iam::USER_ACCOUNT:mfa/NAME\n(awsmfa demo shows a working pair of files)`,
    })
  }
  return { heading: 'files', findings }
}

function userAsTarget(config: SharedConfig, name: string): TargetProfile {
  const user = resolveUser(config, name)
  return {
    name, roleArn: '', sourceProfile: name, credentialSource: undefined, mfaSerial: user.mfaSerial, durationSeconds: user.durationSeconds,
    roleSessionName: undefined, externalId: undefined, region: user.region, endpointUrl: user.endpointUrl, mfaProcess: user.mfaProcess,
    caBundle: user.caBundle, useFipsEndpoint: user.useFipsEndpoint, useDualstackEndpoint: user.useDualstackEndpoint,
  }
}

/** The region STS is called in for a target, as env would choose it (no --region here). */
function stsRegionOf(target: TargetProfile, deps: Pick<Deps, 'env'>): string {
  return stsRegion(sessionRegion(undefined, target.region, deps.env))
}

/** The network path env would take for this target (endpoint, proxy, CA bundle), as findings. */
async function networkFindings(config: SharedConfig, name: string, deps: Deps): Promise<{ findings: Finding[]; path: NetworkPath | undefined }> {
  let target: TargetProfile
  try {
    // A user-session profile signs with its own keys: as a profile naming itself as its source.
    target = targetKind(config.profiles.get(name) ?? {}) === 'user' ? userAsTarget(config, name) : resolveTarget(config, name)
  } catch (error) {
    // The profile's own findings above already say why it cannot be resolved.
    if (!(error instanceof AwsmfaError)) throw error
    return { findings: [], path: undefined }
  }
  try {
    const path = await resolveNetworkPath({ ...target, profile: name, region: stsRegionOf(target, deps) }, deps)
    const [endpoint, proxy, trust] = describePath(path)
    return {
      path,
      findings: [
        { severity: 'ok', code: 'network-endpoint', text: endpoint ?? '' },
        { severity: 'ok', code: 'network-proxy', text: proxy ?? '' },
        { severity: 'ok', code: 'network-ca', text: trust ?? '' },
      ],
    }
  } catch (error) {
    if (!(error instanceof AwsmfaError)) throw error
    return { path: undefined, findings: [{ severity: 'error', code: 'network-config', verdict: 'network settings', text: error.message, ...(error.fix === undefined ? {} : { fix: error.fix }) }] }
  }
}

/** GetCallerIdentity with each distinct source's keys, once; and the clock skew seen on the way. */
class OnlineChecks {
  private readonly seen = new Map<string, Promise<{ identity: CallerIdentity; source: SourceCredentials } | Finding>>()
  private worstSkewMs: number | undefined

  constructor(
    private readonly config: SharedConfig,
    private readonly deps: Deps,
  ) {}

  async check(check: TargetCheck, path: NetworkPath | undefined): Promise<Finding[]> {
    const usable = check.keys !== undefined && USABLE_KEYS.has(check.keys) && !check.findings.some((f) => f.code === 'environment-holds-session')
    if (!usable) {
      return [{ severity: 'ok', code: 'online-skipped', text: 'online check skipped: there are no keys to try until the problems above are fixed' }]
    }
    let target: TargetProfile
    try {
      // A user-session profile signs with its own keys: as a profile naming itself as its source.
      target = check.kind === 'user' ? userAsTarget(this.config, check.profile) : resolveTarget(this.config, check.profile)
    } catch (error) {
      if (error instanceof AwsmfaError) return [{ severity: 'error', code: 'online-failed', verdict: 'unusable', text: error.message, ...(error.fix === undefined ? {} : { fix: error.fix }) }]
      throw error
    }
    if (path === undefined) {
      return [{ severity: 'ok', code: 'online-skipped', text: 'online check skipped: the network settings above must be fixed first' }]
    }
    const region = stsRegionOf(target, this.deps)
    const key = `${target.sourceProfile ?? '(environment)'}\n${region}\n${path.endpointUrl}\n${path.proxy?.url ?? ''}\n${path.caBundle?.path ?? ''}`
    let pending = this.seen.get(key)
    if (pending === undefined) {
      pending = this.call(target, region, path)
      this.seen.set(key, pending)
    }
    const outcome = await pending
    if (!('identity' in outcome)) return [outcome]
    const { identity, source } = outcome
    const findings: Finding[] = [
      {
        severity: 'ok',
        code: 'online-keys',
        text: `AWS accepts the keys of ${source.origin}: they belong to ${serverText(identity.arn)} (GetCallerIdentity at ${path.endpoint}${path.proxy === undefined ? '' : ` through the proxy ${path.proxy.shown}`})`,
      },
    ]
    const mfaAccount = deviceOwner(check.mfaSerial ?? '')?.account
    if (mfaAccount !== undefined && identity.account && mfaAccount !== identity.account) {
      findings.push({
        severity: 'error',
        code: 'mfa-wrong-account',
        verdict: 'MFA device in another account',
        text: `mfa_serial is a device in account ${mfaAccount}, but the source keys belong to account ${serverText(identity.account)}; AWS accepts only the signing user's own device`,
        fix: `use the MFA device of ${serverText(identity.arn)} (IAM → Users → Security credentials → MFA)`,
      })
    }
    return findings
  }

  private async call(target: TargetProfile, region: string, path: NetworkPath): Promise<{ identity: CallerIdentity; source: SourceCredentials } | Finding> {
    let source: SourceCredentials
    try {
      source = await resolveSourceCredentials(target, this.config, this.deps)
    } catch (error) {
      if (!(error instanceof AwsmfaError)) throw error
      return { severity: 'error', code: 'online-no-keys', verdict: 'source keys unusable', text: error.message, ...(error.fix === undefined ? {} : { fix: error.fix }) }
    }
    const sts = await this.deps.loadSts()
    const before = this.deps.now()
    try {
      const identity = await sts.getCallerIdentity({
        region,
        endpoint: path.endpointUrl,
        credentials: { accessKeyId: source.accessKeyId, secretAccessKey: source.secretAccessKey, sessionToken: source.sessionToken },
        timeoutMs: stsTimeoutMs(this.deps.env),
        transport: path.transport,
      })
      const after = this.deps.now()
      if (identity.serverDate !== undefined && !Number.isNaN(identity.serverDate.getTime())) {
        // The Date header has whole seconds: compare it with the middle of the call.
        const skew = identity.serverDate.getTime() - (before + after) / 2
        if (this.worstSkewMs === undefined || Math.abs(skew) > Math.abs(this.worstSkewMs)) this.worstSkewMs = skew
      }
      return { identity, source }
    } catch (error) {
      writeDebugStack(error, this.deps)
      const explained = explainNetworkFailure(error, path, target.name) ?? explainStsError(error, {
        profile: target.name,
        roleArn: target.roleArn,
        mfaSerial: target.mfaSerial,
        durationSeconds: MAX_DURATION,
        sourceOrigin: source.origin,
        endpointShown: path.endpoint,
      })
      return {
        severity: 'error',
        code: 'online-rejected',
        verdict: 'keys rejected',
        text: `GetCallerIdentity with the keys of ${source.origin} failed: ${explained.message}`,
        ...(explained.fix === undefined ? {} : { fix: explained.fix }),
      }
    }
  }

  clockFindings(): Finding[] {
    const skew = this.worstSkewMs
    if (skew === undefined) return []
    const seconds = Math.round(Math.abs(skew) / 1000)
    const direction = skew > 0 ? 'behind' : 'ahead of'
    if (Math.abs(skew) >= SKEW_LIMIT_MS) {
      return [{
        severity: 'error',
        code: 'clock-skew',
        verdict: 'clock off',
        text: `this computer's clock is ${seconds} s ${direction} AWS's; AWS refuses requests signed more than 5 minutes off (the SDK corrected for it this time, other tools may not)`,
        fix: 'set the clock right: enable NTP (timedatectl set-ntp true, or your system\'s time settings)',
      }]
    }
    if (Math.abs(skew) >= SKEW_WARN_MS) {
      return [{
        severity: 'warn',
        code: 'clock-skew',
        verdict: 'clock drifting',
        text: `this computer's clock is ${seconds} s ${direction} AWS's; beyond 5 minutes AWS refuses every request`,
        fix: 'enable NTP (timedatectl set-ntp true, or your system\'s time settings)',
      }]
    }
    return [{ severity: 'ok', code: 'clock', text: `this computer's clock agrees with AWS's (within ${Math.max(1, seconds)} s)` }]
  }
}
