/*
 * resident_id.c — SQL type wagecheck.resident_id (居民身份证号码, GB 11643-1999):
 * text and binary I/O, casts, is_valid_resident_id, accessors and masking.
 * Stored pass-by-value as the 17 leading digits; the check character is derived.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "ident/ident_pg.h"

#define TYPNAME "resident_id"

/* Parses len bytes of server-encoded text; on a defect reports it and returns false. */
static bool
resident_id_parse_server(const char *str, size_t len, int64 *out, struct Node *escontext)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int64_t		v = 0;
	wc_ident_status st = wc_ident_compact_server(str, len, &c, detail);

	if (st == WC_IDENT_OK)
		st = wc_resident_id_from_compact(&c, wc_today_ymd(), &v, detail);
	if (st != WC_IDENT_OK)
	{
		wc_ident_report(TYPNAME, str, len, st, detail, escontext);
		return false;
	}
	*out = v;
	return true;
}

/* Canonical text of a value, palloc'd. */
static char *
resident_id_cstring(int64 v)
{
	char	   *s = palloc(WC_RESIDENT_ID_LEN + 1);

	wc_resident_id_format(v, s);
	return s;
}

PG_FUNCTION_INFO_V1(resident_id_in);
/* Text input: accepts full-width, lower-case x, spaces and hyphens, 15-digit numbers. */
Datum
resident_id_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64		v;

	if (!resident_id_parse_server(str, strlen(str), &v, WC_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(resident_id_out);
/* Text output: the canonical 18 characters. */
Datum
resident_id_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(resident_id_cstring(PG_GETARG_INT64(0)));
}

PG_FUNCTION_INFO_V1(resident_id_recv);
/* Binary input: the canonical 18 characters, checked like text input. */
Datum
resident_id_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int64_t		v;

	if (!wc_ident_recv_canonical(buf, &c) || c.len != WC_RESIDENT_ID_LEN)
		wc_ident_report_recv(TYPNAME, "The binary form is the canonical text: 18 characters, digits and a capital X.");
	if (wc_resident_id_from_compact(&c, wc_today_ymd(), &v, detail) != WC_IDENT_OK)
		wc_ident_report_recv(TYPNAME, detail);
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(resident_id_send);
/* Binary output: the canonical 18 characters. */
Datum
resident_id_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		s[WC_RESIDENT_ID_LEN + 1];

	wc_resident_id_format(PG_GETARG_INT64(0), s);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, s, WC_RESIDENT_ID_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(resident_id_from_text);
/* Cast text -> resident_id, validating like text input. */
Datum
resident_id_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v = 0;

	resident_id_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, NULL);
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(resident_id_to_text);
/* Cast resident_id -> text: the canonical form. */
Datum
resident_id_to_text(PG_FUNCTION_ARGS)
{
	char		s[WC_RESIDENT_ID_LEN + 1];

	wc_resident_id_format(PG_GETARG_INT64(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, WC_RESIDENT_ID_LEN));
}

PG_FUNCTION_INFO_V1(is_valid_resident_id);
/* True if the text would be accepted as a resident_id; never raises for bad input. */
Datum
is_valid_resident_id(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	wc_compact	c;
	int64_t		v;
	wc_ident_status st = wc_ident_compact_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &c, NULL);

	if (st == WC_IDENT_OK)
		st = wc_resident_id_from_compact(&c, wc_today_ymd(), &v, NULL);
	if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
		wc_ident_report(TYPNAME, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), st, "", NULL);
	PG_RETURN_BOOL(st == WC_IDENT_OK);
}

PG_FUNCTION_INFO_V1(resident_id_birth_date);
/* The holder's birth date. */
Datum
resident_id_birth_date(PG_FUNCTION_ARGS)
{
	int32		ymd = wc_resident_id_birth_ymd(PG_GETARG_INT64(0));

	PG_RETURN_DATEADT(date2j(ymd / 10000, (ymd / 100) % 100, ymd % 100) - POSTGRES_EPOCH_JDATE);
}

PG_FUNCTION_INFO_V1(resident_id_sex);
/* The holder's sex as GB 11643 encodes it: 'M' for an odd sequence number, 'F' for even. */
Datum
resident_id_sex(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(wc_resident_id_is_male(PG_GETARG_INT64(0)) ? "M" : "F"));
}

PG_FUNCTION_INFO_V1(resident_id_region);
/* The division code of the number's region (issuing province for foreigners' cards). */
Datum
resident_id_region(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(wc_resident_id_region(PG_GETARG_INT64(0)));
}

PG_FUNCTION_INFO_V1(resident_id_age_at);
/* Age in full years on a date; NULL for a date before birth; an infinite date is refused. */
Datum
resident_id_age_at(PG_FUNCTION_ARGS)
{
	int64		v = PG_GETARG_INT64(0);
	DateADT		at = PG_GETARG_DATEADT(1);
	int			y,
				m,
				d,
				age;

	if (DATE_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("age needs a finite date, not \"%s\"", DATE_IS_NOBEGIN(at) ? "-infinity" : "infinity"),
				 errhint("Give the day on which the age is wanted, such as current_date.")));
	j2date(at + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	age = wc_resident_id_age(v, y, m, d);
	if (age < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(age);
}

PG_FUNCTION_INFO_V1(resident_id_mask);
/* The masked form 110105********002X for roles that may not see the number. */
Datum
resident_id_mask(PG_FUNCTION_ARGS)
{
	char		s[WC_RESIDENT_ID_LEN + 1];

	wc_resident_id_mask(PG_GETARG_INT64(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, WC_RESIDENT_ID_LEN));
}
