import { createHmac } from 'node:crypto'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 (what authenticator apps and IAM's virtual MFA seeds use); spaces, case and padding are forgiven. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of clean) {
    const index = BASE32.indexOf(ch)
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`)
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((value >>> bits) & 0xff)
    }
  }
  return Buffer.from(out)
}

/** RFC 4226 HOTP with SHA-1 (the only algorithm IAM virtual MFA devices use). */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', key).update(message).digest()
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The 30-second step a moment falls in (RFC 6238, T0 = 0). */
export function totpStep(atMs: number): number {
  return Math.floor(atMs / 1000 / 30)
}

/** RFC 6238 TOTP: HOTP over the 30-second step. `key` is raw bytes or a base32 seed. */
export function totp(key: Buffer | string, atMs: number, digits = 6): string {
  const bytes = typeof key === 'string' ? base32Decode(key) : key
  return hotp(bytes, totpStep(atMs), digits)
}
