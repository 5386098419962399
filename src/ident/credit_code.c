/*
 * credit_code.c — SQL type wagecheck.credit_code (统一社会信用代码, GB 32100-2015):
 * text and binary I/O, casts, is_valid_credit_code and accessors. Stored as 11
 * packed bytes (fixed length, by reference) whose byte order is text order.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ident/ident_pg.h"

#define TYPNAME "credit_code"

/* Parses len bytes of server-encoded text into a palloc'd value; NULL after a reported defect. */
static wc_credit_code *
credit_code_parse_server(const char *str, size_t len, struct Node *escontext)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	wc_credit_code *v = palloc(sizeof(wc_credit_code));
	wc_ident_status st = wc_ident_compact_server(str, len, &c, detail);

	if (st == WC_IDENT_OK)
		st = wc_credit_code_from_compact(&c, v, detail);
	if (st != WC_IDENT_OK)
	{
		wc_ident_report(TYPNAME, str, len, st, detail, escontext);
		return NULL;
	}
	return v;
}

PG_FUNCTION_INFO_V1(credit_code_in);
/* Text input: accepts full-width characters, lower case, spaces and hyphens. */
Datum
credit_code_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	wc_credit_code *v = credit_code_parse_server(str, strlen(str), WC_ESCONTEXT(fcinfo));

	if (v == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(credit_code_out);
/* Text output: the canonical 18 characters. */
Datum
credit_code_out(PG_FUNCTION_ARGS)
{
	char	   *s = palloc(WC_CREDIT_CODE_LEN + 1);

	wc_credit_code_format(PG_GETARG_CREDIT_CODE_P(0), s);
	PG_RETURN_CSTRING(s);
}

PG_FUNCTION_INFO_V1(credit_code_recv);
/* Binary input: the canonical 18 characters, checked like text input. */
Datum
credit_code_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	wc_credit_code *v = palloc(sizeof(wc_credit_code));

	if (!wc_ident_recv_canonical(buf, &c) || c.len != WC_CREDIT_CODE_LEN)
		wc_ident_report_recv(TYPNAME, "The binary form is the canonical text: 18 digits and capital letters.");
	if (wc_credit_code_from_compact(&c, v, detail) != WC_IDENT_OK)
		wc_ident_report_recv(TYPNAME, detail);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(credit_code_send);
/* Binary output: the canonical 18 characters. */
Datum
credit_code_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		s[WC_CREDIT_CODE_LEN + 1];

	wc_credit_code_format(PG_GETARG_CREDIT_CODE_P(0), s);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, s, WC_CREDIT_CODE_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(credit_code_from_text);
/* Cast text -> credit_code, validating like text input. */
Datum
credit_code_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_POINTER(credit_code_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), NULL));
}

PG_FUNCTION_INFO_V1(credit_code_to_text);
/* Cast credit_code -> text: the canonical form. */
Datum
credit_code_to_text(PG_FUNCTION_ARGS)
{
	char		s[WC_CREDIT_CODE_LEN + 1];

	wc_credit_code_format(PG_GETARG_CREDIT_CODE_P(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, WC_CREDIT_CODE_LEN));
}

PG_FUNCTION_INFO_V1(is_valid_credit_code);
/* True if the text would be accepted as a credit_code; never raises for bad input. */
Datum
is_valid_credit_code(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	wc_compact	c;
	wc_credit_code v;
	wc_ident_status st = wc_ident_compact_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &c, NULL);

	if (st == WC_IDENT_OK)
		st = wc_credit_code_from_compact(&c, &v, NULL);
	if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
		wc_ident_report(TYPNAME, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), st, "", NULL);
	PG_RETURN_BOOL(st == WC_IDENT_OK);
}

PG_FUNCTION_INFO_V1(credit_code_authority);
/* The registration authority character (1 编制, 5 民政, 9 工商, Y 其他, ...). */
Datum
credit_code_authority(PG_FUNCTION_ARGS)
{
	char		s[WC_CREDIT_CODE_LEN + 1];

	wc_credit_code_format(PG_GETARG_CREDIT_CODE_P(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, 1));
}

PG_FUNCTION_INFO_V1(credit_code_category);
/* The entity category character within the authority (for 9: 1 企业, 2 个体, 3 合作社). */
Datum
credit_code_category(PG_FUNCTION_ARGS)
{
	char		s[WC_CREDIT_CODE_LEN + 1];

	wc_credit_code_format(PG_GETARG_CREDIT_CODE_P(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s + 1, 1));
}

PG_FUNCTION_INFO_V1(credit_code_region);
/* The registering authority's division code, NULL if characters 3-8 are not one. */
Datum
credit_code_region(PG_FUNCTION_ARGS)
{
	int32		region = wc_credit_code_region(PG_GETARG_CREDIT_CODE_P(0));

	if (region < 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(region);
}
