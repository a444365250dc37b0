import { execa } from 'execa'

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

/** pwsh cannot be installed everywhere; callers say which path ran. */
export async function findPwsh(): Promise<string | undefined> {
  // scripts/setup.sh installs it as a dotnet global tool where the registry has it.
  const found = await execa('sh', ['-c', 'command -v pwsh || command -v "$HOME/.dotnet/tools/pwsh"'], { reject: false })
  return found.exitCode === 0 && found.stdout.trim() !== '' ? found.stdout.trim() : undefined
}
