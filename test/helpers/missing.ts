/** What a test can be asked to plan (tap's Test). */
export interface Planned {
  fail(message: string): unknown
  plan(count: number, comment?: string): unknown
}

/**
 * The one rule for a tool or permission the suite needs and this machine lacks: in CI (CI=true)
 * the test FAILS; locally it is a tap SKIP that says why (a plan of 0 with a comment), never a
 * pass. Call it before the test asserts anything, and assert nothing after it.
 */
export function missing(t: Planned, why: string): void {
  if (process.env.CI === 'true') t.fail(why)
  else t.plan(0, why)
}

/**
 * The same rule for one part of a test that runs its other parts: in CI the test FAILS; locally a
 * comment says which part is not verified.
 */
export function missingPart(t: { fail(message: string): unknown; comment(message: string): unknown }, why: string): void {
  if (process.env.CI === 'true') t.fail(why)
  else t.comment(`${why}: that part is NOT verified here`)
}
