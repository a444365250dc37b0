// The federation rules awsmfa applies before any call: partition → hosts, destinations, refusals.
import t from 'tap'
import { consoleDestination, federationUrl, parseDestination, partitionOf, signinDuration } from '../../lib/federation.js'

t.test('the federation host follows the partition; AWSMFA_SIGNIN_URL replaces it', async (t) => {
  t.equal(partitionOf('arn:aws:iam::123456789012:role/R', 'eu-west-1'), 'aws')
  t.equal(partitionOf('arn:aws-cn:iam::123456789012:role/R', undefined), 'aws-cn')
  t.equal(partitionOf('arn:aws-us-gov:iam::123456789012:role/R', undefined), 'aws-us-gov')
  t.equal(partitionOf(undefined, 'cn-north-1'), 'aws-cn')
  t.equal(partitionOf(undefined, 'us-gov-west-1'), 'aws-us-gov')
  t.equal(federationUrl('aws', {}), 'https://signin.aws.amazon.com/federation')
  t.equal(federationUrl('aws-cn', {}), 'https://signin.amazonaws.cn/federation')
  t.equal(federationUrl('aws-us-gov', {}), 'https://signin.amazonaws-us-gov.com/federation')
  t.equal(federationUrl('aws-cn', { AWSMFA_SIGNIN_URL: 'http://127.0.0.1:8080/federation' }), 'http://127.0.0.1:8080/federation')
  t.throws(() => federationUrl('aws', { AWSMFA_SIGNIN_URL: 'http://127.0.0.1/federation?Action=x' }), { exitCode: 2, message: /not a URL without a query/ })
})

t.test('destinations: the home, a service, a console URL of the partition; anything else refused', async (t) => {
  t.equal(consoleDestination(parseDestination(undefined), 'aws', undefined), 'https://console.aws.amazon.com/')
  t.equal(consoleDestination(parseDestination(undefined), 'aws-cn', 'cn-north-1'), 'https://console.amazonaws.cn/console/home?region=cn-north-1')
  t.equal(consoleDestination(parseDestination('s3'), 'aws-us-gov', undefined), 'https://console.amazonaws-us-gov.com/s3/home')
  t.equal(consoleDestination(parseDestination('https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#Instances'), 'aws', 'eu-west-1'),
    'https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#Instances', 'a URL is kept as it is')
  t.throws(() => consoleDestination(parseDestination('https://console.aws.amazon.com.evil.example/'), 'aws', undefined), { exitCode: 2, message: /not a page of the console/ })
  t.throws(() => parseDestination('http://console.aws.amazon.com/'), { exitCode: 2, message: /neither a console service/ })
  t.throws(() => parseDestination('../etc'), { exitCode: 2, message: /neither a console service/ })
})

t.test('SessionDuration: the time left, at most 12 h; user, chained and short sessions refused', async (t) => {
  const base = { profile: 'p', roleArn: 'arn:aws:iam::123456789012:role/R', chainedBecause: undefined, renew: 'renew' }
  t.equal(signinDuration({ ...base, remainingSeconds: 43199 }), 43199)
  t.equal(signinDuration({ ...base, remainingSeconds: 900 }), 900)
  t.equal(signinDuration({ ...base, remainingSeconds: 50000 }), 43200, 'never above 43200')
  t.throws(() => signinDuration({ ...base, remainingSeconds: 899 }), { exitCode: 2, message: /only 14m left/ })
  t.throws(() => signinDuration({ ...base, roleArn: undefined, remainingSeconds: 43200 }), { exitCode: 2, message: /GetSessionToken/ })
  t.throws(() => signinDuration({ ...base, chainedBecause: "profile 's'", remainingSeconds: 3600 }), { exitCode: 2, message: /role chaining/ })
})
