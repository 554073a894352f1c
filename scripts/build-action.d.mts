import type { BuildOptions } from 'esbuild';
export declare const ACTION_BUILD: BuildOptions;
