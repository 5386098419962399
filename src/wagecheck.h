/*
 * wagecheck.h — declarations shared by the PostgreSQL glue of every area.
 */
#ifndef WAGECHECK_H
#define WAGECHECK_H

/* the Makefile passes default_version of wagecheck.control */
#ifndef WAGECHECK_VERSION
#error "WAGECHECK_VERSION is defined by the Makefile"
#endif

#endif							/* WAGECHECK_H */
