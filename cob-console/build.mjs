// Builds the console into OUTDIR (default: dist): OUTDIR/index.html, which names the bundles,
// and OUTDIR/assets/*-HASH.{js,css}, whose names change whenever their content does, so that the
// node may let browsers keep them for a year. Usage: node build.mjs [--outdir DIR] [--watch]
import * as esbuild from 'esbuild';
import { mkdir, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import path from 'node:path';

const args = process.argv.slice(2);
const outdir = path.resolve(valueOf('--outdir') ?? 'dist');
const watch = args.includes('--watch');

function valueOf(flag) {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Writes index.html naming the hashed bundles the build just produced. */
const writeIndex = {
  name: 'cob-index-html',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      const outputs = Object.keys(result.metafile.outputs).map((f) => path.basename(f));
      const js = outputs.find((f) => /^main-.*\.js$/.test(f));
      const css = outputs.find((f) => /^main-.*\.css$/.test(f));
      if (!js || !css) throw new Error(`build produced no main bundle: ${outputs.join(', ')}`);
      const template = await readFile('src/index.html', 'utf8');
      const html = template
        .replace('%STYLE%', `assets/${css}`)
        .replace('%SCRIPT%', `assets/${js}`);
      await writeFile(path.join(outdir, 'index.html'), html);
      await copyFile('src/favicon.svg', path.join(outdir, 'favicon.svg'));
      // The node serves exactly the files listed here.
      const files = ['index.html', 'favicon.svg', ...outputs.map((f) => `assets/${f}`)];
      await writeFile(path.join(outdir, 'assets.txt'), `${files.join('\n')}\n`);
      console.log(`cob-console: built ${js} and ${css} into ${outdir}`);
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(path.join(outdir, 'assets'), { recursive: true });

const options = {
  entryPoints: ['src/main.js'],
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: !watch,
  legalComments: 'linked',
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  outdir: path.join(outdir, 'assets'),
  metafile: true,
  logLevel: 'warning',
  plugins: [writeIndex],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log('cob-console: watching src/ (Ctrl-C to stop)');
} else {
  await esbuild.build(options);
}
