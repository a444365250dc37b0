import { checkTarget, targetNames, type TargetCheck } from '../checks/target.js'
import { painter, paintSeverity } from '../format/colour.js'
import { shortDuration } from '../format/duration.js'
import { IAM_ARN } from '../aws-names.js'
import type { Deps } from '../deps.js'
import { EXIT } from '../errors.js'
import { loadSharedConfig } from '../profiles.js'
import { printable } from '../text.js'

export interface ListOptions {
  readonly json?: boolean | undefined
}

/**
 * One element of `awsmfa list --json`. Every key is always present (null when unknown), so
 * scripts can rely on the shape; new keys may be added, none will be renamed or removed.
 */
export interface ListEntry {
  /** The profile's name, as `awsmfa env` takes it. */
  profile: string
  /** The role's account and name, from role_arn (null when role_arn is not a role ARN); a user session: the MFA device's account, role null. */
  account: string | null
  role: string | null
  roleArn: string
  /** source_profile, or "Environment" for credential_source = Environment. */
  source: string | null
  /** long-term | temporary | role | credential_process | environment | none (null: not known). */
  keys: string | null
  mfaSerial: string | null
  /** The session length `awsmfa env` would ask for (null when duration_seconds is unusable). */
  durationSeconds: number | null
  region: string | null
  /** ok | warn | error */
  status: string
  /** The same words as the table: `ok 12h`, `chained: 1h max`, `source not found`, … */
  verdict: string
  /** Every warning and error: a stable code, the explanation and the fix (as awsmfa doctor shows them). */
  problems: Array<{ code: string; severity: string; message: string; fix: string | null }>
  /** role (one AssumeRole) | user (one GetSessionToken: an MFA session as the IAM user itself). Added last: keys are only ever appended. */
  kind: string
}

export function listEntry(check: TargetCheck): ListEntry {
  return {
    profile: check.profile,
    account: check.account ?? null,
    role: check.role ?? null,
    roleArn: check.roleArn,
    source: check.source ?? null,
    keys: check.keys ?? null,
    mfaSerial: check.mfaSerial ?? null,
    durationSeconds: check.durationSeconds ?? null,
    region: check.region ?? null,
    status: check.severity,
    verdict: check.verdict,
    problems: check.findings
      .filter((f) => f.severity !== 'ok')
      .map((f) => ({ code: f.code, severity: f.severity, message: f.text, fix: f.fix ?? null })),
    kind: check.kind,
  }
}

/** `mfa/alice` out of the device ARN (the part that tells a device from a user), else the serial as is. */
function mfaColumn(serial: string | undefined): string {
  if (serial === undefined) return '-'
  const match = IAM_ARN.exec(serial)
  return match?.[1] ?? serial
}

/**
 * `awsmfa list`: every profile with a role_arn and a verdict on it. Reads the two files only;
 * never runs credential_process or mfa_process and never calls AWS.
 */
export async function listCommand(options: ListOptions, deps: Deps): Promise<number> {
  const config = await loadSharedConfig(deps)
  const checks = targetNames(config).map((name) => checkTarget(config, name, deps.env))
  if (options.json) {
    deps.stdout.write(`${JSON.stringify(checks.map(listEntry), null, 2)}\n`)
    return EXIT.ok
  }
  if (checks.length === 0) {
    deps.stderr.write(
      `awsmfa: no profile with role_arn in ${printable(config.configPath)} or ${printable(config.credentialsPath)}\n` +
        '  fix: add [profile NAME] with role_arn, source_profile and mfa_serial (awsmfa demo shows one)\n',
    )
    return EXIT.ok
  }
  const paint = await painter(deps.stdout, deps.env, 'stdout')
  const header = ['PROFILE', 'ACCOUNT', 'ROLE', 'SOURCE', 'MFA', 'DURATION', 'REGION', 'VERDICT']
  const rows = checks.map((check) => [
    check.profile,
    check.account ?? '-',
    check.role ?? '-',
    check.source ?? '-',
    mfaColumn(check.mfaSerial),
    check.durationSeconds === undefined ? '-' : shortDuration(check.durationSeconds),
    check.region ?? '-',
    check.verdict,
  ].map(printable))
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)))
  const line = (cells: string[], style: (cell: string, column: number) => string): string =>
    cells
      .map((cell, column) => {
        const last = column === cells.length - 1
        const padded = last ? cell : cell + ' '.repeat((widths[column] ?? 0) - [...cell].length)
        return style(padded, column)
      })
      .join('  ')
  const out = [line(header, (cell) => paint.bold(cell))]
  checks.forEach((check, index) => {
    out.push(line(rows[index] ?? [], (cell, column) => (column === header.length - 1 ? paintSeverity(check.severity, cell, paint) : cell)))
  })
  deps.stdout.write(`${out.join('\n')}\n`)
  return EXIT.ok
}
