/*
 * test_normalize.c — unit tests of the normalization of legacy values.
 */
#include "unit.h"

#include "core/normalize.h"

static char buf[128];

#define NORM(s, f) (wc_normalize((s), strlen(s), (f), buf, sizeof(buf)), buf)

int
main(void)
{
	char		small[5];

	/* padding and blanks of every kind */
	CHECK_STR(NORM("  LS-2026-017 ", 0), "LS-2026-017");
	CHECK_STR(NORM("\tLS-2026-017\r\n", 0), "LS-2026-017");
	CHECK_STR(NORM("兰山区　人民医院", 0), "兰山区 人民医院");
	CHECK_STR(NORM("a  \t b", 0), "a b");
	CHECK_STR(NORM("", 0), "");
	CHECK_STR(NORM("   ", 0), "");
	/* full-width digits, letters and hyphens */
	CHECK_STR(NORM("ＬＳ－２０２６－０１７", 0), "LS-2026-017");
	CHECK_STR(NORM("１", 0), "1");
	CHECK_STR(NORM("贷", 0), "贷");
	CHECK_STR(NORM("ls—2026—017", 0), "ls-2026-017");
	/* compact: account, card and ID numbers */
	CHECK_STR(NORM("1523 0101 0400 3100 1", WC_NORM_COMPACT), "15230101040031001");
	CHECK_STR(NORM("1523-0101-0400-1234-5", WC_NORM_COMPACT), "15230101040012345");
	CHECK_STR(NORM("１５２３　０１０１－０４００", WC_NORM_COMPACT), "152301010400");
	CHECK_STR(NORM(" 37130219780521001x ", WC_NORM_COMPACT), "37130219780521001X");
	CHECK_STR(NORM("6228\xc2\xa0" "4812", WC_NORM_COMPACT), "62284812");
	/* a NUL of padding (char(n) written by a C program) */
	CHECK_INT(wc_normalize("12\0\0", 4, WC_NORM_COMPACT, buf, sizeof(buf)), 2);
	CHECK_STR(buf, "12");
	/* malformed UTF-8 is copied byte by byte, never read past the end */
	CHECK_INT(wc_normalize("a\xe5\x85", 3, 0, buf, sizeof(buf)), 3);
	CHECK(memcmp(buf, "a\xe5\x85", 3) == 0);
	CHECK_INT(wc_normalize("\xff\xfe", 2, 0, buf, sizeof(buf)), 2);
	CHECK_INT(wc_normalize("\xc0\xaf", 2, 0, buf, sizeof(buf)), 2);
	/* a short buffer: cut, NUL-terminated, the whole length returned */
	CHECK_INT(wc_normalize("123456789", 9, 0, small, sizeof(small)), 9);
	CHECK_STR(small, "1234");
	CHECK_INT(wc_normalize("１２３", strlen("１２３"), 0, small, 0), 3);
	/* plain digits need no normalizing */
	CHECK(wc_is_plain_digits("15230101040012345", 17));
	CHECK(!wc_is_plain_digits("1523 0101", 9));
	CHECK(!wc_is_plain_digits("", 0));
	CHECK(!wc_is_plain_digits("１", strlen("１")));

	/* patterns: '*' anything, '#' a number, letters either case */
	CHECK(wc_pattern_match("#月工资", "11月工资", strlen("11月工资")));
	CHECK(wc_pattern_match("#月工资", "1月工资", strlen("1月工资")));
	CHECK(!wc_pattern_match("#月工资", "月工资", strlen("月工资")));
	CHECK(!wc_pattern_match("#月工资", "x月工资", strlen("x月工资")));
	CHECK(wc_pattern_match("#年#月工资", "2020年11月工资", strlen("2020年11月工资")));
	CHECK(wc_pattern_match("*工资*", "补发3月工资款", strlen("补发3月工资款")));
	CHECK(wc_pattern_match("WAGE", "wage", 4));
	CHECK(!wc_pattern_match("wage", "wages", 5));
	CHECK(wc_pattern_match("*", "", 0));
	CHECK(!wc_pattern_match("#", "", 0));
	CHECK(wc_pattern_match("a*b*c", "axxbyyc", 7));
	CHECK(!wc_pattern_match("a*b*c", "axxbyy", 6));
	CHECK(wc_pattern_valid("工资"));
	CHECK(!wc_pattern_valid(""));
	{
		char		longp[WC_PATTERN_MAX + 2];
		static const char *const pats[] = {"贷", "2", NULL};

		memset(longp, '*', sizeof(longp) - 1);
		longp[sizeof(longp) - 1] = '\0';
		CHECK(!wc_pattern_valid(longp));
		CHECK(!wc_pattern_match(longp, "x", 1));
		CHECK(wc_pattern_any(pats, "2", 1));
		CHECK(!wc_pattern_any(pats, "1", 1));
	}

	/* dates and times written as text */
	{
		int32_t		ymd = 0,
					secs = -1;

#define MOMENT(s) wc_parse_moment((s), strlen(s), &ymd, &secs)
		CHECK(MOMENT("20201215") && ymd == 20201215 && secs == 0);
		CHECK(MOMENT("2020-12-15 10:00:00") && ymd == 20201215 && secs == 36000);
		CHECK(MOMENT("2020/12/15 9:05") && ymd == 20201215 && secs == 9 * 3600 + 300);
		CHECK(MOMENT("2020.1.5") && ymd == 20200105 && secs == 0);
		CHECK(MOMENT("2020年12月15日") && ymd == 20201215);
		CHECK(MOMENT("2020年12月15日 10时30分") && secs == 37800);
		CHECK(MOMENT("2020年12月15日10时30分15秒") && secs == 37815);
		CHECK(MOMENT("20201215103015") && ymd == 20201215 && secs == 37815);
		CHECK(MOMENT("202012151030") && secs == 37800);
		CHECK(MOMENT("２０２０１２１５") && ymd == 20201215);
		CHECK(MOMENT(" 2020-12-15T10:00:00.250 ") && secs == 36000);
		CHECK(!MOMENT("20201315"));
		CHECK(!MOMENT("20210229"));
		CHECK(MOMENT("20200229"));
		CHECK(!MOMENT("2020-12-15 24:00"));
		CHECK(!MOMENT("2020-12-15 10:60"));
		CHECK(!MOMENT("2020-12/15"));
		CHECK(!MOMENT("2020-12-15 10:00 +08"));
		CHECK(!MOMENT("15/12/2020"));
		CHECK(!MOMENT(""));
		CHECK(!MOMENT("202012"));
		CHECK(!MOMENT("2020121510"));
		CHECK(!MOMENT("yesterday"));
	}

	UNIT_DONE();
}
