import { execa } from 'execa'
import { findShell, requireRow, shellRow } from './shell-table.js'

/**
 * The path of a TOOL the suite needs (shellcheck, localedef, script, awk …). A missing tool FAILS
 * the test (CI installs them all). Shells go through the shell table (shell-table.ts requireRow).
 */
export async function requireShell(t: { fail(message: string): unknown }, name: string): Promise<string> {
  const found = await execa('sh', ['-c', `command -v ${name}`], { reject: false })
  const path = found.stdout.trim()
  if (found.exitCode !== 0 || path === '') {
    t.fail(`${name} is not installed; .ci/run installs it (apt-get install -y ${name})`)
    throw new Error(`${name} missing`)
  }
  return path
}

/** pwsh on PATH, else where scripts/setup.sh installs it (a dotnet global tool), else undefined. */
export function pwshPath(): string | undefined {
  return findShell(shellRow('powershell'))
}

/** pwsh for a PowerShell test: shell-table.ts requireRow (a skip locally, a failure in CI). */
export function requirePwsh(t: { fail(message: string): unknown; plan(count: number, comment?: string): unknown }): string | undefined {
  return requireRow(t, shellRow('powershell'))
}
