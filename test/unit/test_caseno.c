/*
 * test_caseno.c — unit tests of case-number parsing and formatting (src/core/caseno.c).
 */
#include "core/caseno.h"
#include "unit.h"

/* Parses a NUL-terminated string. */
static WcCasenoStatus
parse(const char *s, WcCaseno *c)
{
	return wc_caseno_parse(s, strlen(s), c);
}

int
main(void)
{
	WcCaseno	c;
	char		buf[WC_CASENO_BUFSIZE];

	/* canonical form round trip */
	CHECK_INT(parse("LYLS-2020-00042", &c), WC_CASENO_OK);
	CHECK_STR(c.unit, "LYLS");
	CHECK_INT(c.year, 2020);
	CHECK_INT(c.seq, 42);
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_OK);
	CHECK_STR(buf, "LYLS-2020-00042");

	/* tolerated input: lower case, blanks, unpadded or long sequences */
	CHECK_INT(parse("  371302-2021-7\t", &c), WC_CASENO_OK);
	CHECK_STR(c.unit, "371302");
	CHECK_INT(c.seq, 7);
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_OK);
	CHECK_STR(buf, "371302-2021-00007");
	CHECK_INT(parse("ly-2020-123456789", &c), WC_CASENO_OK);
	CHECK_STR(c.unit, "LY");
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_OK);
	CHECK_STR(buf, "LY-2020-123456789");
	CHECK_INT(parse("ABCDEFGHIJKLMNOP-9999-1", &c), WC_CASENO_OK);

	/* each defect named */
	CHECK_INT(parse("", &c), WC_CASENO_EMPTY);
	CHECK_INT(parse("   ", &c), WC_CASENO_EMPTY);
	CHECK_INT(parse("L-2020-1", &c), WC_CASENO_BAD_UNIT);
	CHECK_INT(parse("-2020-1", &c), WC_CASENO_BAD_UNIT);
	CHECK_INT(parse("ABCDEFGHIJKLMNOPQ-2020-1", &c), WC_CASENO_BAD_UNIT);
	CHECK_INT(parse("LY_S-2020-1", &c), WC_CASENO_BAD_UNIT);
	CHECK_INT(parse("临沂-2020-1", &c), WC_CASENO_BAD_UNIT);
	CHECK_INT(parse("LYLS", &c), WC_CASENO_BAD_SEPARATOR);
	CHECK_INT(parse("LYLS-2020", &c), WC_CASENO_BAD_SEPARATOR);
	CHECK_INT(parse("LYLS-2020/1", &c), WC_CASENO_BAD_SEPARATOR);
	CHECK_INT(parse("LYLS-20-1", &c), WC_CASENO_BAD_YEAR);
	CHECK_INT(parse("LYLS-20201-1", &c), WC_CASENO_BAD_YEAR);
	CHECK_INT(parse("LYLS-1948-1", &c), WC_CASENO_BAD_YEAR);
	CHECK_INT(parse("LYLS-2020-", &c), WC_CASENO_BAD_SEQ);
	CHECK_INT(parse("LYLS-2020-00000", &c), WC_CASENO_BAD_SEQ);
	CHECK_INT(parse("LYLS-2020-1234567890", &c), WC_CASENO_BAD_SEQ);
	CHECK_INT(parse("LYLS-2020-12a", &c), WC_CASENO_TRAILING);
	CHECK_INT(parse("LYLS-2020-12 3", &c), WC_CASENO_TRAILING);
	/* not NUL-terminated: only len bytes are read */
	CHECK_INT(wc_caseno_parse("LY-2020-12345", 9, &c), WC_CASENO_OK);
	CHECK_INT(c.seq, 1);

	/* formatting checks every part */
	memcpy(c.unit, "LY", 3);
	c.year = 2020;
	c.seq = 0;
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_BAD_SEQ);
	c.seq = WC_CASENO_SEQ_MAX;
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_OK);
	CHECK_STR(buf, "LY-2020-999999999");
	c.year = 1900;
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_BAD_YEAR);
	memcpy(c.unit, "ly", 3);
	c.year = 2020;
	CHECK_INT(wc_caseno_format(&c, buf), WC_CASENO_BAD_UNIT);
	CHECK_INT(wc_caseno_check_unit("LYLS", 4), WC_CASENO_OK);
	CHECK_INT(wc_caseno_check_unit("L", 1), WC_CASENO_BAD_UNIT);
	CHECK(wc_caseno_status_text(WC_CASENO_BAD_SEQ)[0] != '\0');

	UNIT_DONE();
}
