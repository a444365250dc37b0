/** Colour for one stream: only on a terminal (or with FORCE_COLOR), never with NO_COLOR. */
import type { Severity } from '../checks/finding.js'
import type { Env, OutputStream } from '../deps.js'

export interface Paint {
  ok(text: string): string
  warn(text: string): string
  error(text: string): string
  dim(text: string): string
  bold(text: string): string
}

const PLAIN: Paint = { ok: (t) => t, warn: (t) => t, error: (t) => t, dim: (t) => t, bold: (t) => t }

/** chalk is loaded only when colour will be used. */
export async function painter(stream: OutputStream, env: Env, which: 'stdout' | 'stderr'): Promise<Paint> {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN
  if (!stream.isTTY && !env.FORCE_COLOR) return PLAIN
  const { Chalk, default: stdoutChalk, chalkStderr } = await import('chalk')
  const level = (which === 'stderr' ? chalkStderr : stdoutChalk).level
  if (level === 0) return PLAIN
  const chalk = new Chalk({ level })
  return { ok: chalk.green, warn: chalk.yellow, error: chalk.red, dim: chalk.dim, bold: chalk.bold }
}

/** The mark doctor puts before a finding. */
export function mark(severity: Severity, paint: Paint): string {
  if (severity === 'ok') return paint.ok('✓')
  return severity === 'warn' ? paint.warn('!') : paint.error('✗')
}

export function paintSeverity(severity: Severity, text: string, paint: Paint): string {
  return severity === 'ok' ? paint.ok(text) : severity === 'warn' ? paint.warn(text) : paint.error(text)
}
