/**
 * Runs many values through one real shell process. The values are split into parts; for each
 * part the shell evaluates awsmfa's `set` text exactly as a user would (`eval "$(cat …)"`,
 * `cat … | source`, `Get-Content … | Invoke-Expression`), a CHILD process (`env -0`, or node for
 * PowerShell) records the environment it inherited, and the shell evaluates awsmfa's `unset`
 * text for that part, so the next read-back also proves the unset.
 *
 * Parts stay small because zsh's `eval` of a long text with many exports grows quadratically
 * (8,000 exports in one eval: 6.5 s; in 16 evals of 500: well under a second).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { execa } from 'execa'
import type { Shell, ShellName } from '../../lib/shells/index.js'
import { differences, setLines, shellEnvironment } from '../shells/harness.js'
import { SHELL_TABLE, findShell, NU_SOURCE, nuApplySourced, readDump, shellRow, type ShellRow } from '../helpers/shell-table.js'

export interface ScaleShell {
  /** The shell module whose output is evaluated. */
  readonly module: ShellName
  /** The row whose binary runs the driver (the module's own, or a readBy host). */
  readonly host: ShellRow
  readonly label: string
  /** Arguments that run the driver script file. */
  args(driver: string): string[]
  /** The driver statement that evaluates the text in file `part` as the user's shell would. */
  evaluate(part: string): string
  /** Statements the driver starts with. */
  readonly prelude?: string
  /** Values per part, when the caller's default does not suit this shell. */
  readonly part?: number
  /** How long one driver may run, in ms (default 120 s); pwsh compiles slowly. */
  readonly timeout?: number
}

/**
 * pwsh compiles `[char]0xHHHH` chains slowly (about 2 ms of CPU per statement here: 100,000 values
 * would take minutes), so at this scale pwsh's own PARSER reads each part — the tokenizer is where a
 * quote or line break would go wrong — and this walker evaluates the only shapes the output may
 * have: `$Env:N = '…'`, `$Env:N = ('…' + [char]0xHHHH + …)` and `$Env:N = $null`.
 * Any other shape, or a parse error, is a failure. pwsh's evaluator runs the same text in
 * test/shells/random.test.ts, roundtrip.test.ts and the hostile tests.
 */
const PWSH_PARSE_EVAL = String.raw`
$ErrorActionPreference = 'Stop'
Add-Type -TypeDefinition @'
using System;
using System.Text;
using System.Management.Automation.Language;
public static class AwsmfaParseEval {
    static void Append(StringBuilder sb, ExpressionAst e) {
        var paren = e as ParenExpressionAst;
        if (paren != null) { Append(sb, ((CommandExpressionAst)((PipelineAst)paren.Pipeline).PipelineElements[0]).Expression); return; }
        var plus = e as BinaryExpressionAst;
        if (plus != null && plus.Operator == TokenKind.Plus) { Append(sb, plus.Left); Append(sb, plus.Right); return; }
        var text = e as StringConstantExpressionAst;
        if (text != null && text.StringConstantType == StringConstantType.SingleQuoted) { sb.Append(text.Value); return; }
        var convert = e as ConvertExpressionAst;
        if (convert != null && convert.Type.TypeName.FullName == "char" && convert.Child is ConstantExpressionAst) { sb.Append((char)(int)((ConstantExpressionAst)convert.Child).Value); return; }
        throw new Exception("unexpected term: " + e.Extent.Text);
    }
    public static void Run(string path) {
        Token[] tokens; ParseError[] errors;
        var ast = Parser.ParseFile(path, out tokens, out errors);
        if (errors.Length > 0) throw new Exception(path + " does not parse: " + errors[0]);
        foreach (var s in ast.EndBlock.Statements) {
            var assignment = s as AssignmentStatementAst;
            if (assignment == null) throw new Exception("unexpected statement: " + s.Extent.Text);
            var name = ((VariableExpressionAst)assignment.Left).VariablePath;
            if (!name.IsDriveQualified || name.DriveName != "Env") throw new Exception("not an Env: assignment: " + s.Extent.Text);
            var right = ((CommandExpressionAst)assignment.Right).Expression;
            var removal = right as VariableExpressionAst;
            if (removal != null) {
                if (removal.VariablePath.UserPath != "null") throw new Exception("unexpected value: " + s.Extent.Text);
                Environment.SetEnvironmentVariable(name.UserPath.Substring(4), null);
                continue;
            }
            var sb = new StringBuilder();
            Append(sb, right);
            Environment.SetEnvironmentVariable(name.UserPath.Substring(4), sb.ToString());
        }
    }
}
'@
`

/** How a row runs at scale: its own file and evalFile; shell-specific overrides below. */
function scaleShell(module: ShellName, host: ShellRow, label: string): ScaleShell {
  return { module, host, label, args: (d) => host.file(d), evaluate: (p) => host.evalFile(p) }
}

/**
 * pwsh at this scale: its parser reads each part (PWSH_PARSE_EVAL above). nu: shells/awsmfa.nu's
 * data reader (`from nuon`), as `awsmfa use` applies the output; `source` reads it as code in the
 * round-trip and random tests. Its parts are larger: nu's per-part cost is its parse of the
 * statement and a node child's start (25,000 values: 9.9 s in parts of 500, 5.7 s in parts of 2,500).
 */
const OVERRIDES: Partial<Record<ShellName, Partial<ScaleShell>>> = {
  powershell: { label: 'pwsh (its parser)', prelude: PWSH_PARSE_EVAL, evaluate: (p) => `[AwsmfaParseEval]::Run('${p}')`, timeout: 600_000 },
  nu: { label: 'nu (awsmfa.nu reads it as data)', prelude: `${NU_SOURCE}\n`, part: 2500, evaluate: (p) => nuApplySourced(`(open --raw '${p}' | decode utf-8)`) },
}

/** Every row of the shell table, and the default (sh) output in its readBy hosts (bash and zsh users eval it too). */
export const SCALE_SHELLS: readonly ScaleShell[] = SHELL_TABLE.flatMap((row) => [
  { ...scaleShell(row.name, row, row.label), ...OVERRIDES[row.name] },
  ...(row.readBy ?? []).map((name) => scaleShell(row.name, shellRow(name), `${row.name} output in ${name}`)),
])

export interface ScaleResult {
  status: number | null
  stderr: string
  error: Error | undefined
  canary: boolean
  /** Every mismatch as `differences()` words it, with the value's index. */
  mismatches: Array<{ index: number | undefined; text: string }>
  /** Parts whose read-back file never appeared. */
  missingReads: number
}

function readBack(cwd: string, k: number): Map<string, Buffer> | undefined {
  const env = readDump(join(cwd, `out${k}.env`))
  return env === undefined ? undefined : new Map([...env].filter(([name]) => name.startsWith('AWSMFA_')))
}

/**
 * One shell process for `values` (their indices offset by `base` in messages), in parts of
 * `partSize`. `dir` must be a path of safe characters (harness tempDir()).
 */
export async function runScale(
  runner: ScaleShell,
  shell: Shell,
  values: readonly string[],
  base: number,
  partSize: number,
  dir: string,
  locale: string,
): Promise<ScaleResult> {
  const work = mkdtempSync(join(dir, 'parts-'))
  const cwd = mkdtempSync(join(dir, 'run-'))
  const home = join(cwd, 'home')
  mkdirSync(home)
  const driver: string[] = []
  const parts: Array<{ start: number; expected: Map<string, string> }> = []
  for (let start = 0, k = 0; start < values.length; start += partSize, k++) {
    const { lines, expected } = setLines(shell, `S${base + start}_`, values.slice(start, start + partSize))
    // the row's extension: pwsh dot-sources only .ps1 scripts (any other file it would open with the desktop's viewer)
    const ext = shellRow(runner.module).ext
    const setFile = join(work, `set${k}.${ext}`)
    const unsetFile = join(work, `unset${k}.${ext}`)
    writeFileSync(setFile, `${lines.join('\n')}\n`)
    writeFileSync(unsetFile, `${[...expected.keys()].map((name) => shell.unset(name)).join('\n')}\n`)
    driver.push(runner.evaluate(setFile))
    driver.push(shellRow(runner.module).dumpEnv(`out${k}.env`))
    driver.push(runner.evaluate(unsetFile))
    parts.push({ start, expected })
  }
  const driverFile = join(work, `driver.${runner.host.ext}`)
  writeFileSync(driverFile, `${runner.prelude ?? ''}${driver.join('\n')}\n`)
  const r = await execa(findShell(runner.host) ?? runner.host.exe, runner.args(driverFile), {
    cwd,
    reject: false,
    extendEnv: false,
    stdin: 'ignore',
    timeout: runner.timeout ?? 120_000,
    maxBuffer: 16 * 1024 * 1024,
    stripFinalNewline: false,
    env: shellEnvironment(home, locale),
  })
  const mismatches: ScaleResult['mismatches'] = []
  let missingReads = 0
  parts.forEach(({ start, expected }, k) => {
    const seen = readBack(cwd, k)
    if (seen === undefined) {
      missingReads++
      return
    }
    for (const text of differences(expected, seen)) {
      const match = /^AWSMFA_S\d+_(\d+):/.exec(text)
      mismatches.push({ index: match?.[1] === undefined ? undefined : base + start + Number(match[1]), text })
    }
  })
  const canary = existsSync(join(cwd, 'CANARY')) || existsSync(join(home, 'CANARY')) || existsSync(join(work, 'CANARY'))
  rmSync(cwd, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
  const error = r.timedOut || r.exitCode === undefined ? new Error(r.shortMessage) : undefined
  return { status: r.exitCode ?? null, stderr: r.stderr, error, canary, mismatches, missingReads }
}
