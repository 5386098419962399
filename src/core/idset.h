/*
 * idset.h — what the trigger keeping outflow_unmatched (src/alerts/outflow.c) computes
 * without the server: the digits of a counterparty account (the text AC03 compares with a
 * registered card besides the account as written), and the difference of two sets of ids
 * (sorted, without duplicates: wc_ids_unique of core/changeset.h). No PostgreSQL header.
 */
#ifndef WC_CORE_IDSET_H
#define WC_CORE_IDSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * wc_card_digits: the ASCII digits of s[0..len) in order, written to out (room for len
 * bytes, not terminated); returns how many. regexp_replace(s, '[^0-9]', '', 'g') in every
 * server encoding (each byte of a multibyte character is 0x80 or above, never a digit).
 */
extern size_t wc_card_digits(const char *s, size_t len, char *out);

/*
 * wc_ids_minus: a[0..na) less the ids in b[0..nb), in place; both sorted ascending without
 * repeats (wc_ids_unique of core/changeset.h). Returns how many of a are left, still sorted.
 */
extern size_t wc_ids_minus(int64_t *a, size_t na, const int64_t *b, size_t nb);

#endif							/* WC_CORE_IDSET_H */
