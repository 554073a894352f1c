// Plugins for the specs in this directory and below (kubemin looks for the nearest
// kubemin.config.mjs, kubemin.config.js or .kubemin/config.yaml above each spec file).
// Entries are paths relative to this file, or npm package names.
export default {
  plugins: ['./ai-eval.plugin.mjs'],
};
