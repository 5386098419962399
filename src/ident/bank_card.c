/*
 * bank_card.c — SQL type wagecheck.bank_card (worker wage card, 12-19 digits with
 * a Luhn check digit): text and binary I/O, casts, is_valid_bank_card, masking.
 * Stored pass-by-value in an int64 (length and leading digits; check digit derived).
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ident/ident_pg.h"

#define TYPNAME "bank_card"

/* Parses len bytes of server-encoded text; on a defect reports it and returns false. */
static bool
bank_card_parse_server(const char *str, size_t len, int64 *out, struct Node *escontext)
{
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int64_t		v = 0;
	wc_ident_status st = wc_ident_compact_server(str, len, &c, detail);

	if (st == WC_IDENT_OK)
		st = wc_bank_card_from_compact(&c, &v, detail);
	if (st != WC_IDENT_OK)
	{
		wc_ident_report(TYPNAME, str, len, st, detail, escontext);
		return false;
	}
	*out = v;
	return true;
}

PG_FUNCTION_INFO_V1(bank_card_in);
/* Text input: accepts full-width digits, spaces and hyphens between groups. */
Datum
bank_card_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int64		v;

	if (!bank_card_parse_server(str, strlen(str), &v, WC_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(bank_card_out);
/* Text output: the digits, without separators. */
Datum
bank_card_out(PG_FUNCTION_ARGS)
{
	char	   *s = palloc(WC_BANK_CARD_MAX + 1);

	wc_bank_card_format(PG_GETARG_INT64(0), s);
	PG_RETURN_CSTRING(s);
}

PG_FUNCTION_INFO_V1(bank_card_recv);
/* Binary input: the canonical digits, checked like text input. */
Datum
bank_card_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_compact	c;
	int64_t		v;

	if (!wc_ident_recv_canonical(buf, &c))
		wc_ident_report_recv(TYPNAME, "The binary form is the canonical text: 12 to 19 digits.");
	if (wc_bank_card_from_compact(&c, &v, detail) != WC_IDENT_OK)
		wc_ident_report_recv(TYPNAME, detail);
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(bank_card_send);
/* Binary output: the canonical digits. */
Datum
bank_card_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char		s[WC_BANK_CARD_MAX + 1];
	int			len = wc_bank_card_format(PG_GETARG_INT64(0), s);

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, s, len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(bank_card_from_text);
/* Cast text -> bank_card, validating like text input. */
Datum
bank_card_from_text(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int64		v = 0;

	bank_card_parse_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &v, NULL);
	PG_RETURN_INT64(v);
}

PG_FUNCTION_INFO_V1(bank_card_to_text);
/* Cast bank_card -> text: the canonical digits. */
Datum
bank_card_to_text(PG_FUNCTION_ARGS)
{
	char		s[WC_BANK_CARD_MAX + 1];
	int			len = wc_bank_card_format(PG_GETARG_INT64(0), s);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, len));
}

PG_FUNCTION_INFO_V1(is_valid_bank_card);
/* True if the text would be accepted as a bank_card; never raises for bad input. */
Datum
is_valid_bank_card(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	wc_compact	c;
	int64_t		v;
	wc_ident_status st = wc_ident_compact_server(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &c, NULL);

	if (st == WC_IDENT_OK)
		st = wc_bank_card_from_compact(&c, &v, NULL);
	if (st == WC_IDENT_NOMEM || st == WC_IDENT_ICU_ERROR)
		wc_ident_report(TYPNAME, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), st, "", NULL);
	PG_RETURN_BOOL(st == WC_IDENT_OK);
}

PG_FUNCTION_INFO_V1(bank_card_mask);
/* The masked form 6222 **** **** 1234 for roles that may not see the number. */
Datum
bank_card_mask(PG_FUNCTION_ARGS)
{
	char		s[WC_BANK_CARD_MASK_LEN + 1];

	wc_bank_card_mask(PG_GETARG_INT64(0), s);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s, WC_BANK_CARD_MASK_LEN));
}
