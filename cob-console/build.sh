#!/bin/sh
# Bundles the web console into $1 (the jar's META-INF/resources/cob-console).
# With node and npm: exactly the versions of package-lock.json from the npm registry, bundled by
# esbuild. Without them, a plain page that says so: cob itself (`./cob demo`, the REST API) must
# build on a machine with only a JDK and Maven. Under CI=true a missing npm is an error, so that
# the console is always built and tested there.
set -eu
out="$1"
cd "$(dirname "$0")"
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --prefer-offline --ignore-scripts
  npm run build -- --outdir "$out"
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "cob-console: node (18 or newer) and npm are needed on the PATH to bundle the web console (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
echo "cob-console: WARNING node/npm not found: the web console is not bundled; the node serves a page saying so (install node 18+ and npm, then rebuild)" >&2
mkdir -p "$out"
cat > "$out/index.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cob</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>cob</h1>
<p>The web console was not built: node and npm were not on the PATH when this cob was built.
Install node 18 or newer and npm, then build again (<code>./cob</code> rebuilds by itself).</p>
<p>The REST API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
HTML
printf 'index.html\n' > "$out/assets.txt"
