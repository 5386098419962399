/*
 * caseno.h — readable case numbers of the case ledger (台账): UNIT-YYYY-NNNNN.
 *
 * Plain C (no postgres.h). UNIT is the handling unit's code (2-16 of A-Z, 0-9),
 * YYYY the filing year, NNNNN the unit's sequence in that year (at least five
 * digits, zero-padded; 1 to 999999999). Parsing accepts lower case, surrounding
 * blanks and unpadded sequences, and yields the parts of the canonical form.
 */
#ifndef WC_CORE_CASENO_H
#define WC_CORE_CASENO_H

#include <stddef.h>
#include <stdint.h>

#define WC_CASENO_UNIT_MIN	2
#define WC_CASENO_UNIT_MAX	16
#define WC_CASENO_YEAR_MIN	1949
#define WC_CASENO_YEAR_MAX	9999
#define WC_CASENO_SEQ_MAX	999999999
/* longest canonical form: 16 + 1 + 4 + 1 + 9, plus the terminator */
#define WC_CASENO_BUFSIZE	32

/* Outcome of parsing or formatting; each failure names the defective part. */
typedef enum WcCasenoStatus
{
	WC_CASENO_OK = 0,
	WC_CASENO_EMPTY,			/* nothing but blanks */
	WC_CASENO_BAD_UNIT,			/* unit code: wrong length or character */
	WC_CASENO_BAD_SEPARATOR,	/* a part is not followed by '-' */
	WC_CASENO_BAD_YEAR,			/* year: not four digits in range */
	WC_CASENO_BAD_SEQ,			/* sequence: not 1-9 digits, or zero */
	WC_CASENO_TRAILING			/* characters after the sequence */
} WcCasenoStatus;

/* The parts of a case number; unit is NUL-terminated and upper case. */
typedef struct WcCaseno
{
	char		unit[WC_CASENO_UNIT_MAX + 1];
	int			year;
	int32_t		seq;
} WcCaseno;

/* Checks a unit code as given (upper case only, no blanks). */
extern WcCasenoStatus wc_caseno_check_unit(const char *unit, size_t len);

/* Parses len bytes of text (not necessarily NUL-terminated) into out. */
extern WcCasenoStatus wc_caseno_parse(const char *text, size_t len, WcCaseno *out);

/* Writes the canonical form into buf (WC_CASENO_BUFSIZE bytes) after checking every part. */
extern WcCasenoStatus wc_caseno_format(const WcCaseno *c, char *buf);

/* One-line English description of a status, for error details (the glue translates it). */
extern const char *wc_caseno_status_text(WcCasenoStatus s);

/* marks a text for the message catalogue without translating it (as PostgreSQL's c.h does) */
#ifndef gettext_noop
#define gettext_noop(x) (x)
#endif

#endif							/* WC_CORE_CASENO_H */
