/*
 * xml_glue.c — the area's settings, documents as UTF-8 with a size limit, the
 * shipped schemas (read from the schema directory, parsed once per backend) and
 * wagecheck.xml_validate / wagecheck.xml_is_valid, and ledgers printed as HTML.
 *
 * Every use of libxml2 follows the discipline of PostgreSQL's xml.c: pg_xml_init,
 * PG_TRY, the libxml2 objects freed in PG_CATCH, pg_xml_done(cxt, isError).
 */
#include "postgres.h"

#include <sys/stat.h>

#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/xml.h"

#include <libxml/parser.h>

#include "core/ledger_html.h"
#include "core/xmlio.h"
#include "interchange/interchange.h"
#include "nls.h"

char	   *wc_xml_schema_dir = NULL;
int			wc_xml_max_mb = 512;

#define WC_SCHEMA_MAX_BYTES (4 * 1024 * 1024)
#define WC_SCHEMA_CACHE 16

typedef struct wc_schema_slot
{
	char		path[MAXPGPATH];
	time_t		mtime;
	off_t		size;
	void	   *schema;			/* xmlSchemaPtr, malloc'd by libxml2 */
} wc_schema_slot;

static wc_schema_slot schema_cache[WC_SCHEMA_CACHE];

void
wc_interchange_init(void)
{
	DefineCustomStringVariable("wagecheck.xml_schema_dir",
							   gettext_noop("Directory of the XML schemas (name.xsd) wagecheck validates against; empty: the schemas shipped in the extension's share directory."),
							   NULL, &wc_xml_schema_dir, "", PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("wagecheck.xml_max_size",
							gettext_noop("Largest XML document wagecheck reads, in megabytes."),
							NULL, &wc_xml_max_mb, 512, 1, 1023, PGC_SUSET, GUC_UNIT_MB, NULL, NULL, NULL);
}

const char *
wc_xml_utf8(text *doc, size_t *len)
{
	const char *p = VARDATA_ANY(doc);
	int			n = VARSIZE_ANY_EXHDR(doc);
	char	   *u;

	if ((int64) n > (int64) wc_xml_max_mb * 1024 * 1024)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the XML document is larger than wagecheck.xml_max_size"),
				 errdetail("The document has %d bytes; the limit is %d MB.", n, wc_xml_max_mb),
				 errhint("Split the file, or raise wagecheck.xml_max_size (superuser).")));
	u = pg_server_to_any(p, n, PG_UTF8);
	if (u != p)
		n = strlen(u);
	*len = (size_t) n;
	return u;
}

PgXmlErrorContext *
wc_xml_begin(void)
{
	PgXmlErrorContext *cxt = pg_xml_init(PG_XML_STRICTNESS_ALL);

	xmlSetExternalEntityLoader(wcx_refuse_entity);
	return cxt;
}

/* The schema directory: the setting, or <share>/extension/wagecheck_xsd. */
static void
schema_dir(char *dir)
{
	if (wc_xml_schema_dir && wc_xml_schema_dir[0] != '\0')
		strlcpy(dir, wc_xml_schema_dir, MAXPGPATH);
	else
	{
		char		share[MAXPGPATH];

		get_share_path(my_exec_path, share);
		snprintf(dir, MAXPGPATH, "%s/extension/wagecheck_xsd", share);
	}
}

/* True if name is a schema name: letters, digits, '.', '_' and '-', not starting with '.'. */
static bool
schema_name_ok(const char *name)
{
	size_t		n = strlen(name);

	if (n == 0 || n > 64 || name[0] == '.')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

void *
wc_xml_schema(const char *name)
{
	char		dir[MAXPGPATH];
	char		path[MAXPGPATH];
	struct stat st;
	wc_schema_slot *volatile slot = NULL;
	char	   *buf;
	FILE	   *f;
	size_t		got;
	int			i;
	void	   *volatile schema = NULL;
	char		msg[WCX_MSG_SIZE];
	PgXmlErrorContext *cxt;

	if (!schema_name_ok(name))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"%s\" is not the name of an XML schema", name),
				 errdetail("A schema name is made of letters, digits, dots, underscores and hyphens, such as camt.053.001.08."),
				 errhint("The names are those of the files name.xsd in wagecheck.xml_schema_dir.")));
	schema_dir(dir);
	snprintf(path, sizeof(path), "%s/%s.xsd", dir, name);
	if (stat(path, &st) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("XML schema \"%s\" does not exist", name),
				 errdetail("No file %s.xsd in the schema directory %s.", name, dir),
				 errhint("The shipped schemas are camt.053.001.08, camt.054.001.08, pain.001.001.09, pain.002.001.10 and the ledgers' wagecheck.*.")));
	for (i = 0; i < WC_SCHEMA_CACHE; i++)
	{
		if (schema_cache[i].schema && strcmp(schema_cache[i].path, path) == 0)
		{
			if (schema_cache[i].mtime == st.st_mtime && schema_cache[i].size == st.st_size)
				return schema_cache[i].schema;
			slot = &schema_cache[i];
			break;
		}
		if (slot == NULL && schema_cache[i].schema == NULL)
			slot = &schema_cache[i];
	}
	if (slot == NULL)
		slot = &schema_cache[st.st_ino % WC_SCHEMA_CACHE];
	if (st.st_size > WC_SCHEMA_MAX_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("XML schema \"%s\" is larger than 4 MB", name),
				 errdetail("File %s has %lld bytes.", path, (long long) st.st_size)));
	f = AllocateFile(path, PG_BINARY_R);
	if (f == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read XML schema \"%s\": %m", name),
				 errdetail("File %s.", path)));
	buf = palloc(st.st_size + 1);
	got = fread(buf, 1, st.st_size, f);
	FreeFile(f);
	buf[got] = '\0';

	cxt = wc_xml_begin();
	PG_TRY();
	{
		schema = wcx_schema_parse(buf, got, msg, sizeof(msg));
		if (schema == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("XML schema \"%s\" cannot be used", name),
					 errdetail("File %s: %s.", path, msg)));
	}
	PG_CATCH();
	{
		wcx_schema_free(schema);
		pg_xml_done(cxt, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	pg_xml_done(cxt, false);
	pfree(buf);
	wcx_schema_free(slot->schema);
	strlcpy(slot->path, path, sizeof(slot->path));
	slot->mtime = st.st_mtime;
	slot->size = st.st_size;
	slot->schema = schema;
	return schema;
}

/* Validates doc against the named schema; errs is malloc'd by the caller. */
static bool
validate(text *doc, const char *name, wcx_errors *errs)
{
	size_t		len;
	const char *u = wc_xml_utf8(doc, &len);
	void	   *schema = wc_xml_schema(name);
	PgXmlErrorContext *cxt;
	volatile bool ok = false;

	cxt = wc_xml_begin();
	PG_TRY();
	{
		ok = wcx_validate(u, len, schema, errs);
	}
	PG_CATCH();
	{
		pg_xml_done(cxt, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	pg_xml_done(cxt, false);
	return ok;
}

PG_FUNCTION_INFO_V1(wagecheck_xml_validate);
/* The errors of a document against a shipped schema, one row each (line, column, message). */
Datum
wagecheck_xml_validate(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	text	   *doc = PG_GETARG_TEXT_PP(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	wcx_errors *errs = palloc0(sizeof(wcx_errors));
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	validate(doc, name, errs);
	for (i = 0; i < errs->count; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(errs->e[i].line);
		nulls[0] = errs->e[i].line <= 0;
		values[1] = Int32GetDatum(errs->e[i].column);
		nulls[1] = errs->e[i].column <= 0;
		values[2] = CStringGetTextDatum(errs->e[i].message);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (errs->dropped > 0)
	{
		Datum		values[3];
		bool		nulls[3] = {true, true, false};

		values[2] = CStringGetTextDatum(psprintf(_("%d more errors not listed"), errs->dropped));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(wagecheck_xml_is_valid);
/* True if the document is valid against the shipped schema. */
Datum
wagecheck_xml_is_valid(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(1));
	wcx_errors *errs = palloc0(sizeof(wcx_errors));

	PG_RETURN_BOOL(validate(doc, name, errs));
}

PG_FUNCTION_INFO_V1(wagecheck_ledger_html);
/* A ledger (urn:wagecheck:ledger:1) as a printable HTML page. */
Datum
wagecheck_ledger_html(PG_FUNCTION_ARGS)
{
	text	   *doc = PG_GETARG_TEXT_PP(0);
	size_t		len,
				outlen = 0;
	const char *u = wc_xml_utf8(doc, &len);
	char	   *volatile page = NULL;
	char		msg[WCX_MSG_SIZE];
	PgXmlErrorContext *cxt;
	text	   *result;

	cxt = wc_xml_begin();
	PG_TRY();
	{
		page = wc_ledger_html(u, len, &outlen, msg, sizeof(msg));
		if (page == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_XML_DOCUMENT),
					 errmsg("the document cannot be printed as a ledger"),
					 errdetail("%s.", msg),
					 errhint("Print what wagecheck.supervision_ledger_xml, case_ledger_xml or dishonest_list_xml return.")));
		result = cstring_to_text_with_len(page, (int) outlen);
	}
	PG_CATCH();
	{
		free(page);
		pg_xml_done(cxt, true);
		PG_RE_THROW();
	}
	PG_END_TRY();
	free(page);
	pg_xml_done(cxt, false);
	PG_RETURN_TEXT_P(result);
}
