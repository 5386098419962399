/*
 * closeout.c — the decisions of the case ledger's close-out guard (see closeout.h).
 * Fails closed: a status, kind or amount it cannot read is never taken for a
 * lawful one.
 */
#include "core/closeout.h"

#include <string.h>

/* True when len bytes of s equal the NUL-terminated word w. */
static bool
is_word(const char *s, size_t len, const char *w)
{
	return s != NULL && strlen(w) == len && memcmp(s, w, len) == 0;
}

/* The status of len bytes (s NULL: the column is NULL); exact, as the table's CHECK has it. */
WcCaseStatus
wc_case_status(const char *s, size_t len)
{
	if (s == NULL)
		return WC_CASE_NULL;
	if (is_word(s, len, "open"))
		return WC_CASE_OPEN;
	if (is_word(s, len, "closed"))
		return WC_CASE_CLOSED;
	return WC_CASE_BAD;
}

/* The close_kind of len bytes (s NULL: the column is NULL). */
WcCloseKind
wc_close_kind(const char *s, size_t len)
{
	static const struct
	{
		const char *word;
		WcCloseKind kind;
	}			kinds[] = {
		{"repaid", WC_CLOSE_REPAID}, {"police", WC_CLOSE_POLICE}, {"court", WC_CLOSE_COURT},
		{"withdrawn", WC_CLOSE_WITHDRAWN}, {"unsubstantiated", WC_CLOSE_UNSUBSTANTIATED}
	};

	if (s == NULL)
		return WC_CLOSE_NULL;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (is_word(s, len, kinds[i].word))
			return kinds[i].kind;
	return WC_CLOSE_BAD;
}

/* True when s (len bytes) is NULL or holds only blanks. */
bool
wc_text_blank(const char *s, size_t len)
{
	if (s == NULL)
		return true;
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/* The lifecycle step of an insert (old_status ignored) or an update. */
WcCaseStep
wc_case_step(bool insert, WcCaseStatus old_status, WcCaseStatus new_status)
{
	bool		new_ok = new_status == WC_CASE_OPEN || new_status == WC_CASE_CLOSED;
	bool		old_ok = old_status == WC_CASE_OPEN || old_status == WC_CASE_CLOSED;

	if (insert)
		return new_status == WC_CASE_OPEN ? WC_STEP_REGISTER_OPEN :
			new_ok ? WC_STEP_REGISTER_NOT_OPEN : WC_STEP_BAD_STATUS;
	if (!old_ok || !new_ok)
		return WC_STEP_BAD_STATUS;
	if (old_status == WC_CASE_OPEN)
		return new_status == WC_CASE_OPEN ? WC_STEP_STAY_OPEN : WC_STEP_CLOSE;
	return new_status == WC_CASE_OPEN ? WC_STEP_REOPEN : WC_STEP_STAY_CLOSED;
}

/*
 * May a case be closed as kind? 'repaid' (销号) only when the repayments reach
 * the amount owed, both known in whole cents (outstanding is then set to what
 * is still owed, 0 when covered); the other lawful ends only with a reason.
 */
WcCloseoutVerdict
wc_closeout_decide(WcCloseKind kind, bool reason_given, WcCents owed, WcCents repaid,
				   int64_t *outstanding)
{
	*outstanding = 0;
	switch (kind)
	{
		case WC_CLOSE_NULL:
		case WC_CLOSE_BAD:
			return WC_CLOSEOUT_KIND_MISSING;
		case WC_CLOSE_REPAID:
			if (!owed.known || owed.cents < 0)
				return WC_CLOSEOUT_OWED_UNKNOWN;
			if (!repaid.known || repaid.cents < 0)
				return WC_CLOSEOUT_REPAID_UNKNOWN;
			if (repaid.cents < owed.cents)
			{
				*outstanding = owed.cents - repaid.cents;	/* both >= 0: no overflow */
				return WC_CLOSEOUT_NOT_REPAID;
			}
			return WC_CLOSEOUT_OK;
		case WC_CLOSE_POLICE:
		case WC_CLOSE_COURT:
		case WC_CLOSE_WITHDRAWN:
		case WC_CLOSE_UNSUBSTANTIATED:
			return reason_given ? WC_CLOSEOUT_OK : WC_CLOSEOUT_REASON_REQUIRED;
	}
	return WC_CLOSEOUT_KIND_MISSING;
}

/* The status as a word, for messages. */
const char *
wc_case_status_text(WcCaseStatus s)
{
	switch (s)
	{
		case WC_CASE_NULL:
			return "NULL";
		case WC_CASE_OPEN:
			return "open";
		case WC_CASE_CLOSED:
			return "closed";
		case WC_CASE_BAD:
			break;
	}
	return "unknown";
}
