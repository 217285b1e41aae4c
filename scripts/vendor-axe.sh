#!/usr/bin/env bash
# Vendors axe-core (Deque's accessibility rules engine, MPL-2.0) into tests/e2e/vendor, so that
# the browser tests inject it from the repository: nothing is downloaded when tests run, no CDN.
# Run it again to upgrade: change VERSION and INTEGRITY (from
# `npm view axe-core@X dist.integrity`), then commit the files it writes and update
# tests/e2e/vendor/README.md. Needs npm and network access; CI and `make test` never run it.
set -euo pipefail

VERSION="4.14.1"
INTEGRITY="sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARGET="$ROOT/tests/e2e/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "axe-core@$VERSION" >/dev/null
TARBALL="axe-core-$VERSION.tgz"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [ "$ACTUAL" != "$INTEGRITY" ]; then
    echo "axe-core $VERSION: integrity mismatch ($ACTUAL)" >&2
    exit 1
fi
tar xzf "$TARBALL"

mkdir -p "$TARGET"
cp package/axe.min.js "$TARGET/axe.min.js"
cp package/LICENSE "$TARGET/axe.LICENSE.txt"
echo "$VERSION" > "$TARGET/axe.VERSION"
echo "axe-core $VERSION vendored into ${TARGET#"$ROOT"/} (update its README.md)"
