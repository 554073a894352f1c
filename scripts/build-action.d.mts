import type { BuildOptions } from 'esbuild';
export declare const ACTION_BUILD: BuildOptions;
export declare const ACTION_FILES: readonly string[];
