/** The machine a bench ran on, and the markdown table it prints (docs/benchmarks.md). */
import { cpus, loadavg } from 'node:os'
import { readFileSync } from 'node:fs'
import { awsVersion, hyperfine, notes, place, rows, sh, type MeasuredRow, type Row, type Stats } from './context.js'

export interface Machine {
  date: string
  nproc: string
  cpu: string
  memory: string
  kernel: string | undefined
  node: string
  hyperfine: string | undefined
  aws: string
  bash: string | undefined
  zsh: string | undefined
  load: string
}

export function machine(): Machine {
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown'
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: sh('nproc', []) ?? String(cpus().length),
    cpu: cpuModel,
    memory: `${Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024)} GiB`,
    kernel: sh('uname', ['-r']),
    node: process.version,
    hyperfine: hyperfine ? sh(hyperfine, ['--version']) : 'not installed (own loop)',
    aws: awsVersion ?? 'not installed',
    bash: sh('bash', ['-c', 'echo $BASH_VERSION']),
    zsh: sh('zsh', ['-fc', 'echo $ZSH_VERSION']),
    load: loadavg().map((l) => l.toFixed(2)).join(' '),
  }
}

export const fmtMs = (ms: number): string => (Math.abs(ms) >= 100 ? ms.toFixed(0) : Math.abs(ms) >= 10 ? ms.toFixed(1) : ms.toFixed(2))
export const signed = (ms: number): string => `${ms < 0 ? '−' : '+'}${fmtMs(Math.abs(ms))}`
export const spread = (s: Pick<Stats, 'q1' | 'q3' | 'min'>): string => `${fmtMs(s.q1)}–${fmtMs(s.q3)} (min ${fmtMs(s.min)})`

/** The ratio a ÷ b, placed right after b's row. */
export function ratioRow(id: string, path: string, a: MeasuredRow, b: MeasuredRow): Row {
  const ratio = a.median / b.median
  return place(b, { id, path, value: `${ratio.toFixed(3)} (${fmtMs(a.median)} ÷ ${fmtMs(b.median)} ms; ${(b.median / a.median).toFixed(1)}× faster)`, target: '≤ 0.20', met: ratio <= 0.2, ratio })
}

/** a ÷ floor against a target ratio, after a's row. */
export function floorRatioRow(id: string, path: string, a: MeasuredRow, floor: MeasuredRow, target: number): Row {
  const ratio = a.median / floor.median
  return place(a, { id, path, value: `${ratio.toFixed(2)} × (${fmtMs(a.median)} ÷ ${fmtMs(floor.median)} ms)`, target: `≤ ${target} × floor`, met: ratio <= target, ratio })
}

export function renderReport(m0: Machine, m1: Machine): string {
  const lines: string[] = []
  lines.push(`Machine: ${m0.nproc} × ${m0.cpu}, ${m0.memory}, Linux ${m0.kernel}; Node ${m0.node}; bash ${m0.bash}, zsh ${m0.zsh}; ${m0.aws}; hyperfine: ${m0.hyperfine}`)
  lines.push('')
  lines.push(`Date: ${m0.date}. Load average (1/5/15 min) before: ${m0.load}; after: ${m1.load}.`)
  lines.push('')
  lines.push('| path | median | spread (IQR, min) | runs | target | |')
  lines.push('|---|---|---|---|---|---|')
  for (const r of rows) {
    if (r.skipped !== undefined) {
      lines.push(`| ${r.path} | skipped | ${r.skipped.replaceAll('|', '/')} | | | |`)
      continue
    }
    const value = r.value ?? `${fmtMs(r.median ?? Number.NaN)} ms`
    const sp = r.spreadText ?? (r.q1 !== undefined && r.q3 !== undefined && r.min !== undefined ? spread({ q1: r.q1, q3: r.q3, min: r.min }) : '')
    const verdict = r.met === undefined ? '' : r.met ? 'met' : '**missed**'
    lines.push(`| ${r.path} | ${value} | ${sp} | ${r.runs ?? ''} | ${r.target ?? ''} | ${verdict} |`)
  }
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`))
  return `${lines.join('\n')}\n`
}
