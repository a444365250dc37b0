// RFC 6238 vectors, and the emulator's codes match any authenticator app's for the same seed.
import t from 'tap'
import { base32Decode, hotp, totp } from '../../lib/emulator/totp.js'
import { alice, emulator } from './fixtures/helpers.js'

const RFC_SEED = Buffer.from('12345678901234567890', 'ascii')
const RFC_SEED_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'

t.test('RFC 6238 appendix B, SHA-1, 8 digits', async (t) => {
  const vectors: Array<[number, string]> = [
    [59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130'],
  ]
  for (const [seconds, code] of vectors) t.equal(totp(RFC_SEED, seconds * 1000, 8), code, `T=${seconds}`)
})

t.test('six digits are the low digits: T=59 gives 287082', async (t) => {
  t.equal(totp(RFC_SEED, 59_000), '287082')
  t.equal(totp(RFC_SEED_BASE32, 59_000), '287082', 'the same seed as base32')
  t.equal(totp(RFC_SEED_BASE32.toLowerCase().replace(/(.{4})/g, '$1 '), 59_000), '287082', 'case and spaces forgiven')
})

t.test('RFC 4226 appendix D HOTP values', async (t) => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']
  t.same(expected.map((_, i) => hotp(RFC_SEED, i)), expected)
})

t.test('base32', async (t) => {
  t.same(base32Decode(RFC_SEED_BASE32), RFC_SEED)
  t.same(base32Decode('JBSWY3DPEE======'), Buffer.from('Hello!'))
  t.throws(() => base32Decode('ABC1'), /not base32/)
})

t.test('emu.totp takes a device serial or a raw seed, at now or a given time', async (t) => {
  const emu = await emulator(t)
  const at = 1_700_000_000_000
  t.equal(emu.totp(alice.mfaSerial, at), totp(alice.mfaSecret, at))
  t.equal(emu.totp(alice.mfaSecret, at), totp(alice.mfaSecret, at))
  t.equal(emu.totp(RFC_SEED_BASE32, 59_000), '287082')
  t.match(emu.totp(alice.mfaSerial), /^\d{6}$/)
})

t.test('emu.totp follows the emulator clock', async (t) => {
  const fixed = 59_000
  const emu = await emulator(t, { now: () => fixed })
  t.equal(emu.totp(RFC_SEED_BASE32), '287082')
})
