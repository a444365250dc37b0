/**
 * Seeded generator of values for round-trip tests: any non-NUL UTF-16 string without lone
 * surrogates (so it has a UTF-8 encoding), biased towards what shells treat specially.
 */

/** mulberry32: tiny, fast, good enough to spread test inputs; same seed, same sequence. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Characters that quoting rules of some supported shell care about. */
const SPECIAL = [
  ..."'\"\\$`!*?[]{}()<>|&;#~=%^,:@ -+\n\r\t\x1b\x7f",
  '\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E',
  '\u0085', '\u2028', '\u2029', '\u00A0', '\uFEFF', '\uFFFD', '\uFFFE', '\uFFFF',
  '\uF600', '\uF6FF', '\uFDD0', '\uFDEF', // fish's internal code points
  '\u0083', '\u0084', '\u009F', // zsh's Meta/token bytes as characters
  '\u{1F510}', '\u{10FFFF}', '\u{10000}',
]

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T
}

function int(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1))
}

/** One character (one code point, one or two UTF-16 units); never NUL, never a lone surrogate. */
export function randomChar(r: () => number): string {
  const kind = r()
  if (kind < 0.45) return String.fromCharCode(int(r, 1, 127)) // every ASCII byte but NUL
  if (kind < 0.7) return pick(r, SPECIAL)
  if (kind < 0.8) return String.fromCharCode(int(r, 0x80, 0x7ff)) // 2-byte UTF-8
  if (kind < 0.9) {
    let c = int(r, 0x800, 0xffff - 0x800) // 3-byte UTF-8, skipping D800–DFFF
    if (c >= 0xd800) c += 0x800
    return String.fromCharCode(c)
  }
  return String.fromCodePoint(int(r, 0x10000, 0x10ffff)) // 4-byte UTF-8, a surrogate pair
}

/** A value of 0 to maxLength characters. */
export function randomValue(r: () => number, maxLength = 24): string {
  const n = r() < 0.05 ? 0 : int(r, 1, maxLength)
  let s = ''
  for (let i = 0; i < n; i++) s += randomChar(r)
  return s
}

/** `count` values from `seed`: the same seed always gives the same list. */
export function randomValues(seed: number, count: number, maxLength = 24): string[] {
  const r = rng(seed)
  return Array.from({ length: count }, () => randomValue(r, maxLength))
}
