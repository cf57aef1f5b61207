// The esbuild options of dist/kandy-rx.js, the one minified IIFE defining the global `Kandy`:
// build.mjs writes it, bench/size/measure.ts weighs the same bundle's modules.
export const browserBundle = {
  entryPoints: ['lib/index.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'Kandy',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  // rxjs's ES2015 build: the target is ES2020, so its ES5 build would only add tslib's helpers.
  conditions: ['es2015'],
  // webrtc-adapter's browser detection from its ES module source (the package's `module` build):
  // its CommonJS dist/utils.js keeps every helper of the file, where only detectBrowser is used.
  alias: { 'webrtc-adapter/dist/utils.js': 'webrtc-adapter/src/js/utils.js' },
}
