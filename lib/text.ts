/**
 * Text from config files, servers and child processes may hold terminal escape sequences;
 * anything shown to a person goes through printable() so none reaches the screen raw.
 */
export function printable(text: string): string {
  // C0 controls, DEL and C1 controls (which include the 8-bit CSI) become visible escapes.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** The first line of a child's diagnostic output, shortened and made printable. */
export function firstLine(text: string, max = 200): string {
  const line = text.trim().split(/\r?\n/)[0] ?? ''
  return printable(line.length > max ? `${line.slice(0, max)}…` : line)
}

/**
 * How a configured command line (mfa_process, credential_process) is named in messages: its
 * program only. The rest may carry a secret, such as a TOTP seed given to oathtool.
 */
export function commandName(commandLine: string): string {
  const program = commandLine.trim().split(/\s+/)[0] ?? ''
  return printable(program.split('/').pop() ?? program)
}
