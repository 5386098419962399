/*
 * xmlio.h — wagecheck's reading of XML with libxml2, without PostgreSQL headers:
 * the prolog check that refuses document type declarations (so no external entity,
 * DTD or entity expansion is ever processed), the parser options, a streamed reader
 * of bank-statement entries driven by a profile (paths, not code), and schema
 * validation that lists every error with its line and column.
 */
#ifndef WC_CORE_XMLIO_H
#define WC_CORE_XMLIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

/*
 * Parser options of every document wagecheck reads: no network (NONET), no entity
 * substitution (no NOENT), no external DTD loaded or used for defaults or validation
 * (no DTDLOAD, DTDATTR, DTDVALID), libxml2's own size limits kept (no HUGE).
 */
#define WCX_PARSE_OPTIONS XML_PARSE_NONET

/* wcx_prolog_check results */
#define WCX_OK			0
#define WCX_DOCTYPE		1		/* a document type declaration (<!DOCTYPE or another <!) in the prolog */
#define WCX_EMPTY		2		/* nothing but white space, comments and processing instructions */

#define WCX_MSG_SIZE	256

/*
 * Checks the prolog of a UTF-8 document (BOM, XML declaration, comments, processing
 * instructions, white space) up to its root element: WCX_OK, or why it is refused.
 */
extern int	wcx_prolog_check(const char *buf, size_t len);

/* The fields of a statement entry, in the order of the profile's field paths. */
typedef enum wcx_field
{
	WCX_F_REF = 0,				/* the bank's entry reference: the key of idempotency */
	WCX_F_AMOUNT,
	WCX_F_CURRENCY,
	WCX_F_DIRECTION,			/* the bank's word, mapped by the profile */
	WCX_F_BOOKED,				/* date or date-time of booking */
	WCX_F_PURPOSE,				/* the bank's code, mapped by the profile */
	WCX_F_ACCOUNT_IN,			/* counterparty account of an inflow (the payer) */
	WCX_F_ACCOUNT_OUT,			/* counterparty account of an outflow (the payee) */
	WCX_F_NAME_IN,
	WCX_F_NAME_OUT,
	WCX_F_COUNT
} wcx_field;

extern const char *const wcx_field_names[WCX_F_COUNT];

#define WCX_MAX_DEPTH	64		/* path steps compared; deeper elements match nothing */

/*
 * A profile: where the entries and the account are, as paths of local names from the
 * root ("Document/BkToCstmrStmt/Stmt/Ntry"); each field a path relative to the entry,
 * "a/b|c/d" for alternatives (the first present wins), "a/@attr" for an attribute.
 * A NULL or empty path reads nothing.
 */
typedef struct wcx_profile
{
	const char *ns;				/* namespace of the root element; NULL or "" = none checked */
	const char *entry_path;
	const char *account_path;	/* the account of the entries that follow it */
	const char *field_path[WCX_F_COUNT];
} wcx_profile;

/* One entry as read; the strings are owned by the reader until the next call. */
typedef struct wcx_entry
{
	int64_t		ordinal;		/* 1, 2, ... in document order */
	int			line;			/* line of the entry's start tag */
	const char *account;		/* the last account read before it, or NULL */
	const char *field[WCX_F_COUNT];	/* trimmed text, or NULL when absent */
} wcx_entry;

typedef struct wcx_reader wcx_reader;

/* wcx_reader_next results */
#define WCX_ENTRY	1
#define WCX_END		0
#define WCX_ERROR	(-1)

/*
 * Opens a streamed reader over buf (UTF-8, len bytes), kept by the caller until the
 * reader is closed; it is fed to libxml2's push parser 64 kB at a time. NULL with msg set
 * when refused (prolog, bad profile, memory).
 */
extern wcx_reader *wcx_reader_open(const char *buf, size_t len, const wcx_profile *p,
								   char *msg, size_t msgsize);

/*
 * Reads up to cap bytes of a document into dst: the count, 0 at its end, -1 on failure.
 * Called by wcx_reader_next, never from inside libxml2.
 */
typedef int (*wcx_read_fn) (void *arg, char *dst, int cap);

/*
 * Opens a streamed reader over a document read in chunks of 64 kB by read, in encoding (NULL:
 * the one its declaration names, UTF-8 by default): nothing but the current chunk and entry
 * is held.
 * The prolog check applies to the first chunk, and a document type declaration anywhere
 * stops the reader. NULL with msg set when refused (bad profile, memory).
 */
extern wcx_reader *wcx_reader_open_io(wcx_read_fn read, void *arg, const char *encoding,
									  const wcx_profile *p, char *msg, size_t msgsize);

/* The next entry: WCX_ENTRY (e filled), WCX_END, or WCX_ERROR (wcx_reader_error). */
extern int	wcx_reader_next(wcx_reader *r, wcx_entry *e);

/* The error that stopped the reader, and its line (0 if unknown). */
extern const char *wcx_reader_error(const wcx_reader *r, int *line);

/* Entries read so far. */
extern int64_t wcx_reader_count(const wcx_reader *r);

/* Frees the reader and everything it holds; NULL is allowed. */
extern void wcx_reader_close(wcx_reader *r);

/* One error of a validation or a parse. */
typedef struct wcx_error
{
	int			line;
	int			column;
	char		message[WCX_MSG_SIZE];
} wcx_error;

/* The errors found, in document order; at most WCX_MAX_ERRORS are kept. */
#define WCX_MAX_ERRORS	1000
typedef struct wcx_errors
{
	int			count;			/* kept */
	int			dropped;		/* beyond WCX_MAX_ERRORS */
	wcx_error	e[WCX_MAX_ERRORS];
} wcx_errors;

/*
 * Validates buf (UTF-8) against schema (a parsed XSD, xmlSchemaPtr) after the prolog
 * check and a parse with WCX_PARSE_OPTIONS; every problem goes to errs (which the
 * caller zeroes). Returns true when the document is valid.
 */
extern bool wcx_validate(const char *buf, size_t len, void *schema, wcx_errors *errs);

/*
 * Parses an XSD held in memory (no include or import is followed: wagecheck's schemas
 * are self-contained); NULL with msg set on failure.
 */
extern void *wcx_schema_parse(const char *buf, size_t len, char *msg, size_t msgsize);
extern void wcx_schema_free(void *schema);

/* An external entity loader that refuses every entity, file and URL. */
extern xmlParserInputPtr wcx_refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt);

#endif							/* WC_CORE_XMLIO_H */
