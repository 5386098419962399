#!/usr/bin/env bash
# po/xgettext.sh OUTPUT.pot: extracts every message wagecheck raises or builds: of the C
# code (errmsg, errdetail, errhint and their plurals, gettext_noop, _, wc_psprintf, and the
# plain-C parsers' details, wc_ident_detail), and of the PL/pgSQL code in src/ (the
# texts given to wagecheck._msg, which RAISE uses for MESSAGE, DETAIL and HINT).
# Fails, naming the place, on a user-visible RAISE (NOTICE and above) whose text does not
# go through wagecheck._msg, or a wagecheck._msg whose format is no string literal: their
# messages could not be translated. src/released/ is frozen and not read.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=$1
# shellcheck disable=SC2046
xgettext -o "$out.c.pot" --from-code=UTF-8 --language=C --no-location --sort-output \
  --package-name=wagecheck --msgid-bugs-address=wagecheck \
  -k -kerrmsg -kerrdetail -kerrhint -kerrmsg_plural:1,2 -kerrdetail_plural:1,2 \
  -kgettext_noop -k_ -kwc_psprintf -kwc_ident_detail:2 \
  --flag=errmsg:1:c-format --flag=errdetail:1:c-format --flag=errhint:1:c-format \
  --flag=errmsg_plural:1:c-format --flag=errmsg_plural:2:c-format --flag=wc_psprintf:1:c-format --flag=wc_ident_detail:2:c-format \
  $(find src -name '*.c' | sort)
# shellcheck disable=SC2046
perl -e '
use strict; use warnings;
my (%ids, @bad);
for my $f (@ARGV) {
    open(my $fh, "<:raw", $f) or die "$f: $!";
    local $/; my $src = <$fh>; close $fh;
    # blank out comments (keeping line numbers), leaving string literals and dollar quotes alone
    $src =~ s{(\x27(?:[^\x27]|\x27\x27)*\x27)|(--[^\n]*)}{ defined $1 ? $1 : " " x length($2) }ge;
    my $line = sub { 1 + (substr($src, 0, $_[0]) =~ tr/\n// ) };
    while ($src =~ /(?<!FUNCTION )wagecheck\._msg\(\s*/g) {
        my $at = pos($src);
        if ($src =~ /\G\x27((?:[^\x27]|\x27\x27)*)\x27/gc) {
            (my $id = $1) =~ s/\x27\x27/\x27/g;
            $ids{$id} = 1;
        } else {
            push @bad, "$f:" . $line->($at) . ": wagecheck._msg without a literal format";
        }
    }
    # each RAISE of NOTICE and above, up to its semicolon (outside literals)
    while ($src =~ /\bRAISE\s+(EXCEPTION|WARNING|NOTICE|INFO)?\b((?:\x27(?:[^\x27]|\x27\x27)*\x27|[^;\x27])*);/gi) {
        my ($level, $body, $at) = ($1 // "EXCEPTION", $2, $-[0]);
        my $where = "$f:" . $line->($at);
        if ($body =~ /^\s*\x27/) { push @bad, "$where: RAISE $level with a literal text: use USING MESSAGE = wagecheck._msg(...)"; next; }
        while ($body =~ /\b(MESSAGE|DETAIL|HINT)\s*=\s*/gi) {
            my $opt = uc $1;
            next if $body =~ /\Gwagecheck\._msg\(/gc;
            if ($body =~ /\GCASE\b((?:\x27(?:[^\x27]|\x27\x27)*\x27|[^\x27])*?)\bEND\b/gci) {
                my $case = $1;
                my @v = $case =~ /\b(?:THEN|ELSE)\s+(\S+)/gi;
                next unless grep { !/^(?:wagecheck\._msg\(|NULL\b)/i } @v;
            }
            push @bad, "$where: RAISE $level: $opt is not wagecheck._msg(...)";
        }
    }
}
if (@bad) { print STDERR "$_\n" for @bad; exit 1; }
print "msgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n";
for my $id (sort keys %ids) {
    (my $q = $id) =~ s/([\\"])/\\$1/g; $q =~ s/\n/\\n/g; $q =~ s/\t/\\t/g;
    print "\n", ($id =~ /%/ ? "#, c-format\n" : ""), "msgid \"$q\"\nmsgstr \"\"\n";
}
' $(find src -name '*.sql' ! -path 'src/released/*' | sort) > "$out.sql.pot"
msgcat --use-first --sort-output -o "$out" "$out.c.pot" "$out.sql.pot"
rm -f "$out.c.pot" "$out.sql.pot"
