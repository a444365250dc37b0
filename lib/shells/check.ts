/**
 * Checks shared by every shell module. Kept apart from index.ts so the shell modules can use
 * them without importing the registry (which imports them).
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** With the `u` flag a pair is one code point, so this matches only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * A variable name that every supported shell reads the same way. Names are rejected, never escaped.
 * `…PATH` is refused too: fish splits such variables on `:` into lists.
 */
export function assertVariableName(name: string): void {
  if (!NAME.test(name)) {
    throw new Error(`invalid variable name ${JSON.stringify(name)}: must match ^[A-Za-z_][A-Za-z0-9_]*$`)
  }
  if (name.endsWith('PATH')) {
    throw new Error(`invalid variable name ${JSON.stringify(name)}: names ending in PATH are refused (fish splits them into lists)`)
  }
}

/**
 * A value the shells can carry: no NUL (no environment variable can hold one) and no lone
 * surrogate (it has no UTF-8 encoding, so no shell could read it back).
 */
export function assertValue(value: string): void {
  if (value.includes('\0')) {
    throw new Error('value contains a NUL character, which no environment variable can hold')
  }
  if (LONE_SURROGATE.test(value)) {
    throw new Error('value contains a lone UTF-16 surrogate, which has no UTF-8 encoding')
  }
}

/** C0 controls (including \t \n \r) and DEL. NUL never gets this far. */
export const CONTROL = /[\x01-\x1f\x7f]/

/** `\xHH` with two upper-case hex digits. */
export function hex2(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0')
}
