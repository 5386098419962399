/*
 * errcodes.h — wagecheck's SQLSTATEs. Class WC holds business-rule rejections
 * (a rule of the wage regulations refused the change); data-integrity faults use
 * the standard class 23 and bad text input 22P02.
 */
#ifndef WAGECHECK_ERRCODES_H
#define WAGECHECK_ERRCODES_H

#include "utils/elog.h"

#define ERRCODE_WC_RULE_VIOLATION		MAKE_SQLSTATE('W','C','0','0','0')	/* generic */
/* dedicated wage account */
#define ERRCODE_WC_ACCOUNT_OUTFLOW		MAKE_SQLSTATE('W','C','0','0','1')	/* AC03 */
#define ERRCODE_WC_PAYEE_NOT_OWN_CARD	MAKE_SQLSTATE('W','C','0','0','2')	/* WP04 */
#define ERRCODE_WC_ACCOUNT_OVERDRAWN	MAKE_SQLSTATE('W','C','0','0','3')
#define ERRCODE_WC_ACCOUNT_CLOSURE		MAKE_SQLSTATE('W','C','0','0','4')	/* AC05 */
#define ERRCODE_WC_ACCOUNT_CLOSED		MAKE_SQLSTATE('W','C','0','0','5')	/* AC05: movement, new wages or a payment on a closed account */
#define ERRCODE_WC_BALANCE_DERIVED		MAKE_SQLSTATE('W','C','0','0','6')	/* balance written by hand */
#define ERRCODE_WC_TXN_EDITED			MAKE_SQLSTATE('W','C','0','0','7')	/* booked movement changed */
#define ERRCODE_WC_UNRESOLVED			MAKE_SQLSTATE('W','C','0','0','8')	/* a row of an attached table wagecheck cannot judge */
/* real-name roster and pay sheets */
#define ERRCODE_WC_NOT_ON_ROSTER		MAKE_SQLSTATE('W','C','0','1','0')	/* RN01 */
#define ERRCODE_WC_PAY_LINE_ARITHMETIC	MAKE_SQLSTATE('W','C','0','2','0')	/* PS01 */
#define ERRCODE_WC_PAID_LINE_EDITED		MAKE_SQLSTATE('W','C','0','2','1')
#define ERRCODE_WC_BAD_CORRECTION		MAKE_SQLSTATE('W','C','0','2','2')
/* alerts, cases, complaints */
#define ERRCODE_WC_ILLEGAL_TRANSITION	MAKE_SQLSTATE('W','C','0','4','0')
#define ERRCODE_WC_ALERT_KEPT			MAKE_SQLSTATE('W','C','0','4','1')	/* DELETE of an alert (raised in SQL) */
#define ERRCODE_WC_CASE_NOT_REPAID		MAKE_SQLSTATE('W','C','0','5','0')	/* 不解决不销账 */
#define ERRCODE_WC_CASE_CLOSED			MAKE_SQLSTATE('W','C','0','5','1')	/* change to a closed case */
#define ERRCODE_WC_CLOSE_REASON_REQUIRED	MAKE_SQLSTATE('W','C','0','5','2')	/* lawful end without reason */
#define ERRCODE_WC_LEDGER_APPEND_ONLY	MAKE_SQLSTATE('W','C','0','5','3')	/* DELETE/TRUNCATE of the ledger */
#define ERRCODE_WC_DEADLINE_PASSED		MAKE_SQLSTATE('W','C','0','5','4')	/* extension after the deadline */
#define ERRCODE_WC_LISTING_REMOVAL		MAKE_SQLSTATE('W','C','0','6','0')	/* early removal conditions unmet */
/* calendar */
#define ERRCODE_WC_SHIPPED_HOLIDAY		MAKE_SQLSTATE('W','C','0','7','0')	/* change to a shipped arrangement */

#endif							/* WAGECHECK_ERRCODES_H */
