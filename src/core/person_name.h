/*
 * person_name.h — the key by which a payee name on a bank file is compared with a
 * worker's registered name (ICU, no PostgreSQL header).
 */
#ifndef WC_CORE_PERSON_NAME_H
#define WC_CORE_PERSON_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* Longest name compared, in UTF-16 units; longer names are compared on this prefix. */
#define WC_NAME_MAX_UNITS	256
/* Size of a key buffer (UTF-8 of WC_NAME_MAX_UNITS units, NUL). */
#define WC_NAME_KEY_SIZE	(WC_NAME_MAX_UNITS * 3 + 1)

/*
 * Writes into key the comparison key of the UTF-8 name s (len bytes): NFKC, traditional
 * characters made simplified (ICU's Traditional-Simplified transliterator), case folded,
 * without white space and without the separators of minority names (· • ‧ ・ ･ ∙ ⋅ ⸱ and
 * the full stop). Returns the key's length, or -1 when ICU fails or s is not UTF-8.
 */
extern int	wc_person_name_key(const char *s, size_t len, char *key, size_t keysize);

/* True if both names have keys and the keys are equal. */
extern bool wc_person_name_same(const char *a, size_t alen, const char *b, size_t blen);

#endif							/* WC_CORE_PERSON_NAME_H */
