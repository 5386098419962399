/*
 * test_ident.c — unit tests of src/core identifier parsing: normalisation, check
 * characters, each defect and its detail, formatting, masking and accessors.
 */
#include <ctype.h>

#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "core/ident.h"
#include "unit.h"

#define TODAY 20261128

/* Parses a resident ID and returns its canonical text, or "ERR: <detail>". */
static const char *
rid(const char *in)
{
	static char out[WC_IDENT_DETAIL_SIZE + 8];
	char		detail[WC_IDENT_DETAIL_SIZE];
	int64_t		v;

	if (wc_resident_id_parse(in, strlen(in), TODAY, &v, detail) != WC_IDENT_OK)
	{
		snprintf(out, sizeof(out), "ERR: %s", detail);
		return out;
	}
	wc_resident_id_format(v, out);
	return out;
}

/* Parses a credit code and returns its canonical text, or "ERR: <detail>". */
static const char *
ccode(const char *in)
{
	static char out[WC_IDENT_DETAIL_SIZE + 8];
	char		detail[WC_IDENT_DETAIL_SIZE];
	wc_credit_code v;

	if (wc_credit_code_parse(in, strlen(in), &v, detail) != WC_IDENT_OK)
	{
		snprintf(out, sizeof(out), "ERR: %s", detail);
		return out;
	}
	wc_credit_code_format(&v, out);
	return out;
}

/* Parses a bank card and returns its canonical text, or "ERR: <detail>". */
static const char *
card(const char *in)
{
	static char out[WC_IDENT_DETAIL_SIZE + 8];
	char		detail[WC_IDENT_DETAIL_SIZE];
	int64_t		v;

	if (wc_bank_card_parse(in, strlen(in), &v, detail) != WC_IDENT_OK)
	{
		snprintf(out, sizeof(out), "ERR: %s", detail);
		return out;
	}
	wc_bank_card_format(v, out);
	return out;
}

/* Parses a division code and returns its canonical text, or "ERR: <detail>". */
static const char *
div_(const char *in)
{
	static char out[WC_IDENT_DETAIL_SIZE + 8];
	char		detail[WC_IDENT_DETAIL_SIZE];
	int32_t		v;

	if (wc_division_code_parse(in, strlen(in), &v, detail) != WC_IDENT_OK)
	{
		snprintf(out, sizeof(out), "ERR: %s", detail);
		return out;
	}
	wc_division_code_format(v, out);
	return out;
}

/* The stored value of a resident ID known to be valid. */
static int64_t
rid_value(const char *in)
{
	int64_t		v = -1;

	wc_resident_id_parse(in, strlen(in), TODAY, &v, NULL);
	return v;
}

/* The stored value of a bank card known to be valid. */
static int64_t
card_value(const char *in)
{
	int64_t		v = -1;

	wc_bank_card_parse(in, strlen(in), &v, NULL);
	return v;
}

/* Normalisation shared by all types. */
static void
test_compact(void)
{
	wc_compact	c;
	char		detail[WC_IDENT_DETAIL_SIZE];
	char		big[4096];

	CHECK_INT(wc_ident_compact("ab-1 2 3", 8, &c, detail), WC_IDENT_OK);
	CHECK_STR(c.s, "AB123");
	CHECK_INT(c.len, 5);
	/* full-width digits and letters (either case), ideographic space, full-width hyphen-minus */
	CHECK_INT(wc_ident_compact("\xEF\xBC\x91\xEF\xBD\x98\xE3\x80\x80\xEF\xBC\x8D" "2\xEF\xBC\xB8" "3",
							   17, &c, detail), WC_IDENT_OK);
	CHECK_STR(c.s, "1X2X3");
	CHECK_INT(wc_ident_compact("", 0, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is empty.");
	CHECK_INT(wc_ident_compact(" - ", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is empty.");
	CHECK_INT(wc_ident_compact("\xE3\x80\x80\xEF\xBC\x8D", 6, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is empty.");
	CHECK_INT(wc_ident_compact("12.3", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \".\" is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	CHECK_INT(wc_ident_compact("1\n2", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Control character U+000A is not allowed.");
	CHECK_INT(wc_ident_compact("1\xE3\x80\x82", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE3\x80\x82\" (U+3002) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	/* full-width punctuation is named as typed, not as its ASCII form */
	CHECK_INT(wc_ident_compact("1\xEF\xBC\x8E" "2", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xEF\xBC\x8E\" (U+FF0E) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	/* a compatibility character that NFKC expands into other letters: ㍿ -> 株式会社 */
	CHECK_INT(wc_ident_compact("\xE3\x8D\xBF", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE3\x8D\xBF\" (U+337F) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	/* a supplementary-plane character is reported whole */
	CHECK_INT(wc_ident_compact("\xF0\x9F\x98\x80", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xF0\x9F\x98\x80\" (U+1F600) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	/* decorative digits and letters: NFKC makes ASCII of them, input does not take them */
	CHECK_INT(wc_ident_compact("\xE2\x91\xA0", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x91\xA0\" (U+2460) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_INT(wc_ident_compact("2\xC2\xB9", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xC2\xB9\" (U+00B9) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_INT(wc_ident_compact("\xF0\x9D\x9F\x8F", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xF0\x9D\x9F\x8F\" (U+1D7CF) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_INT(wc_ident_compact("\xE2\x85\xA9", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x85\xA9\" (U+2169) is a compatibility form of \"X\": only ASCII and full-width digits and letters are allowed.");
	CHECK_INT(wc_ident_compact("\xE2\x91\xA9", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x91\xA9\" (U+2469) is a compatibility form of \"10\": only ASCII and full-width digits and letters are allowed.");
	/* half-width katakana and other compatibility blocks are not the full-width block */
	CHECK_INT(wc_ident_compact("\xEF\xBD\xB1", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xEF\xBD\xB1\" (U+FF71) is not allowed (only digits, letters, spaces and hyphens, ASCII or full-width, are).");
	/* separators: tab, dashes, the minus sign, no-break space are not */
	CHECK_INT(wc_ident_compact("1\t2", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Control character U+0009 is not allowed.");
	CHECK_INT(wc_ident_compact("1\xE2\x80\x94" "2", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x80\x94\" (U+2014) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_INT(wc_ident_compact("1\xE2\x80\x93" "2", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x80\x93\" (U+2013) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_INT(wc_ident_compact("1\xE2\x88\x92" "2", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x88\x92\" (U+2212) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_INT(wc_ident_compact("1\xE2\x80\x90" "2", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x80\x90\" (U+2010) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_INT(wc_ident_compact("1\xC2\xA0" "2", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xC2\xA0\" (U+00A0) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	/* the first defect is the one reported */
	CHECK_INT(wc_ident_compact("1\xE2\x91\xA0\xE2\x80\x94", 7, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x91\xA0\" (U+2460) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	/* ill-formed UTF-8: a stray byte, truncated, overlong, a surrogate, beyond U+10FFFF */
	CHECK_INT(wc_ident_compact("1\xFF", 2, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("1\xE3\x80", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("1\xEF\xBC", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("\xC0\xB1", 2, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("\xE0\x80\xB1", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("\xED\xA0\x80", 3, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("\xF4\x90\x80\x80", 4, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	CHECK_INT(wc_ident_compact("1\xEF\xBC\x91\x80", 5, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "The value is not valid UTF-8.");
	/* many full-width digits: the count goes on past the buffer */
	for (int i = 0; i < 200; i++)
		memcpy(big + 3 * i, "\xEF\xBC\x99", 3);
	CHECK_INT(wc_ident_compact(big, 600, &c, detail), WC_IDENT_OK);
	CHECK_INT(c.len, 200);
	CHECK_INT((int) strlen(c.s), WC_IDENT_COMPACT_MAX);
	/* a long run of refused characters stops at the first */
	for (int i = 0; i < 400; i++)
		memcpy(big + 3 * i, "\xE2\x91\xA0", 3);
	CHECK_INT(wc_ident_compact(big, 1200, &c, detail), WC_IDENT_INVALID);
	CHECK_STR(detail, "Character \"\xE2\x91\xA0\" (U+2460) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	/*
	 * Exactly ASCII and U+FF01..U+FF5E, U+3000 are admitted, and each becomes what
	 * ICU's NFKC makes of it: every BMP code point and a sweep of the others.
	 */
	{
		UErrorCode	err = U_ZERO_ERROR;
		const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
		int			admitted = 0,
					mismatched = 0;

		CHECK(U_SUCCESS(err));
		for (uint32_t cp = 1; cp <= 0x10FFFF && U_SUCCESS(err); cp = cp < 0x10000 ? cp + 1 : cp + 97)
		{
			char		u8[5];
			int			n = 0;
			UChar		src[2],
						dst[32];
			int32_t		srclen = 0,
						dstlen;
			/* the ASCII form of an admitted code point; it is taken if a digit, letter or separator */
			int			ascii = cp < 0x80 ? (int) cp : cp == 0x3000 ? ' ' :
				(cp >= 0xFF01 && cp <= 0xFF5E) ? (int) (cp - 0xFEE0) : 0;
			bool		takes = ascii != 0 && (isalnum(ascii) || ascii == ' ' || ascii == '-');

			if (cp >= 0xD800 && cp <= 0xDFFF)
				continue;
			if (cp < 0x80)
				u8[n++] = (char) cp;
			else if (cp < 0x800)
			{
				u8[n++] = (char) (0xC0 | (cp >> 6));
				u8[n++] = (char) (0x80 | (cp & 0x3F));
			}
			else if (cp < 0x10000)
			{
				u8[n++] = (char) (0xE0 | (cp >> 12));
				u8[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
				u8[n++] = (char) (0x80 | (cp & 0x3F));
			}
			else
			{
				u8[n++] = (char) (0xF0 | (cp >> 18));
				u8[n++] = (char) (0x80 | ((cp >> 12) & 0x3F));
				u8[n++] = (char) (0x80 | ((cp >> 6) & 0x3F));
				u8[n++] = (char) (0x80 | (cp & 0x3F));
			}
			u8[n++] = '7';		/* so that a separator alone is not "empty" */
			if ((wc_ident_compact(u8, (size_t) n, &c, NULL) == WC_IDENT_OK) != takes)
			{
				mismatched++;
				continue;
			}
			if (!takes)
				continue;
			admitted++;
			U16_APPEND_UNSAFE(src, srclen, (UChar32) cp);
			dstlen = unorm2_normalize(nfkc, src, srclen, dst, 32, &err);
			/* NFKC gives the one ASCII character: a separator is dropped, a letter upper-cased */
			if (dstlen != 1 || dst[0] != ascii ||
				strcmp(c.s, ascii == ' ' || ascii == '-' ? "7" : (char[]) {(char) toupper(ascii), '7', '\0'}) != 0)
				mismatched++;
		}
		CHECK(U_SUCCESS(err));
		/* 10 digits, 52 letters and hyphen-minus, ASCII and full-width; two spaces */
		CHECK_INT(admitted, 2 * (10 + 52 + 1) + 2);
		CHECK_INT(mismatched, 0);
	}
	/* a long ASCII value is counted, not refused early */
	memset(big, '7', 3000);
	CHECK_INT(wc_ident_compact(big, 3000, &c, NULL), WC_IDENT_OK);
	CHECK_INT(c.len, 3000);
	/* binary input must be canonical */
	CHECK(wc_ident_is_canonical("11010519491231002X", 18, &c));
	CHECK_STR(c.s, "11010519491231002X");
	CHECK(!wc_ident_is_canonical("11010519491231002x", 18, &c));
	CHECK(!wc_ident_is_canonical("110105 19491231002X", 19, &c));
	CHECK(!wc_ident_is_canonical("", 0, &c));
	CHECK(!wc_ident_is_canonical("1234567890123456789012345", 25, &c));
}

/* Calendar validity of YYYYMMDD. */
static void
test_dates(void)
{
	CHECK(wc_ymd_is_date(19491231));
	CHECK(wc_ymd_is_date(20000229));
	CHECK(wc_ymd_is_date(20240229));
	CHECK(!wc_ymd_is_date(19000229));
	CHECK(!wc_ymd_is_date(20230229));
	CHECK(!wc_ymd_is_date(19491332));
	CHECK(!wc_ymd_is_date(19490001));
	CHECK(!wc_ymd_is_date(19490100));
	CHECK(!wc_ymd_is_date(19490431));
	CHECK(wc_ymd_is_date(19490430));
	CHECK(!wc_ymd_is_date(0));
}

/* GB 11643-1999 resident ID numbers. */
static void
test_resident_id(void)
{
	char		s[WC_RESIDENT_ID_LEN + 1];
	int64_t		v;

	CHECK_INT(wc_resident_id_check_char(11010519491231002LL), 'X');
	CHECK_INT(wc_resident_id_check_char(44052418800101001LL), '4');
	CHECK_STR(rid("11010519491231002X"), "11010519491231002X");
	CHECK_STR(rid("440524188001010014"), "440524188001010014");
	CHECK_STR(rid("11010519491231002x"), "11010519491231002X");
	CHECK_STR(rid("110105 19491231 002-x"), "11010519491231002X");
	CHECK_STR(rid("\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x95"
				  "19491231002\xEF\xBD\x98"), "11010519491231002X");
	CHECK_STR(rid("110105\xE3\x80\x80" "19491231\xEF\xBC\x8D" "002\xEF\xBC\xB8"), "11010519491231002X");
	/* decorative forms and other separators are refused, each named */
	CHECK_STR(rid("11010519491231002\xE2\x85\xA9"),
			  "ERR: Character \"\xE2\x85\xA9\" (U+2169) is a compatibility form of \"X\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(rid("\xE2\x91\xA0" "1010519491231002X"),
			  "ERR: Character \"\xE2\x91\xA0\" (U+2460) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(rid("\xC2\xB9" "1010519491231002X"),
			  "ERR: Character \"\xC2\xB9\" (U+00B9) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(rid("\xF0\x9D\x9F\x8F" "1010519491231002X"),
			  "ERR: Character \"\xF0\x9D\x9F\x8F\" (U+1D7CF) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(rid("110105\t19491231\t002X"), "ERR: Control character U+0009 is not allowed.");
	CHECK_STR(rid("110105\xE2\x80\x94" "19491231002X"),
			  "ERR: Character \"\xE2\x80\x94\" (U+2014) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_STR(rid("110105\xE2\x88\x92" "19491231002X"),
			  "ERR: Character \"\xE2\x88\x92\" (U+2212) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	/* old 15-digit numbers */
	CHECK_STR(rid("110105491231002"), "11010519491231002X");
	CHECK_STR(rid("440524800101001"), "440524198001010013");
	CHECK_STR(rid("11010549123100X"), "ERR: An old 15-digit number has only digits, character 15 is \"X\".");
	CHECK_STR(rid("991234491231002"), "ERR: Province code 99 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(rid("110105491332002"), "ERR: Birth date 19491332 is not a date.");
	/* residence permits and foreigners' permanent residence cards */
	CHECK_STR(rid("810000199001010019"), "810000199001010019");
	CHECK_STR(rid("820000199001010029"), "820000199001010029");
	CHECK_STR(rid("830000199001010039"), "830000199001010039");
	CHECK_STR(rid("911840198503150016"), "911840198503150016");
	CHECK_STR(rid("831234199001010034"), "ERR: Region code 831234 is not valid: 83 is used only as 830000 (Taiwan residents' residence permit).");
	CHECK_STR(rid("999999199001010016"), "ERR: Province code 99 (digits 2-3 of a foreigners' permanent residence card) does not exist.");
	/* each defect */
	CHECK_STR(rid(""), "ERR: The value is empty.");
	CHECK_STR(rid("11010519491231002"), "ERR: A resident ID number has 18 characters (old numbers 15 digits), not 17.");
	CHECK_STR(rid("11010519491231002X0000000000000000000000"),
			  "ERR: A resident ID number has 18 characters (old numbers 15 digits), not 40.");
	CHECK_STR(rid("110105194912310021"), "ERR: Check character should be X.");
	CHECK_STR(rid("440524188001010013"), "ERR: Check character should be 4.");
	CHECK_STR(rid("11010519491231002Y"), "ERR: The check character must be a digit or X, not \"Y\".");
	CHECK_STR(rid("1101051949X231002X"), "ERR: Character 11 (\"X\") is not a digit (only the 18th, the check character, may be X).");
	/* all zeros (18 or 15 digits) fails on its province code; GB 11643 gives sequence 000 no exception */
	CHECK_STR(rid("000000000000000000"), "ERR: Province code 00 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(rid("000000000000000"), "ERR: Province code 00 does not exist (the first two digits must be a province-level code).");
	CHECK_INT(wc_resident_id_check_char(11010519491231000LL), '3');
	CHECK_STR(rid("110105194912310003"), "110105194912310003");
	CHECK_STR(rid("001234199001010013"), "ERR: Province code 00 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(rid("161234199001010013"), "ERR: Province code 16 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(rid("110105194913320021"), "ERR: Birth date 19491332 is not a date.");
	CHECK_STR(rid("371302190002290026"), "ERR: Birth date 19000229 is not a date.");
	CHECK_STR(rid("110105179912310021"), "ERR: Birth date 17991231 is before 1800.");
	CHECK_STR(rid("440524180001010018"), "440524180001010018");
	CHECK_STR(rid("110105209901010021"), "ERR: Birth date 20990101 is in the future.");
	/* today is accepted, tomorrow is not: exactly one check character fits each */
	{
		int			today_ok = 0,
					tomorrow_ok = 0;
		const char *cc = "0123456789X";

		for (int i = 0; cc[i]; i++)
		{
			char		a[19],
						b[19];

			snprintf(a, sizeof(a), "11010520261128001%c", cc[i]);
			snprintf(b, sizeof(b), "11010520261129001%c", cc[i]);
			today_ok += wc_resident_id_parse(a, 18, TODAY, &v, NULL) == WC_IDENT_OK;
			tomorrow_ok += wc_resident_id_parse(b, 18, TODAY, &v, NULL) == WC_IDENT_OK;
		}
		CHECK_INT(today_ok, 1);
		CHECK_INT(tomorrow_ok, 0);
	}
	/* accessors */
	v = rid_value("11010519491231002X");
	CHECK_INT(v, 11010519491231002LL);
	CHECK_INT(wc_resident_id_birth_ymd(v), 19491231);
	CHECK(!wc_resident_id_is_male(v));
	CHECK(wc_resident_id_is_male(rid_value("440524188001010014")));
	CHECK_INT(wc_resident_id_region(v), 110105);
	CHECK_INT(wc_resident_id_region(rid_value("830000199001010039")), 710000);
	CHECK_INT(wc_resident_id_region(rid_value("810000199001010019")), 810000);
	CHECK_INT(wc_resident_id_region(rid_value("911840198503150016")), 110000);
	CHECK_INT(wc_resident_id_age(v, 2026, 12, 30), 76);
	CHECK_INT(wc_resident_id_age(v, 2026, 12, 31), 77);
	CHECK_INT(wc_resident_id_age(v, 1949, 12, 31), 0);
	CHECK_INT(wc_resident_id_age(v, 1949, 12, 30), -1);
	CHECK_INT(wc_resident_id_age(v, -100, 1, 1), -1);
	CHECK_INT(wc_resident_id_age(rid_value("371302200002290022"), 2023, 2, 28), 22);
	CHECK_INT(wc_resident_id_age(rid_value("371302200002290022"), 2023, 3, 1), 23);
	wc_resident_id_mask(v, s);
	CHECK_STR(s, "110105********002X");
	wc_resident_id_format(rid_value("440524188001010014"), s);
	CHECK_STR(s, "440524188001010014");
	/* NULL detail is allowed */
	CHECK_INT(wc_resident_id_parse("1", 1, TODAY, &v, NULL), WC_IDENT_INVALID);
}

/* GB 32100-2015 unified social credit codes. */
static void
test_credit_code(void)
{
	wc_credit_code a,
				b;

	CHECK_INT(wc_credit_char_value('0'), 0);
	CHECK_INT(wc_credit_char_value('A'), 10);
	CHECK_INT(wc_credit_char_value('H'), 17);
	CHECK_INT(wc_credit_char_value('J'), 18);
	CHECK_INT(wc_credit_char_value('Y'), 30);
	CHECK_INT(wc_credit_char_value('I'), -1);
	CHECK_INT(wc_credit_char_value('O'), -1);
	CHECK_INT(wc_credit_char_value('S'), -1);
	CHECK_INT(wc_credit_char_value('V'), -1);
	CHECK_INT(wc_credit_char_value('Z'), -1);
	CHECK_INT(wc_credit_char_value('a'), -1);
	CHECK_INT(wc_credit_check_char("91350100M000100Y4"), '3');
	CHECK_INT(wc_credit_check_char("91310115MA1H8R7C6"), '7');
	CHECK_STR(ccode("91350100M000100Y43"), "91350100M000100Y43");
	CHECK_STR(ccode("91350100m000100y43"), "91350100M000100Y43");
	CHECK_STR(ccode("9135 0100-M000 100Y 43"), "91350100M000100Y43");
	CHECK_STR(ccode("\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x93\xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90"
					"\xEF\xBD\x8D" "000100\xEF\xBC\xB9" "43"), "91350100M000100Y43");
	CHECK_STR(ccode("\xF0\x9D\x9F\x97" "1350100M000100Y43"),
			  "ERR: Character \"\xF0\x9D\x9F\x97\" (U+1D7D7) is a compatibility form of \"9\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(ccode("9135\xE2\x80\x94" "0100M000100Y43"),
			  "ERR: Character \"\xE2\x80\x94\" (U+2014) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_STR(ccode("91310115MA1H8R7C6D"), "ERR: Check character should be 7.");
	CHECK_STR(ccode("91310115MA1H8R7C67"), "91310115MA1H8R7C67");
	CHECK_STR(ccode("91350100M000100Y4"), "ERR: A unified social credit code has 18 characters, not 17.");
	CHECK_STR(ccode("91350100M000100I43"), "ERR: Character 16 (\"I\") is not used in credit codes (I, O, S, V and Z are left out).");
	CHECK_STR(ccode("91350100M000100Y4Z"), "ERR: Character 18 (\"Z\") is not used in credit codes (I, O, S, V and Z are left out).");
	CHECK_STR(ccode("yyyyyyyyyyyyyyyyyt"), "YYYYYYYYYYYYYYYYYT");
	/* all zeros has check character 0 but is refused; one character off is checked as usual */
	CHECK_INT(wc_credit_check_char("00000000000000000"), '0');
	CHECK_STR(ccode("000000000000000000"), "ERR: A unified social credit code cannot be all zeros.");
	CHECK_STR(ccode("000000 000000 000000"), "ERR: A unified social credit code cannot be all zeros.");
	CHECK_STR(ccode("\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"
					"\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"
					"\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"),
			  "ERR: A unified social credit code cannot be all zeros.");
	CHECK_STR(ccode("000000000000000001"), "ERR: Check character should be 0.");
	CHECK_STR(ccode("0000000000000000I0"), "ERR: Character 17 (\"I\") is not used in credit codes (I, O, S, V and Z are left out).");
	CHECK_STR(ccode("00000000000000000"), "ERR: A unified social credit code has 18 characters, not 17.");
	/* packed bytes order like the text */
	wc_credit_code_parse("11100000000013127D", 18, &a, NULL);
	wc_credit_code_parse("91350100M000100Y43", 18, &b, NULL);
	CHECK(memcmp(a.b, b.b, WC_CREDIT_CODE_BYTES) < 0);
	wc_credit_code_parse("91371300MA3C1234XA", 18, &a, NULL);
	CHECK(memcmp(b.b, a.b, WC_CREDIT_CODE_BYTES) < 0);
	wc_credit_code_parse("91371302MA3MXQ5G8W", 18, &b, NULL);
	CHECK(memcmp(a.b, b.b, WC_CREDIT_CODE_BYTES) < 0);
	/* region: characters 3-8 when they are a division code */
	wc_credit_code_parse("91350100M000100Y43", 18, &a, NULL);
	CHECK_INT(wc_credit_code_region(&a), 350100);
	wc_credit_code_parse("11100000000013127D", 18, &a, NULL);
	CHECK_INT(wc_credit_code_region(&a), -1);
	wc_credit_code_parse("YYYYYYYYYYYYYYYYYT", 18, &a, NULL);
	CHECK_INT(wc_credit_code_region(&a), -1);
}

/* Bank cards: 12-19 digits, Luhn. */
static void
test_bank_card(void)
{
	char		s[WC_BANK_CARD_MASK_LEN + 1];

	CHECK_INT(wc_luhn_check_digit("7992739871", 10), 3);
	CHECK_INT(wc_luhn_check_digit("411111111111111", 15), 1);
	CHECK_STR(card("4111111111111111"), "4111111111111111");
	CHECK_STR(card("4111 1111-1111 1111"), "4111111111111111");
	CHECK_STR(card("\xEF\xBC\x94\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91\xE3\x80\x80" "1111\xEF\xBC\x8D" "1111 1111"), "4111111111111111");
	CHECK_STR(card("4111\t1111\t1111\t1111"), "ERR: Control character U+0009 is not allowed.");
	CHECK_STR(card("4111\xE2\x80\x94" "1111\xE2\x80\x94" "1111\xE2\x80\x94" "1111"),
			  "ERR: Character \"\xE2\x80\x94\" (U+2014) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_STR(card("4111\xE2\x88\x92" "1111\xE2\x88\x92" "1111\xE2\x88\x92" "1111"),
			  "ERR: Character \"\xE2\x88\x92\" (U+2212) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_STR(card("4\xE2\x91\xA0\xE2\x91\xA0\xE2\x91\xA0" "111111111111"),
			  "ERR: Character \"\xE2\x91\xA0\" (U+2460) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(card("4111111111111111\xC2\xB9"),
			  "ERR: Character \"\xC2\xB9\" (U+00B9) is a compatibility form of \"1\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(card("79927398713"), "ERR: A bank card number has 12 to 19 digits, not 11.");
	CHECK_STR(card("123456789015"), "123456789015");
	CHECK_STR(card("1234567890123456785"), "1234567890123456785");
	CHECK_STR(card("9999999999999999998"), "9999999999999999998");
	CHECK_STR(card("12345678901234567897"), "ERR: A bank card number has 12 to 19 digits, not 20.");
	CHECK_STR(card("0000000000018"), "0000000000018");
	/* all zeros passes Luhn but is refused, at every length; zeros with a wrong check digit fail Luhn */
	for (int n = WC_BANK_CARD_MIN; n <= WC_BANK_CARD_MAX; n++)
	{
		char		z[WC_BANK_CARD_MAX + 1];

		memset(z, '0', (size_t) n);
		z[n] = '\0';
		CHECK_STR(card(z), "ERR: A bank card number cannot be all zeros.");
	}
	CHECK_STR(card("0000 0000 0000 0000"), "ERR: A bank card number cannot be all zeros.");
	CHECK_STR(card("\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xE3\x80\x80\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"
				   "\xEF\xBC\x8D" "0000"), "ERR: A bank card number cannot be all zeros.");
	CHECK_STR(card("00000000000"), "ERR: A bank card number has 12 to 19 digits, not 11.");
	CHECK_STR(card("000000000005"), "ERR: Check digit should be 0 (Luhn).");
	CHECK_STR(card("000000000026"), "000000000026");
	CHECK_STR(card("4111111111111112"), "ERR: Check digit should be 1 (Luhn).");
	CHECK_STR(card("411111111111111A"), "ERR: Character 16 (\"A\") is not a digit.");
	/* order: length first, then numeric */
	CHECK(card_value("123456789015") < card_value("0000000000018"));
	CHECK(card_value("0000000000018") < card_value("4111111111111111"));
	CHECK(card_value("4111111111111111") < card_value("9111111111111110"));
	CHECK(card_value("9999999999999999998") > card_value("622202123456789012"));
	wc_bank_card_mask(card_value("622202123456789012"), s);
	CHECK_STR(s, "6222 **** **** 9012");
	wc_bank_card_mask(card_value("123456789015"), s);
	CHECK_STR(s, "1234 **** **** 9015");
}

/* GB/T 2260 division codes. */
static void
test_division_code(void)
{
	int32_t		d;

	CHECK_STR(div_("371302"), "371302");
	CHECK_STR(div_("37 13 02"), "371302");
	CHECK_STR(div_("\xEF\xBC\x93\xEF\xBC\x97\xEF\xBC\x8D\xEF\xBC\x91\xEF\xBC\x93\xE3\x80\x80\xEF\xBC\x90\xEF\xBC\x92"), "371302");
	CHECK_STR(div_("37\xE2\x80\x93" "13\xE2\x80\x93" "02"),
			  "ERR: Character \"\xE2\x80\x93\" (U+2013) is not a separator (only spaces and hyphen-minus, ASCII or full-width, are).");
	CHECK_STR(div_("\xE2\x91\xA2" "71302"),
			  "ERR: Character \"\xE2\x91\xA2\" (U+2462) is a compatibility form of \"3\": only ASCII and full-width digits and letters are allowed.");
	CHECK_STR(div_("710000"), "710000");
	CHECK_STR(div_("830000"), "ERR: Province code 83 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(div_("000000"), "ERR: Province code 00 does not exist (the first two digits must be a province-level code).");
	CHECK_STR(div_("3713"), "ERR: A division code has 6 digits, not 4.");
	CHECK_STR(div_("37130A"), "ERR: Character 6 (\"A\") is not a digit.");
	for (int p = 0; p < 100; p++)
	{
		bool		want = (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
			(p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
			p == 71 || p == 81 || p == 82;

		CHECK(wc_province_code_valid(p) == want);
	}
	wc_division_code_parse("371302", 6, &d, NULL);
	CHECK_INT(wc_division_code_level(d), 3);
	CHECK_INT(wc_division_code_province(d), 370000);
	CHECK_INT(wc_division_code_city(d), 371300);
	CHECK_INT(wc_division_code_county(d), 371302);
	CHECK_INT(wc_division_code_level(371300), 2);
	CHECK_INT(wc_division_code_county(371300), -1);
	CHECK_INT(wc_division_code_level(370000), 1);
	CHECK_INT(wc_division_code_city(370000), -1);
	CHECK(wc_division_code_contains(370000, 371302));
	CHECK(wc_division_code_contains(371300, 371329));
	CHECK(wc_division_code_contains(371302, 371302));
	CHECK(!wc_division_code_contains(371302, 371300));
	CHECK(!wc_division_code_contains(371300, 371402));
	CHECK(!wc_division_code_contains(370000, 110105));
}

int
main(void)
{
	test_compact();
	test_dates();
	test_resident_id();
	test_credit_code();
	test_bank_card();
	test_division_code();
	UNIT_DONE();
}
