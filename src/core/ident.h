/*
 * ident.h — plain-C parsers, check characters, formatting and masking of the
 * identifier types (resident ID, unified social credit code, bank card, division
 * code). No PostgreSQL header: unit-tested in test/unit and fuzzed in test/fuzz.
 *
 * Every parser returns a wc_ident_status and, when detail is not NULL, writes a
 * one-line English description of the defect into detail (WC_IDENT_DETAIL_SIZE
 * bytes). Nothing here allocates memory that outlives a call, and nothing throws.
 */
#ifndef WC_CORE_IDENT_H
#define WC_CORE_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WC_IDENT_DETAIL_SIZE	192
/* more significant characters than any identifier has: longer input is rejected */
#define WC_IDENT_COMPACT_MAX	24
/* input in another server encoding longer than this (bytes) is rejected before conversion */
#define WC_IDENT_INPUT_MAX		1024

typedef enum wc_ident_status
{
	WC_IDENT_OK = 0,
	WC_IDENT_INVALID,			/* the input has a defect; detail names it */
	WC_IDENT_NOMEM,				/* out of memory */
	WC_IDENT_ICU_ERROR			/* ICU failed for a reason other than the input */
} wc_ident_status;

/* Input after full-width forms are made ASCII, separators removed and letters upper-cased. */
typedef struct wc_compact
{
	int			len;			/* significant characters seen (may exceed the buffer) */
	char		s[WC_IDENT_COMPACT_MAX + 1];
} wc_compact;

/* ident.c: normalisation shared by every type */
extern wc_ident_status wc_ident_compact(const char *in, size_t len, wc_compact *out, char *detail);
extern bool wc_ident_is_canonical(const char *in, size_t len, wc_compact *out);
extern void wc_ident_detail(char *detail, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
extern bool wc_ymd_is_date(int32_t ymd);

/* division_code.c: GB/T 2260 administrative division codes, stored as int32 */
#define WC_DIVISION_CODE_LEN	6
extern bool wc_province_code_valid(int province);
extern wc_ident_status wc_division_code_parse(const char *in, size_t len, int32_t *out, char *detail);
extern wc_ident_status wc_division_code_from_compact(const wc_compact *c, int32_t *out, char *detail);
extern void wc_division_code_format(int32_t code, char out[WC_DIVISION_CODE_LEN + 1]);
extern int32_t wc_division_code_province(int32_t code);
extern int32_t wc_division_code_city(int32_t code);
extern int32_t wc_division_code_county(int32_t code);
extern int	wc_division_code_level(int32_t code);
extern bool wc_division_code_contains(int32_t outer, int32_t inner);

/* resident_id.c: GB 11643-1999 resident ID numbers, stored as the 17 leading digits */
#define WC_RESIDENT_ID_LEN		18
#define WC_RESIDENT_ID_MIN_BIRTH	18000101
extern char wc_resident_id_check_char(int64_t digits17);
extern wc_ident_status wc_resident_id_parse(const char *in, size_t len, int32_t today,
											int64_t *out, char *detail);
extern wc_ident_status wc_resident_id_from_compact(const wc_compact *c, int32_t today,
												   int64_t *out, char *detail);
extern void wc_resident_id_format(int64_t v, char out[WC_RESIDENT_ID_LEN + 1]);
extern void wc_resident_id_mask(int64_t v, char out[WC_RESIDENT_ID_LEN + 1]);
extern int32_t wc_resident_id_birth_ymd(int64_t v);
extern bool wc_resident_id_is_male(int64_t v);
extern int32_t wc_resident_id_region(int64_t v);
extern int	wc_resident_id_age(int64_t v, int year, int month, int day);

/* credit_code.c: GB 32100-2015 unified social credit codes, 17 characters in 11 bytes */
#define WC_CREDIT_CODE_LEN		18
#define WC_CREDIT_CODE_BYTES	11
typedef struct wc_credit_code
{
	uint8_t		b[WC_CREDIT_CODE_BYTES];
} wc_credit_code;
extern int	wc_credit_char_value(char c);
extern char wc_credit_check_char(const char *s17);
extern wc_ident_status wc_credit_code_parse(const char *in, size_t len, wc_credit_code *out,
											char *detail);
extern wc_ident_status wc_credit_code_from_compact(const wc_compact *c, wc_credit_code *out,
												   char *detail);
extern void wc_credit_code_format(const wc_credit_code *v, char out[WC_CREDIT_CODE_LEN + 1]);
extern int32_t wc_credit_code_region(const wc_credit_code *v);

/* bank_card.c: bank card numbers, 12-19 digits with a Luhn check digit */
#define WC_BANK_CARD_MIN		12
#define WC_BANK_CARD_MAX		19
extern int	wc_luhn_check_digit(const char *digits, int len);
extern wc_ident_status wc_bank_card_parse(const char *in, size_t len, int64_t *out, char *detail);
extern wc_ident_status wc_bank_card_from_compact(const wc_compact *c, int64_t *out, char *detail);
extern int	wc_bank_card_format(int64_t v, char out[WC_BANK_CARD_MAX + 1]);
#define WC_BANK_CARD_MASK_LEN	19	/* "6222 **** **** 1234" */
extern void wc_bank_card_mask(int64_t v, char out[WC_BANK_CARD_MASK_LEN + 1]);

#endif							/* WC_CORE_IDENT_H */
