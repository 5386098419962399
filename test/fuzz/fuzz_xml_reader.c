/*
 * fuzz_xml_reader.c — libFuzzer harness of the streamed statement reader (the import path
 * of wagecheck.import_bank_statement, src/core/xmlio.c) with the camt.053 profile's paths:
 * no crash, no leak, no read of any file (the entity loader aborts if asked), entries
 * numbered 1, 2, ... until the end or an error, after which nothing more is read; every
 * field read is NUL-terminated text without surrounding white space; and the same input
 * read in small pieces (wcx_reader_open_io, the large-object path) gives the same entries
 * and ends the same way.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/xmlio.h"
#include "fuzz_xml.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const wcx_profile camt053 = {
	.ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
	.entry_path = "Document/BkToCstmrStmt/Stmt/Ntry",
	.account_path = "Document/BkToCstmrStmt/Stmt/Acct/Id/Othr/Id",
	.field_path = {
		[WCX_F_REF] = "AcctSvcrRef|NtryRef",
		[WCX_F_AMOUNT] = "Amt",
		[WCX_F_CURRENCY] = "Amt/@Ccy",
		[WCX_F_DIRECTION] = "CdtDbtInd",
		[WCX_F_BOOKED] = "BookgDt/DtTm|BookgDt/Dt",
		[WCX_F_PURPOSE] = "NtryDtls/TxDtls/Purp/Cd|BkTxCd/Domn/Fmly/SubFmlyCd",
		[WCX_F_ACCOUNT_IN] = "NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/Othr/Id",
		[WCX_F_ACCOUNT_OUT] = "NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/Othr/Id",
		[WCX_F_NAME_IN] = "NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm",
		[WCX_F_NAME_OUT] = "NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm",
	},
};

/* The input handed out a few bytes at a time. */
typedef struct pieces
{
	const uint8_t *data;
	size_t		size;
	size_t		pos;
	int			step;
} pieces;

static int
read_pieces(void *arg, char *dst, int cap)
{
	pieces	   *p = arg;
	size_t		n = p->size - p->pos;

	if (n > (size_t) p->step)
		n = p->step;
	if (n > (size_t) cap)
		n = cap;
	memcpy(dst, p->data + p->pos, n);
	p->pos += n;
	return (int) n;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* One fuzz input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		msg[WCX_MSG_SIZE];
	wcx_reader *r;
	wcx_entry	e;
	int			rc,
				i,
				line;
	int64_t		n = 0;

	pieces		pc = {data, size, 0, (int) (size % 7) + 1};
	wcx_reader *s;
	wcx_entry	f;
	int			rs;

	fuzz_xml_setup();
	s = wcx_reader_open_io(read_pieces, &pc, "UTF-8", &camt053, msg, sizeof(msg));
	if (s == NULL)
		abort();
	r = wcx_reader_open((const char *) data, size, &camt053, msg, sizeof(msg));
	if (r == NULL)
	{
		if (memchr(msg, '\0', sizeof(msg)) == NULL || msg[0] == '\0')
			abort();
		/* refused whole: read in pieces it fails before any entry */
		if (wcx_reader_next(s, &f) != WCX_ERROR)
			abort();
		wcx_reader_close(s);
		return 0;
	}
	while ((rc = wcx_reader_next(r, &e)) == WCX_ENTRY)
	{
		/* the same entry read in pieces */
		if ((rs = wcx_reader_next(s, &f)) != WCX_ENTRY || f.ordinal != e.ordinal || f.line != e.line ||
			!same_text(f.account, e.account))
			abort();
		for (i = 0; i < WCX_F_COUNT; i++)
			if (!same_text(f.field[i], e.field[i]))
				abort();
		if (e.ordinal != ++n || wcx_reader_count(r) != n)
			abort();
		for (i = 0; i < WCX_F_COUNT; i++)
		{
			size_t		len;

			if (e.field[i] == NULL)
				continue;
			len = strlen(e.field[i]);
			if (len > 0 && (e.field[i][0] == ' ' || e.field[i][len - 1] == ' ' ||
							e.field[i][0] == '\n' || e.field[i][len - 1] == '\n'))
				abort();
		}
	}
	if (rc == WCX_ERROR)
	{
		if (wcx_reader_error(r, &line) == NULL || wcx_reader_next(r, &e) != WCX_ERROR)
			abort();
	}
	else if (rc != WCX_END || wcx_reader_error(r, &line) != NULL)
		abort();
	if (wcx_reader_next(s, &f) != rc)
		abort();
	wcx_reader_close(s);
	wcx_reader_close(r);
	return 0;
}
