/*
 * test_alert_fsm.c — the alert lifecycle: which transitions each tier allows, and to whom.
 */
#include "core/alert_fsm.h"
#include "unit.h"

/* Next state of a transition, or the status name when it is refused. */
static const char *
next(char tier, const char *state, const char *action, WcAlertActor actor)
{
	const WcAlertTransition *t = NULL;

	switch (wc_alert_next(tier, state, action, actor, &t))
	{
		case WC_FSM_OK:
			return t->to;
		case WC_FSM_BAD_TIER:
			return "BAD_TIER";
		case WC_FSM_BAD_STATE:
			return "BAD_STATE";
		case WC_FSM_BAD_ACTION:
			return "BAD_ACTION";
		case WC_FSM_ILLEGAL:
			return "ILLEGAL";
		case WC_FSM_WRONG_ACTOR:
			return "WRONG_ACTOR";
	}
	return "?";
}

int
main(void)
{
	const WcAlertTransition *t = NULL;
	const WcAlertTransition *all;
	int			n;
	char		buf[256];

	/* G: opens, clears itself, or escalates to K keeping its state */
	CHECK_STR(next('G', NULL, "open", WC_ACTOR_ENGINE), "open");
	CHECK_STR(next('G', "", "open", WC_ACTOR_ENGINE), "open");
	CHECK_STR(next('G', "open", "clear", WC_ACTOR_ENGINE), "cleared");
	CHECK(wc_alert_next('G', "open", "escalate", WC_ACTOR_ENGINE, &t) == WC_FSM_OK);
	CHECK_STR(t->to, "open");
	CHECK(t->to_tier == 'K');
	CHECK_STR(next('G', "cleared", "clear", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('G', "open", "open", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('G', "open", "confirm", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('G', "cleared", "escalate", WC_ACTOR_ENGINE), "ILLEGAL");

	/* K: never cleared by the engine; closed only by an officer after rectification */
	CHECK_STR(next('K', NULL, "open", WC_ACTOR_ENGINE), "open");
	CHECK_STR(next('K', "open", "clear", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('K', "open", "overdue", WC_ACTOR_ENGINE), "overdue");
	CHECK_STR(next('K', "overdue", "overdue", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('K', "open", "rectify", WC_ACTOR_ENGINE), "rectified");
	CHECK_STR(next('K', "overdue", "rectify", WC_ACTOR_ENGINE), "rectified");
	CHECK_STR(next('K', "rectified", "reopen", WC_ACTOR_ENGINE), "open");
	CHECK_STR(next('K', "rectified", "reopen_overdue", WC_ACTOR_ENGINE), "overdue");
	CHECK_STR(next('K', "open", "confirm", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('K', "overdue", "confirm", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('K', "rectified", "confirm", WC_ACTOR_OFFICER), "closed");
	CHECK_STR(next('K', "rectified", "confirm", WC_ACTOR_ENGINE), "WRONG_ACTOR");
	CHECK_STR(next('K', "open", "rectify", WC_ACTOR_OFFICER), "WRONG_ACTOR");
	CHECK_STR(next('K', "overdue", "rectify_violation", WC_ACTOR_OFFICER), "rectified");
	CHECK_STR(next('K', "closed", "reopen", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('K', "closed", "confirm", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('K', "open", "escalate", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('K', "open", "verify", WC_ACTOR_OFFICER), "ILLEGAL");

	/* O: verify then report; escalations when past the hours */
	CHECK_STR(next('O', NULL, "open", WC_ACTOR_ENGINE), "open");
	CHECK_STR(next('O', "open", "overdue", WC_ACTOR_ENGINE), "verify_overdue");
	CHECK_STR(next('O', "open", "verify", WC_ACTOR_OFFICER), "verified");
	CHECK_STR(next('O', "verify_overdue", "verify", WC_ACTOR_OFFICER), "verified");
	CHECK_STR(next('O', "open", "report", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('O', "verified", "overdue", WC_ACTOR_ENGINE), "report_overdue");
	CHECK_STR(next('O', "verified", "report", WC_ACTOR_OFFICER), "reported");
	CHECK_STR(next('O', "report_overdue", "report", WC_ACTOR_OFFICER), "reported");
	CHECK_STR(next('O', "reported", "report", WC_ACTOR_OFFICER), "ILLEGAL");
	CHECK_STR(next('O', "verify_overdue", "overdue", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('O', "open", "clear", WC_ACTOR_ENGINE), "ILLEGAL");
	CHECK_STR(next('O', "verified", "verify", WC_ACTOR_OFFICER), "ILLEGAL");

	/* unknown tiers, states and actions are told apart */
	CHECK_STR(next('X', "open", "clear", WC_ACTOR_ENGINE), "BAD_TIER");
	CHECK_STR(next('G', "overdue", "clear", WC_ACTOR_ENGINE), "BAD_STATE");
	CHECK_STR(next('K', "pending", "confirm", WC_ACTOR_OFFICER), "BAD_STATE");
	CHECK_STR(next('K', "open", "close", WC_ACTOR_OFFICER), "BAD_ACTION");
	CHECK_STR(next('K', "open", NULL, WC_ACTOR_OFFICER), "BAD_ACTION");

	/* live states */
	CHECK(wc_alert_state_is_live("open"));
	CHECK(wc_alert_state_is_live("rectified"));
	CHECK(wc_alert_state_is_live("report_overdue"));
	CHECK(!wc_alert_state_is_live("cleared"));
	CHECK(!wc_alert_state_is_live("closed"));
	CHECK(!wc_alert_state_is_live("reported"));
	CHECK(!wc_alert_state_is_live(NULL));

	/* every row: a final state is never a source; the tier only changes by escalation */
	all = wc_alert_transitions(&n);
	CHECK(n > 0);
	for (int i = 0; i < n; i++)
	{
		CHECK(all[i].from[0] == '\0' || wc_alert_state_is_live(all[i].from));
		CHECK(all[i].to_tier == all[i].tier || strcmp(all[i].action, "escalate") == 0);
		CHECK((all[i].from[0] == '\0') == (strcmp(all[i].action, "open") == 0));
	}

	/* legal actions for error details */
	wc_alert_legal_actions('K', "rectified", buf, sizeof(buf));
	CHECK_STR(buf, "reopen (scan), reopen_overdue (scan), confirm (officer)");
	wc_alert_legal_actions('K', "closed", buf, sizeof(buf));
	CHECK_STR(buf, "none: the alert is closed");
	wc_alert_legal_actions('O', "open", buf, 12);
	CHECK(strlen(buf) < 12);

	UNIT_DONE();
}
