/**
 * The one partition rule (lib/partitions.ts): its region table must be the SDK's, and the rule
 * must refuse every mix of role_arn, mfa_serial and region partitions, and unknown partitions.
 */
import t from 'tap'
import { partition } from '@aws-sdk/core/client'
import { PARTITIONS, partitionProblem, regionPartition } from '../../lib/partitions.js'

t.test('regionPartition agrees with the SDK\'s partition() for every region the SDK knows, and for unknown ones', async (t) => {
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-7', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1', 'us-iso-east-1',
    'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'xx-future-9', 'local', 'cn-new-7', 'us-gov-new-3']
  for (const region of regions) t.equal(regionPartition(region), partition(region).name, region)
  for (const p of PARTITIONS) t.equal(partition(p.example).name, p.id, `${p.example} is in ${p.id}`)
})

t.test('one partition passes; each mismatch and an unknown partition is a problem', async (t) => {
  const role = (p: string): string => `arn:${p}:iam::123456789034:role/Admin`
  const mfa = (p: string): string => `arn:${p}:iam::123456789012:mfa/alice`
  t.equal(partitionProblem(role('aws'), mfa('aws'), 'eu-west-1'), undefined)
  t.equal(partitionProblem(role('aws-cn'), mfa('aws-cn'), 'cn-north-1'), undefined)
  t.equal(partitionProblem(role('aws-us-gov'), undefined, 'us-gov-west-1'), undefined)
  t.equal(partitionProblem(role('aws'), undefined, undefined), undefined, 'no region: us-east-1, in aws')
  t.equal(partitionProblem(role('aws'), 'GAHT12345678', 'eu-west-1'), undefined, 'a hardware serial has no partition')

  const roleVsRegion = partitionProblem(role('aws-cn'), mfa('aws-cn'), 'us-east-1')
  t.match(roleVsRegion, { code: 'partition-mismatch', verdict: 'partition mismatch', text: /role_arn aws-cn, mfa_serial aws-cn, region aws/, fix: /region = cn-north-1/ })
  t.match(partitionProblem(role('aws'), mfa('aws-us-gov'), 'us-east-1'), { code: 'partition-mismatch', text: /role_arn aws, mfa_serial aws-us-gov, region aws/ })
  t.match(partitionProblem(role('aws'), mfa('aws'), 'cn-north-1'), { code: 'partition-mismatch', fix: /region = us-east-1/ })
  t.match(partitionProblem(role('aws-cn'), undefined, undefined), { code: 'partition-mismatch', text: /region aws/ }, 'the default region is aws')
  t.match(partitionProblem(role('aws-cm'), mfa('aws'), 'us-east-1'), { code: 'unknown-partition', verdict: 'unknown partition aws-cm', text: /role_arn 'arn:aws-cm:iam::123456789034:role\/Admin' names the partition 'aws-cm'/ })
  t.match(partitionProblem(role('aws'), mfa('aws-iso-z'), 'us-east-1'), { code: 'unknown-partition', text: /mfa_serial/ })
})
