/*
 * caseno.c — parsing and formatting of case-ledger numbers (see caseno.h).
 */
#include "core/caseno.h"

#include <stdio.h>

/* True for the characters a unit code may hold once upper-cased. */
static int
unit_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* ASCII upper-casing without locale. */
static char
upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
}

/* Blank as in the SQL trim of a pasted number. */
static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

WcCasenoStatus
wc_caseno_check_unit(const char *unit, size_t len)
{
	size_t		i;

	if (len < WC_CASENO_UNIT_MIN || len > WC_CASENO_UNIT_MAX)
		return WC_CASENO_BAD_UNIT;
	for (i = 0; i < len; i++)
		if (!unit_char(unit[i]))
			return WC_CASENO_BAD_UNIT;
	return WC_CASENO_OK;
}

WcCasenoStatus
wc_caseno_parse(const char *text, size_t len, WcCaseno *out)
{
	size_t		b = 0,
				e = len,
				i,
				n;
	int64_t		v;

	while (b < e && blank(text[b]))
		b++;
	while (e > b && blank(text[e - 1]))
		e--;
	if (b == e)
		return WC_CASENO_EMPTY;

	/* unit code up to the first '-' */
	for (i = b, n = 0; i < e && text[i] != '-'; i++, n++)
	{
		if (n >= WC_CASENO_UNIT_MAX || !unit_char(upper(text[i])))
			return WC_CASENO_BAD_UNIT;
		out->unit[n] = upper(text[i]);
	}
	if (n < WC_CASENO_UNIT_MIN)
		return WC_CASENO_BAD_UNIT;
	out->unit[n] = '\0';
	if (i == e)
		return WC_CASENO_BAD_SEPARATOR;
	i++;

	/* exactly four digits of year */
	for (n = 0, v = 0; n < 4; n++, i++)
	{
		if (i >= e || text[i] < '0' || text[i] > '9')
			return WC_CASENO_BAD_YEAR;
		v = v * 10 + (text[i] - '0');
	}
	if (v < WC_CASENO_YEAR_MIN || v > WC_CASENO_YEAR_MAX)
		return WC_CASENO_BAD_YEAR;
	out->year = (int) v;
	if (i >= e || text[i] != '-')
		return (i < e && text[i] >= '0' && text[i] <= '9') ? WC_CASENO_BAD_YEAR
			: WC_CASENO_BAD_SEPARATOR;
	i++;

	/* one to nine digits of sequence, not zero */
	for (n = 0, v = 0; i < e && text[i] >= '0' && text[i] <= '9'; n++, i++)
	{
		if (n >= 9)
			return WC_CASENO_BAD_SEQ;
		v = v * 10 + (text[i] - '0');
	}
	if (n == 0 || v == 0)
		return WC_CASENO_BAD_SEQ;
	if (i != e)
		return WC_CASENO_TRAILING;
	out->seq = (int32_t) v;
	return WC_CASENO_OK;
}

WcCasenoStatus
wc_caseno_format(const WcCaseno *c, char *buf)
{
	size_t		len;
	WcCasenoStatus s;

	for (len = 0; len <= WC_CASENO_UNIT_MAX && c->unit[len] != '\0'; len++)
		;
	if ((s = wc_caseno_check_unit(c->unit, len)) != WC_CASENO_OK)
		return s;
	if (c->year < WC_CASENO_YEAR_MIN || c->year > WC_CASENO_YEAR_MAX)
		return WC_CASENO_BAD_YEAR;
	if (c->seq < 1 || c->seq > WC_CASENO_SEQ_MAX)
		return WC_CASENO_BAD_SEQ;
	snprintf(buf, WC_CASENO_BUFSIZE, "%.*s-%04d-%05ld", (int) len, c->unit, c->year, (long) c->seq);
	return WC_CASENO_OK;
}

const char *
wc_caseno_status_text(WcCasenoStatus s)
{
	switch (s)
	{
		case WC_CASENO_OK:
			return gettext_noop("valid");
		case WC_CASENO_EMPTY:
			return gettext_noop("the case number is empty");
		case WC_CASENO_BAD_UNIT:
			return gettext_noop("the unit code must be 2 to 16 letters A-Z or digits");
		case WC_CASENO_BAD_SEPARATOR:
			return gettext_noop("unit code, year and sequence must be separated by \"-\"");
		case WC_CASENO_BAD_YEAR:
			return gettext_noop("the year must be four digits from 1949 to 9999");
		case WC_CASENO_BAD_SEQ:
			return gettext_noop("the sequence must be 1 to 9 digits and not zero");
		case WC_CASENO_TRAILING:
			return gettext_noop("unexpected characters after the sequence");
	}
	return gettext_noop("unknown defect");
}
