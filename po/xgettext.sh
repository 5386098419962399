#!/usr/bin/env bash
# po/xgettext.sh OUTPUT.pot: extracts every message wagecheck's C code raises or builds
# (errmsg, errdetail, errhint and their plurals, gettext_noop, _, wc_psprintf, and the
# plain-C parsers' details, wc_ident_detail).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck disable=SC2046
xgettext -o "$1" --from-code=UTF-8 --language=C --no-location --sort-output \
  --package-name=wagecheck --msgid-bugs-address=wagecheck \
  -k -kerrmsg -kerrdetail -kerrhint -kerrmsg_plural:1,2 -kerrdetail_plural:1,2 \
  -kgettext_noop -k_ -kwc_psprintf -kwc_ident_detail:2 \
  --flag=errmsg:1:c-format --flag=errdetail:1:c-format --flag=errhint:1:c-format \
  --flag=errmsg_plural:1:c-format --flag=errmsg_plural:2:c-format --flag=wc_psprintf:1:c-format --flag=wc_ident_detail:2:c-format \
  $(find src -name '*.c' | sort)
