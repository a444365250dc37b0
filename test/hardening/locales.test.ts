/**
 * Legacy multibyte locales: in Big5, Big5-HKSCS, GBK, GB18030 and Shift_JIS a byte of 0x81–0xFE and
 * the byte after it can form one character, and that second byte may be 0x5C, `\`. A shell running
 * in such a locale reads awsmfa's UTF-8 output byte by byte through those rules, so an escape right
 * after a non-ASCII character (`ア\\'` inside bash's `$'…'` or fish's `'…'`) loses its backslash and
 * the closing quote with it: the rest of the value runs as code. This was a real hole in the bash
 * and fish output (lib/shells/posix.ts, fish.ts); here every shell reads, in every such locale,
 * values built to hit it: each non-ASCII character of a wide sample followed by `\`, `'`, a control
 * character, a newline. The locales are compiled into a temporary LOCPATH with localedef.
 *
 * Big5-HKSCS is left out: glibc decodes four of its characters into two code points each, and in
 * it bash 5.2 crashed (SIGSEGV) on the bash output and fish misread the quotes of values such as
 * `∥'` — the shells themselves mishandle that encoding (docs/guarantees.md, not proven).
 */
import t from 'tap'
import { execa } from 'execa'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { shellByName } from '../../lib/shells/index.js'
import { requireShell } from '../helpers/shells.js'
import { shellRow } from '../helpers/shell-table.js'
import { MAIN_RUNNERS, differences, readerStatement, requireRunner, runScript, setLines, tempDir } from '../shells/harness.js'

const LOCALES: Array<[name: string, charmap: string, source: string]> = [
  ['zh_TW.BIG5', 'BIG5', 'zh_TW'],
  ['zh_CN.GBK', 'GBK', 'zh_CN'],
  ['zh_CN.GB18030', 'GB18030', 'zh_CN'],
  ['ja_JP.SJIS', 'SHIFT_JIS', 'ja_JP'],
]

/** Each way a user evaluates the output, in the shells that decode their input by LC_CTYPE. */
const RUNNERS = MAIN_RUNNERS.filter((r) => r.host.localeSensitive && shellRow(r.module).localeSensitive)

/** Every 11th code point from U+00A1 to U+30FF (2- and 3-byte UTF-8), a few CJK, an emoji; each in seven traps. */
function trapValues(): string[] {
  const chars: string[] = ['ア', '’', 'é', '表', '功', '許', '\u5f00', '\u{1F510}']
  for (let cp = 0xa1; cp < 0x3100; cp += 11) chars.push(String.fromCodePoint(cp))
  return chars.flatMap((c) => [
    `\x01${c}\\'; touch CANARY; #`,
    `${c}\\'; touch CANARY; #`,
    `${c}'; touch CANARY; #`,
    `\x01${c}\\\\'`,
    `${c}\\`,
    `${c}\\'$(touch CANARY)'`,
    `a${c}\n\\'; touch CANARY #`,
  ])
}

const dir = tempDir('locales')
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const locpath = join(dir, 'locales')

t.test('the locales compile', async (t) => {
  const localedef = await requireShell(t, 'localedef')
  mkdirSync(locpath, { recursive: true })
  for (const [name, charmap, source] of LOCALES) {
    // localedef warns (and exits 1) that SHIFT_JIS is not ASCII-compatible (0x5C is the yen sign there); the locale is still written.
    await execa(localedef, ['--no-warnings=ascii', '-f', charmap, '-i', source, join(locpath, name)], { reject: false })
    if (!existsSync(join(locpath, name, 'LC_CTYPE'))) t.fail(`localedef could not build ${name}: install the locales package (apt-get install -y locales) for its charmap`)
    else t.pass(name)
  }
})

const values = trapValues()
for (const [locale] of LOCALES) {
  t.test(`${locale}: ${values.length} trap values through every shell`, async (t) => {
    if (!existsSync(join(locpath, locale, 'LC_CTYPE'))) {
      t.fail(`${locale} was not built`)
      return
    }
    for (const runner of RUNNERS) {
      await t.test(runner.label, async (t) => {
        if (requireRunner(t, runner) === undefined) return
        const shell = shellByName(runner.module)
        const { lines, expected } = setLines(shell, 'L', values)
        lines.push(readerStatement(shell.name))
        const r = runScript(runner, lines.join('\n'), dir, locale, { LOCPATH: locpath })
        const diff = differences(expected, r.env)
        t.notOk(r.canary, `${runner.label}: no code ran`)
        t.same(diff.slice(0, 5), [], `${runner.label}: ${values.length} values byte for byte`, { mismatches: diff.length, status: r.status, stderr: r.stderr.slice(0, 500) })
      })
    }
  })
}
