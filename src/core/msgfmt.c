/*
 * msgfmt.c — expands the message formats of wagecheck's PL/pgSQL code (see msgfmt.h).
 */
#include "core/msgfmt.h"

#include <stdint.h>
#include <string.h>

/* Appends n bytes of s at *pos, within cap; counts them in *pos even beyond it. */
static int
put(char *out, size_t cap, size_t *pos, const char *s, size_t n)
{
	if (n > SIZE_MAX - 1 - *pos)
		return 0;
	if (cap > 0 && *pos < cap - 1)
	{
		size_t		room = cap - 1 - *pos;

		memcpy(out + *pos, s, n < room ? n : room);
	}
	*pos += n;
	return 1;
}

WcMsgfmtStatus
wc_msgfmt(const char *fmt, int nargs, const char *const *args,
		  char *out, size_t cap, size_t *len)
{
	size_t		pos = 0;
	int			next = 0;		/* the argument a plain %s takes (0-based) */
	WcMsgfmtStatus status = WC_MSGFMT_OK;
	const char *p = fmt;

	if (nargs < 0)
		nargs = 0;
	while (*p && status == WC_MSGFMT_OK)
	{
		const char *pct = strchr(p, '%');
		size_t		n = pct ? (size_t) (pct - p) : strlen(p);
		int			argno;

		if (!put(out, cap, &pos, p, n))
		{
			status = WC_MSGFMT_TOO_LONG;
			break;
		}
		if (!pct)
			break;
		p = pct + 1;
		if (*p == '%')
		{
			if (!put(out, cap, &pos, "%", 1))
				status = WC_MSGFMT_TOO_LONG;
			p++;
			continue;
		}
		if (*p == 's')
		{
			argno = next;
			p++;
		}
		else if (*p >= '1' && *p <= '9')
		{
			long		k = 0;

			while (*p >= '0' && *p <= '9')
			{
				k = k * 10 + (*p - '0');
				if (k > nargs)
					break;
				p++;
			}
			if (k > nargs)
			{
				status = WC_MSGFMT_NO_ARGUMENT;
				break;
			}
			if (p[0] != '$' || p[1] != 's')
			{
				status = WC_MSGFMT_BAD_DIRECTIVE;
				break;
			}
			p += 2;
			argno = (int) k - 1;
		}
		else
		{
			status = WC_MSGFMT_BAD_DIRECTIVE;
			break;
		}
		if (argno >= nargs)
		{
			status = WC_MSGFMT_NO_ARGUMENT;
			break;
		}
		next = argno + 1;
		if (args[argno] && !put(out, cap, &pos, args[argno], strlen(args[argno])))
			status = WC_MSGFMT_TOO_LONG;
	}
	if (cap > 0)
		out[pos < cap - 1 ? pos : cap - 1] = '\0';
	*len = pos;
	return status;
}
