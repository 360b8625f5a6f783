// Bundle GraphiQL and its CSS into the Python package (src/credgraph/api/static/explorer/).
// The output is committed, so `pip install credgraph` needs no Node; run `npm ci && npm run build`
// after changing src/ or package.json, and commit what it writes.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../src/credgraph/api/static/explorer/', import.meta.url));

await build({
  entryPoints: { explorer: 'src/explorer.jsx' },
  outdir: out,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  jsx: 'automatic',
  loader: { '.png': 'dataurl', '.svg': 'dataurl', '.woff2': 'dataurl', '.woff': 'dataurl', '.ttf': 'dataurl' },
  define: { 'process.env.NODE_ENV': '"production"' },
  // Licence texts of the bundled packages go to explorer.js.LEGAL.txt / explorer.css.LEGAL.txt.
  legalComments: 'external',
  logLevel: 'info',
});
