/**
 * The shapes of AWS names, each written once: every check (env before the code is asked for,
 * list and doctor, the reading of STS's answer) tests against these. Partitions are
 * lib/partitions.ts's rule; these only require the `arn:aws…` prefix.
 */

/** An IAM role's ARN: arn:aws:iam::ACCOUNT:role/[path/]NAME (groups: account, name). */
export const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/
/** A virtual MFA device's ARN: arn:aws:iam::ACCOUNT:mfa/[path/]NAME (groups: account, name). */
export const MFA_DEVICE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):mfa\/(?:.*\/)?([^/]+)$/
/** A user's ARN, the commonest thing put where an MFA device's ARN belongs. */
export const USER_ARN = /^arn:aws[\w-]*:iam::\d{12}:user\//
/** Any IAM ARN (group: the resource, `mfa/alice`, `user/alice`, …). */
export const IAM_ARN = /^arn:aws[\w-]*:iam::\d{12}:(.+)$/
/** What STS answers as AssumedRoleUser.Arn: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION (groups: account, role). */
export const ASSUMED_ROLE_ARN = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/
/** What AWS accepts as RoleSessionName. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
/** What the SDK takes as a region (a host label). */
export const REGION_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** Account and role name out of a role's ARN, or undefined when it is not one. */
export function roleOf(roleArn: string): { account: string; name: string } | undefined {
  const match = ROLE_ARN.exec(roleArn)
  return match === null ? undefined : { account: match[1] ?? '', name: match[2] ?? '' }
}

/** `alice` and its account out of a virtual device's ARN (arn:aws:iam::ACCT:mfa/alice); AWS names it after the user by default. */
export function deviceOwner(mfaSerial: string): { account: string; name: string } | undefined {
  const match = MFA_DEVICE_ARN.exec(mfaSerial)
  return match === null ? undefined : { account: match[1] ?? '', name: match[2] ?? '' }
}
