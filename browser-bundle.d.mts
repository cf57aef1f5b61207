import type { BuildOptions } from 'esbuild'

/** The esbuild options of dist/kandy-rx.js, the one minified IIFE defining the global `Kandy`. */
export declare const browserBundle: BuildOptions
