/*
 * nls.h — wagecheck's messages in the session's language (lc_messages).
 *
 * errmsg(), errdetail() and errhint() look their text up in wagecheck's own catalogue
 * (text domain "wagecheck-15", from po/; bound in _PG_init). Texts built before they
 * are raised go through _() or wc_psprintf(), which use the same catalogue. Every C
 * file that raises includes this header after the server's: elog.h defines TEXTDOMAIN
 * as NULL (the server's catalogue), so it is redefined here, as plpgsql.h does.
 * `make test` fails when a text has no translation or a file raises without it.
 */
#ifndef WC_NLS_H
#define WC_NLS_H

#include "postgres.h"

#undef TEXTDOMAIN
#define TEXTDOMAIN PG_TEXTDOMAIN("wagecheck")

#undef _
#define _(x) dgettext(TEXTDOMAIN, x)

/* psprintf() of the translation of fmt (the arguments must suit both). */
extern char *wc_psprintf(const char *fmt,...) pg_attribute_printf(1, 2);

#endif							/* WC_NLS_H */
