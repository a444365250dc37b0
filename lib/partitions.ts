/**
 * The one partition rule: role_arn, mfa_serial and the region must name one AWS partition
 * (aws, aws-cn, aws-us-gov, aws-iso*), because an IAM user, its MFA device and the role it
 * assumes live in one partition and STS answers only for its own. `list`/`doctor` show the
 * problem as a finding and `env` refuses before asking for the code; both read it from here.
 *
 * The region patterns are the SDK's own (@aws-sdk/core's partitions data, regionRegex); kept
 * here so list and doctor need no SDK, and test/unit/partitions.test.ts proves they agree with
 * the SDK's partition() for every region it knows.
 */
import { printable } from './text.js'

export interface Partition {
  readonly id: string
  readonly regionRegex: RegExp
  /** A region of this partition, for the fix text. */
  readonly example: string
}

export const PARTITIONS: readonly Partition[] = [
  { id: 'aws', regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, example: 'us-east-1' },
  { id: 'aws-cn', regionRegex: /^cn-\w+-\d+$/, example: 'cn-north-1' },
  { id: 'aws-us-gov', regionRegex: /^us-gov-\w+-\d+$/, example: 'us-gov-west-1' },
  { id: 'aws-iso', regionRegex: /^us-iso-\w+-\d+$/, example: 'us-iso-east-1' },
  { id: 'aws-iso-b', regionRegex: /^us-isob-\w+-\d+$/, example: 'us-isob-east-1' },
  { id: 'aws-iso-e', regionRegex: /^eu-isoe-\w+-\d+$/, example: 'eu-isoe-west-1' },
  { id: 'aws-iso-f', regionRegex: /^us-isof-\w+-\d+$/, example: 'us-isof-south-1' },
  { id: 'aws-eusc', regionRegex: /^eusc-(de)-\w+-\d+$/, example: 'eusc-de-east-1' },
]

/** The partition the SDK puts a region in: the first pattern that matches; a region none knows is `aws`, as in the SDK. */
export function regionPartition(region: string): string {
  return PARTITIONS.find((p) => p.regionRegex.test(region))?.id ?? 'aws'
}

/** The partition field of an ARN (`arn:PARTITION:…`), or undefined when it is not an ARN. */
export function arnPartition(arn: string): string | undefined {
  const match = /^arn:([^:]*):/.exec(arn)
  return match?.[1]
}

export function isKnownPartition(id: string): boolean {
  return PARTITIONS.some((p) => p.id === id)
}

export interface PartitionProblem {
  readonly code: 'unknown-partition' | 'partition-mismatch'
  /** The short form for the list table. */
  readonly verdict: string
  readonly text: string
  readonly fix: string
}

/**
 * What is wrong with the partitions of one target, or undefined when they agree. `region` is the
 * region the call would use (undefined: the SDK's default, us-east-1, in `aws`); `roleArn` is
 * undefined for a user session (GetSessionToken: only the device and the region).
 */
export function partitionProblem(roleArn: string | undefined, mfaSerial: string | undefined, region: string | undefined): PartitionProblem | undefined {
  const named: { what: string; value: string; partition: string }[] = []
  const role = roleArn === undefined ? undefined : arnPartition(roleArn)
  if (roleArn !== undefined && role !== undefined) named.push({ what: 'role_arn', value: roleArn, partition: role })
  const device = mfaSerial === undefined ? undefined : arnPartition(mfaSerial)
  if (mfaSerial !== undefined && device !== undefined) named.push({ what: 'mfa_serial', value: mfaSerial, partition: device })

  for (const item of named) {
    if (isKnownPartition(item.partition)) continue
    return {
      code: 'unknown-partition',
      verdict: `unknown partition ${printable(item.partition)}`,
      text: `${item.what} '${printable(item.value)}' names the partition '${printable(item.partition)}', which is not an AWS partition (${PARTITIONS.map((p) => p.id).join(', ')})`,
      fix: `write ${item.what} as arn:aws:… (or arn:aws-cn:…, arn:aws-us-gov:… for those partitions); copy it from the IAM console`,
    }
  }
  const regionId = region === undefined ? 'aws' : regionPartition(region)
  named.push({ what: 'region', value: region ?? 'us-east-1 (the default)', partition: regionId })
  const first = named[0]
  const other = named.find((item) => item.partition !== first?.partition)
  if (first === undefined || other === undefined) return undefined
  const list = named.map((item) => `${item.what} ${item.partition}`).join(', ')
  const regionWrong = named.filter((item) => item.what !== 'region').every((item) => item.partition !== regionId)
  const example = PARTITIONS.find((p) => p.id === first.partition)?.example
  return {
    code: 'partition-mismatch',
    verdict: 'partition mismatch',
    text: `${roleArn === undefined ? 'mfa_serial and region' : 'role_arn, mfa_serial and region'} must be in one AWS partition, but they are not (${list}); STS in one partition does not know users, devices or roles of another`,
    fix: regionWrong && example !== undefined
      ? `set region to a region of ${first.partition} (e.g. region = ${example}, or --region)`
      : 'use the role, the MFA device and the region of one partition (the IAM user\'s own: copy the ARNs from its console)',
  }
}
