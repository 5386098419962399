/*
 * interchange.h — XML interchange: bank statements in, payroll orders out (libxml2).
 * The plain-C reading lives in core/xmlio.c; this folder is its PostgreSQL glue.
 */
#ifndef WC_INTERCHANGE_H
#define WC_INTERCHANGE_H

#include "postgres.h"

#include "utils/xml.h"

extern char *wc_xml_schema_dir;
extern int	wc_xml_max_mb;

/* Registers the GUCs of the area (wagecheck.xml_schema_dir, wagecheck.xml_max_size). */
extern void wc_interchange_init(void);

/* A document's bytes as UTF-8 (palloc'd or in place), after the size limit. */
extern const char *wc_xml_utf8(text *doc, size_t *len);

/*
 * Starts libxml2 use: pg_xml_init and wagecheck's entity loader, which refuses every
 * external entity. Pair with pg_xml_done(cxt, isError) on every path.
 */
extern PgXmlErrorContext *wc_xml_begin(void);

/* The parsed schema named name (a file name.xsd of the schema directory), cached per backend. */
extern void *wc_xml_schema(const char *name);

#endif							/* WC_INTERCHANGE_H */
