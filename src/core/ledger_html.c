/*
 * ledger_html.c — a ledger as printable HTML (see ledger_html.h): what a department prints
 * and stamps. The document is read with the same safe options as every XML wagecheck reads
 * (no DTD, entity or network); the page is built as an HTML tree (htmlNewDoc) and written
 * by libxml2's HTML serialiser, which escapes every text.
 */
#include "core/ledger_html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "core/xmlio.h"

static const char *const page_style =
"@page { size: A4 landscape; margin: 12mm; }\n"
"body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: 10.5pt; }\n"
"h1 { text-align: center; font-size: 18pt; letter-spacing: 0.3em; margin: 0 0 6pt; }\n"
"p.meta { margin: 2pt 0; }\n"
"table { border-collapse: collapse; width: 100%; }\n"
"thead { display: table-header-group; }\n"
"tr { page-break-inside: avoid; }\n"
"th, td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }\n"
"th { background: #eee; }\n"
"td.n { text-align: right; }\n"
"p.sign { margin-top: 18pt; }\n";

/* The first child element of n in the ledger namespace named name. */
static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	xmlNodePtr	c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, name) == 0 &&
			c->ns && strcmp((const char *) c->ns->href, WC_LEDGER_NS) == 0)
			return c;
	return NULL;
}

/* Next sibling element named like n. */
static xmlNodePtr
next_same(xmlNodePtr n)
{
	xmlNodePtr	c;

	for (c = n->next; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, (const char *) n->name) == 0)
			return c;
	return NULL;
}

/* Appends <tag>text</tag> (text escaped by libxml2) to parent; returns the new element. */
static xmlNodePtr
add(xmlNodePtr parent, const char *tag, const xmlChar *text)
{
	return xmlNewTextChild(parent, NULL, (const xmlChar *) tag, text);
}

/* The text content of n, to be freed with xmlFree; "" when n is NULL. */
static xmlChar *
text_of(xmlNodePtr n)
{
	return n ? xmlNodeGetContent(n) : xmlStrdup((const xmlChar *) "");
}

char *
wc_ledger_html(const char *buf, size_t len, size_t *outlen, char *msg, size_t msgsize)
{
	xmlDocPtr	doc;
	xmlNodePtr	root,
				cols,
				col,
				row,
				cell;
	htmlDocPtr	page;
	xmlNodePtr	html,
				head,
				body,
				table,
				tr,
				n;
	xmlChar    *title,
			   *unit,
			   *asof,
			   *scope,
			   *kind,
			   *t;
	xmlChar    *mem = NULL;
	int			size = 0,
				rows = 0;
	char		line[512];
	char	   *out;

	msg[0] = '\0';
	if (len > (size_t) INT32_MAX || wcx_prolog_check(buf, len) != WCX_OK)
	{
		snprintf(msg, msgsize, "the ledger has a document type declaration or no root element");
		return NULL;
	}
	doc = xmlReadMemory(buf, (int) len, NULL, "UTF-8", WCX_PARSE_OPTIONS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || strcmp((const char *) root->name, "Ledger") != 0 || root->ns == NULL ||
		strcmp((const char *) root->ns->href, WC_LEDGER_NS) != 0 || (cols = child(root, "Columns")) == NULL)
	{
		snprintf(msg, msgsize, "the document is not a ledger of namespace %s", WC_LEDGER_NS);
		xmlFreeDoc(doc);
		return NULL;
	}
	title = text_of(child(root, "Title"));
	unit = text_of(child(root, "Unit"));
	asof = text_of(child(root, "AsOf"));
	scope = text_of(child(root, "Scope"));
	kind = xmlGetNoNsProp(root, (const xmlChar *) "kind");

	page = htmlNewDoc((const xmlChar *) "http://www.w3.org/TR/html4/strict.dtd",
					  (const xmlChar *) "-//W3C//DTD HTML 4.01//EN");
	html = xmlNewDocNode(page, NULL, (const xmlChar *) "html", NULL);
	xmlDocSetRootElement(page, html);
	xmlNewProp(html, (const xmlChar *) "lang", (const xmlChar *) "zh-CN");
	head = xmlNewChild(html, NULL, (const xmlChar *) "head", NULL);
	n = xmlNewChild(head, NULL, (const xmlChar *) "meta", NULL);
	xmlNewProp(n, (const xmlChar *) "http-equiv", (const xmlChar *) "Content-Type");
	xmlNewProp(n, (const xmlChar *) "content", (const xmlChar *) "text/html; charset=UTF-8");
	add(head, "title", title);
	n = add(head, "style", (const xmlChar *) page_style);
	xmlNewProp(n, (const xmlChar *) "type", (const xmlChar *) "text/css");
	body = xmlNewChild(html, NULL, (const xmlChar *) "body", NULL);
	if (kind)
		xmlNewProp(body, (const xmlChar *) "class", kind);
	add(body, "h1", title);
	snprintf(line, sizeof(line), "填报单位：%.200s", (const char *) unit);
	xmlNewProp(add(body, "p", (const xmlChar *) line), (const xmlChar *) "class", (const xmlChar *) "meta");
	snprintf(line, sizeof(line), "统计截至：%.100s　　范围：%.200s", (const char *) asof, (const char *) scope);
	xmlNewProp(add(body, "p", (const xmlChar *) line), (const xmlChar *) "class", (const xmlChar *) "meta");

	table = xmlNewChild(body, NULL, (const xmlChar *) "table", NULL);
	tr = xmlNewChild(xmlNewChild(table, NULL, (const xmlChar *) "thead", NULL), NULL, (const xmlChar *) "tr", NULL);
	add(tr, "th", (const xmlChar *) "序号");
	for (col = child(cols, "Col"); col; col = next_same(col))
	{
		t = xmlNodeGetContent(col);
		add(tr, "th", t);
		xmlFree(t);
	}
	n = xmlNewChild(table, NULL, (const xmlChar *) "tbody", NULL);
	for (row = child(root, "Row"); row; row = next_same(row))
	{
		rows++;
		tr = xmlNewChild(n, NULL, (const xmlChar *) "tr", NULL);
		snprintf(line, sizeof(line), "%d", rows);
		xmlNewProp(add(tr, "td", (const xmlChar *) line), (const xmlChar *) "class", (const xmlChar *) "n");
		for (cell = child(row, "Cell"); cell; cell = next_same(cell))
		{
			xmlChar    *num = xmlGetNoNsProp(cell, (const xmlChar *) "num");
			xmlNodePtr	td;

			t = xmlNodeGetContent(cell);
			td = add(tr, "td", t);
			if (num && xmlStrEqual(num, (const xmlChar *) "true"))
				xmlNewProp(td, (const xmlChar *) "class", (const xmlChar *) "n");
			xmlFree(num);
			xmlFree(t);
		}
	}
	snprintf(line, sizeof(line), "共 %d 条。", rows);
	xmlNewProp(add(body, "p", (const xmlChar *) line), (const xmlChar *) "class", (const xmlChar *) "meta");
	xmlNewProp(add(body, "p", (const xmlChar *) "填报人：＿＿＿＿＿＿　　审核人：＿＿＿＿＿＿　　负责人：＿＿＿＿＿＿　　（盖章）"),
			   (const xmlChar *) "class", (const xmlChar *) "sign");

	htmlDocDumpMemoryFormat(page, &mem, &size, 1);
	xmlFree(title);
	xmlFree(unit);
	xmlFree(asof);
	xmlFree(scope);
	xmlFree(kind);
	xmlFreeDoc(page);
	xmlFreeDoc(doc);
	if (mem == NULL || size < 0)
	{
		xmlFree(mem);
		snprintf(msg, msgsize, "libxml2 could not write the page");
		return NULL;
	}
	out = malloc((size_t) size + 1);
	if (out)
	{
		memcpy(out, mem, (size_t) size);
		out[size] = '\0';
		*outlen = (size_t) size;
	}
	else
		snprintf(msg, msgsize, "out of memory");
	xmlFree(mem);
	return out;
}
