/*
 * xml_reader_mem.c — bench_xml.sh's measure of the streamed reader alone (src/core/xmlio.c,
 * no server): reads a camt.053 file with the camt.053 paths and prints the entries, the
 * document's size and the process's peak resident memory before and after reading, so the
 * reader's own memory shows apart from the document's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "core/xmlio.h"

/* Peak resident memory of this process so far, in kB. */
static long
peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

int
main(int argc, char **argv)
{
	static const wcx_profile p = {
		.ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
		.entry_path = "Document/BkToCstmrStmt/Stmt/Ntry",
		.account_path = "Document/BkToCstmrStmt/Stmt/Acct/Id/Othr/Id",
		.field_path = {
			[WCX_F_REF] = "AcctSvcrRef|NtryRef", [WCX_F_AMOUNT] = "Amt", [WCX_F_CURRENCY] = "Amt/@Ccy",
			[WCX_F_DIRECTION] = "CdtDbtInd", [WCX_F_BOOKED] = "BookgDt/DtTm|BookgDt/Dt",
			[WCX_F_PURPOSE] = "NtryDtls/TxDtls/Purp/Cd",
			[WCX_F_ACCOUNT_IN] = "NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/Othr/Id",
			[WCX_F_ACCOUNT_OUT] = "NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/Othr/Id",
			[WCX_F_NAME_IN] = "NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm",
			[WCX_F_NAME_OUT] = "NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm",
		},
	};
	char		msg[WCX_MSG_SIZE];
	wcx_reader *r;
	wcx_entry	e;
	long		n,
				entries = 0,
				before;
	char	   *buf;
	FILE	   *f;

	if (argc != 2 || (f = fopen(argv[1], "rb")) == NULL)
	{
		fprintf(stderr, "usage: xml_reader_mem FILE\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n);
	if (buf == NULL || fread(buf, 1, n, f) != (size_t) n)
		return 2;
	fclose(f);
	before = peak_kb();
	r = wcx_reader_open(buf, n, &p, msg, sizeof(msg));
	if (r == NULL)
	{
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	while (wcx_reader_next(r, &e) == WCX_ENTRY)
		entries++;
	printf("%ld %ld %ld %ld\n", entries, n / 1024, before, peak_kb());
	wcx_reader_close(r);
	free(buf);
	return 0;
}
