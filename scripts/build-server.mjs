// `npm start` runs the CLI from one prebuilt file: loading Recur's ~320 TypeScript modules through
// tsx's loader thread costs several seconds of CPU and tens of MB at every start, the bundle a
// fraction of that. Packages stay in node_modules, loaded by Node as they are. A bundle newer than
// every file it was built from is kept as it is.
import { spawnSync } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUTDIR = `${ROOT}dist/server`;
const OUTFILE = `${OUTDIR}/cli.js`;
const INPUTS = `${OUTDIR}/inputs.json`;

async function upToDate() {
  try {
    const built = (await stat(OUTFILE)).mtimeMs;
    const inputs = JSON.parse(await readFile(INPUTS, 'utf8'));
    for (const input of inputs) if ((await stat(`${ROOT}${input}`)).mtimeMs > built) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Every module finds its files (package.json, migrations, the web build) from its own
 * `import.meta.url`; in one bundle they would all share the bundle's, so each keeps its source's.
 */
const sourceLocations = {
  name: 'source-locations',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll(
        'import.meta.url',
        JSON.stringify(pathToFileURL(args.path).href),
      ),
      loader: 'ts',
    }));
  },
};

if (!(await upToDate())) {
  const { build } = await import('esbuild');
  await rm(OUTDIR, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: 'src/cli.ts', 'write-pglite-template': 'src/db/write-pglite-template.ts' },
    outdir: OUTDIR,
    // A module imported only when a setting asks for it (a broker, Redis, SMTP) stays a chunk of
    // its own, with its packages, loaded only then.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceLocations],
  });
  await writeFile(
    INPUTS,
    JSON.stringify([...Object.keys(result.metafile.inputs), 'package.json', 'scripts/build-server.mjs']),
  );
}

// A new embedded database is unpacked from a template made here once for these migrations, instead
// of running PGlite's initdb and every migration at its first start (src/db/pglite-template.ts).
const template = spawnSync(process.execPath, [`${OUTDIR}/write-pglite-template.js`], { stdio: 'inherit' });
if (template.status !== 0) process.exit(template.status ?? 1);
