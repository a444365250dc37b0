/**
 * What the shell integration costs inside the shell: TAB completion (bench/completion.sh), the
 * prompt segment rendered 10,000 times inside ONE shell (strace proves it starts no process), and
 * the start-up an rc line adds to an interactive bash or zsh.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { singleQuote } from '../lib/shells/posix.js'
import { COUNTS, NODE, QUICK, ROOT, ROUNDS, log, messageOf, row, strace, which, work, type Package } from './context.js'
import { measure, perRound, stats, type Env } from './measure.js'
import { fmtMs, signed, spread } from './report.js'

const PROMPT_RENDERS = 10_000
const PROMPT_REPEATS = QUICK ? 2 : 7

// ---------------------------------------------------------------------------------------------
// TAB completion: the shell-integration owner's script (bench/completion*), when it exists.

export function completionRows(): void {
  const label = 'TAB completion, bash, 1,000 / 10,000 profiles'
  const file = join(ROOT, 'bench/completion.sh')
  if (!existsSync(file)) {
    row({ id: 'completion', path: label, skipped: "bench/completion.sh not written yet (the shell-integration owner's script)" })
    return
  }
  // Its own loop inside one bash, timed with $EPOCHREALTIME: `bench/completion.sh [ITERATIONS]`.
  const iterations = QUICK ? 20 : 200
  log(`TAB completion: bench/completion.sh ${iterations}`)
  const r = spawnSync('bash', [file, String(iterations)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 })
  if (r.status !== 0) {
    row({ id: 'completion', path: label, skipped: `bench/completion.sh failed: ${(r.stderr || '').trim().split('\n').slice(-3).join(' / ')}` })
    return
  }
  // "1000 target profiles (…):" then "  awsmfa use <TAB> (all)   12.34 ms per TAB  (1000 candidates)"
  let profiles: number | undefined
  let any = false
  for (const line of r.stdout.split('\n')) {
    const head = /^(\d+) target profiles/.exec(line)
    if (head) {
      profiles = Number(head[1])
      continue
    }
    const m = /^\s+(.+?)\s+([\d.]+) ms per TAB\s+\((\d+) candidates\)/.exec(line)
    if (!m || profiles === undefined) continue
    const [, what = '', msText, candidates] = m
    const ms = Number(msText)
    const all = what.includes('(all)')
    const target = all ? (profiles <= 1000 ? 20 : profiles <= 10000 ? 100 : undefined) : undefined
    row({
      id: 'completion', path: `TAB completion, bash, ${profiles.toLocaleString('en')} profiles: \`${what}\``,
      value: `${fmtMs(ms)} ms per TAB (${candidates} candidates)`, runs: `mean of ${iterations}`,
      ...(target === undefined ? {} : { target: `≤ ${target} ms`, met: ms <= target }),
    })
    any = true
  }
  if (!any) row({ id: 'completion', path: label, skipped: `could not read bench/completion.sh output: ${r.stdout.trim().split('\n')[0] ?? ''}` })
}

// ---------------------------------------------------------------------------------------------
// Prompt segment: awsmfa_prompt 10,000 times inside ONE shell.

type PromptShell = 'bash' | 'zsh'

interface PromptShellSpec {
  file: string
  argv: (script: string) => string[]
  clock: string
  now: string
  epoch: string
  loop: (body: string) => string
}

const PROMPT_SCRIPTS: Record<PromptShell, PromptShellSpec> = {
  bash: {
    file: 'shells/awsmfa.bash',
    argv: (script) => ['bash', '--norc', '--noprofile', '-c', script, 'bash'],
    clock: '',
    now: '$EPOCHREALTIME',
    epoch: '$EPOCHSECONDS',
    loop: (body) => `for ((i = 0; i < n; i++)); do ${body}; done`,
  },
  zsh: {
    file: 'shells/awsmfa.zsh',
    argv: (script) => ['zsh', '-f', '-c', script, 'zsh'],
    clock: 'zmodload zsh/datetime',
    now: '$EPOCHREALTIME',
    epoch: '$EPOCHSECONDS',
    loop: (body) => `for ((i = 0; i < n; i++)); do ${body}; done`,
  },
}

function promptScript(shell: PromptShell, file: string, n: number): string {
  const s = PROMPT_SCRIPTS[shell]
  return `${s.clock}
source ${singleQuote(file)} || exit 1
export AWSMFA_PROFILE=prod AWSMFA_EXPIRATION=$((${s.epoch} + 43000))
n=${n}
awsmfa_prompt -v seg; check=$seg
t0=${s.now}; ${s.loop(':')}
t1=${s.now}; ${s.loop('awsmfa_prompt -v seg')}
t2=${s.now}; ${s.loop('awsmfa_prompt >/dev/null')}
t3=${s.now}
echo "$t0 $t1 $t2 $t3 $check"
`
}

const runArgv = (argv: string[], options: Parameters<typeof execFileSync>[2]): string => {
  const [cmd = '', ...args] = argv
  return String(execFileSync(cmd, args, options))
}

export function promptRows(pkg: Package): void {
  for (const shell of ['bash', 'zsh'] as const) {
    const label = `prompt segment, ${shell} (\`awsmfa_prompt\`, per render)`
    const file = join(pkg.dir, PROMPT_SCRIPTS[shell].file)
    if (!existsSync(file)) {
      row({ id: `prompt-${shell}`, path: label, skipped: `${PROMPT_SCRIPTS[shell].file} not written yet` })
      continue
    }
    if (!which(shell)) {
      row({ id: `prompt-${shell}`, path: label, skipped: `${shell} not installed` })
      continue
    }
    log(`${label}: ${PROMPT_REPEATS} shells × ${PROMPT_RENDERS} renders`)
    const env = { PATH: process.env.PATH, HOME: join(work, 'home'), LC_ALL: 'C', TZ: 'UTC' }
    const perVar: number[] = []
    const perPrint: number[] = []
    let segment = ''
    try {
      for (let k = 0; k < PROMPT_REPEATS; k++) {
        const out = runArgv(PROMPT_SCRIPTS[shell].argv(promptScript(shell, file, PROMPT_RENDERS)), { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] }).trim()
        const [t0, t1, t2, t3, ...rest] = out.split(' ')
        segment = rest.join(' ')
        const loop = Number(t1) - Number(t0)
        // Per render, net of the empty loop around it.
        perVar.push(((Number(t2) - Number(t1) - loop) / PROMPT_RENDERS) * 1e6)
        perPrint.push(((Number(t3) - Number(t2) - loop) / PROMPT_RENDERS) * 1e6)
      }
    } catch (error) {
      const stderr = (error as { stderr?: unknown }).stderr
      row({ id: `prompt-${shell}`, path: label, skipped: `failed: ${String(stderr || messageOf(error)).trim().split('\n')[0]}` })
      continue
    }
    const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN
    const processes = strace ? countProcesses(shell, file, env) : undefined
    const us = Math.max(median(perVar), median(perPrint))
    const noProcess = processes === undefined ? undefined : processes === 0
    row({
      id: `prompt-${shell}`, path: label,
      value: `${median(perVar).toFixed(1)} µs (\`-v seg\`), ${median(perPrint).toFixed(1)} µs (printing); segment \`${segment}\`; ` +
        (processes === undefined ? 'strace not installed' : `${processes} processes started in 1,000 renders (strace)`),
      target: '≤ 50 µs, no process', met: us <= 50 && noProcess !== false, runs: `${PROMPT_REPEATS} × ${PROMPT_RENDERS.toLocaleString('en')}`,
    })
  }
}

/** Process-creating syscalls in 1,000 renders: a traced run with the renders minus one without. */
function countProcesses(shell: PromptShell, file: string, env: Env): number {
  const count = (n: number): number => {
    const out = join(work, `strace-${shell}-${n}`)
    const argv = PROMPT_SCRIPTS[shell].argv(promptScript(shell, file, n))
    execFileSync('strace', ['-f', '-qq', '-o', out, '-e', 'trace=execve,fork,vfork,clone,clone3', ...argv], { env, stdio: 'ignore' })
    return readFileSync(out, 'utf8').split('\n').filter((l) => /\b(execve|fork|vfork|clone3?)\(/.test(l)).length
  }
  return count(1000) - count(0)
}

// ---------------------------------------------------------------------------------------------
// Shell start-up added by the rc line: interactive bash/zsh with and without it.

interface StartupShell {
  shell: 'bash' | 'zsh'
  file: string
  base: string
  /** bash reads the rc file given; zsh reads $ZDOTDIR/.zshrc. */
  zsh: boolean
}

export async function startupRows(pkg: Package): Promise<void> {
  const dir = join(work, 'rc')
  mkdirSync(dir)
  const env = { PATH: process.env.PATH, HOME: join(work, 'home'), TERM: 'dumb', LANG: 'C.UTF-8' }
  const shells: StartupShell[] = [
    { shell: 'bash', file: 'shells/awsmfa.bash', base: '', zsh: false },
    // compinit in both: a zsh user with completion has it already; the row is what the awsmfa line adds.
    { shell: 'zsh', file: 'shells/awsmfa.zsh', base: `autoload -Uz compinit && compinit -C -d ${singleQuote(join(dir, 'zcompdump'))}\n`, zsh: true },
  ]
  for (const s of shells) {
    const label = `${s.shell} start-up added by \`source ${s.file}\``
    const file = join(pkg.dir, s.file)
    if (!existsSync(file)) {
      row({ id: `startup-${s.shell}`, path: label, skipped: `${s.file} not written yet` })
      continue
    }
    if (!which(s.shell)) {
      row({ id: `startup-${s.shell}`, path: label, skipped: `${s.shell} not installed` })
      continue
    }
    const variants = {
      without: s.base,
      with: `${s.base}source ${singleQuote(file)}\n`,
      eval: `${s.base}eval "$(${singleQuote(NODE)} ${singleQuote(pkg.cli)} init ${s.shell})"\n`,
    }
    type Variant = keyof typeof variants
    const names = Object.keys(variants) as Variant[]
    let results: Record<Variant, ReturnType<typeof stats>>
    try {
      const commands = {} as Record<Variant, { argv: string[]; env: Env }>
      for (const name of names) {
        const text = variants[name]
        let argv: string[]
        let e: Env = env
        if (s.zsh) {
          const zdotdir = join(dir, `zsh-${name}`)
          mkdirSync(zdotdir)
          writeFileSync(join(zdotdir, '.zshrc'), text)
          e = { ...env, ZDOTDIR: zdotdir }
          argv = ['zsh', '-i', '-c', 'exit']
        } else {
          const rc = join(dir, `bashrc-${name}`)
          writeFileSync(rc, text)
          argv = ['bash', '--rcfile', rc, '-i', '-c', 'exit']
        }
        if (name !== 'without') {
          // The row means nothing unless the line really defines the integration in that shell.
          const [cmd = '', ...args] = argv
          const probe = spawnSync(cmd, [...args.slice(0, -1), 'typeset -f awsmfa_prompt >/dev/null && echo loaded'], { env: e, encoding: 'utf8' })
          if (!probe.stdout.includes('loaded')) throw new Error(`${s.shell} -i with the ${name} line did not define awsmfa_prompt`)
        }
        commands[name] = { argv, env: e }
      }
      // Alternating rounds (without, with, eval, without, …): the row is a difference of two
      // medians, and a load change between two long blocks would show up as start-up cost.
      const seconds: Record<Variant, number[]> = { without: [], with: [], eval: [] }
      for (let round = 0; round < ROUNDS; round++) {
        for (const name of names) {
          const c = commands[name]
          const counts = name === 'eval' ? COUNTS.node : COUNTS.shell
          const r = await measure({ name: `${s.shell} -i (${name}, round ${round + 1})`, argv: c.argv, env: c.env, ...perRound(counts) })
          seconds[name].push(...r.seconds)
        }
      }
      results = { without: stats(seconds.without), with: stats(seconds.with), eval: stats(seconds.eval) }
    } catch (error) {
      row({ id: `startup-${s.shell}`, path: label, skipped: messageOf(error) })
      continue
    }
    const added = results.with.median - results.without.median
    row({
      id: `startup-${s.shell}`, path: label,
      value: `${signed(added)} ms (${fmtMs(results.without.median)} → ${fmtMs(results.with.median)} ms)`,
      target: '≤ 5 ms', met: added <= 5, runs: results.with.runs, spreadText: `${spread(results.without)} / ${spread(results.with)}`,
    })
    row({
      id: `startup-${s.shell}-eval`, path: `${s.shell} start-up added by \`eval "$(awsmfa init ${s.shell})"\` (for comparison)`,
      value: `${signed(results.eval.median - results.without.median)} ms`, runs: results.eval.runs, spreadText: spread(results.eval),
    })
  }
}
