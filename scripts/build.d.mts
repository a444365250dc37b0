// Types for scripts/build.mjs, so the typed bench (bench/chunks.ts) can reuse its esbuild options.
import type { BuildOptions, BuildResult } from 'esbuild'

export declare const options: BuildOptions
export declare function needsRequire(text: string): boolean
export declare function buildDist(overrides?: BuildOptions): Promise<BuildResult>
