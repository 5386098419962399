#!/usr/bin/env bash
# html.sh [OUTDIR]: builds the reference manual (contrib-docs/wagecheck.sgml) into UTF-8 HTML
# with Debian's docbook-xsl (contrib-docs/html.xsl), one page per section (default tmp/html/).
# Any message of xsltproc is a warning and fails the build.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tmp/html}
rm -rf "$out"; mkdir -p "$out"
log=$(mktemp)
if ! xsltproc --nonet --stringparam base.dir "$out/" "$top/contrib-docs/html.xsl" \
     "$top/contrib-docs/wagecheck.sgml" 2>"$log" || [ -s "$log" ]; then
  cat "$log"; rm -f "$log"; echo "html: the manual did not build cleanly" >&2; exit 1
fi
rm -f "$log"
echo "$out/index.html ($(ls "$out"/*.html | wc -l) pages)"
