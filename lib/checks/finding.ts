/** What `list` and `doctor` say about a profile or this terminal: findings, each with a severity. */

export type Severity = 'ok' | 'warn' | 'error'

/** One thing doctor says. `text` and `fix` are made printable where config text goes in. */
export interface Finding {
  readonly severity: Severity
  /** Stable identifier for scripts and tests, e.g. `source-not-found`. */
  readonly code: string
  /** The short form for the list table; set on every warn and error. */
  readonly verdict?: string
  readonly text: string
  readonly fix?: string
}

/** The verdict from the findings: the first error's, else the first warning's, else `ok`. */
export function severityOf(findings: readonly Finding[]): { severity: Severity; first: Finding | undefined } {
  const errors = findings.filter((f) => f.severity === 'error')
  const warnings = findings.filter((f) => f.severity === 'warn')
  return { severity: errors.length > 0 ? 'error' : warnings.length > 0 ? 'warn' : 'ok', first: errors[0] ?? warnings[0] }
}
