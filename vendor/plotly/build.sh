#!/usr/bin/env bash
# Build the dashboard's plotly.js custom bundle (entry.js) into assets/lazy/, named by the
# plotly.js version and a hash of its content (browsers may cache it for a year), and point
# assets/dashboard.js at it. Needs node and npm; run from anywhere:  vendor/plotly/build.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
npm ci --no-audit --no-fund --silent
version="$(node -p "require('plotly.js/package.json').version")"
traces="$(grep -o "lib/[a-z0-9]*'" entry.js | grep -v core | sed "s|lib/||; s|'||" | paste -sd, -)"
tmp="$(mktemp)"
# As plotly.js's own esbuild-config.js, minus the WebGL plugins (no gl trace here); the only
# CSS plotly.js imports is maplibre's, for map traces, which this bundle does not have.
npx esbuild entry.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
    --define:global=window --define:define.amd=false --alias:stream=stream-browserify \
    --loader:.css=empty --legal-comments=none --log-level=warning \
    --banner:js="/*! plotly.js v$version custom bundle (scatter,$traces) | MIT License, Copyright (c) Plotly Technologies Inc. | https://github.com/plotly/plotly.js */" \
    --outfile="$tmp"
hash="$(sha256sum "$tmp" | cut -c1-10)"
name="plotly-$version-$hash.min.js"
rm -f "$root"/assets/lazy/plotly-*.min.js
mkdir -p "$root/assets/lazy"
mv "$tmp" "$root/assets/lazy/$name"
chmod 644 "$root/assets/lazy/$name"
cp node_modules/plotly.js/LICENSE "$root/assets/lazy/plotly.js-LICENSE.txt"
sed -i -E "s|lazy/plotly-[^\"]*\.min\.js|lazy/$name|" "$root/assets/dashboard.js"
echo "assets/lazy/$name: $(wc -c < "$root/assets/lazy/$name") bytes, $(gzip -9c "$root/assets/lazy/$name" | wc -c) gzipped"
