/*
 * msgfmt.h — the message formats of wagecheck's PL/pgSQL code, expanded with their
 * arguments' text after the format was looked up in the message catalogue.
 *
 * Plain C (no postgres.h). A format is text with three directives, as format() has:
 * %s takes the next argument, %N$s argument N (1-based; a later %s takes N+1), %%
 * is a percent sign. A translation may reorder its arguments with %N$s. Anything
 * else after % is refused, and so is a directive past the last argument; arguments
 * no directive uses are ignored.
 */
#ifndef WC_CORE_MSGFMT_H
#define WC_CORE_MSGFMT_H

#include <stddef.h>

typedef enum WcMsgfmtStatus
{
	WC_MSGFMT_OK = 0,
	WC_MSGFMT_BAD_DIRECTIVE,	/* % followed by anything but s, %, or N$s */
	WC_MSGFMT_NO_ARGUMENT,		/* a directive refers past the last argument */
	WC_MSGFMT_TOO_LONG			/* the result would not fit a size_t */
} WcMsgfmtStatus;

/*
 * Expands fmt with args[0..nargs-1] (a NULL argument is empty text) into out, which
 * holds cap bytes (out may be NULL when cap is 0): at most cap - 1 bytes and a
 * terminator are written. *len receives the length of the whole result (without its
 * terminator), so a first call with cap 0 sizes the buffer of a second one.
 */
extern WcMsgfmtStatus wc_msgfmt(const char *fmt, int nargs, const char *const *args,
								char *out, size_t cap, size_t *len);

#endif							/* WC_CORE_MSGFMT_H */
