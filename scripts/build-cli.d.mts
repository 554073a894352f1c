import type { BuildOptions } from 'esbuild';
export declare const CLI_BUILD: BuildOptions;
export declare const CLI_ENTRIES: readonly string[];
