/*
 * test_msgfmt.c — unit tests of the PL/pgSQL messages' formats (core/msgfmt.c).
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/msgfmt.h"
#include "unit.h"

static char buf[256];

/* fmt expanded with the arguments into buf (or "ERROR n" on a refused format). */
static const char *
fmt(const char *f, int nargs, const char *const *args)
{
	size_t		len;
	WcMsgfmtStatus st = wc_msgfmt(f, nargs, args, buf, sizeof buf, &len);

	if (st != WC_MSGFMT_OK)
		snprintf(buf, sizeof buf, "ERROR %d", (int) st);
	else if (len != strlen(buf))
		snprintf(buf, sizeof buf, "LENGTH %zu", len);
	return buf;
}

int
main(void)
{
	const char *two[] = {"A-1", "已办结"};
	const char *withnull[] = {NULL, "x"};
	size_t		len;
	char		small[5];

	CHECK_STR(fmt("no directive", 0, NULL), "no directive");
	CHECK_STR(fmt("", 0, NULL), "");
	CHECK_STR(fmt("case %s is %s", 2, two), "case A-1 is 已办结");
	CHECK_STR(fmt("案件%1$s%2$s", 2, two), "案件A-1已办结");
	CHECK_STR(fmt("%2$s，案件 %1$s", 2, two), "已办结，案件 A-1");
	/* a plain %s after %N$s takes argument N+1, as format() does */
	CHECK_STR(fmt("%1$s %s", 2, two), "A-1 已办结");
	CHECK_STR(fmt("%2$s %1$s %1$s", 2, two), "已办结 A-1 A-1");
	CHECK_STR(fmt("100%% of %s", 2, two), "100% of A-1");
	CHECK_STR(fmt("%s", 1, two), "A-1");
	/* unused arguments are ignored; a NULL argument is empty */
	CHECK_STR(fmt("only %s", 2, two), "only A-1");
	CHECK_STR(fmt("[%s][%s]", 2, withnull), "[][x]");
	/* refused: a directive without its argument, an unknown directive, a lone % */
	CHECK_STR(fmt("%s %s %s", 2, two), "ERROR 2");
	CHECK_STR(fmt("%3$s", 2, two), "ERROR 2");
	CHECK_STR(fmt("%99999999999999999999$s", 2, two), "ERROR 2");
	CHECK_STR(fmt("%s", 0, NULL), "ERROR 2");
	CHECK_STR(fmt("%d", 2, two), "ERROR 1");
	CHECK_STR(fmt("%1s", 2, two), "ERROR 1");
	CHECK_STR(fmt("%0$s", 2, two), "ERROR 1");
	CHECK_STR(fmt("%1$d", 2, two), "ERROR 1");
	CHECK_STR(fmt("tail %", 2, two), "ERROR 1");
	CHECK_STR(fmt("%1$", 2, two), "ERROR 1");
	/* sizing: cap 0 writes nothing and gives the length; a short buffer is cut and terminated */
	CHECK_INT(wc_msgfmt("case %s is %s", 2, two, NULL, 0, &len), WC_MSGFMT_OK);
	CHECK_INT(len, strlen("case A-1 is 已办结"));
	CHECK_INT(wc_msgfmt("case %s", 2, two, small, sizeof small, &len), WC_MSGFMT_OK);
	CHECK_STR(small, "case");
	CHECK_INT(len, 8);
	UNIT_DONE();
}
