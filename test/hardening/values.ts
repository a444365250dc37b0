/**
 * The values the hardening tests push through the real shells: a fixed prefix that covers every
 * class the issue names (so coverage is certain, not hoped for), then seeded random values from
 * test/shells/gen.ts, some with leading dashes and some long.
 */
import { randomValue, rng } from '../shells/gen.js'

/** Every ASCII byte but NUL. */
export const ASCII = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1))
/** C0 controls and DEL. */
export const CONTROLS = ASCII.filter((c) => c < ' ' || c === '\x7f')
/** The single and double typographic quotes, U+2018–U+201F (PowerShell reads U+2018–U+201B as '). */
export const TYPOGRAPHIC = Array.from({ length: 8 }, (_, i) => String.fromCharCode(0x2018 + i))
const DASHES = ['-', '--', '-n', '-e', '-E', '-neE', '--help', '-x=1', '- ', '---', '-\n', '-$HOME', '-\u2019']

/** The fixed part: each special character alone, at the edges and inside text; the DESIGN.md vectors. */
export function fixedValues(): string[] {
  const out: string[] = ['']
  for (const c of [...ASCII, ...TYPOGRAPHIC]) out.push(c, `${c}${c}`, `a${c}b`, `${c}x`, `x${c}`)
  for (const c of CONTROLS) out.push(`${c}f`, `x${c}0`, `${c}${c}${c}\n`)
  out.push(...DASHES)
  out.push(
    "it's",
    '$HOME $(id) `x`',
    "C:\\a\\ \\\\ \\'",
    'line1\nline2',
    'x\n\n',
    '\n',
    'a\rb\tc',
    '\x07\x1b\x7f',
    'café ☃ 🔐',
    'Bob’s ‘key’',
    '*?[a] ~root',
    'a!b !!',
    '=a=',
    "''",
    '\x1b[31mred\x1b[0m',
    '\x1b]0;title\x07',
    '%s%n%%',
    '${IFS}',
    "'\\''",
    '\\',
    '\\\\\n',
    '\u00e9\u0301', // combining
    '\u{1F468}\u200D\u{1F469}', // ZWJ sequence
    '\u0085\u2028\u2029',
    '\uFEFFbom',
  )
  return out
}

/** `count` values from `seed`: the fixed prefix, then random ones; the same seed always gives the same list. */
export function scaleValues(seed: number, count: number): string[] {
  const values = fixedValues()
  const r = rng(seed)
  while (values.length < count) {
    const roll = r()
    let value = randomValue(r, roll < 0.02 ? 300 : 24)
    if (roll > 0.9) value = DASHES[Math.floor(r() * DASHES.length)] + value
    values.push(value)
  }
  return values.slice(0, count)
}

export interface Coverage {
  empty: number
  leadingDash: number
  /** ASCII bytes 1..127 that appear in no value (should be none). */
  missingAscii: number[]
  controls: number
  typographic: number
  /** Values holding a character of that UTF-8 width. */
  utf8Width: { 2: number; 3: number; 4: number }
  totalUtf8Bytes: number
}

export function coverage(values: readonly string[]): Coverage {
  const seen = new Set<number>()
  const result: Coverage = { empty: 0, leadingDash: 0, missingAscii: [], controls: 0, typographic: 0, utf8Width: { 2: 0, 3: 0, 4: 0 }, totalUtf8Bytes: 0 }
  for (const value of values) {
    if (value === '') result.empty++
    if (value.startsWith('-')) result.leadingDash++
    let control = false
    let typographic = false
    const widths = new Set<number>()
    for (const ch of value) {
      const cp = ch.codePointAt(0) ?? 0
      if (cp < 128) seen.add(cp)
      if (cp < 0x20 || cp === 0x7f) control = true
      if (cp >= 0x2018 && cp <= 0x201f) typographic = true
      widths.add(cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)
    }
    if (control) result.controls++
    if (typographic) result.typographic++
    for (const w of [2, 3, 4] as const) if (widths.has(w)) result.utf8Width[w]++
    result.totalUtf8Bytes += Buffer.byteLength(value, 'utf8')
  }
  for (let b = 1; b < 128; b++) if (!seen.has(b)) result.missingAscii.push(b)
  return result
}
