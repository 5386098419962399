# wagecheck — PGXS build. `make test` and `make demo` are the two entry points.
EXTENSION  = wagecheck
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" wagecheck.control)

# src/core/ is plain C without postgres.h (unit-tested and fuzzed alone);
# every other folder of src/ is the PostgreSQL glue of one domain area.
MODULE_big = wagecheck
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c)))

# The install script is assembled from each area's SQL, in dependency order; the
# functions' EXECUTE privileges (src/privileges.sql) come last, over every function.
SQL_AREAS = ident calendar schema enforce attach access indicators alerts cases views values
SQL_PARTS = src/wagecheck.sql $(foreach a,$(SQL_AREAS),$(sort $(wildcard src/$(a)/*.sql))) src/privileges.sql
DATA_built = build/$(EXTENSION)--$(EXTVERSION).sql
# A released install script is frozen in src/released/ and never edited; later changes
# reach installed databases through the upgrade scripts in src/upgrade/ (test/upgrade.sh
# proves that an upgrade gives what a fresh install of the current version gives).
DATA = $(wildcard src/released/$(EXTENSION)--*.sql) $(wildcard src/upgrade/$(EXTENSION)--*--*.sql)

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

$(DATA_built): $(SQL_PARTS) wagecheck.control
	@mkdir -p build
	( printf '%s\n' '-- wagecheck $(EXTVERSION): generated from src/*/*.sql by make; do not edit' \
	    '\echo Use "CREATE EXTENSION wagecheck" to load this file. \quit'; \
	  for f in $(SQL_PARTS); do printf '\n-- ==== %s\n' "$$f"; cat "$$f"; done ) > $@

.PHONY: deps test demo unit fuzz sqlsmith bench check-valgrind docs

# deps: installs any missing Debian build dependency (as root).
deps:
	@bash test/tools/deps.sh

# test: everything — unit tests, fuzz run, pg_regress, isolation — on a throwaway cluster.
test: deps
	@bash test/run.sh

# demo: builds, installs into tmp/, starts a throwaway cluster and runs the guided tour.
demo: deps
	@bash test/demo/run.sh

# unit / fuzz / sqlsmith: parts of `make test`; check-valgrind (slow): unit tests and pg_regress under valgrind.
unit fuzz sqlsmith check-valgrind: deps
	@bash test/run.sh $@

bench: deps
	@bash test/bench/run.sh

# docs: regenerates contrib-docs/objects.sgml (the manual's object index) from the objects' COMMENTs.
docs: deps
	@bash test/run.sh docs >/dev/null || true
	@cp tmp/objects.sgml contrib-docs/objects.sgml && echo "contrib-docs/objects.sgml updated"
