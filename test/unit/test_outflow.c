/*
 * test_outflow.c — unit tests of the enforcing triggers' pure rule logic.
 */
#include "unit.h"

#include "core/outflow.h"

#define DIR(s) wc_parse_direction((s), strlen(s))
#define PUR(s) wc_parse_purpose((s), strlen(s))
#define MET(s) wc_parse_method((s), strlen(s))

int
main(void)
{
	int64_t		c = 0;
	char		buf[64];

	/* direction words of bank files */
	CHECK_INT(DIR("in"), WC_DIR_IN);
	CHECK_INT(DIR(" OUT "), WC_DIR_OUT);
	CHECK_INT(DIR("D"), WC_DIR_OUT);
	CHECK_INT(DIR("Cr"), WC_DIR_IN);
	CHECK_INT(DIR("借"), WC_DIR_OUT);
	CHECK_INT(DIR("贷"), WC_DIR_IN);
	CHECK_INT(DIR("支出"), WC_DIR_OUT);
	CHECK_INT(DIR("sideways"), WC_DIR_UNKNOWN);
	CHECK_INT(DIR("Ｃ"), WC_DIR_IN);
	CHECK_INT(DIR(" 借 "), WC_DIR_OUT);
	/* codes that mean opposite things at different banks are not guessed */
	CHECK_INT(DIR("1"), WC_DIR_UNKNOWN);
	CHECK_INT(DIR("2"), WC_DIR_UNKNOWN);
	{
		static const char *const in[] = {"2", "贷", NULL};
		static const char *const out[] = {"1", "借", NULL};
		static const char *const both[] = {"1", NULL};

		CHECK_INT(wc_classify_direction("1", 1, in, out), WC_DIR_OUT);
		CHECK_INT(wc_classify_direction("２", strlen("２"), in, out), WC_DIR_IN);
		CHECK_INT(wc_classify_direction("C", 1, in, out), WC_DIR_UNKNOWN);
		CHECK_INT(wc_classify_direction("in", 2, in, out), WC_DIR_UNKNOWN);
		CHECK_INT(wc_classify_direction("1", 1, both, both), WC_DIR_UNKNOWN);
	}
	CHECK_INT(DIR(""), WC_DIR_UNKNOWN);

	/* purpose words */
	CHECK_INT(PUR("wage"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("代发工资"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("现金"), WC_PURPOSE_CASH);
	CHECK_INT(PUR("CASH"), WC_PURPOSE_CASH);
	CHECK_INT(PUR("  "), WC_PURPOSE_NONE);
	CHECK_INT(PUR("labour_cost"), WC_PURPOSE_INFLOW);
	CHECK_INT(PUR("transfer"), WC_PURPOSE_OTHER);
	/* what banks write for wages */
	CHECK_INT(PUR("工资款"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("11月工资"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("１１月工资"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("2020年11月工资"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("劳务费"), WC_PURPOSE_WAGE);
	CHECK_INT(PUR(" 代发工资 "), WC_PURPOSE_WAGE);
	CHECK_INT(PUR("货款"), WC_PURPOSE_OTHER);
	{
		static const char *const wage[] = {"*工资*", NULL};
		static const char *const cash[] = {"ATM*", NULL};

		CHECK_INT(wc_classify_purpose("补发工资", strlen("补发工资"), wage, cash), WC_PURPOSE_WAGE);
		CHECK_INT(wc_classify_purpose("劳务费", strlen("劳务费"), wage, cash), WC_PURPOSE_OTHER);
		CHECK_INT(wc_classify_purpose("ATM取款", strlen("ATM取款"), wage, cash), WC_PURPOSE_CASH);
		CHECK_INT(wc_classify_purpose("wage", 4, wage, cash), WC_PURPOSE_OTHER);
		CHECK_INT(wc_classify_purpose("人工费", strlen("人工费"), wage, cash), WC_PURPOSE_INFLOW);
	}

	/* payment-method words */
	CHECK_INT(MET("account"), WC_METHOD_ACCOUNT);
	CHECK_INT(MET(" 银行代发 "), WC_METHOD_ACCOUNT);
	CHECK_INT(MET("Cash"), WC_METHOD_CASH);
	CHECK_INT(MET("现金"), WC_METHOD_CASH);
	CHECK_INT(MET("other_account"), WC_METHOD_OTHER_ACCOUNT);
	CHECK_INT(MET("他户代发"), WC_METHOD_OTHER_ACCOUNT);
	CHECK_INT(MET(" "), WC_METHOD_NONE);
	CHECK_INT(MET("by pigeon"), WC_METHOD_UNKNOWN);

	/* the outflow rule: only wages into a rostered worker's own card */
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_WAGE, WC_PAYEE_ROSTERED), WC_OUT_OK);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_NONE, WC_PAYEE_ROSTERED), WC_OUT_OK);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_WAGE, WC_PAYEE_OTHER_WORKER), WC_OUT_AC03);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_WAGE, WC_PAYEE_NOT_WORKER_CARD), WC_OUT_NOT_OWN_CARD);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_WAGE, WC_PAYEE_NONE), WC_OUT_NOT_OWN_CARD);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_CASH, WC_PAYEE_ROSTERED), WC_OUT_AC03);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_OTHER, WC_PAYEE_ROSTERED), WC_OUT_AC03);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_NONE, WC_PAYEE_NOT_WORKER_CARD), WC_OUT_AC03);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_NONE, WC_PAYEE_NONE), WC_OUT_AC03);
	CHECK_INT(wc_outflow_decide(WC_PURPOSE_INFLOW, WC_PAYEE_ROSTERED), WC_OUT_AC03);

	/* cents */
	CHECK_INT(wc_parse_cents("1234.56", &c), WC_CENTS_OK);
	CHECK_INT(c, 123456);
	CHECK_INT(wc_parse_cents("-7", &c), WC_CENTS_OK);
	CHECK_INT(c, -700);
	CHECK_INT(wc_parse_cents("0.5", &c), WC_CENTS_OK);
	CHECK_INT(c, 50);
	CHECK_INT(wc_parse_cents("12.3400", &c), WC_CENTS_OK);
	CHECK_INT(c, 1234);
	CHECK_INT(wc_parse_cents("12.345", &c), WC_CENTS_SUBCENT);
	CHECK_INT(wc_parse_cents("abc", &c), WC_CENTS_SYNTAX);
	CHECK_INT(wc_parse_cents("", &c), WC_CENTS_SYNTAX);
	CHECK_INT(wc_parse_cents("1e5", &c), WC_CENTS_SYNTAX);
	CHECK_INT(wc_parse_cents("99999999999999999999", &c), WC_CENTS_OVERFLOW);
	CHECK_INT(wc_parse_cents("92233720368547758.07", &c), WC_CENTS_OVERFLOW);

	/* numeric in its stored form (short header: 0x8000 | sign 0x2000 | dscale << 7 | weight) */
	{
		unsigned char b[16];
		uint16_t	w[4];

#define NUM(...) do { uint16_t v_[] = {__VA_ARGS__}; memcpy(b, v_, sizeof(v_)); n_ = sizeof(v_); } while (0)
		size_t		n_;

		NUM(0x8000 | (2 << 7), 1234, 5600);		/* 1234.56 */
		CHECK(wc_numeric_cents(b, n_, &c) == WC_CENTS_OK && c == 123456);
		NUM(0x8000 | 0x2000, 7);		/* -7 */
		CHECK(wc_numeric_cents(b, n_, &c) == WC_CENTS_OK && c == -700);
		NUM(0x8000 | (2 << 7) | 0x7F, 500);	/* 0.05: weight -1 */
		CHECK(wc_numeric_cents(b, n_, &c) == WC_CENTS_OK && c == 5);
		NUM(0x8000 | 1, 1);		/* 10000: weight 1, trailing zero digits stripped */
		CHECK(wc_numeric_cents(b, n_, &c) == WC_CENTS_OK && c == 1000000);
		NUM(0x8000 | (3 << 7) | 0x7F, 1234);	/* 0.1234: sub-cent */
		CHECK_INT(wc_numeric_cents(b, n_, &c), WC_CENTS_SUBCENT);
		NUM(0x8000 | (5 << 7) | 0x7E, 5000);	/* 0.00005: weight -2 */
		CHECK_INT(wc_numeric_cents(b, n_, &c), WC_CENTS_SUBCENT);
		NUM(0x8000);			/* 0 */
		CHECK(wc_numeric_cents(b, n_, &c) == WC_CENTS_OK && c == 0);
		NUM(0xC000);			/* NaN */
		CHECK_INT(wc_numeric_cents(b, n_, &c), WC_CENTS_SYNTAX);
		NUM(0x4000 | 2, 0, 12, 3456, 7800);	/* long format: -123456.78, weight 1 */
		w[0] = 0x4000 | 2; w[1] = 1; w[2] = 12; w[3] = 3456;
		memcpy(b, w, sizeof(w));
		{
			uint16_t	last = 7800;

			memcpy(b + 8, &last, 2);
		}
		CHECK(wc_numeric_cents(b, 10, &c) == WC_CENTS_OK && c == -12345678);
		NUM(0x8000 | 5, 1, 0, 0, 0);	/* 10^20: too large for cents in int64 */
		CHECK_INT(wc_numeric_cents(b, n_, &c), WC_CENTS_OVERFLOW);
		CHECK_INT(wc_numeric_cents(b, 1, &c), WC_CENTS_SYNTAX);
	}

	/* balances */
	CHECK(wc_balance_apply(1000, WC_DIR_OUT, 1500, &c) && c == -500);
	CHECK(wc_balance_apply(1000, WC_DIR_IN, 1500, &c) && c == 2500);
	CHECK(!wc_balance_apply(INT64_MAX, WC_DIR_IN, 1, &c));
	CHECK(!wc_balance_apply(INT64_MIN, WC_DIR_OUT, 1, &c));

	/* pay-line arithmetic */
	CHECK_INT(wc_payline_check(500000, 20000, 480000), WC_LINE_OK);
	CHECK_INT(wc_payline_check(500000, 20000, 500000), WC_LINE_MISMATCH);
	CHECK_INT(wc_payline_check(500000, 600000, -100000), WC_LINE_NEGATIVE);
	CHECK_INT(wc_payline_check(-1, 0, -1), WC_LINE_NEGATIVE);
	CHECK_INT(wc_payline_check(INT64_MAX, 0, INT64_MAX), WC_LINE_OK);
	CHECK_INT(wc_payline_check(0, 0, 0), WC_LINE_OK);

	/* formatting and masking for messages */
	wc_format_cents(123456, buf, sizeof(buf));
	CHECK_STR(buf, "1234.56");
	wc_format_cents(5, buf, sizeof(buf));
	CHECK_STR(buf, "0.05");
	wc_format_cents(-70000, buf, sizeof(buf));
	CHECK_STR(buf, "-700.00");
	wc_format_cents(0, buf, sizeof(buf));
	CHECK_STR(buf, "0.00");
	wc_format_cents(INT64_MIN, buf, sizeof(buf));
	CHECK_STR(buf, "-92233720368547758.08");
	wc_format_cents(123456, buf, 4);
	CHECK_STR(buf, "123");
	wc_mask_account("6228481234567890003", 19, buf, sizeof(buf));
	CHECK_STR(buf, "6228***********0003");
	wc_mask_account("12345678", 8, buf, sizeof(buf));
	CHECK_STR(buf, "12345678");

	UNIT_DONE();
}
