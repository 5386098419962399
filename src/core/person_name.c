/*
 * person_name.c — the comparison key of a person's name (see person_name.h). ICU's
 * two-call pattern is not needed: every buffer has a fixed size and ICU reports
 * U_BUFFER_OVERFLOW_ERROR, which is a failure here; the transliterator is opened once
 * per process and kept (opening it costs milliseconds).
 */
#include "core/person_name.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

static UTransliterator *t2s;
static bool t2s_failed;

/* The separators a minority name is written with (or without). */
static bool
name_separator(UChar32 c)
{
	switch (c)
	{
		case 0x00B7:			/* · MIDDLE DOT */
		case 0x0387:			/* · GREEK ANO TELEIA */
		case 0x2022:			/* • BULLET */
		case 0x2027:			/* ‧ HYPHENATION POINT */
		case 0x2219:			/* ∙ BULLET OPERATOR */
		case 0x22C5:			/* ⋅ DOT OPERATOR */
		case 0x2E31:			/* ⸱ WORD SEPARATOR MIDDLE DOT */
		case 0x30FB:			/* ・ KATAKANA MIDDLE DOT (NFKC of ･) */
		case 0x002E:			/* . FULL STOP (NFKC of ．) */
		case 0x3002:			/* 。 IDEOGRAPHIC FULL STOP */
			return true;
	}
	return false;
}

int
wc_person_name_key(const char *s, size_t len, char *key, size_t keysize)
{
	UChar		src[WC_NAME_MAX_UNITS];
	UChar		norm[WC_NAME_MAX_UNITS * 2];
	UChar		out[WC_NAME_MAX_UNITS * 2];
	int32_t		srclen = 0,
				n,
				limit,
				k,
				m = 0;
	int32_t		keylen = 0;
	UErrorCode	err = U_ZERO_ERROR;
	const UNormalizer2 *nfkc;

	if (keysize < 1)
		return -1;
	key[0] = '\0';
	/* no name fits WC_NAME_MAX_UNITS units in more than three bytes each */
	if (len > (size_t) WC_NAME_MAX_UNITS * 3)
		return -1;
	u_strFromUTF8(src, WC_NAME_MAX_UNITS, &srclen, s, (int32_t) len, &err);
	if (U_FAILURE(err) || srclen > WC_NAME_MAX_UNITS)
		return -1;
	nfkc = unorm2_getNFKCInstance(&err);	/* owned by ICU */
	if (U_FAILURE(err))
		return -1;
	n = unorm2_normalize(nfkc, src, srclen, norm, (int32_t) (sizeof(norm) / sizeof(norm[0])), &err);
	if (U_FAILURE(err))
		return -1;
	if (t2s == NULL && !t2s_failed)
	{
		UErrorCode	e2 = U_ZERO_ERROR;
		static const UChar id[] = {'T', 'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', '-',
		'S', 'i', 'm', 'p', 'l', 'i', 'f', 'i', 'e', 'd', 0};

		t2s = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &e2);
		if (U_FAILURE(e2))
		{
			t2s = NULL;
			t2s_failed = true;
		}
	}
	if (t2s == NULL)
		return -1;
	limit = n;
	utrans_transUChars(t2s, norm, &n, (int32_t) (sizeof(norm) / sizeof(norm[0])), 0, &limit, &err);
	if (U_FAILURE(err))
		return -1;
	/* without white space and separators, case folded */
	for (k = 0; k < n;)
	{
		UChar32		c;

		U16_NEXT(norm, k, n, c);
		if (u_isUWhiteSpace(c) || u_isspace(c) || name_separator(c) || c == 0xFEFF || c == 0x200B)
			continue;
		c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
		if (m + 2 > (int32_t) (sizeof(out) / sizeof(out[0])))
			break;
		U16_APPEND_UNSAFE(out, m, c);
	}
	u_strToUTF8(key, (int32_t) keysize, &keylen, out, m, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || (size_t) keylen >= keysize)
	{
		key[0] = '\0';
		return -1;
	}
	return keylen;
}

bool
wc_person_name_same(const char *a, size_t alen, const char *b, size_t blen)
{
	char		ka[WC_NAME_KEY_SIZE];
	char		kb[WC_NAME_KEY_SIZE];
	int			la = wc_person_name_key(a, alen, ka, sizeof(ka));
	int			lb = wc_person_name_key(b, blen, kb, sizeof(kb));

	return la >= 0 && lb >= 0 && la == lb && memcmp(ka, kb, (size_t) la) == 0;
}
