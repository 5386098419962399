# wagecheck — PGXS build. `make test` and `make demo` are the two entry points.
EXTENSION  = wagecheck
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" wagecheck.control)

# src/core/ is plain C without postgres.h (unit-tested and fuzzed alone);
# every other folder of src/ is the PostgreSQL glue of one domain area.
MODULE_big = wagecheck
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c)))

# The SQL of each area is of two kinds (README, "Layout and documentation"):
#   src/<area>/once/*.sql  objects created once, by CREATE EXTENSION: types, tables, indexes,
#                          constraints, shipped data; a later change of them is written in
#                          src/updates/;
#   src/<area>/*.sql       definitions that can run again: CREATE OR REPLACE FUNCTION, VIEW,
#                          AGGREGATE and TRIGGER, COMMENT, GRANT/REVOKE, policies (dropped if
#                          they exist, then created);
#   src/<area>/rules/*.sql one catalogue rule each: its functions, then its row (written by
#                          wagecheck._rule_define), run again like the definitions, after them.
# The install script is src/wagecheck.sql, then area by area (in dependency order) its files
# of both kinds in the order of their names (once/NN_x.sql before NN_x.sql), then its rules,
# and last the functions' EXECUTE privileges (src/privileges.sql, a definition too). An
# upgrade script from release P is generated the same way: the hand-written delta
# src/updates/P--$(EXTVERSION).sql (what CREATE OR REPLACE cannot do), every definition
# again, then src/updates/P--$(EXTVERSION).post.sql if there is one (what needs the new
# functions: data, constraints that call them), then src/privileges.sql. No function is
# written twice.
SQL_AREAS = ident calendar schema enforce attach access alerts indicators cases values
area_parts = $(foreach n,$(sort $(notdir $(wildcard src/$(1)/once/*.sql src/$(1)/*.sql))),\
               $(wildcard src/$(1)/once/$(n) src/$(1)/$(n))) $(sort $(wildcard src/$(1)/rules/*.sql))
SQL_DEFS  = src/wagecheck.sql $(foreach a,$(SQL_AREAS),$(sort $(wildcard src/$(a)/*.sql)) \
            $(sort $(wildcard src/$(a)/rules/*.sql)))
SQL_PARTS = src/wagecheck.sql $(foreach a,$(SQL_AREAS),$(call area_parts,$(a))) src/privileges.sql
SQL_ONCE  = $(foreach a,$(SQL_AREAS),$(wildcard src/$(a)/once/*.sql))
UPDATES   = $(wildcard src/updates/*--$(EXTVERSION).sql)
DATA_built = build/$(EXTENSION)--$(EXTVERSION).sql \
             $(patsubst src/updates/%.sql,build/$(EXTENSION)--%.sql,$(UPDATES))
# Released scripts (install and upgrade) are frozen in src/released/ and never edited.
DATA = $(wildcard src/released/$(EXTENSION)--*.sql)

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
DEP_CFLAGS := $(shell pkg-config --cflags icu-uc icu-i18n libxml-2.0 2>/dev/null)
DEP_LIBS   := $(shell pkg-config --libs icu-uc icu-i18n libxml-2.0 2>/dev/null)
PG_CPPFLAGS = -Isrc $(DEP_CFLAGS) -DWAGECHECK_VERSION='"$(EXTVERSION)"'
PG_CFLAGS   = -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
              -Wno-missing-field-initializers -Wno-sign-compare
SHLIB_LINK  = $(DEP_LIBS)

EXTRA_CLEAN = build $(OBJS:.o=.o.d) $(OBJS:.o=.bc.d)

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
# Debian's PGXS tracks no header dependencies: each compile also writes the list of
# headers it read (foo.o.d, foo.bc.d), included here, so a changed header rebuilds its users.
%.o: %.c
	$(COMPILE.c) -MMD -MP -MF $@.d -o $@ $<
%.bc: %.c
	$(COMPILE.c.bc) -MMD -MP -MF $@.d -o $@ $<
-include $(wildcard $(OBJS:.o=.o.d) $(OBJS:.o=.bc.d))
else
# On a fresh machine the server headers come with `make deps` (run by test and demo).
all install installcheck:
	@echo "PostgreSQL 15 server headers not found: run 'make deps' (as root)"; exit 1
endif

src/wagecheck.o: wagecheck.control

# Messages in other languages: po/<lang>.po compiled into build/po/<lang>.mo and installed
# where the server looks for the text domain wagecheck-15 (bound in _PG_init).
PO_LANGS  = $(basename $(notdir $(wildcard po/*.po)))
MO_FILES  = $(PO_LANGS:%=build/po/%.mo)
LOCALEDIR := $(shell $(PG_CONFIG) --localedir 2>/dev/null)
all: $(MO_FILES)
build/po/%.mo: po/%.po
	@mkdir -p build/po
	msgfmt -c -o $@ $<
install: install-po
install-po: $(MO_FILES)
	@for l in $(PO_LANGS); do \
	  $(MKDIR_P) '$(DESTDIR)$(LOCALEDIR)/'$$l/LC_MESSAGES && \
	  $(INSTALL_DATA) build/po/$$l.mo '$(DESTDIR)$(LOCALEDIR)/'$$l/LC_MESSAGES/$(EXTENSION)-$(MAJORVERSION).mo || exit 1; \
	done
uninstall: uninstall-po
uninstall-po:
	rm -f $(foreach l,$(PO_LANGS),'$(DESTDIR)$(LOCALEDIR)/$(l)/LC_MESSAGES/$(EXTENSION)-$(MAJORVERSION).mo')

build/$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) wagecheck.control Makefile
	@mkdir -p build
	( printf '%s\n' '-- wagecheck $(EXTVERSION): generated from src/*/*.sql by make; do not edit' \
	    '\echo Use "CREATE EXTENSION wagecheck" to load this file. \quit'; \
	  for f in $(SQL_PARTS); do printf '\n-- ==== %s\n' "$$f"; cat "$$f"; done ) > $@

# EXPAND_IR FILE: FILE with each line `\ir PATH` replaced by that file (a missing or empty one fails).
EXPAND_IR = awk '/^\\ir /{ f = "src/updates/" $$2; n = 0; \
	  while ((r = (getline l < f)) > 0) { print l; n++ } \
	  if (r < 0 || n == 0) { print "cannot include " f > "/dev/stderr"; exit 1 } close(f); next } { print }'

# An upgrade script: the delta (a line `\ir FILE` in it, or in the .post.sql part, stands for
# that file, relative to src/updates/, as in psql), every definition, the .post.sql part, and
# last, as in the install script, the functions' privileges (src/privileges.sql).
build/$(EXTENSION)--%--$(EXTVERSION).sql: src/updates/%--$(EXTVERSION).sql $(SQL_DEFS) $(SQL_ONCE) src/privileges.sql \
		$(wildcard src/updates/*.post.sql) wagecheck.control Makefile
	@mkdir -p build
	printf '%s\n' '-- wagecheck $*--$(EXTVERSION): generated from src/updates/ and src/*/*.sql by make; do not edit' \
	    '\echo Use "ALTER EXTENSION wagecheck UPDATE TO '"'"'$(EXTVERSION)'"'"'" to load this file. \quit' \
	    '' '-- ==== $<' > $@.tmp
	$(EXPAND_IR) "$<" >> $@.tmp
	for f in $(SQL_DEFS); do printf '\n-- ==== %s\n' "$$f"; cat "$$f"; done >> $@.tmp
	post=src/updates/$*--$(EXTVERSION).post.sql; \
	  if [ -f "$$post" ]; then printf '\n-- ==== %s\n' "$$post" && $(EXPAND_IR) "$$post"; fi >> $@.tmp
	printf '\n-- ==== %s\n' src/privileges.sql >> $@.tmp
	cat src/privileges.sql >> $@.tmp
	mv $@.tmp $@

.PHONY: deps test demo start stop unit fuzz sqlsmith bench check-valgrind docs html install-po uninstall-po

# deps: installs any missing Debian build dependency (as root).
deps:
	@bash test/tools/deps.sh

# test: everything — unit tests, fuzz run, pg_regress, isolation — on a throwaway cluster.
test: deps
	@bash test/run.sh

# demo: builds, installs into tmp/, starts a throwaway cluster and runs the guided tour.
demo: deps
	@bash test/demo/run.sh

# start: builds, installs and starts this checkout's cluster and prints how to connect.
start: deps
	@mkdir -p tmp && $(MAKE) -s -j2 all >tmp/build.log 2>&1 || { cat tmp/build.log; exit 1; }
	@bash test/tools/cluster.sh install && bash test/tools/cluster.sh start
	@echo "cluster running; connect with:  bash test/tools/cluster.sh psql wagecheck_demo   (or: wagecheck_tour, postgres)"
	@eval "$$(bash test/tools/cluster.sh env)" && echo "                    or:  $$WC_BINDIR/psql -h $$PGHOST -p $$PGPORT -U postgres wagecheck_demo"

# stop: stops this checkout's cluster (its databases stay for the next start).
stop:
	@bash test/tools/cluster.sh stop && echo "cluster stopped"

# unit / fuzz / sqlsmith: parts of `make test`; check-valgrind (slow): unit tests and pg_regress under valgrind.
unit fuzz sqlsmith check-valgrind: deps
	@bash test/run.sh $@

bench: deps
	@bash test/bench/run.sh

# docs: regenerates contrib-docs/objects.sgml (the manual's object index) from the objects' COMMENTs.
docs: deps
	@bash test/run.sh docs >/dev/null || true
	@cp tmp/objects.sgml contrib-docs/objects.sgml && echo "contrib-docs/objects.sgml updated"

# html: builds the reference manual into tmp/html/ (UTF-8, a contents page and one page per section).
html: deps
	@bash test/tools/html.sh
