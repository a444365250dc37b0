// The real @aws-sdk/client-sts against the emulator: the happy path and every AWS answer in DESIGN.md.
import t from 'tap'
import {
  AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, type Credentials,
} from '@aws-sdk/client-sts'
import {
  ALICE_ARN, PU_ROLE, RO_ROLE, alice, aliceKeys, client, emulator, mallory, presignedUrl, rejectsWith, wrongCode, type Keys,
} from './fixtures/helpers.js'

const HOUR = 3600
const MSG = {
  mfaInvalid: 'MultiFactorAuthentication failed with invalid MFA one time pass code.',
  mfaBoth: 'MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.',
  chaining: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
  roleMax: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  badSignature: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  invalidToken: 'The security token included in the request is invalid.',
  expired: 'The security token included in the request is expired',
}
const denied = (caller: string, role: string): string =>
  `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`

const keysOf = (c: Credentials | undefined): Keys => ({
  accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '',
})

t.test('AssumeRole with MFA for 12 h, then the same code again is refused', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  const code = emu.totp(alice.mfaSerial)
  const before = Date.now()
  const out = await sts.send(new AssumeRoleCommand({
    RoleArn: PU_ROLE, RoleSessionName: 'awsmfa-alice', SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 43200,
  }))
  const c = out.Credentials
  t.match(c?.AccessKeyId, /^ASIA[A-Z2-7]{16}$/)
  t.equal(c?.SecretAccessKey?.length, 40)
  t.ok((c?.SessionToken?.length ?? 0) > 100, 'a long session token')
  const expires = c?.Expiration?.getTime() ?? 0
  t.ok(Math.abs(expires - (before + 43200_000)) < 5000, 'expires 12 h from now')
  t.equal(out.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/awsmfa-alice')
  t.match(out.AssumedRoleUser?.AssumedRoleId, /^AROA[A-Z0-9]{17}:awsmfa-alice$/)
  t.equal(out.$metadata.requestId, seen.at(-1)?.requestId)
  t.same(emu.issued.map((i) => ({ ...i })), [{
    accessKeyId: c?.AccessKeyId, secretAccessKey: c?.SecretAccessKey, sessionToken: c?.SessionToken,
    expiration: c?.Expiration, arn: out.AssumedRoleUser?.Arn, chained: false,
  }], 'issued records exactly what the client received')

  // The role session is a valid caller, and reports the assumed-role ARN.
  const role = client(emu, keysOf(c), { maxAttempts: 1 }).sts
  const who = await role.send(new GetCallerIdentityCommand({}))
  t.same({ Arn: who.Arn, Account: who.Account, UserId: who.UserId },
    { Arn: out.AssumedRoleUser?.Arn, Account: '123456789034', UserId: out.AssumedRoleUser?.AssumedRoleId })

  await rejectsWith(t, sts.send(new AssumeRoleCommand({
    RoleArn: PU_ROLE, RoleSessionName: 'again', SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 43200,
  })), seen, { name: 'AccessDenied', status: 403, message: MSG.mfaInvalid })
  t.equal(emu.issued.length, 1, 'nothing issued for the reused code')

  const log = JSON.stringify(emu.requests)
  t.notOk(log.includes(alice.secretAccessKey), 'the request log never holds the long-term secret')
  t.notOk(log.includes(c?.SecretAccessKey ?? 'x'), 'nor an issued secret')
  t.notOk(log.includes(c?.SessionToken ?? 'x'), 'nor an issued token')
  t.same(emu.requests.map((r) => [r.action, r.status, r.errorCode, r.accessKeyId, r.sessionToken]), [
    ['AssumeRole', 200, undefined, alice.accessKeyId, false],
    ['GetCallerIdentity', 200, undefined, c?.AccessKeyId, true],
    ['AssumeRole', 403, 'AccessDenied', alice.accessKeyId, false],
  ])
  t.equal(emu.requests[0]?.params.TokenCode, code)
  t.equal(emu.requests[0]?.params.DurationSeconds, '43200')
})

t.test('the default duration is 3600 s', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu, aliceKeys, { maxAttempts: 1 })
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: RO_ROLE, RoleSessionName: 'ro', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  t.ok(Math.abs((out.Credentials?.Expiration?.getTime() ?? 0) - Date.now() - HOUR * 1000) < 5000)
})

t.test('a code from the next 30-s step is accepted, after which the current one is spent', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  const now = Date.now()
  const next = emu.totp(alice.mfaSerial, now + 30_000)
  const current = emu.totp(alice.mfaSerial, now)
  await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'next', SerialNumber: alice.mfaSerial, TokenCode: next }))
  if (current !== next) {
    await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'older', SerialNumber: alice.mfaSerial, TokenCode: current })),
      seen, { name: 'AccessDenied', status: 403, message: MSG.mfaInvalid })
  }
})

t.test('GetCallerIdentity for long-term keys', async (t) => {
  const emu = await emulator(t)
  const out = await client(emu).sts.send(new GetCallerIdentityCommand({}))
  t.equal(out.Arn, ALICE_ARN)
  t.equal(out.Account, '123456789012')
  t.match(out.UserId, /^AIDA[A-Z0-9]{17}$/)
})

t.test('role chaining: GetSessionToken with MFA, then AssumeRole is capped at 1 h', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu, aliceKeys, { maxAttempts: 1 })
  const session = await sts.send(new GetSessionTokenCommand({ SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  const sc = session.Credentials
  t.match(sc?.AccessKeyId, /^ASIA/)
  t.ok(Math.abs((sc?.Expiration?.getTime() ?? 0) - Date.now() - 43200_000) < 5000, 'GetSessionToken defaults to 12 h')

  const chained = client(emu, keysOf(sc), { maxAttempts: 1 })
  const who = await chained.sts.send(new GetCallerIdentityCommand({}))
  t.equal(who.Arn, ALICE_ARN, 'a GetSessionToken session acts as its user')

  await rejectsWith(t, chained.sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'chained', DurationSeconds: 3601 })),
    chained.seen, { name: 'ValidationError', status: 400, message: MSG.chaining })
  await rejectsWith(t, chained.sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'chained', DurationSeconds: 43200 })),
    chained.seen, { name: 'ValidationError', status: 400, message: MSG.chaining })

  // The session's MFA context satisfies the trust policy: no new code is needed at 1 h.
  const ok = await chained.sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'chained', DurationSeconds: 3600 }))
  t.equal(ok.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/chained')
  t.same(emu.issued.map((i) => [i.arn, i.chained]), [[ALICE_ARN, false], [ok.AssumedRoleUser?.Arn, true]])

  await rejectsWith(t, chained.sts.send(new GetSessionTokenCommand({})), chained.seen,
    { name: 'AccessDenied', status: 403, message: 'Cannot call GetSessionToken with session credentials' })
})

t.test('a GetSessionToken session without MFA cannot assume an MFA-only role', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu, aliceKeys, { maxAttempts: 1 })
  const session = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
  const chained = client(emu, keysOf(session.Credentials), { maxAttempts: 1 })
  await rejectsWith(t, chained.sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'nomfa' })),
    chained.seen, { name: 'AccessDenied', status: 403, message: denied(ALICE_ARN, PU_ROLE) })
})

t.test('a role session is denied by name when the role does not trust it', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu, aliceKeys, { maxAttempts: 1 })
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'first', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  const role = client(emu, keysOf(out.Credentials), { maxAttempts: 1 })
  // ReadOnly trusts 123456789012's root; the role session belongs to 123456789034.
  await rejectsWith(t, role.sts.send(new AssumeRoleCommand({ RoleArn: RO_ROLE, RoleSessionName: 'second' })),
    role.seen, { name: 'AccessDenied', status: 403, message: denied('arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/first', RO_ROLE) })
})

t.test('DurationSeconds above the role maximum', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: RO_ROLE, RoleSessionName: 'ro', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial), DurationSeconds: 43200 })),
    seen, { name: 'ValidationError', status: 400, message: MSG.roleMax })
})

t.test('DurationSeconds outside 900..43200', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  const code = emu.totp(alice.mfaSerial)
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'x1', SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 600 })), seen, {
    name: 'ValidationError', status: 400,
    message: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'x1', SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 43201 })), seen, {
    name: 'ValidationError', status: 400,
    message: "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
  })
  // Validation comes first: the code was not spent.
  await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'x1', SerialNumber: alice.mfaSerial, TokenCode: code, DurationSeconds: 43200 }))
  t.equal(emu.issued.length, 1)
})

t.test('GetSessionToken DurationSeconds outside 900..129600', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new GetSessionTokenCommand({ DurationSeconds: 600 })), seen, {
    name: 'ValidationError', status: 400,
    message: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
  })
  await rejectsWith(t, sts.send(new GetSessionTokenCommand({ DurationSeconds: 129601 })), seen, {
    name: 'ValidationError', status: 400,
    message: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600",
  })
  const out = await sts.send(new GetSessionTokenCommand({ DurationSeconds: 129600 }))
  t.ok(Math.abs((out.Credentials?.Expiration?.getTime() ?? 0) - Date.now() - 129600_000) < 5000, '36 h is the GetSessionToken maximum')
})

t.test('RoleSessionName pattern, length and presence', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  const pre = '1 validation error detected: '
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'a b' })), seen, {
    name: 'ValidationError', status: 400,
    message: `${pre}Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
  })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 's' })), seen, {
    name: 'ValidationError', status: 400,
    message: `${pre}Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2`,
  })
  const long = 'x'.repeat(65)
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: long })), seen, {
    name: 'ValidationError', status: 400,
    message: `${pre}Value '${long}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
  })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: undefined as unknown as string })), seen, {
    name: 'ValidationError', status: 400,
    message: `${pre}Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null`,
  })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'a b', DurationSeconds: 600 })), seen, {
    name: 'ValidationError', status: 400, message: /^2 validation errors detected: Value '600' at 'durationSeconds' .*; Value 'a b' at 'roleSessionName' /,
  })
})

t.test('a wrong code', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'wrong', SerialNumber: alice.mfaSerial, TokenCode: wrongCode(emu, alice.mfaSerial) })),
    seen, { name: 'AccessDenied', status: 403, message: MSG.mfaInvalid })
  // Someone else's device is as wrong as a wrong code.
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'wrong', SerialNumber: mallory.mfaSerial ?? '', TokenCode: emu.totp(mallory.mfaSerial ?? '') })),
    seen, { name: 'AccessDenied', status: 403, message: MSG.mfaInvalid })
  await rejectsWith(t, sts.send(new GetSessionTokenCommand({ SerialNumber: alice.mfaSerial, TokenCode: wrongCode(emu, alice.mfaSerial) })),
    seen, { name: 'AccessDenied', status: 403, message: MSG.mfaInvalid })
})

t.test('serial without code, and code without serial', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'half', SerialNumber: alice.mfaSerial })),
    seen, { name: 'AccessDenied', status: 403, message: MSG.mfaBoth })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'half', TokenCode: emu.totp(alice.mfaSerial) })),
    seen, { name: 'AccessDenied', status: 403, message: MSG.mfaBoth })
})

t.test('no MFA where the trust demands it, an untrusted caller, an unknown role', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'nomfa', DurationSeconds: 43200 })),
    seen, { name: 'AccessDenied', status: 403, message: denied(ALICE_ARN, PU_ROLE) })
  const m = client(emu, { accessKeyId: mallory.accessKeyId, secretAccessKey: mallory.secretAccessKey }, { maxAttempts: 1 })
  await rejectsWith(t, m.sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'mallory', SerialNumber: mallory.mfaSerial, TokenCode: emu.totp(mallory.mfaSerial ?? '') })),
    m.seen, { name: 'AccessDenied', status: 403, message: denied('arn:aws:iam::210987654321:user/mallory', PU_ROLE) })
  const missing = 'arn:aws:iam::123456789034:role/NoSuchRole'
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'x1', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) })),
    seen, { name: 'AccessDenied', status: 403, message: denied(ALICE_ARN, missing) })
  t.equal(emu.issued.length, 0)
})

t.test('an unknown access key', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: alice.secretAccessKey }, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new GetCallerIdentityCommand({})), seen, { name: 'InvalidClientTokenId', status: 403, message: MSG.invalidToken })
})

t.test('a wrong secret', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, { ...aliceKeys, secretAccessKey: `${alice.secretAccessKey.slice(0, -1)}X` }, { maxAttempts: 1 })
  await rejectsWith(t, sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'sig' })), seen,
    { name: 'SignatureDoesNotMatch', status: 403, message: MSG.badSignature })
})

t.test('temporary keys need their own token, long-term keys need none', async (t) => {
  const emu = await emulator(t)
  const session = await client(emu).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
  const keys = keysOf(session.Credentials)
  const wrong = client(emu, { ...keys, sessionToken: `${keys.sessionToken ?? ''}x` }, { maxAttempts: 1 })
  await rejectsWith(t, wrong.sts.send(new GetCallerIdentityCommand({})), wrong.seen, { name: 'InvalidClientTokenId', status: 403, message: MSG.invalidToken })
  const none = client(emu, { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey }, { maxAttempts: 1 })
  await rejectsWith(t, none.sts.send(new GetCallerIdentityCommand({})), none.seen, { name: 'InvalidClientTokenId', status: 403, message: MSG.invalidToken })
  const extra = client(emu, { ...aliceKeys, sessionToken: keys.sessionToken ?? '' }, { maxAttempts: 1 })
  await rejectsWith(t, extra.sts.send(new GetCallerIdentityCommand({})), extra.seen, { name: 'InvalidClientTokenId', status: 403, message: MSG.invalidToken })
})

t.test('an expired session', async (t) => {
  let offset = 0
  const emu = await emulator(t, { now: () => Date.now() + offset })
  const session = await client(emu).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))
  offset = 901_000
  // The client signs with the same shifted clock, so only the expiry is wrong.
  const late = client(emu, keysOf(session.Credentials), { maxAttempts: 1, systemClockOffset: offset })
  await rejectsWith(t, late.sts.send(new GetCallerIdentityCommand({})), late.seen, { name: 'ExpiredToken', status: 403, message: MSG.expired })
})

t.test('a request signed more than 5 minutes off the server clock', async (t) => {
  const emu = await emulator(t)
  const behind = client(emu, aliceKeys, { maxAttempts: 1, systemClockOffset: -6 * 60_000 })
  const err = await rejectsWith(t, behind.sts.send(new GetCallerIdentityCommand({})), behind.seen, {
    name: 'SignatureDoesNotMatch', status: 403,
    message: /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
  })
  const [signed, limit, now] = (err.message.match(/\d{8}T\d{6}Z/g) ?? []).map((s) =>
    Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 11)}:${s.slice(11, 13)}:${s.slice(13)}`))
  t.equal((now ?? 0) - (limit ?? 0), 5 * 60_000, 'limit is now - 5 min')
  t.ok((limit ?? 0) - (signed ?? 0) > 50_000 && (limit ?? 0) - (signed ?? 0) < 70_000, 'signed about 6 min ago')

  const ahead = client(emu, aliceKeys, { maxAttempts: 1, systemClockOffset: 6 * 60_000 })
  await rejectsWith(t, ahead.sts.send(new GetCallerIdentityCommand({})), ahead.seen, {
    name: 'SignatureDoesNotMatch', status: 403,
    message: /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$/,
  })

  await client(emu, aliceKeys, { maxAttempts: 1, systemClockOffset: -4 * 60_000 }).sts.send(new GetCallerIdentityCommand({}))
  t.pass('4 minutes off is within the tolerance')
})

t.test('the SDK corrects its clock from the Date header of a skew error', async (t) => {
  const emu = await emulator(t, { now: () => Date.now() + 20 * 60_000 })
  const { sts, seen } = client(emu)
  const out = await sts.send(new GetCallerIdentityCommand({}))
  t.equal(out.$metadata.attempts, 2, 'refused once, then signed with the corrected clock')
  t.same(seen.map((s) => s.status), [403, 200])
  t.equal(emu.requests[0]?.errorCode, 'SignatureDoesNotMatch')
})

t.test('throttled', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  emu.inject('throttle')
  await rejectsWith(t, sts.send(new GetCallerIdentityCommand({})), seen, { name: 'Throttling', status: 400, message: 'Rate exceeded' })
})

t.test('an action STS does not have', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  // Rewritten before signing, so the request is validly signed: only the action is wrong.
  sts.middlewareStack.add((next) => (args) => {
    const request = args.request as { body?: unknown; headers: Record<string, string> }
    if (typeof request.body === 'string') {
      const body = request.body.replace('Action=GetCallerIdentity', 'Action=ListRoles')
      request.body = body
      request.headers['content-length'] = String(Buffer.byteLength(body))
    }
    return next(args)
  }, { step: 'build', name: 'renameAction' })
  await rejectsWith(t, sts.send(new GetCallerIdentityCommand({})), seen,
    { name: 'InvalidAction', status: 400, message: 'Could not find operation ListRoles for version 2011-06-15' })
})

t.test('a body changed after signing', async (t) => {
  const emu = await emulator(t)
  const { sts, seen } = client(emu, aliceKeys, { maxAttempts: 1 })
  // Low priority in finalizeRequest runs inside the signer (which hangs off the retry middleware).
  sts.middlewareStack.add((next) => (args) => {
    const request = args.request as { body?: unknown }
    if (typeof request.body === 'string') request.body = request.body.replace('DurationSeconds=900', 'DurationSeconds=901')
    return next(args)
  }, { step: 'finalizeRequest', priority: 'low', name: 'tamper' })
  await rejectsWith(t, sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 })), seen,
    { name: 'SignatureDoesNotMatch', status: 403, message: MSG.badSignature })
})

t.test('GET with the parameters in a signed query string', async (t) => {
  const emu = await emulator(t)
  const { sts } = client(emu, aliceKeys, { maxAttempts: 1 })
  sts.middlewareStack.add((next) => (args) => {
    const request = args.request as { method: string; body?: unknown; query: Record<string, string>; headers: Record<string, string> }
    if (typeof request.body === 'string') {
      request.method = 'GET'
      request.query = Object.fromEntries(new URLSearchParams(request.body))
      request.body = undefined
      delete request.headers['content-type']
      delete request.headers['content-length']
    }
    return next(args)
  }, { step: 'build', priority: 'low', name: 'asGet' })
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'via get', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) })).catch((e: unknown) => e)
  // 'via get' has a space: proves the query reached validation intact.
  t.match(String(out), /Value 'via get' at 'roleSessionName'/)
  const ok = await sts.send(new AssumeRoleCommand({ RoleArn: PU_ROLE, RoleSessionName: 'via+get=ok', SerialNumber: alice.mfaSerial, TokenCode: emu.totp(alice.mfaSerial) }))
  t.equal(ok.AssumedRoleUser?.Arn, 'arn:aws:sts::123456789034:assumed-role/ServerworksRolePU/via+get=ok')
  t.equal(emu.requests.at(-1)?.params.RoleSessionName, 'via+get=ok')
})

t.test('a URL presigned by the SDK signer', async (t) => {
  const emu = await emulator(t)
  const url = await presignedUrl(emu, { Action: 'GetCallerIdentity', Version: '2011-06-15' })
  const res = await fetch(url)
  const body = await res.text()
  t.equal(res.status, 200, body)
  t.match(body, `<Arn>${ALICE_ARN}</Arn>`)
  t.notOk('X-Amz-Signature' in (emu.requests.at(-1)?.params ?? {}), 'signing fields are not logged as parameters')
  url.searchParams.set('X-Amz-Signature', '0'.repeat(64))
  const bad = await fetch(url)
  t.equal(bad.status, 403)
  t.match(await bad.text(), '<Code>SignatureDoesNotMatch</Code>')
})

t.test('an unsigned request', async (t) => {
  const emu = await emulator(t)
  const res = await fetch(emu.url, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15',
  })
  const body = await res.text()
  t.equal(res.status, 403)
  t.equal(res.headers.get('content-type'), 'text/xml')
  const id = res.headers.get('x-amzn-requestid') ?? ''
  t.match(id, /^[0-9a-f-]{36}$/)
  t.equal(body, '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
    '  <Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token</Message></Error>\n' +
    `  <RequestId>${id}</RequestId>\n</ErrorResponse>\n`)
  t.same(emu.requests.map((r) => [r.action, r.status, r.errorCode, r.requestId]), [['GetCallerIdentity', 403, 'MissingAuthenticationToken', id]])
})
