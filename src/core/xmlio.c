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
#include <libxml/encoding.h>
#include <libxml/parserInternals.h>
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

/* A growing text buffer (malloc'd). */
typedef struct wcx_text
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		oom;
} wcx_text;

/* While inside an entry: how far one alternative of a field's path has matched. */
typedef struct wcx_alt_state
{
	int			matched;		/* steps matched by the open elements below the entry */
	uint64_t	used;			/* bit i: step i's first element was met (only it counts) */
	bool		present;		/* the path exists: its value is in text */
	bool		capturing;		/* inside the path's element: its text is collected */
	wcx_text	text;
} wcx_alt_state;

/* An entry read and not yet handed out (strings malloc'd). */
typedef struct wcx_queued
{
	int			line;
	char	   *account;
	char	   *field[WCX_F_COUNT];
} wcx_queued;

/* The reader feeds libxml2's push parser 64 kB at a time (SAX: no tree is built) */
#define WCX_CHUNK 65536

struct wcx_reader
{
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax;
	const char *buf;
	size_t		len;
	size_t		pos;			/* bytes fed to the parser */
	bool		fed_all;
	wcx_read_fn read;			/* or the document comes in chunks from read(read_arg, ...) */
	void	   *read_arg;
	char	   *chunk;			/* WCX_CHUNK bytes */
	char	   *text;			/* the profile's paths, split in place */
	char	   *ns;
	wcx_path	entry;
	wcx_path	account;
	wcx_fpath	field[WCX_F_COUNT];
	int			nelem[WCX_F_COUNT][WCX_MAX_ALTS];	/* element steps of each alternative */
	const xmlChar *stack[WCX_MAX_DEPTH];
	bool		interned[WCX_MAX_DEPTH];	/* stack[i] is the dictionary's */
	int			depth;
	int			ncapturing;		/* alternatives collecting text */			/* elements open */
	bool		root_seen;
	bool		failed;
	/* the account element being read (depth, or -1) and the last account read */
	int			acct_depth;
	wcx_text	acct_text;
	char	   *acct_value;
	/* the entry being read (depth of its element, or -1) */
	int			entry_depth;
	int			entry_line;
	wcx_alt_state alt[WCX_F_COUNT][WCX_MAX_ALTS];
	/* entries read, not yet handed out: queue[head .. tail-1] */
	wcx_queued *queue;
	int			head;
	int			tail;
	int			qcap;
	wcx_queued	current;		/* the entry last handed out */
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

/* Replaces p's element names by the parser dictionary's copies (attribute steps stay). */
static bool
intern_path(wcx_reader *r, wcx_path *p)
{
	int			i;

	for (i = 0; i < p->n; i++)
		if (p->step[i][0] != '@')
		{
			const xmlChar *d = xmlDictLookup(r->ctxt->dict, (const xmlChar *) p->step[i], -1);

			if (d == NULL)
				return false;
			p->step[i] = (const char *) d;
		}
	return true;
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
					  int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
					  const xmlChar **attributes);
static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri);
static void sax_text(void *ctx, const xmlChar *ch, int len);
static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *id, const xmlChar *url);
static wcx_reader *reader_new(const wcx_profile *p, const char *encoding, char *msg, size_t msgsize);

wcx_reader *
wcx_reader_open(const char *buf, size_t len, const wcx_profile *p, char *msg, size_t msgsize)
{
	wcx_reader *r;

	msg[0] = '\0';
	switch (wcx_prolog_check(buf, len))
	{
		case WCX_DOCTYPE:
			snprintf(msg, msgsize, "the document has a document type declaration");
			return NULL;
		case WCX_EMPTY:
			snprintf(msg, msgsize, "the document has no root element");
			return NULL;
	}
	r = reader_new(p, "UTF-8", msg, msgsize);
	if (r)
	{
		r->buf = buf;
		r->len = len;
	}
	return r;
}

wcx_reader *
wcx_reader_open_io(wcx_read_fn read, void *arg, const char *encoding, const wcx_profile *p,
				   char *msg, size_t msgsize)
{
	wcx_reader *r;

	msg[0] = '\0';
	r = reader_new(p, encoding, msg, msgsize);
	if (r && (r->chunk = malloc(WCX_CHUNK)) == NULL)
	{
		wcx_reader_close(r);
		snprintf(msg, msgsize, "out of memory");
		return NULL;
	}
	if (r)
	{
		r->read = read;
		r->read_arg = arg;
	}
	return r;
}

/* A reader of the profile p (its paths split), its parser ready; encoding NULL: as declared. */
static wcx_reader *
reader_new(const wcx_profile *p, const char *encoding, char *msg, size_t msgsize)
{
	wcx_reader *r;
	size_t		total = 0,
				off = 0;
	int			i;
	const char *parts[WCX_F_COUNT + 3];
	char	   *copies[WCX_F_COUNT + 3];

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
	for (i = 0; i < WCX_F_COUNT; i++)
	{
		int			a;

		for (a = 0; a < r->field[i].nalt; a++)
		{
			const wcx_path *fp = &r->field[i].alt[a];

			r->nelem[i][a] = fp->step[fp->n - 1][0] == '@' ? fp->n - 1 : fp->n;
		}
	}
	r->acct_depth = -1;
	r->entry_depth = -1;
	r->sax.initialized = XML_SAX2_MAGIC;
	r->sax.startElementNs = sax_start;
	r->sax.endElementNs = sax_end;
	r->sax.characters = sax_text;
	r->sax.ignorableWhitespace = sax_text;
	r->sax.cdataBlock = sax_text;
	r->sax.serror = reader_error;
	r->sax.internalSubset = sax_doctype;
	r->ctxt = xmlCreatePushParserCtxt(&r->sax, r, NULL, 0, NULL);
	if (r->ctxt == NULL)
	{
		snprintf(msg, msgsize, "libxml2 could not create a parser");
		wcx_reader_close(r);
		return NULL;
	}
	/* a text the server converted is UTF-8 whatever its declaration says: the declaration is then ignored however the text is cut into chunks */
	xmlCtxtUseOptions(r->ctxt, WCX_PARSE_OPTIONS | (encoding ? XML_PARSE_IGNORE_ENC : 0));
	/* the paths' names as the parser's own (dictionary) strings: compared by address */
	if (!intern_path(r, &r->entry) || !intern_path(r, &r->account))
	{
		snprintf(msg, msgsize, "out of memory");
		wcx_reader_close(r);
		return NULL;
	}
	for (i = 0; i < WCX_F_COUNT; i++)
	{
		int			a;

		for (a = 0; a < r->field[i].nalt; a++)
			if (!intern_path(r, &r->field[i].alt[a]))
			{
				snprintf(msg, msgsize, "out of memory");
				wcx_reader_close(r);
				return NULL;
			}
	}
	if (encoding)
		xmlSwitchToEncoding(r->ctxt, xmlFindCharEncodingHandler(encoding));
	return r;
}

/* ---- the parser's callbacks ---- */

static void
text_reset(wcx_text *t)
{
	t->len = 0;
	t->oom = false;
}

static void
text_add(wcx_text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap)
	{
		size_t		cap = t->cap ? t->cap : 64;
		char	   *d;

		while (cap < t->len + n + 1)
			cap *= 2;
		d = realloc(t->data, cap);
		if (d == NULL)
		{
			t->oom = true;
			return;
		}
		t->data = d;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

/* malloc'd copy of s[0..n-1] without leading and trailing white space. */
static char *
trimmed_copy(const char *s, size_t n)
{
	char	   *out;

	while (n > 0 && is_space((unsigned char) *s))
	{
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char) s[n - 1]))
		n--;
	out = malloc(n + 1);
	if (out)
	{
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/*
 * True if name (an element's local name) is step: the same address when the parser took
 * the name from its dictionary (interned: as it does), else the same text.
 */
static inline bool
name_is(const xmlChar *name, bool interned, const char *step)
{
	return interned ? (const char *) name == step : strcmp((const char *) name, step) == 0;
}

/* True if the open elements stack[0..p->n-1] are the path p. */
static bool
path_is(const wcx_reader *r, const wcx_path *p)
{
	int			i;

	for (i = p->n - 1; i >= 0; i--)
		if (!name_is(r->stack[i], r->interned[i], p->step[i]))
			return false;
	return true;
}

/* The value of the attribute without namespace named name among SAX2's attributes. */
static bool
attribute(int nb, const xmlChar **attrs, const char *name, wcx_text *t)
{
	int			i;

	for (i = 0; i < nb; i++)
	{
		const xmlChar **at = attrs + 5 * i;

		if (at[2] == NULL && strcmp((const char *) at[0], name) == 0)
		{
			text_reset(t);
			text_add(t, (const char *) at[3], (size_t) (at[4] - at[3]));
			if (t->data == NULL)
				text_add(t, "", 0);
			return true;
		}
	}
	return false;
}

static void
stop(wcx_reader *r, int line, const char *msg)
{
	set_error(r, line, msg);
	xmlStopParser(r->ctxt);
}

/* The entry's fields: for each, the first alternative present, trimmed. */
static void
queue_entry(wcx_reader *r)
{
	wcx_queued *q;
	int			i,
				a;

	if (r->tail == r->qcap)
	{
		int			cap = r->qcap ? r->qcap * 2 : 64;
		wcx_queued *nq = realloc(r->queue, sizeof(wcx_queued) * cap);

		if (nq == NULL)
		{
			stop(r, r->entry_line, "out of memory");
			return;
		}
		r->queue = nq;
		r->qcap = cap;
	}
	q = &r->queue[r->tail++];
	memset(q, 0, sizeof(*q));
	q->line = r->entry_line;
	if (r->acct_value)
		q->account = trimmed_copy(r->acct_value, strlen(r->acct_value));
	for (i = 0; i < WCX_F_COUNT; i++)
		for (a = 0; a < r->field[i].nalt; a++)
		{
			wcx_alt_state *st = &r->alt[i][a];

			if (!st->present)
				continue;
			if (st->text.oom)
			{
				stop(r, r->entry_line, "out of memory");
				return;
			}
			q->field[i] = trimmed_copy(st->text.data ? st->text.data : "", st->text.len);
			break;
		}
}

static void
sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
		  int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
		  const xmlChar **attributes)
{
	wcx_reader *r = ctx;
	int			d = r->depth++;
	int			line = r->ctxt->input ? r->ctxt->input->line : 0;
	bool		interned = xmlDictOwns(r->ctxt->dict, localname) == 1;
	int			i,
				a;

	(void) prefix;
	(void) nb_namespaces;
	(void) namespaces;
	(void) nb_defaulted;
	if (r->failed)
		return;
	if (d == 0 && !r->root_seen)
	{
		r->root_seen = true;
		if (r->ns[0] != '\0' && (uri == NULL || strcmp((const char *) uri, r->ns) != 0))
		{
			char		m[WCX_MSG_SIZE];

			snprintf(m, sizeof(m), "the root element is in namespace \"%.80s\", not the profile's \"%.80s\"",
					 uri ? (const char *) uri : "", r->ns);
			stop(r, line, m);
			return;
		}
	}
	if (d < WCX_MAX_DEPTH)
	{
		r->stack[d] = localname;
		r->interned[d] = interned;
	}
	if (r->entry_depth >= 0)
	{
		/* inside an entry: the fields' paths, step by step (the first element of a name only) */
		int			rel = d - r->entry_depth;	/* >= 1 */

		if (rel > WCX_MAX_DEPTH)
			return;
		for (i = 0; i < WCX_F_COUNT; i++)
			for (a = 0; a < r->field[i].nalt; a++)
			{
				wcx_alt_state *st = &r->alt[i][a];
				const wcx_path *fp = &r->field[i].alt[a];
				int			ne = r->nelem[i][a];

				if (st->matched != rel - 1 || rel > ne || (st->used & ((uint64_t) 1 << (rel - 1))) ||
					!name_is(localname, interned, fp->step[rel - 1]))
					continue;
				st->used |= (uint64_t) 1 << (rel - 1);
				st->matched = rel;
				if (rel < ne)
					continue;
				if (ne < fp->n)
					st->present = attribute(nb_attributes, attributes, fp->step[ne] + 1, &st->text);
				else
				{
					st->present = true;
					st->capturing = true;
					r->ncapturing++;
					text_reset(&st->text);
				}
			}
		return;
	}
	if (r->acct_depth >= 0 || d >= WCX_MAX_DEPTH)
		return;
	if (d + 1 == r->account.n && path_is(r, &r->account))
	{
		r->acct_depth = d;
		text_reset(&r->acct_text);
		return;
	}
	if (d + 1 == r->entry.n && path_is(r, &r->entry))
	{
		r->entry_depth = d;
		r->entry_line = line;
		r->ncapturing = 0;
		for (i = 0; i < WCX_F_COUNT; i++)
			for (a = 0; a < r->field[i].nalt; a++)
			{
				wcx_alt_state *st = &r->alt[i][a];

				st->matched = 0;
				st->used = 0;
				st->present = false;
				st->capturing = false;
				text_reset(&st->text);
				/* an attribute of the entry itself */
				if (r->nelem[i][a] == 0)
					st->present = attribute(nb_attributes, attributes, r->field[i].alt[a].step[0] + 1, &st->text);
			}
	}
}

static void
sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	wcx_reader *r = ctx;
	int			d = --r->depth;
	int			i,
				a;

	(void) localname;
	(void) prefix;
	(void) uri;
	if (r->failed)
		return;
	if (r->entry_depth >= 0)
	{
		int			rel = d - r->entry_depth;

		if (rel == 0)
		{
			queue_entry(r);
			r->entry_depth = -1;
			return;
		}
		for (i = 0; i < WCX_F_COUNT; i++)
			for (a = 0; a < r->field[i].nalt; a++)
			{
				wcx_alt_state *st = &r->alt[i][a];

				if (st->matched == rel)
				{
					st->matched = rel - 1;
					if (st->capturing)
						r->ncapturing--;
					st->capturing = false;
				}
			}
		return;
	}
	if (r->acct_depth == d)
	{
		if (r->acct_text.oom)
		{
			stop(r, r->ctxt->input ? r->ctxt->input->line : 0, "out of memory");
			return;
		}
		free(r->acct_value);
		r->acct_value = trimmed_copy(r->acct_text.data ? r->acct_text.data : "", r->acct_text.len);
		r->acct_depth = -1;
	}
}

static void
sax_text(void *ctx, const xmlChar *ch, int len)
{
	wcx_reader *r = ctx;
	int			i,
				a;

	if (r->failed || len <= 0)
		return;
	if (r->entry_depth >= 0)
	{
		if (r->ncapturing == 0)
			return;
		for (i = 0; i < WCX_F_COUNT; i++)
			for (a = 0; a < r->field[i].nalt; a++)
				if (r->alt[i][a].capturing)
					text_add(&r->alt[i][a].text, (const char *) ch, (size_t) len);
	}
	else if (r->acct_depth >= 0)
		text_add(&r->acct_text, (const char *) ch, (size_t) len);
}

/*
 * A document type declaration past what the prolog check saw (a streamed document's first
 * chunk): refused before its internal subset is read.
 */
static void
sax_doctype(void *ctx, const xmlChar *name, const xmlChar *id, const xmlChar *url)
{
	wcx_reader *r = ctx;

	(void) name;
	(void) id;
	(void) url;
	stop(r, r->ctxt->input ? r->ctxt->input->line : 0, "the document has a document type declaration");
}

static void
free_current(wcx_reader *r)
{
	int			i;

	free(r->current.account);
	for (i = 0; i < WCX_F_COUNT; i++)
		free(r->current.field[i]);
	memset(&r->current, 0, sizeof(r->current));
}

int
wcx_reader_next(wcx_reader *r, wcx_entry *e)
{
	int			i;

	free_current(r);
	for (;;)
	{
		size_t		n;
		int			rc;

		if (r->head < r->tail)
		{
			r->current = r->queue[r->head++];
			if (r->head == r->tail)
				r->head = r->tail = 0;
			r->count++;
			e->ordinal = r->count;
			e->line = r->current.line;
			e->account = r->current.account;
			for (i = 0; i < WCX_F_COUNT; i++)
				e->field[i] = r->current.field[i];
			return WCX_ENTRY;
		}
		if (r->failed)
			return WCX_ERROR;
		if (r->fed_all)
		{
			if (!r->root_seen)
			{
				set_error(r, 0, "the document has no root element");
				return WCX_ERROR;
			}
			return WCX_END;
		}
		if (r->read)
		{
			int			got = r->read(r->read_arg, r->chunk, WCX_CHUNK);

			if (got < 0)
			{
				set_error(r, 0, "the document could not be read");
				return WCX_ERROR;
			}
			n = (size_t) got;
			r->fed_all = n == 0;
			if (r->pos == 0 && n > 0)
			{
				/* the prolog as far as the first chunk holds it (a later DOCTYPE: sax_doctype) */
				int			pc = wcx_prolog_check(r->chunk, n);

				if (pc == WCX_DOCTYPE)
				{
					set_error(r, 1, "the document has a document type declaration");
					return WCX_ERROR;
				}
			}
			rc = xmlParseChunk(r->ctxt, r->chunk, (int) n, r->fed_all ? 1 : 0);
		}
		else
		{
			n = r->len - r->pos < WCX_CHUNK ? r->len - r->pos : WCX_CHUNK;
			r->fed_all = r->pos + n == r->len;
			rc = xmlParseChunk(r->ctxt, r->buf + r->pos, (int) n, r->fed_all ? 1 : 0);
		}
		r->pos += n;
		if (rc != 0 || (r->fed_all && !r->ctxt->wellFormed))
			set_error(r, r->ctxt->input ? r->ctxt->input->line : 0, "the document is not well-formed");
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
	int			i,
				a;

	if (r == NULL)
		return;
	if (r->ctxt)
		xmlFreeParserCtxt(r->ctxt);
	free_current(r);
	while (r->head < r->tail)
	{
		r->current = r->queue[r->head++];
		free_current(r);
	}
	free(r->queue);
	for (i = 0; i < WCX_F_COUNT; i++)
		for (a = 0; a < WCX_MAX_ALTS; a++)
			free(r->alt[i][a].text.data);
	free(r->acct_text.data);
	free(r->acct_value);
	free(r->chunk);
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
