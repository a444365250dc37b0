import { execa } from 'execa'
import { accessSync, constants } from 'node:fs'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * The path of a shell the suite needs. A missing shell FAILS the test (CI installs them all):
 * a skipped shell would hide a broken promise.
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

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** pwsh on PATH, else where scripts/setup.sh installs it (a dotnet global tool), else undefined. */
export function pwshPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'pwsh'))) return join(dir, 'pwsh')
  }
  const tool = join(homedir(), '.dotnet', 'tools', 'pwsh')
  return executable(tool) ? tool : undefined
}

export const PWSH_INSTALL = 'scripts/setup.sh installs it: dotnet tool install --global PowerShell --version 7.6.9'

/**
 * pwsh for a PowerShell test. Missing in CI (CI=true): the test FAILS. Missing locally: the
 * test is reported as a tap SKIP with the reason (never a pass). Callers return on undefined and
 * assert nothing else.
 */
export function requirePwsh(t: { fail(message: string): unknown; plan(count: number, comment?: string): unknown }): string | undefined {
  const path = pwshPath()
  if (path !== undefined) return path
  if (process.env.CI === 'true') t.fail(`pwsh is not installed; ${PWSH_INSTALL}`)
  // a plan of 0 with a comment is how tap reports a whole test as skipped
  else t.plan(0, `pwsh is not installed (${PWSH_INSTALL}); PowerShell NOT verified here`)
  return undefined
}
