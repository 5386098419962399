/*
 * ident_common.c — glue every identifier type shares: input in the server encoding
 * converted to UTF-8 for the core, core-style error reports (22P02 with the defect
 * in errdetail, soft on PostgreSQL 16+), canonical binary input, today's date.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "ident/ident_pg.h"
#include "nls.h"

/*
 * Normalises input given in the server encoding. UTF-8 and pure ASCII go straight to
 * the core; other encodings are converted without raising, so is_valid_* never does.
 */
wc_ident_status
wc_ident_compact_server(const char *str, size_t len, wc_compact *c, char *detail)
{
	int			enc = GetDatabaseEncoding();
	Oid			proc;
	unsigned char *utf8;
	size_t		i;
	int			converted;
	wc_ident_status st;

	if (enc == PG_UTF8 || enc == PG_SQL_ASCII)
		return wc_ident_compact(str, len, c, detail);
	for (i = 0; i < len && !IS_HIGHBIT_SET(str[i]); i++)
		;
	if (i == len)
		return wc_ident_compact(str, len, c, detail);
	if (len > WC_IDENT_INPUT_MAX)
	{
		wc_ident_detail(detail, "The value is too long (%zu bytes).", len);
		return WC_IDENT_INVALID;
	}
	proc = FindDefaultConversionProc(enc, PG_UTF8);
	if (!OidIsValid(proc))
	{
		wc_ident_detail(detail, "The value cannot be converted to UTF-8 for normalisation.");
		return WC_IDENT_INVALID;
	}
	utf8 = palloc(len * MAX_CONVERSION_GROWTH + 1);
	converted = pg_do_encoding_conversion_buf(proc, enc, PG_UTF8,
											  (unsigned char *) str, (int) len,
											  utf8, (int) (len * MAX_CONVERSION_GROWTH + 1),
											  true);
	if (converted != (int) len)
	{
		pfree(utf8);
		wc_ident_detail(detail, "The value cannot be converted to UTF-8 for normalisation.");
		return WC_IDENT_INVALID;
	}
	st = wc_ident_compact((const char *) utf8, strlen((const char *) utf8), c, detail);
	pfree(utf8);
	return st;
}

/*
 * Reports a failed parse of str (len bytes, server encoding) as a value of typname:
 * a defect of the input is 22P02 (saved softly on 16+ when escontext asks), a
 * memory or ICU failure is the system's and always raised.
 */
void
wc_ident_report(const char *typname, const char *str, size_t len,
				wc_ident_status st, const char *detail, struct Node *escontext)
{
	char	   *input = pnstrdup(str, len);

	switch (st)
	{
		case WC_IDENT_OK:
			break;
		case WC_IDENT_INVALID:
			WC_ERRSAVE(escontext,
					   errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					   errmsg("invalid input syntax for type %s: \"%s\"", typname, input),
					   errdetail("%s", pg_any_to_server(detail, strlen(detail), PG_UTF8)));
			break;
		case WC_IDENT_NOMEM:
			ereport(ERROR,
					errcode(ERRCODE_OUT_OF_MEMORY),
					errmsg("out of memory"),
					errdetail("ICU could not allocate memory to normalise a value of type %s.", typname));
			break;
		case WC_IDENT_ICU_ERROR:
			ereport(ERROR,
					errcode(ERRCODE_SYSTEM_ERROR),
					errmsg("could not normalise a value of type %s", typname),
					errdetail("%s", detail));
			break;
	}
}

/*
 * Takes the rest of a binary-input buffer as the value's canonical text. The binary
 * format of every identifier type is its canonical output, nothing looser.
 */
bool
wc_ident_recv_canonical(StringInfo buf, wc_compact *c)
{
	int			len = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, len);

	return wc_ident_is_canonical(bytes, (size_t) len, c);
}

/* Raises the error of a binary value that is not canonical or fails its checks. */
void
wc_ident_report_recv(const char *typname, const char *detail)
{
	ereport(ERROR,
			errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			errmsg("invalid external binary value for type %s", typname),
			detail ? errdetail("%s", detail) : 0);
}

/* Today's date (session time zone, fixed for the transaction) as YYYYMMDD. */
int32
wc_today_ymd(void)
{
	static DateADT cached_date = DATEVAL_NOBEGIN;
	static int32 cached_ymd = 0;
	DateADT		today = GetSQLCurrentDate();
	int			y,
				m,
				d;

	if (today != cached_date)
	{
		j2date(today + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		cached_ymd = y * 10000 + m * 100 + d;
		cached_date = today;
	}
	return cached_ymd;
}
