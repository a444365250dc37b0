/**
 * Every prompt recipe in docs/shell-integration.md, in a real interactive bash, zsh and fish in
 * tmux, with profile names that would run code or restyle the terminal if the prompt expanded them:
 * `$(…)`, backquotes, `${$(…)}`, `\w`, `%F{red}`, `!!`, ESC and the 8-bit CSI U+009B, in a UTF-8
 * and in the C locale. The screen shows the name literally (control characters as `?`) and no
 * command ran (no file appears). The starship custom module's command is run as starship runs it.
 */
import t from 'tap'
import { execa } from 'execa'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { shellByName } from '../../lib/shells/index.js'
import { requireShell } from '../helpers/shells.js'
import { requireRow, sessionOf, shellRow } from '../helpers/shell-table.js'
import { Tmux } from '../helpers/tmux.js'
import { FILES, ROOT, shQuote, tempDir } from './common.js'

/** Each name runs `touch` into the working directory if any prompt evaluates it. */
const NAMES = [
  'a$(touch X1)b',
  'c`touch X2`d',
  'e${$(touch X3)}f',
  'g\\$(touch X4)\\w%F{red}%~!!h',
  "i'\"$((1+1))\\`touch X5\\`j",
  'k\x1b]0;pwned\x07\x1b[31m\u009b2Jl',
]
/** What the screen must show for a name: C0, DEL and C1 as `?`, everything else as written. */
const shown = (name: string): string => name.replace(/[\x00-\x1f\x7f-\x9f]/g, '?')

interface Recipe {
  readonly shell: 'bash' | 'zsh' | 'fish'
  readonly label: string
  /** Start-up lines after the integration is sourced; the prompt must show MARK<segment>END. */
  readonly rc: readonly string[]
}

const integration = (shell: keyof typeof FILES): string => join(ROOT, FILES[shell].integration)

const RECIPES: readonly Recipe[] = [
  { shell: 'bash', label: "PS1='$(awsmfa_prompt)…'", rc: ["PS1='MARK$(awsmfa_prompt)${AWSMFA_PROFILE:+ }END \\w \\$ '"] },
  {
    shell: 'bash',
    label: 'awsmfa_prompt -v AWSMFA_SEGMENT in PROMPT_COMMAND',
    rc: ["PROMPT_COMMAND=\"awsmfa_prompt -v AWSMFA_SEGMENT${PROMPT_COMMAND:+$'\\n'$PROMPT_COMMAND}\"", "PS1='MARK${AWSMFA_SEGMENT:+[$AWSMFA_SEGMENT] }END\\w \\$ '"],
  },
  { shell: 'zsh', label: "prompt_subst, RPROMPT='$(awsmfa_prompt)'", rc: ['setopt prompt_subst', "PROMPT='MARK$(awsmfa_prompt)END %# '"] },
  {
    shell: 'zsh',
    label: 'prompt_subst, awsmfa_prompt -v RPROMPT in precmd',
    rc: ['setopt prompt_subst', 'precmd_functions+=(__my_awsmfa_segment)', '__my_awsmfa_segment() { awsmfa_prompt -v PROMPT; PROMPT="MARK${PROMPT}END %# " }'],
  },
  {
    shell: 'zsh',
    label: 'prompt_subst prompt_bang, awsmfa_prompt -v (oh-my-zsh style options)',
    rc: ['setopt prompt_subst prompt_bang prompt_percent', 'precmd_functions+=(__my_awsmfa_segment)', '__my_awsmfa_segment() { awsmfa_prompt -v seg; PROMPT="MARK${seg}END %# " }'],
  },
  { shell: 'zsh', label: 'no prompt_subst, awsmfa_prompt -v', rc: ['precmd_functions+=(__my_awsmfa_segment)', '__my_awsmfa_segment() { awsmfa_prompt -v seg; PROMPT="MARK${seg}END %# " }'] },
  { shell: 'fish', label: 'fish_prompt with awsmfa_prompt', rc: ["function fish_prompt; printf 'MARK%sEND> ' (awsmfa_prompt); end"] },
  { shell: 'fish', label: 'fish_right_prompt', rc: ["function fish_prompt; printf 'MARK> '; end", "function fish_right_prompt; awsmfa_prompt; printf 'END'; end"] },
]

for (const recipe of RECIPES) {
  t.test(`${recipe.shell}: ${recipe.label}: hostile names shown literally, nothing runs`, async (t) => {
    const binary = requireRow(t, shellRow(recipe.shell))
    if (binary === undefined) return
    const tmuxPath = await requireShell(t, 'tmux')
    for (const locale of recipe.shell === 'fish' ? ['C.UTF-8'] : ['C.UTF-8', 'C']) {
      const home = tempDir(t, `awsmfa-recipe-${recipe.shell}-`)
      const cwd = join(home, 'cwd')
      mkdirSync(cwd)
      const row = shellRow(recipe.shell)
      const session = sessionOf(row)
      const shell = shellByName(recipe.shell)
      // Two hours from now, in the shell's own syntax (the prompt shows 1h59m or 2h00m).
      const lines = (name: string): string[] => [shell.set('AWSMFA_PROFILE', name), shell.set('AWSMFA_EXPIRATION', String(Math.floor(Date.now() / 1000) + 7200))]
      // The shell runs in `locale`; tmux (the terminal) stays UTF-8, so a raw U+009B would act as a CSI there.
      const started = session.interactive(home, [row.source(integration(recipe.shell)), ...recipe.rc, ...(locale === 'C.UTF-8' ? [] : [session.set('LC_ALL', locale)])])
      const command = [binary, ...started.args]
      const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8', ...started.env }
      const tmux = await Tmux.start(t, tmuxPath, { command, env, cwd, width: 250, height: 60 })
      for (const [i, name] of NAMES.entries()) {
        // Typed as `source FILE` (ASCII only): a C-locale line editor cannot take the raw U+009B.
        writeFileSync(join(home, `n${i}`), lines(name).join('\n') + '\n')
        await tmux.line(`source ${join(home, `n${i}`)}`)
        const want = shown(name)
        const found = await tmux.waitFor(`${locale}: prompt with name ${i}`, (screen) => {
          const rows = screen.split('\n')
          return rows.find((row) => row.includes(`${want} `) && /\d+h\d\dm/.test(row) && row.includes('END') && row.startsWith('MARK')) ?? false
        })
        t.ok(found.includes(`${want} 1h59m`) || found.includes(`${want} 2h00m`), `${locale}: name ${i} shown literally: ${JSON.stringify(found)}`)
        await tmux.keys(['C-l'])
        await tmux.tmux(['clear-history', '-t', 'main:one'])
      }
      t.same(readdirSync(cwd), [], `${locale}: no prompt ran a command from a name (no file in the working directory)`)
    }
  })
}

t.test('starship custom module: its command prints the name literally, control characters as ?', async (t) => {
  const bash = requireRow(t, shellRow('bash'))
  if (bash === undefined) return
  const dir = tempDir(t, 'awsmfa-starship-')
  const which = await execa('sh', ['-c', 'command -v starship'], { reject: false })
  if (which.exitCode !== 0) t.comment('starship is not installed: its command runs here as starship would run it (shell = ["bash", "--noprofile", "--norc"]); starship itself not run')
  for (const name of NAMES) {
    // starship hands `command` to the shell on stdin
    const r = await execa(bash, ['--noprofile', '--norc'], {
      input: `source ${shQuote(integration('bash'))} && awsmfa_prompt`,
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LC_ALL: 'C', AWSMFA_PROFILE: name, AWSMFA_EXPIRATION: String(Math.floor(Date.now() / 1000) + 7200) },
      extendEnv: false,
      encoding: 'buffer',
    })
    const out = Buffer.from(r.stdout).toString('utf8')
    t.match(out, new RegExp(`^${shown(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (1h59m|2h00m)$`), `${JSON.stringify(name)}: literal`)
  }
  t.same(readdirSync(dir), [], 'nothing ran')
})
