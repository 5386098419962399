/*
 * xmlio.c — safe reading of XML with libxml2 (see xmlio.h). Nothing here includes
 * postgres.h: the PostgreSQL glue (src/interchange/) wraps it in pg_xml_init/pg_xml_done
 * and frees what it opened on every error path.
 *
 * Safety: a document type declaration is refused before libxml2 sees the document, so no
 * internal or external entity is ever declared, loaded or expanded (billion laughs and XXE
 * fail at once, with the same clear reason); the parser runs without network, without
 * entity substitution and without DTD loading, with libxml2's size limits, and an external
 * entity loader that refuses everything is installed by the callers.
 */
#include "core/xmlio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

const char *const wcx_field_names[WCX_F_COUNT] = {
	"ref", "amount", "currency", "direction", "booked", "purpose",
	"account_in", "account_out", "name_in", "name_out"
};

/* Refuses every external entity, DTD, file and URL (installed with xmlSetExternalEntityLoader). */
xmlParserInputPtr
wcx_refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void) url;
	(void) id;
	(void) ctxt;
	return NULL;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips past the first occurrence of end (a literal) at or after *i; false if absent. */
static bool
skip_past(const char *buf, size_t len, size_t *i, const char *end)
{
	size_t		n = strlen(end);

	while (*i + n <= len)
	{
		if (memcmp(buf + *i, end, n) == 0)
		{
			*i += n;
			return true;
		}
		(*i)++;
	}
	return false;
}

int
wcx_prolog_check(const char *buf, size_t len)
{
	size_t		i = 0;

	if (len >= 3 && (unsigned char) buf[0] == 0xEF && (unsigned char) buf[1] == 0xBB &&
		(unsigned char) buf[2] == 0xBF)
		i = 3;
	for (;;)
	{
		while (i < len && is_space((unsigned char) buf[i]))
			i++;
		if (i >= len)
			return WCX_EMPTY;
		if (buf[i] != '<' || i + 1 >= len)
			return WCX_OK;		/* not markup: libxml2 reports it */
		if (buf[i + 1] == '?')
		{
			i += 2;
			if (!skip_past(buf, len, &i, "?>"))
				return WCX_OK;	/* unterminated: libxml2 reports it */
			continue;
		}
		if (buf[i + 1] == '!')
		{
			if (i + 4 <= len && memcmp(buf + i, "<!--", 4) == 0)
			{
				i += 4;
				if (!skip_past(buf, len, &i, "-->"))
					return WCX_OK;
				continue;
			}
			/* <!DOCTYPE, and anything else a prolog cannot hold but a DTD might */
			return WCX_DOCTYPE;
		}
		return WCX_OK;			/* the root element */
	}
}

/* ---- paths ---- */

typedef struct wcx_path
{
	int			n;
	const char *step[WCX_MAX_DEPTH];	/* into the reader's copy of the profile */
} wcx_path;

#define WCX_MAX_ALTS 4
typedef struct wcx_fpath
{
	int			nalt;
	wcx_path	alt[WCX_MAX_ALTS];
} wcx_fpath;

struct wcx_reader
{
	xmlTextReaderPtr xr;
	char	   *text;			/* the profile's paths, split in place */
	char	   *ns;
	wcx_path	entry;
	wcx_path	account;
	wcx_fpath	field[WCX_F_COUNT];
	const xmlChar *stack[WCX_MAX_DEPTH];
	bool		root_seen;
	bool		skip;
	bool		failed;
	char	   *acct_value;
	char	   *value[WCX_F_COUNT];
	int64_t		count;
	int			errline;
	char		err[WCX_MSG_SIZE];
};

/* Splits s (modified) at '/' into p; false if a step is empty or there are too many. */
static bool
split_path(char *s, wcx_path *p)
{
	char	   *tok;

	p->n = 0;
	if (s == NULL || *s == '\0')
		return true;
	for (;;)
	{
		tok = s;
		s = strchr(s, '/');
		if (s)
			*s++ = '\0';
		if (*tok == '\0' || p->n >= WCX_MAX_DEPTH)
			return false;
		/* an attribute only as the last step */
		if (tok[0] == '@' && (s != NULL || tok[1] == '\0'))
			return false;
		p->step[p->n++] = tok;
		if (s == NULL)
			return true;
	}
}

static bool
split_alts(char *s, wcx_fpath *f)
{
	char	   *tok;

	f->nalt = 0;
	if (s == NULL || *s == '\0')
		return true;
	for (;;)
	{
		tok = s;
		s = strchr(s, '|');
		if (s)
			*s++ = '\0';
		if (f->nalt >= WCX_MAX_ALTS || !split_path(tok, &f->alt[f->nalt]) || f->alt[f->nalt].n == 0)
			return false;
		f->nalt++;
		if (s == NULL)
			return true;
	}
}

static void
set_error(wcx_reader *r, int line, const char *msg)
{
	size_t		n;

	if (r->failed)
		return;
	r->failed = true;
	r->errline = line;
	snprintf(r->err, sizeof(r->err), "%s", msg ? msg : "unknown error");
	n = strlen(r->err);
	while (n > 0 && is_space((unsigned char) r->err[n - 1]))
		r->err[--n] = '\0';
}

/* The reader's errors: the first error (not warning) stops it. */
static void
reader_error(void *arg, xmlErrorPtr err)
{
	wcx_reader *r = arg;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	set_error(r, err->line, err->message);
}

wcx_reader *
wcx_reader_open(const char *buf, size_t len, const wcx_profile *p, char *msg, size_t msgsize)
{
	wcx_reader *r;
	size_t		total = 0,
				off = 0;
	int			i;
	const char *parts[WCX_F_COUNT + 3];
	char	   *copies[WCX_F_COUNT + 3];

	msg[0] = '\0';
	if (len > (size_t) INT32_MAX)
	{
		snprintf(msg, msgsize, "the document is larger than 2 GB");
		return NULL;
	}
	switch (wcx_prolog_check(buf, len))
	{
		case WCX_DOCTYPE:
			snprintf(msg, msgsize, "the document has a document type declaration");
			return NULL;
		case WCX_EMPTY:
			snprintf(msg, msgsize, "the document has no root element");
			return NULL;
	}
	parts[0] = p->ns;
	parts[1] = p->entry_path;
	parts[2] = p->account_path;
	for (i = 0; i < WCX_F_COUNT; i++)
		parts[3 + i] = p->field_path[i];
	for (i = 0; i < WCX_F_COUNT + 3; i++)
		total += (parts[i] ? strlen(parts[i]) : 0) + 1;
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->text = malloc(total)) == NULL)
	{
		free(r);
		snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	for (i = 0; i < WCX_F_COUNT + 3; i++)
	{
		size_t		n = parts[i] ? strlen(parts[i]) : 0;

		copies[i] = r->text + off;
		memcpy(copies[i], parts[i] ? parts[i] : "", n);
		copies[i][n] = '\0';
		off += n + 1;
	}
	r->ns = copies[0];
	if (!split_path(copies[1], &r->entry) || r->entry.n == 0 ||
		r->entry.step[r->entry.n - 1][0] == '@')
	{
		snprintf(msg, msgsize, "the profile's entry path \"%s\" is not a path of element names", p->entry_path ? p->entry_path : "");
		wcx_reader_close(r);
		return NULL;
	}
	if (!split_path(copies[2], &r->account) ||
		(r->account.n > 0 && r->account.step[r->account.n - 1][0] == '@'))
	{
		snprintf(msg, msgsize, "the profile's account path \"%s\" is not a path of element names", p->account_path);
		wcx_reader_close(r);
		return NULL;
	}
	for (i = 0; i < WCX_F_COUNT; i++)
		if (!split_alts(copies[3 + i], &r->field[i]))
		{
			snprintf(msg, msgsize, "the profile's path of field %s, \"%s\", is not a path (steps a/b, an attribute @a last, at most %d alternatives a|b)",
					 wcx_field_names[i], p->field_path[i], WCX_MAX_ALTS);
			wcx_reader_close(r);
			return NULL;
		}
	r->xr = xmlReaderForMemory(buf, (int) len, NULL, "UTF-8", WCX_PARSE_OPTIONS);
	if (r->xr == NULL)
	{
		snprintf(msg, msgsize, "libxml2 could not create a reader");
		wcx_reader_close(r);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(r->xr, reader_error, r);
	return r;
}

/* True if the element path stack[0..n-1] is p. */
static bool
path_is(const wcx_reader *r, const wcx_path *p)
{
	int			i;

	for (i = p->n - 1; i >= 0; i--)
		if (strcmp((const char *) r->stack[i], p->step[i]) != 0)
			return false;
	return true;
}

/* The first child element of n named name. */
static xmlNodePtr
child_named(xmlNodePtr n, const char *name)
{
	xmlNodePtr	c;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *) c->name, name) == 0)
			return c;
	return NULL;
}

/* malloc'd copy of s without leading and trailing white space (s is freed with xmlFree). */
static char *
trimmed(xmlChar *s)
{
	char	   *b = (char *) s,
			   *e,
			   *out;
	size_t		n;

	if (s == NULL)
		return NULL;
	while (*b && is_space((unsigned char) *b))
		b++;
	e = b + strlen(b);
	while (e > b && is_space((unsigned char) e[-1]))
		e--;
	n = (size_t) (e - b);
	out = malloc(n + 1);
	if (out)
	{
		memcpy(out, b, n);
		out[n] = '\0';
	}
	xmlFree(s);
	return out;
}

/* The value at f under the entry node, malloc'd; NULL if absent. */
static char *
field_value(xmlNodePtr entry, const wcx_fpath *f)
{
	int			a,
				i;

	for (a = 0; a < f->nalt; a++)
	{
		const wcx_path *p = &f->alt[a];
		xmlNodePtr	n = entry;

		for (i = 0; i < p->n && n; i++)
		{
			if (p->step[i][0] == '@')
			{
				xmlChar    *v = xmlGetNoNsProp(n, (const xmlChar *) p->step[i] + 1);

				if (v)
					return trimmed(v);
				n = NULL;
				break;
			}
			n = child_named(n, p->step[i]);
		}
		if (n)
			return trimmed(xmlNodeGetContent(n));
	}
	return NULL;
}

static void
free_values(wcx_reader *r)
{
	int			i;

	for (i = 0; i < WCX_F_COUNT; i++)
	{
		free(r->value[i]);
		r->value[i] = NULL;
	}
}

int
wcx_reader_next(wcx_reader *r, wcx_entry *e)
{
	free_values(r);
	if (r->failed)
		return WCX_ERROR;
	for (;;)
	{
		int			rc,
					d,
					i;
		const xmlChar *name;
		xmlNodePtr	node;

		rc = r->skip ? xmlTextReaderNext(r->xr) : xmlTextReaderRead(r->xr);
		r->skip = false;
		if (r->failed)
			return WCX_ERROR;
		if (rc < 0)
		{
			set_error(r, 0, "the document is not well-formed");
			return WCX_ERROR;
		}
		if (rc == 0)
		{
			if (!r->root_seen)
			{
				set_error(r, 0, "the document has no root element");
				return WCX_ERROR;
			}
			return WCX_END;
		}
		if (xmlTextReaderNodeType(r->xr) != XML_READER_TYPE_ELEMENT)
			continue;
		d = xmlTextReaderDepth(r->xr);
		name = xmlTextReaderConstLocalName(r->xr);
		if (d < 0 || name == NULL)
			continue;
		if (d == 0 && !r->root_seen)
		{
			const xmlChar *uri = xmlTextReaderConstNamespaceUri(r->xr);

			r->root_seen = true;
			if (r->ns[0] != '\0' && (uri == NULL || strcmp((const char *) uri, r->ns) != 0))
			{
				char		m[WCX_MSG_SIZE];

				snprintf(m, sizeof(m), "the root element is in namespace \"%.80s\", not the profile's \"%.80s\"",
						 uri ? (const char *) uri : "", r->ns);
				set_error(r, xmlTextReaderGetParserLineNumber(r->xr), m);
				return WCX_ERROR;
			}
		}
		if (d >= WCX_MAX_DEPTH)
			continue;
		r->stack[d] = name;
		if (d + 1 == r->account.n && path_is(r, &r->account))
		{
			node = xmlTextReaderExpand(r->xr);
			if (node == NULL)
			{
				set_error(r, xmlTextReaderGetParserLineNumber(r->xr), "the document is not well-formed");
				return WCX_ERROR;
			}
			free(r->acct_value);
			r->acct_value = trimmed(xmlNodeGetContent(node));
			r->skip = true;
			continue;
		}
		if (d + 1 == r->entry.n && path_is(r, &r->entry))
		{
			node = xmlTextReaderExpand(r->xr);
			if (node == NULL || r->failed)
			{
				set_error(r, xmlTextReaderGetParserLineNumber(r->xr), "the document is not well-formed");
				return WCX_ERROR;
			}
			r->skip = true;
			r->count++;
			e->ordinal = r->count;
			e->line = (int) xmlGetLineNo(node);
			e->account = r->acct_value;
			for (i = 0; i < WCX_F_COUNT; i++)
				e->field[i] = r->value[i] = field_value(node, &r->field[i]);
			return WCX_ENTRY;
		}
	}
}

const char *
wcx_reader_error(const wcx_reader *r, int *line)
{
	if (line)
		*line = r->errline;
	return r->failed ? r->err : NULL;
}

int64_t
wcx_reader_count(const wcx_reader *r)
{
	return r->count;
}

void
wcx_reader_close(wcx_reader *r)
{
	if (r == NULL)
		return;
	if (r->xr)
		xmlFreeTextReader(r->xr);
	free_values(r);
	free(r->acct_value);
	free(r->text);
	free(r);
}

/* ---- validation ---- */

static void
add_error(wcx_errors *errs, int line, int column, const char *msg)
{
	wcx_error  *e;
	size_t		n;

	if (errs->count >= WCX_MAX_ERRORS)
	{
		errs->dropped++;
		return;
	}
	e = &errs->e[errs->count++];
	e->line = line;
	e->column = column;
	snprintf(e->message, sizeof(e->message), "%s", msg ? msg : "unknown error");
	n = strlen(e->message);
	while (n > 0 && is_space((unsigned char) e->message[n - 1]))
		e->message[--n] = '\0';
}

static void
collect_error(void *arg, xmlErrorPtr err)
{
	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	add_error(arg, err->line, err->int2, err->message);
}

/* The parser's errors: its user data is the parser itself; the list is in _private. */
static void
collect_parse_error(void *arg, xmlErrorPtr err)
{
	xmlParserCtxtPtr ctxt = arg;

	if (ctxt && ctxt->_private)
		collect_error(ctxt->_private, err);
}

bool
wcx_validate(const char *buf, size_t len, void *schema, wcx_errors *errs)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr	doc;
	xmlSchemaValidCtxtPtr vctxt;
	int			rc;

	if (len > (size_t) INT32_MAX)
	{
		add_error(errs, 0, 0, "the document is larger than 2 GB");
		return false;
	}
	switch (wcx_prolog_check(buf, len))
	{
		case WCX_DOCTYPE:
			add_error(errs, 1, 1, "the document has a document type declaration");
			return false;
		case WCX_EMPTY:
			add_error(errs, 1, 1, "the document has no root element");
			return false;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
	{
		add_error(errs, 0, 0, "out of memory");
		return false;
	}
	ctxt->_private = errs;
	ctxt->sax->serror = collect_parse_error;
	doc = xmlCtxtReadMemory(ctxt, buf, (int) len, NULL, "UTF-8", WCX_PARSE_OPTIONS);
	if (doc == NULL || !ctxt->wellFormed)
	{
		if (errs->count == 0)
			add_error(errs, 0, 0, "the document is not well-formed");
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return false;
	}
	xmlFreeParserCtxt(ctxt);
	vctxt = xmlSchemaNewValidCtxt((xmlSchemaPtr) schema);
	if (vctxt == NULL)
	{
		xmlFreeDoc(doc);
		add_error(errs, 0, 0, "out of memory");
		return false;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, collect_error, errs);
	rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	xmlFreeDoc(doc);
	if (rc != 0 && errs->count == 0)
		add_error(errs, 0, 0, rc < 0 ? "libxml2 could not validate the document" : "the document is not valid");
	return rc == 0 && errs->count == 0;
}

void *
wcx_schema_parse(const char *buf, size_t len, char *msg, size_t msgsize)
{
	xmlSchemaParserCtxtPtr pctxt;
	xmlSchemaPtr schema;
	wcx_errors *errs;

	msg[0] = '\0';
	if (len > (size_t) INT32_MAX || wcx_prolog_check(buf, len) != WCX_OK)
	{
		snprintf(msg, msgsize, "the schema has a document type declaration or no root element");
		return NULL;
	}
	errs = calloc(1, sizeof(*errs));
	pctxt = errs ? xmlSchemaNewMemParserCtxt(buf, (int) len) : NULL;
	if (pctxt == NULL)
	{
		free(errs);
		snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	xmlSchemaSetParserStructuredErrors(pctxt, collect_error, errs);
	schema = xmlSchemaParse(pctxt);
	xmlSchemaFreeParserCtxt(pctxt);
	if (schema == NULL)
	{
		if (errs->count > 0)
			snprintf(msg, msgsize, "line %d: %s", errs->e[0].line, errs->e[0].message);
		else
			snprintf(msg, msgsize, "the schema could not be parsed");
	}
	free(errs);
	return schema;
}

void
wcx_schema_free(void *schema)
{
	if (schema)
		xmlSchemaFree((xmlSchemaPtr) schema);
}
