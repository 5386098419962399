/*
 * outflow.c — pure rule logic of the enforcing triggers (see outflow.h).
 */
#include "core/outflow.h"
#include "core/normalize.h"

#include <string.h>

/* word_eq: true when s[0..len) equals the NUL-terminated word w, ASCII case-insensitively. */
static bool
word_eq(const char *s, size_t len, const char *w)
{
	size_t		i;

	if (strlen(w) != len)
		return false;
	for (i = 0; i < len; i++)
	{
		char		a = s[i],
					b = w[i];

		if (a >= 'A' && a <= 'Z')
			a = (char) (a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

/* trim: strips ASCII blanks from both ends of s[0..*len). */
static const char *
trim(const char *s, size_t *len)
{
	while (*len > 0 && (*s == ' ' || *s == '\t'))
		s++, (*len)--;
	while (*len > 0 && (s[*len - 1] == ' ' || s[*len - 1] == '\t'))
		(*len)--;
	return s;
}

/*
 * The direction words wagecheck knows without a value map: in/out, C/D
 * (credit/debit), +/-, 收/付, 入/出, 贷/借, 收入/支出, 转入/转出. Codes such as
 * 1 and 2 mean opposite things at different banks: they are not guessed, a
 * value map of the mapping names them.
 */
const char *const wc_default_in_words[] = {"in", "c", "cr", "credit", "+", "收", "入", "贷", "收入", "转入", NULL};
const char *const wc_default_out_words[] = {"out", "d", "dr", "debit", "-", "付", "出", "借", "支", "支出", "转出", NULL};

/* Direction words of bank files (the defaults above). */
wc_direction
wc_parse_direction(const char *s, size_t len)
{
	return wc_classify_direction(s, len, NULL, NULL);
}

/*
 * wc_classify_direction: the direction s[0..len) stands for, by the patterns of
 * a value map (in, out: NULL-terminated; NULL: the defaults), after
 * normalization (full-width forms, padding); WC_DIR_UNKNOWN when none matches
 * or both do.
 */
wc_direction
wc_classify_direction(const char *s, size_t len, const char *const *in, const char *const *out)
{
	char		buf[WC_PATTERN_TEXT_MAX + 1];
	bool		is_in,
				is_out;

	/* the words of wagecheck's own table first: a bulk load has millions of them */
	if (in == NULL && len == 2 && s[0] == 'i' && s[1] == 'n')
		return WC_DIR_IN;
	if (out == NULL && len == 3 && memcmp(s, "out", 3) == 0)
		return WC_DIR_OUT;
	len = wc_normalize(s, len, 0, buf, sizeof(buf));
	if (len >= sizeof(buf))
		return WC_DIR_UNKNOWN;
	is_in = wc_pattern_any(in ? in : wc_default_in_words, buf, len);
	is_out = wc_pattern_any(out ? out : wc_default_out_words, buf, len);
	return is_in == is_out ? WC_DIR_UNKNOWN : is_in ? WC_DIR_IN : WC_DIR_OUT;
}

/*
 * The purposes (摘要) wagecheck reads as a wage or a cash withdrawal without a
 * value map: patterns of wc_pattern_match ('#' a number, '*' anything).
 */
const char *const wc_default_wage_patterns[] = {
	"wage", "wages", "salary", "工资", "工资款", "代发工资", "代发工资款", "农民工工资", "工资代发",
	"发放工资", "#月工资", "#月份工资", "#年#月工资", "#年#月份工资", "#月工资款", "代发#月工资",
	"劳务费", "劳务工资", "代发劳务费", NULL
};
const char *const wc_default_cash_patterns[] = {"cash", "现金", "取现", "提现", "现金支取", NULL};

/* Purpose words (the defaults above; labour_cost/top_up/人工费 are inflows); empty = not given. */
wc_purpose
wc_parse_purpose(const char *s, size_t len)
{
	return wc_classify_purpose(s, len, NULL, NULL);
}

/*
 * wc_classify_purpose: the purpose s[0..len) stands for, by the wage and cash
 * patterns of a value map (NULL: the defaults), after normalization.
 */
wc_purpose
wc_classify_purpose(const char *s, size_t len, const char *const *wage, const char *const *cash)
{
	static const char *const inflow[] = {"labour_cost", "top_up", "人工费", "人工费用", "拨付", NULL};
	char		buf[WC_PATTERN_TEXT_MAX + 1];

	if (wage == NULL && len == 4 && memcmp(s, "wage", 4) == 0)
		return WC_PURPOSE_WAGE; /* the common case, before normalizing */
	len = wc_normalize(s, len, 0, buf, sizeof(buf));
	if (len == 0)
		return WC_PURPOSE_NONE;
	if (len >= sizeof(buf))
		return WC_PURPOSE_OTHER;
	if (wc_pattern_any(wage ? wage : wc_default_wage_patterns, buf, len))
		return WC_PURPOSE_WAGE;
	if (wc_pattern_any(cash ? cash : wc_default_cash_patterns, buf, len))
		return WC_PURPOSE_CASH;
	if (wc_pattern_any(inflow, buf, len))
		return WC_PURPOSE_INFLOW;
	return WC_PURPOSE_OTHER;
}

/* Payment-method words: account/专户代发/银行代发, cash/现金, other_account/他户代发; empty = not given. */
wc_method
wc_parse_method(const char *s, size_t len)
{
	static const char *const account[] = {"account", "专户", "专户代发", "专户转账", "银行代发", "代发", NULL};
	static const char *const cash[] = {"cash", "现金", "现金发放", NULL};
	static const char *const other[] = {"other_account", "他户代发", "其他账户", "非专户", NULL};
	int			i;

	s = trim(s, &len);
	if (len == 0)
		return WC_METHOD_NONE;
	for (i = 0; account[i]; i++)
		if (word_eq(s, len, account[i]))
			return WC_METHOD_ACCOUNT;
	for (i = 0; cash[i]; i++)
		if (word_eq(s, len, cash[i]))
			return WC_METHOD_CASH;
	for (i = 0; other[i]; i++)
		if (word_eq(s, len, other[i]))
			return WC_METHOD_OTHER_ACCOUNT;
	return WC_METHOD_UNKNOWN;
}

/*
 * The outflow rule (AC03): money may leave the dedicated account only as a
 * wage into the own registered card of a worker on the project's roster.
 */
wc_outflow_verdict
wc_outflow_decide(wc_purpose purpose, wc_payee payee)
{
	switch (purpose)
	{
		case WC_PURPOSE_CASH:
		case WC_PURPOSE_OTHER:
		case WC_PURPOSE_INFLOW:
			return WC_OUT_AC03;
		case WC_PURPOSE_WAGE:
			if (payee == WC_PAYEE_ROSTERED)
				return WC_OUT_OK;
			if (payee == WC_PAYEE_OTHER_WORKER)
				return WC_OUT_AC03;
			return WC_OUT_NOT_OWN_CARD;	/* a wage in cash or into someone else's account */
		case WC_PURPOSE_NONE:
			return payee == WC_PAYEE_ROSTERED ? WC_OUT_OK : WC_OUT_AC03;
	}
	return WC_OUT_AC03;
}

/*
 * Parses a decimal amount ("-1234.5", "12.30", "7") into cents. Digits beyond
 * the cents must be zero; overflow of int64 is reported.
 */
int
wc_parse_cents(const char *s, int64_t *cents)
{
	bool		neg = false;
	int64_t		v = 0;
	int			frac = 0;
	bool		digits = false;
	const int64_t limit = INT64_MAX / 10 - 9;

	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	for (; *s >= '0' && *s <= '9'; s++)
	{
		if (v > limit)
			return WC_CENTS_OVERFLOW;
		v = v * 10 + (*s - '0');
		digits = true;
	}
	if (*s == '.')
	{
		for (s++; *s >= '0' && *s <= '9'; s++)
		{
			digits = true;
			if (frac < 2)
			{
				if (v > limit)
					return WC_CENTS_OVERFLOW;
				v = v * 10 + (*s - '0');
				frac++;
			}
			else if (*s != '0')
				return WC_CENTS_SUBCENT;
		}
	}
	if (!digits || *s != '\0')
		return WC_CENTS_SYNTAX;
	for (; frac < 2; frac++)
	{
		if (v > limit)
			return WC_CENTS_OVERFLOW;
		v *= 10;
	}
	*cents = neg ? -v : v;
	return WC_CENTS_OK;
}

/* Balance after one movement; false on int64 overflow. */
bool
wc_balance_apply(int64_t balance, wc_direction dir, int64_t amount, int64_t *after)
{
	if (dir == WC_DIR_OUT)
		return !__builtin_sub_overflow(balance, amount, after);
	return !__builtin_add_overflow(balance, amount, after);
}

/* Pay-line arithmetic: nothing negative and net = payable - deductions. */
wc_payline_verdict
wc_payline_check(int64_t payable, int64_t deductions, int64_t net)
{
	int64_t		expect;

	if (payable < 0 || deductions < 0 || net < 0)
		return WC_LINE_NEGATIVE;
	if (__builtin_sub_overflow(payable, deductions, &expect) || expect != net)
		return WC_LINE_MISMATCH;
	return WC_LINE_OK;
}

/* Formats cents as "-1234.56" into buf; returns the length written. */
size_t
wc_format_cents(int64_t cents, char *buf, size_t size)
{
	char		tmp[32];
	uint64_t	u = cents < 0 ? (uint64_t) 0 - (uint64_t) cents : (uint64_t) cents;
	int			n = 0;
	size_t		len = 0,
				i;

	do
	{
		tmp[n++] = (char) ('0' + u % 10);
		u /= 10;
		if (n == 2)
			tmp[n++] = '.';
	} while (u > 0 || n < 4);
	if (cents < 0)
		tmp[n++] = '-';
	if (size == 0)
		return 0;
	for (i = 0; i < (size_t) n && len + 1 < size; i++)
		buf[len++] = tmp[n - 1 - i];
	buf[len] = '\0';
	return len;
}

/* Masks an account or card number for messages: first 4 and last 4 characters kept. */
size_t
wc_mask_account(const char *s, size_t len, char *buf, size_t size)
{
	size_t		i,
				out = 0;

	if (size == 0)
		return 0;
	for (i = 0; i < len && out + 1 < size; i++)
		buf[out++] = (len <= 8 || i < 4 || i >= len - 4) ? s[i] : '*';
	buf[out] = '\0';
	return out;
}

/* rd16: a native-endian uint16 from possibly unaligned bytes. */
static uint16_t
rd16(const unsigned char *p)
{
	uint16_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Cents of a PostgreSQL numeric in its stored form (the bytes after the varlena
 * header: a 2-byte short header, or 2-byte sign/dscale and 2-byte weight, then
 * base-10000 digits), without going through text. NaN and infinities are
 * WC_CENTS_SYNTAX; digits beyond the cents must be zero.
 */
int
wc_numeric_cents(const unsigned char *data, size_t len, int64_t *cents)
{
	uint16_t	h;
	int			weight,
				ndigits,
				i;
	bool		neg;
	const unsigned char *digits;
	int64_t		v = 0;

	if (len < 2)
		return WC_CENTS_SYNTAX;
	h = rd16(data);
	if ((h & 0xC000) == 0xC000)
		return WC_CENTS_SYNTAX;		/* NaN, +/-Infinity */
	if (h & 0x8000)
	{
		/* short format */
		neg = (h & 0x2000) != 0;
		weight = (h & 0x0040) ? (int) (int16_t) (0xFFC0 | (h & 0x003F)) : (int) (h & 0x003F);
		digits = data + 2;
		ndigits = (int) ((len - 2) / 2);
	}
	else
	{
		if (len < 4)
			return WC_CENTS_SYNTAX;
		neg = (h & 0xC000) == 0x4000;
		weight = (int16_t) rd16(data + 2);
		digits = data + 4;
		ndigits = (int) ((len - 4) / 2);
	}
	if (ndigits == 0)
	{
		*cents = 0;
		return WC_CENTS_OK;
	}
	/* integer part: digits 0..weight; then the first fractional digit */
	for (i = 0; i <= weight + 1; i++)
	{
		int64_t		d = i < ndigits ? rd16(digits + 2 * i) : 0;

		if (i == weight + 1)
		{
			if (d % 100 != 0)
				return WC_CENTS_SUBCENT;
			if (__builtin_mul_overflow(v, 100, &v) || __builtin_add_overflow(v, d / 100, &v))
				return WC_CENTS_OVERFLOW;
		}
		else if (__builtin_mul_overflow(v, 10000, &v) || __builtin_add_overflow(v, d, &v))
			return WC_CENTS_OVERFLOW;
	}
	if (weight + 1 < 0)
	{
		/* |value| < 0.0001 * 10000^(weight+1): only zero cents allowed */
		for (i = 0; i < ndigits; i++)
			if (rd16(digits + 2 * i) != 0)
				return WC_CENTS_SUBCENT;
		v = 0;
	}
	for (i = weight + 2 > 0 ? weight + 2 : 0; i < ndigits; i++)
		if (rd16(digits + 2 * i) != 0)
			return WC_CENTS_SUBCENT;
	*cents = neg ? -v : v;
	return WC_CENTS_OK;
}
