#!/usr/bin/env bash
# Vendors @gouvfr/dsfr-chart (the State's chart web components, MIT) into jalon/static, so that
# pages load it from our own origin (no CDN; the CSP allows only 'self' scripts). Run it again
# to upgrade: change VERSION and INTEGRITY (from `npm view @gouvfr/dsfr-chart@X dist.integrity`),
# then commit the files it writes. Needs npm and network access; pages never do.
set -euo pipefail

VERSION="2.0.4"
INTEGRITY="sha512-/JoW6R7ystExxvuLvHacR0ZWcL1PpDkUyG/niF8jgqRaksWgb31EpJGQjmgaHR29nrANdyvoRb1DEQAL00XZ1A=="
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT/jalon/static/jalon/vendor/dsfr-chart"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@gouvfr/dsfr-chart@$VERSION" >/dev/null
TARBALL="gouvfr-dsfr-chart-$VERSION.tgz"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "dsfr-chart $VERSION: integrity mismatch ($ACTUAL)" >&2
    exit 1
fi
tar xzf "$TARBALL"

mkdir -p "$TARGET"
# The whole library (one copy of the Vue runtime for every chart kind), ES module build.
cp package/dist/DSFRChart/DSFRChart.js package/dist/DSFRChart/DSFRChart.css "$TARGET/"
cp package/LICENSE "$TARGET/LICENSE"
echo "$VERSION" > "$TARGET/VERSION"
echo "dsfr-chart $VERSION vendored into ${TARGET#"$ROOT"/}"
