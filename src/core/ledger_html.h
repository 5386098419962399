/*
 * ledger_html.h — a wagecheck ledger (namespace urn:wagecheck:ledger:1, schema
 * wagecheck.ledger.1) as printable HTML, built with libxml2's HTML tree and serialiser.
 * No PostgreSQL header.
 */
#ifndef WC_CORE_LEDGER_HTML_H
#define WC_CORE_LEDGER_HTML_H

#include <stddef.h>

#define WC_LEDGER_NS "urn:wagecheck:ledger:1"

/*
 * Renders the ledger in buf (UTF-8, len bytes, already validated or not: anything not a
 * ledger is refused) as an HTML page: the title, the unit, the as-of time and the scope,
 * one table with a header repeated on each printed page, the count and the lines for
 * signatures and the seal. Returns the page (malloc'd, *outlen bytes, NUL-terminated) or
 * NULL with msg set.
 */
extern char *wc_ledger_html(const char *buf, size_t len, size_t *outlen, char *msg, size_t msgsize);

#endif							/* WC_CORE_LEDGER_HTML_H */
