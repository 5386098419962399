/*
 * division_code.c — SQL type wagecheck.division_code (行政区划代码, GB/T 2260):
 * text and binary I/O, casts, is_valid_division_code, province/city/county
 * roll-up and containment. Stored pass-by-value as int4.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ident/ident_pg.h"

#define TYPNAME "division_code"

/* Parses len bytes of server-encoded text; on a defect reports it and returns false. */
static bool
division_code_parse_server(const char *str, size_t len, int32 *out, struct Node *escontext)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int32_t		v = 0;
	wc_ident_status st = wc_ident_compact_server(str, len, &c, detail);

	if (st == WC_IDENT_OK)
		st = wc_division_code_from_compact(&c, &v, detail);
	if (st != WC_IDENT_OK)
	{
		wc_ident_report(TYPNAME, str, len, st, detail, escontext);
		return false;
	}
	*out = v;
	return true;
}

PG_FUNCTION_INFO_V1(division_code_in);
/* Text input: six digits, full-width accepted. */
Datum
division_code_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int32		v;

	if (!division_code_parse_server(str, strlen(str), &v, WC_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_INT32(v);
}

PG_FUNCTION_INFO_V1(division_code_out);
/* Text output: the six digits. */
Datum
division_code_out(PG_FUNCTION_ARGS)
{
	char	   *s = palloc(WC_DIVISION_CODE_LEN + 1);

	wc_division_code_format(PG_GETARG_INT32(0), s);
	PG_RETURN_CSTRING(s);
}

PG_FUNCTION_INFO_V1(division_code_recv);
/* Binary input: the six digits, checked like text input. */
Datum
division_code_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int32_t		v;

	if (!wc_ident_recv_canonical(buf, &c))
		wc_ident_report_recv(TYPNAME, "The binary form is the canonical text: 6 digits.");
	if (wc_division_code_from_compact(&c, &v, detail) != WC_IDENT_OK)
		wc_ident_report_recv(TYPNAME, detail);
	PG_RETURN_INT32(v);
}

PG_FUNCTION_INFO_V1(division_code_send);
/* Binary output: the six digits. */
Datum
division_code_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		s[WC_DIVISION_CODE_LEN + 1];

	wc_division_code_format(PG_GETARG_INT32(0), s);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, s, WC_DIVISION_CODE_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(division_code_from_text);
/* Cast text -> division_code, validating like text input. */
Datum
division_code_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int32		v = 0;

	division_code_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, NULL);
	PG_RETURN_INT32(v);
}

PG_FUNCTION_INFO_V1(division_code_to_text);
/* Cast division_code -> text: the six digits. */
Datum
division_code_to_text(PG_FUNCTION_ARGS)
{
	char		s[WC_DIVISION_CODE_LEN + 1];

	wc_division_code_format(PG_GETARG_INT32(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, WC_DIVISION_CODE_LEN));
}

PG_FUNCTION_INFO_V1(is_valid_division_code);
/* True if the text would be accepted as a division_code; never raises for bad input. */
Datum
is_valid_division_code(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	wc_compact	c;
	int32_t		v;
	wc_ident_status st = wc_ident_compact_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &c, NULL);

	if (st == WC_IDENT_OK)
		st = wc_division_code_from_compact(&c, &v, NULL);
	if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
		wc_ident_report(TYPNAME, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), st, "", NULL);
	PG_RETURN_BOOL(st == WC_IDENT_OK);
}

PG_FUNCTION_INFO_V1(division_code_province);
/* The province-level code a division belongs to (371302 -> 370000). */
Datum
division_code_province(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(wc_division_code_province(PG_GETARG_INT32(0)));
}

PG_FUNCTION_INFO_V1(division_code_city);
/* The prefecture/city code (371302 -> 371300), NULL for a province-level code. */
Datum
division_code_city(PG_FUNCTION_ARGS)
{
	int32		city = wc_division_code_city(PG_GETARG_INT32(0));

	if (city < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(city);
}

PG_FUNCTION_INFO_V1(division_code_county);
/* The county-level code itself, NULL for a province or city code. */
Datum
division_code_county(PG_FUNCTION_ARGS)
{
	int32		county = wc_division_code_county(PG_GETARG_INT32(0));

	if (county < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(county);
}

PG_FUNCTION_INFO_V1(division_code_level);
/* The level of a code: 'province', 'city' or 'county'. */
Datum
division_code_level(PG_FUNCTION_ARGS)
{
	static const char *const names[] = {"province", "city", "county"};

	PG_RETURN_TEXT_P(cstring_to_text(names[wc_division_code_level(PG_GETARG_INT32(0)) - 1]));
}

PG_FUNCTION_INFO_V1(division_code_contains);
/* True if the first division contains the second (or is it). */
Datum
division_code_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(wc_division_code_contains(PG_GETARG_INT32(0), PG_GETARG_INT32(1)));
}

PG_FUNCTION_INFO_V1(division_code_contained_by);
/* True if the first division lies within the second (or is it). */
Datum
division_code_contained_by(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(wc_division_code_contains(PG_GETARG_INT32(1), PG_GETARG_INT32(0)));
}
