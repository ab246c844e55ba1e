/**
 * Imports run one way: db ← platform ← modules ← ingest ← app (app.ts, main.ts, serve.ts, the
 * table index, seed/ and tools/). A file may import its own layer and the layers before it, never
 * one after it. Tests sit above everything and are not checked.
 */
const layers = [
  { name: 'db', path: '^src/db/' },
  { name: 'platform', path: '^src/platform/' },
  { name: 'modules', path: '^src/modules/' },
  { name: 'ingest', path: '^src/ingest/' },
];
const app = '^src/(app|main|serve|config|tables)\\.ts$|^src/(seed|tools)/';

module.exports = {
  forbidden: layers.map((layer, i) => ({
    name: `${layer.name}-imports-upward`,
    severity: 'error',
    comment: `${layer.name} may import only ${layers
      .slice(0, i + 1)
      .map((l) => l.name)
      .join(', ')} (imports run db ← platform ← modules ← ingest ← app)`,
    from: { path: layer.path, pathNot: '\\.test\\.ts$' },
    to: { path: [...layers.slice(i + 1).map((l) => l.path), app] },
  })),
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
