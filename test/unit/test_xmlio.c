/*
 * test_xmlio.c — unit tests of the safe XML reading (src/core/xmlio.c) and of the payee
 * name key (src/core/person_name.c): the prolog check refuses every document type
 * declaration, the streamed reader follows a profile's paths (alternatives, attributes,
 * the account before its entries, the root's namespace), stops on malformed input and
 * never reads a file; names compare after NFKC, traditional to simplified, the dots of
 * minority names and spaces.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "core/ledger_html.h"
#include "core/person_name.h"
#include "core/xmlio.h"
#include "unit.h"

static int
prolog(const char *s)
{
	return wcx_prolog_check(s, strlen(s));
}

/* A document read a few bytes at a time (chunk boundaries inside tags and texts). */
typedef struct piecemeal
{
	const char *doc;
	size_t		pos;
	int			step;
	bool		fail;
} piecemeal;

static int
read_piece(void *arg, char *dst, int cap)
{
	piecemeal  *pm = arg;
	size_t		n = strlen(pm->doc) - pm->pos;

	if (pm->fail && pm->pos > 0)
		return -1;
	if (n > (size_t) pm->step)
		n = pm->step;
	if (n > (size_t) cap)
		n = cap;
	memcpy(dst, pm->doc + pm->pos, n);
	pm->pos += n;
	return (int) n;
}

static bool
same(const char *a, const char *b)
{
	return wc_person_name_same(a, strlen(a), b, strlen(b));
}

static const wcx_profile camt = {
	.ns = "urn:x",
	.entry_path = "Doc/Stmt/Ntry",
	.account_path = "Doc/Stmt/Acct/Id",
	.field_path = {
		[WCX_F_REF] = "Ref|NtryRef",
		[WCX_F_AMOUNT] = "Amt",
		[WCX_F_CURRENCY] = "Amt/@Ccy",
		[WCX_F_DIRECTION] = "Ind",
		[WCX_F_NAME_OUT] = "Pty/Cdtr/Nm",
	},
};

int
main(void)
{
	char		msg[WCX_MSG_SIZE];
	char		key[WC_NAME_KEY_SIZE];
	wcx_reader *r;
	wcx_entry	e;
	int			line;
	const char *doc;

	xmlSetExternalEntityLoader(wcx_refuse_entity);

	/* the prolog: declarations, comments and processing instructions pass; no DTD */
	CHECK_INT(prolog("<a/>"), WCX_OK);
	CHECK_INT(prolog("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><?pi x?>\n<a/>"), WCX_OK);
	CHECK_INT(prolog("<!DOCTYPE a><a/>"), WCX_DOCTYPE);
	CHECK_INT(prolog("<?xml version=\"1.0\"?><!-- <!DOCTYPE in a comment> --><!DOCTYPE a [<!ENTITY x \"y\">]><a/>"), WCX_DOCTYPE);
	CHECK_INT(prolog("<!ENTITY x SYSTEM \"file:///etc/passwd\"><a/>"), WCX_DOCTYPE);
	CHECK_INT(prolog("<a><!DOCTYPE b></a>"), WCX_OK);	/* not in the prolog: libxml2 refuses it */
	CHECK_INT(prolog(""), WCX_EMPTY);
	CHECK_INT(prolog(" \n<!-- only -->"), WCX_EMPTY);
	CHECK_INT(prolog("<!-- unterminated"), WCX_OK);

	/* the reader: account, entries in order, alternatives, attributes, absent fields */
	doc = "<Doc xmlns=\"urn:x\"><Hdr><Ntry><Ref>not an entry</Ref></Ntry></Hdr>"
		"<Stmt><Acct><Id> 12345 </Id></Acct>"
		"<Ntry><Ref>R1</Ref><Amt Ccy=\"CNY\">1.50</Amt><Ind>DBIT</Ind><Pty><Cdtr><Nm>张伟</Nm></Cdtr></Pty></Ntry>\n"
		"<Ntry><NtryRef>R2</NtryRef><Amt>2</Amt></Ntry></Stmt>"
		"<Stmt><Acct><Id>678</Id></Acct><Ntry/></Stmt></Doc>";
	r = wcx_reader_open(doc, strlen(doc), &camt, msg, sizeof(msg));
	CHECK(r != NULL);
	CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
	CHECK_INT(e.ordinal, 1);
	CHECK_STR(e.account, "12345");
	CHECK_STR(e.field[WCX_F_REF], "R1");
	CHECK_STR(e.field[WCX_F_AMOUNT], "1.50");
	CHECK_STR(e.field[WCX_F_CURRENCY], "CNY");
	CHECK_STR(e.field[WCX_F_DIRECTION], "DBIT");
	CHECK_STR(e.field[WCX_F_NAME_OUT], "张伟");
	CHECK(e.field[WCX_F_BOOKED] == NULL);
	CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
	CHECK_STR(e.field[WCX_F_REF], "R2");
	CHECK(e.field[WCX_F_CURRENCY] == NULL);
	CHECK_INT(e.line, 2);
	CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
	CHECK_STR(e.account, "678");
	CHECK(e.field[WCX_F_REF] == NULL);
	CHECK_INT(wcx_reader_next(r, &e), WCX_END);
	CHECK_INT(wcx_reader_count(r), 3);
	wcx_reader_close(r);

	/* another namespace, a truncated document, an undeclared entity, a DTD: errors */
	doc = "<Doc xmlns=\"urn:y\"><Stmt/></Doc>";
	r = wcx_reader_open(doc, strlen(doc), &camt, msg, sizeof(msg));
	CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
	CHECK(strstr(wcx_reader_error(r, &line), "urn:y") != NULL);
	wcx_reader_close(r);
	doc = "<Doc xmlns=\"urn:x\"><Stmt><Ntry><Ref>R1</Ref></Ntry><Ntry><Ref>R2";
	r = wcx_reader_open(doc, strlen(doc), &camt, msg, sizeof(msg));
	CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
	CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
	CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
	wcx_reader_close(r);
	doc = "<Doc xmlns=\"urn:x\"><Stmt><Ntry><Ref>&xxe;</Ref></Ntry></Stmt></Doc>";
	r = wcx_reader_open(doc, strlen(doc), &camt, msg, sizeof(msg));
	CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
	CHECK(strstr(wcx_reader_error(r, &line), "xxe") != NULL);
	wcx_reader_close(r);
	doc = "<!DOCTYPE Doc [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Doc xmlns=\"urn:x\"/>";
	CHECK(wcx_reader_open(doc, strlen(doc), &camt, msg, sizeof(msg)) == NULL);
	CHECK(strstr(msg, "document type declaration") != NULL);

	/* streamed in pieces of 5 bytes: the same entries; a DOCTYPE past the first piece stops it */
	{
		piecemeal	pm = {0};

		pm.doc = "<?xml version=\"1.0\"?>\n<Doc xmlns=\"urn:x\"><Stmt><Acct><Id> 12345 </Id></Acct>"
			"<Ntry><Ref>R1</Ref><Amt Ccy=\"CNY\">1.50</Amt><Pty><Cdtr><Nm>张伟</Nm></Cdtr></Pty></Ntry>\n"
			"<Ntry><NtryRef>R2</NtryRef><Amt>2&amp;3</Amt></Ntry></Stmt></Doc>";
		pm.step = 5;
		r = wcx_reader_open_io(read_piece, &pm, NULL, &camt, msg, sizeof(msg));
		CHECK(r != NULL);
		CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
		CHECK_STR(e.account, "12345");
		CHECK_STR(e.field[WCX_F_REF], "R1");
		CHECK_STR(e.field[WCX_F_CURRENCY], "CNY");
		CHECK_STR(e.field[WCX_F_NAME_OUT], "张伟");
		CHECK_INT(e.line, 2);
		CHECK_INT(wcx_reader_next(r, &e), WCX_ENTRY);
		CHECK_STR(e.field[WCX_F_REF], "R2");
		CHECK_STR(e.field[WCX_F_AMOUNT], "2&3");
		CHECK_INT(e.line, 3);
		CHECK_INT(wcx_reader_next(r, &e), WCX_END);
		wcx_reader_close(r);

		memset(&pm, 0, sizeof(pm));
		pm.doc = "<!-- a comment longer than a piece --><!DOCTYPE Doc [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
			"<Doc xmlns=\"urn:x\"><Stmt><Ntry><Ref>&x;</Ref></Ntry></Stmt></Doc>";
		pm.step = 5;
		r = wcx_reader_open_io(read_piece, &pm, NULL, &camt, msg, sizeof(msg));
		CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
		CHECK(strstr(wcx_reader_error(r, &line), "document type declaration") != NULL);
		wcx_reader_close(r);
		memset(&pm, 0, sizeof(pm));
		pm.doc = "<!DOCTYPE Doc><Doc xmlns=\"urn:x\"/>";
		pm.step = 1000;
		r = wcx_reader_open_io(read_piece, &pm, NULL, &camt, msg, sizeof(msg));
		CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
		CHECK(strstr(wcx_reader_error(r, &line), "document type declaration") != NULL);
		wcx_reader_close(r);
		/* a source that fails */
		memset(&pm, 0, sizeof(pm));
		pm.doc = "<Doc xmlns=\"urn:x\"><Stmt><Ntry><Ref>R1</Ref></Ntry></Stmt></Doc>";
		pm.step = 10;
		pm.fail = true;
		r = wcx_reader_open_io(read_piece, &pm, NULL, &camt, msg, sizeof(msg));
		CHECK_INT(wcx_reader_next(r, &e), WCX_ERROR);
		CHECK(strstr(wcx_reader_error(r, &line), "could not be read") != NULL);
		wcx_reader_close(r);
	}

	/* profiles that are not paths */
	{
		wcx_profile bad = camt;

		bad.entry_path = "Doc//Ntry";
		CHECK(wcx_reader_open("<a/>", 4, &bad, msg, sizeof(msg)) == NULL);
		bad.entry_path = "Doc/@x";
		CHECK(wcx_reader_open("<a/>", 4, &bad, msg, sizeof(msg)) == NULL);
		bad = camt;
		bad.field_path[WCX_F_REF] = "a|b|c|d|e";
		CHECK(wcx_reader_open("<a/>", 4, &bad, msg, sizeof(msg)) == NULL);
		bad.field_path[WCX_F_REF] = "@a/b";
		CHECK(wcx_reader_open("<a/>", 4, &bad, msg, sizeof(msg)) == NULL);
	}

	/* names: traditional and simplified, spaces, the dots of minority names, case */
	CHECK(same("張偉", "张伟"));
	CHECK(same("张 伟", "张伟"));
	CHECK(same("张\xE3\x80\x80伟", "张伟"));	/* ideographic space */
	CHECK(same("阿依古丽·买买提", "阿依古丽•买买提"));
	CHECK(same("阿依古丽·买买提", "阿依古丽‧买买提"));
	CHECK(same("阿依古丽·买买提", "阿依古丽・买买提"));
	CHECK(same("阿依古丽·买买提", "阿依古丽\xEF\xBD\xA5买买提"));	/* half-width katakana dot */
	CHECK(same("阿依古丽·买买提", "阿依古丽买买提"));
	CHECK(same("Zhang Wei", "ZHANGWEI"));
	CHECK(same("ＺＨＡＮＧ", "zhang"));	/* full-width letters */
	CHECK(!same("张伟", "张卫"));
	CHECK(!same("张伟", "王芳"));
	CHECK(!same("张伟", ""));
	CHECK(!same("\xFF\xFE", "\xFF\xFE"));	/* not UTF-8: no key */
	CHECK_INT(wc_person_name_key("張 偉", strlen("張 偉"), key, sizeof(key)), 6);
	CHECK_STR(key, "张伟");
	CHECK_INT(wc_person_name_key("张伟", strlen("张伟"), key, 4), -1);	/* key buffer too small */

	/* ledgers as HTML: headings, rows numbered, texts escaped; anything else refused */
	{
		size_t		n = 0;
		char	   *page;

		doc = "<Ledger xmlns=\"urn:wagecheck:ledger:1\" kind=\"case\"><Title>台账</Title><Unit>兰山区</Unit>"
			"<AsOf>2021-01-20T18:00:00+08:00</AsOf><Scope>全部</Scope><Columns><Col name=\"a\">案件编号</Col>"
			"<Col name=\"b\">金额</Col></Columns><Row><Cell>&lt;x&gt;</Cell><Cell num=\"true\">1.00</Cell></Row>"
			"<Row><Cell>y</Cell><Cell num=\"true\">2.00</Cell></Row></Ledger>";
		page = wc_ledger_html(doc, strlen(doc), &n, msg, sizeof(msg));
		CHECK(page != NULL);
		CHECK(page && strlen(page) == n);
		CHECK(page && strstr(page, "<th>案件编号</th>") != NULL);
		CHECK(page && strstr(page, "<td>&lt;x&gt;</td>") != NULL);
		CHECK(page && strstr(page, "<td class=\"n\">2</td>") != NULL);
		CHECK(page && strstr(page, "共 2 条") != NULL);
		CHECK(page && strstr(page, "charset=UTF-8") != NULL);
		free(page);
		CHECK(wc_ledger_html("<Ledger/>", 9, &n, msg, sizeof(msg)) == NULL);
		CHECK(wc_ledger_html("<a", 2, &n, msg, sizeof(msg)) == NULL);
		doc = "<!DOCTYPE L><Ledger xmlns=\"urn:wagecheck:ledger:1\"><Columns/></Ledger>";
		CHECK(wc_ledger_html(doc, strlen(doc), &n, msg, sizeof(msg)) == NULL);
	}

	UNIT_DONE();
}
