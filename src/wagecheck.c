/*
 * wagecheck.c — module entry: PG_MODULE_MAGIC, GUC registration, version.
 *
 * Each domain area lives in its own folder of src/ (ident, calendar, enforce,
 * alerts, cases, ...); plain-C cores without postgres.h live in src/core/.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"

#include "alerts/alerts.h"
#include "calendar/calendar.h"
#include "compat.h"
#include "indicators/indicators.h"
#include "wagecheck.h"
#include "enforce/enforce.h"
#include "nls.h"
#include "core/ident.h"
#include "core/msgfmt.h"

PG_MODULE_MAGIC;

/* A text in wagecheck's catalogue, for the plain-C parsers' details (core/ident.h). */
static const char *
wc_translate(const char *fmt)
{
	return _(fmt);
}

void		_PG_init(void);

/* Registers wagecheck's GUCs and per-area hooks when the library loads. */
void
_PG_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	wc_ident_translate = wc_translate;
	wc_enforce_guc_init();
	wc_alerts_init();
	MarkGUCPrefixReserved("wagecheck");
	wc_calendar_init();
	wc_indicators_init();
}

PG_FUNCTION_INFO_V1(wagecheck_version);
/* Version of the loaded shared library, to compare with the installed SQL. */
Datum
wagecheck_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(WAGECHECK_VERSION));
}

/* psprintf() of the translation of fmt in wagecheck's catalogue (see nls.h). */
char *
wc_psprintf(const char *fmt,...)
{
	const char *translated = _(fmt);
	StringInfoData buf;

	initStringInfo(&buf);
	for (;;)
	{
		va_list		args;
		int			needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&buf, translated, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&buf, needed);
	}
	return buf.data;
}

PG_FUNCTION_INFO_V1(wagecheck_msg);
/*
 * wagecheck._msg(fmt, VARIADIC args): a message of the PL/pgSQL code in the session's
 * language. fmt, the English text, is looked up in wagecheck's catalogue (lc_messages),
 * then each %s or %N$s is replaced by its argument's text, as format() does (a NULL
 * argument is empty; %% is a percent sign). A NULL fmt gives NULL. A format that does
 * not fit its arguments is an error (22023), and a translation that does not fit them
 * falls back to the English text.
 */
Datum
wagecheck_msg(PG_FUNCTION_ARGS)
{
	char	   *fmt;
	const char *translated;
	Datum	   *values;
	Oid		   *types;
	bool	   *nulls;
	const char **strs;
	int			nargs,
				i;
	size_t		len;
	char	   *out;
	WcMsgfmtStatus status;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	fmt = text_to_cstring(PG_GETARG_TEXT_PP(0));
	nargs = PG_NARGS() > 1 ? extract_variadic_args(fcinfo, 1, true, &values, &types, &nulls) : 0;
	if (nargs < 0)				/* VARIADIC NULL: no arguments */
		nargs = 0;
	strs = palloc0(sizeof(char *) * (nargs > 0 ? nargs : 1));
	for (i = 0; i < nargs; i++)
	{
		Oid			outfunc;
		bool		varlena;

		if (nulls[i])
			continue;
		if (!OidIsValid(types[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INDETERMINATE_DATATYPE),
					 errmsg("could not determine the type of argument %d of wagecheck._msg", i + 2),
					 errhint("Cast the argument to a type.")));
		getTypeOutputInfo(types[i], &outfunc, &varlena);
		strs[i] = OidOutputFunctionCall(outfunc, values[i]);
	}
	/* dgettext("") would give the catalogue's header */
	translated = fmt[0] ? _(fmt) : fmt;
	status = wc_msgfmt(translated, nargs, strs, NULL, 0, &len);
	if (status != WC_MSGFMT_OK && translated != fmt)
	{
		translated = fmt;
		status = wc_msgfmt(translated, nargs, strs, NULL, 0, &len);
	}
	if (status == WC_MSGFMT_OK && len >= MaxAllocSize - VARHDRSZ)
		status = WC_MSGFMT_TOO_LONG;
	if (status != WC_MSGFMT_OK)
		ereport(ERROR,
				(errcode(status == WC_MSGFMT_TOO_LONG ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
						 : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid message format \"%s\" for %d arguments", fmt, nargs),
				 errdetail("%s", status == WC_MSGFMT_BAD_DIRECTIVE
						   ? _("A percent sign starts a directive: s (the next argument), N$s (argument N) or a second percent sign.")
						   : status == WC_MSGFMT_NO_ARGUMENT
						   ? _("A directive refers past the last argument.")
						   : _("The message would be too long.")),
				 errhint("Give as many arguments as the format's directives use.")));
	out = palloc(len + 1);
	(void) wc_msgfmt(translated, nargs, strs, out, len + 1, &len);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, len));
}
