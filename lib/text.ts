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

/** How much of a server's own words a message quotes: enough to read, never a flood. */
export const SERVER_TEXT_MAX = 300

/**
 * Text a server sent (an error message, a header), as a message may quote it: secrets masked,
 * on one line, cut to SERVER_TEXT_MAX characters, printable. A server that echoes the request
 * must not put the MFA code or a key on the screen.
 */
export function serverText(text: string, max = SERVER_TEXT_MAX): string {
  // Mask the whole text before cutting, so no half of a secret survives at the cut.
  const line = maskSecrets(text.slice(0, max * 4)).replace(/\s*[\r\n]+\s*/g, ' ')
  return printable(line.length > max ? `${line.slice(0, max)}…` : line)
}

/** Fields whose value is a secret or an MFA code, as a query string, header, JSON or INI writes them. */
const SECRET_FIELD = /\b(TokenCode|X-Amz-Security-Token|SecretAccessKey|SessionToken|Signature|aws_secret_access_key|aws_session_token)(["']?\s*[=:>]\s*["']?)[^\s&"',;<>]+/gi
/** 40 or more base64 characters with upper and lower case and a digit: shaped like a secret key or token. */
const SECRET_SHAPE = /[A-Za-z0-9+/=]{40,}/g

/**
 * Masks what looks like a secret: the value of a secret field, any 6-digit word (an MFA code is
 * one until it is used) and long base64 runs (keys, tokens). ARN paths (role/…, user/…) and
 * 12-digit account ids are left alone.
 */
export function maskSecrets(text: string): string {
  return text
    .replace(SECRET_FIELD, (_, field: string, separator: string) => `${field}${separator}******`)
    .replace(/\b\d{6}\b/g, '******')
    .replace(SECRET_SHAPE, (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) && !/(^|\/)(role|assumed-role|user|mfa)\//.test(run) ? '[hidden]' : run))
}
