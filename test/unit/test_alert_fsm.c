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

/* The engine's steps for the facts, as "action>state/tier action>state/tier ...". */
static const char *
steps_of(WcAlertFacts f)
{
	static char buf[256];
	WcAlertStep st[WC_ALERT_MAX_STEPS];
	int			n = wc_alert_engine_steps(&f, st);
	int			used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		used += snprintf(buf + used, sizeof(buf) - used, "%s%s>%s/%c", i ? " " : "",
						 st[i].t->action, st[i].t->to, st[i].t->to_tier);
	return buf;
}

/* True when the state belongs to the tier's lifecycle. */
static bool
state_known_for(char tier, const char *state)
{
	const WcAlertTransition *t;

	return wc_alert_next(tier, state, "open", WC_ACTOR_ENGINE, &t) != WC_FSM_BAD_STATE;
}

/* Facts of an existing alert. */
static WcAlertFacts
alert(char tier, const char *state, bool hit, char level)
{
	WcAlertFacts f = {0};

	f.tier = tier;
	f.state = state;
	f.hit = hit;
	f.level = level;
	return f;
}

/* The engine reaches a fixpoint: after its steps, the same facts give no more. */
static bool
fixpoint(WcAlertFacts f)
{
	WcAlertStep st[WC_ALERT_MAX_STEPS];
	int			n = wc_alert_engine_steps(&f, st);

	if (n == 0)
		return true;
	f.tier = st[n - 1].t->to_tier;
	f.state = st[n - 1].t->to;
	if (st[n - 1].deadline_new)
		f.deadline_passed = f.new_deadline_passed;
	if (st[n - 1].due == 1)
		f.due_passed = f.new_due_passed;
	else if (st[n - 1].due == 2)
		f.due_passed = f.report_due_passed;
	return wc_alert_engine_steps(&f, st) == 0;
}

int
main(void)
{
	WcAlertFacts f;
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

	/* engine steps: opening */
	f = alert('\0', NULL, false, 'G');
	CHECK_STR(steps_of(f), "");
	f.hit = true;
	CHECK_STR(steps_of(f), "open>open/G");
	f.level = 'K';
	CHECK_STR(steps_of(f), "open>open/K");
	f.new_deadline_passed = true;
	CHECK_STR(steps_of(f), "open>open/K overdue>overdue/K");
	f = alert('\0', NULL, true, 'O');
	f.new_due_passed = true;
	CHECK_STR(steps_of(f), "open>open/O overdue>verify_overdue/O");
	f.verified = true;
	CHECK_STR(steps_of(f), "open>open/O verified_in_source>verified/O");
	f.report_due_passed = true;
	CHECK_STR(steps_of(f), "open>open/O verified_in_source>verified/O overdue>report_overdue/O");

	/* G */
	CHECK_STR(steps_of(alert('G', "open", true, 'G')), "");
	CHECK_STR(steps_of(alert('G', "open", false, 'G')), "clear>cleared/G");
	CHECK_STR(steps_of(alert('G', "open", true, 'K')), "escalate>open/K");
	f = alert('G', "open", true, 'K');
	f.new_deadline_passed = true;
	f.deadline_passed = false;
	CHECK_STR(steps_of(f), "escalate>open/K overdue>overdue/K");
	CHECK_STR(steps_of(alert('G', "cleared", true, 'G')), "");

	/* K */
	f = alert('K', "open", true, 'K');
	CHECK_STR(steps_of(f), "");
	f.deadline_passed = true;
	CHECK_STR(steps_of(f), "overdue>overdue/K");
	CHECK_STR(steps_of(alert('K', "open", false, 'K')), "rectify>rectified/K");
	CHECK_STR(steps_of(alert('K', "overdue", false, 'K')), "rectify>rectified/K");
	CHECK_STR(steps_of(alert('K', "overdue", true, 'K')), "");
	CHECK_STR(steps_of(alert('K', "rectified", false, 'K')), "");
	CHECK_STR(steps_of(alert('K', "rectified", true, 'K')), "reopen>open/K");
	f = alert('K', "rectified", true, 'G');
	f.deadline_passed = true;
	CHECK_STR(steps_of(f), "reopen_overdue>overdue/K");
	CHECK_STR(steps_of(alert('K', "closed", true, 'K')), "");
	/* a K alert never steps down to G, and the hit's level does not matter once K */
	CHECK_STR(steps_of(alert('K', "open", true, 'G')), "");

	/* O */
	f = alert('O', "open", true, 'O');
	CHECK_STR(steps_of(f), "");
	f.due_passed = true;
	CHECK_STR(steps_of(f), "overdue>verify_overdue/O");
	CHECK_STR(steps_of(alert('O', "verify_overdue", true, 'O')), "");
	CHECK_STR(steps_of(alert('O', "open", false, 'O')),
			  "verified_in_source>verified/O reported_in_source>reported/O");
	f = alert('O', "verify_overdue", true, 'O');
	f.verified = true;
	CHECK_STR(steps_of(f), "verified_in_source>verified/O");
	f.report_due_passed = true;
	CHECK_STR(steps_of(f), "verified_in_source>verified/O overdue>report_overdue/O");
	f = alert('O', "verified", true, 'O');
	f.due_passed = true;
	CHECK_STR(steps_of(f), "overdue>report_overdue/O");
	CHECK_STR(steps_of(alert('O', "report_overdue", false, 'O')), "reported_in_source>reported/O");
	CHECK_STR(steps_of(alert('O', "reported", true, 'O')), "");

	/* every combination of facts reaches a fixpoint in one scan, with legal steps only */
	{
		const char *states[] = {NULL, "open", "overdue", "rectified", "closed", "cleared",
								"verify_overdue", "verified", "report_overdue", "reported"};
		const char	tiers[] = {'G', 'K', 'O'};
		int			bad = 0;

		for (int ti = 0; ti < 3; ti++)
			for (int si = 0; si < 10; si++)
				for (int bits = 0; bits < 256; bits++)
				{
					f = alert(states[si] ? tiers[ti] : '\0', states[si], bits & 1, tiers[ti]);
					if (tiers[ti] == 'G' && (bits & 2))
						f.level = 'K';
					f.deadline_passed = bits & 4;
					f.new_deadline_passed = bits & 8;
					f.due_passed = bits & 16;
					f.new_due_passed = bits & 32;
					f.verified = bits & 64;
					f.report_due_passed = bits & 128;
					if (states[si] && !state_known_for(tiers[ti], states[si]))
						continue;
					if (!fixpoint(f))
					{
						bad++;
						printf("no fixpoint: tier %c state %s bits %d: %s\n", tiers[ti], states[si], bits, steps_of(f));
					}
				}
		CHECK_INT(bad, 0);
	}

	/* the fast path: a lone opening, as the general path says */
	f = alert('\0', NULL, true, 'G');
	CHECK(wc_alert_opens_only(&f));
	f.level = 'K';
	CHECK(wc_alert_opens_only(&f));
	f.new_deadline_passed = true;		/* opens overdue: two steps */
	CHECK_STR(steps_of(f), "open>open/K overdue>overdue/K");
	CHECK(!wc_alert_opens_only(&f));
	f = alert('\0', "", true, 'O');
	CHECK(wc_alert_opens_only(&f));
	f.verified = true;					/* opens verified: two steps */
	CHECK(!wc_alert_opens_only(&f));
	f = alert('\0', NULL, false, 'G');	/* no hit, nothing to open */
	CHECK(!wc_alert_opens_only(&f));
	f = alert('G', "cleared", true, 'G');	/* a closed alert is not reopened by a hit */
	CHECK(!wc_alert_opens_only(&f));
	f = alert('G', "open", true, 'G');
	CHECK(!wc_alert_opens_only(&f));
	{
		/* every fact combination: fast path exactly where the steps are one "open" */
		const char *states[] = {NULL, "", "open", "cleared", "overdue", "rectified", "closed",
								"verify_overdue", "verified", "report_overdue", "reported"};
		const char	tiers[] = {'G', 'K', 'O'};
		int			bad = 0,
					fast = 0;

		for (int ti = 0; ti < 3; ti++)
			for (int si = 0; si < 11; si++)
				for (int bits = 0; bits < 256; bits++)
				{
					WcAlertStep st[WC_ALERT_MAX_STEPS];
					bool		one_open;

					f = alert(states[si] && states[si][0] ? tiers[ti] : '\0', states[si], bits & 1, tiers[ti]);
					if (tiers[ti] == 'G' && (bits & 2))
						f.level = 'K';
					f.deadline_passed = bits & 4;
					f.new_deadline_passed = bits & 8;
					f.due_passed = bits & 16;
					f.new_due_passed = bits & 32;
					f.verified = bits & 64;
					f.report_due_passed = bits & 128;
					if (states[si] && states[si][0] && !state_known_for(tiers[ti], states[si]))
						continue;
					n = wc_alert_engine_steps(&f, st);
					one_open = n == 1 && strcmp(st[0].t->action, "open") == 0 && st[0].t->from[0] == '\0'
						&& st[0].t->to_tier == f.level && st[0].deadline_new && st[0].due == 1;
					fast += wc_alert_opens_only(&f);
					if (wc_alert_opens_only(&f) != one_open)
					{
						bad++;
						printf("fast path differs: tier %c state %s bits %d: %s\n", tiers[ti],
							   states[si] ? states[si] : "NULL", bits, steps_of(f));
					}
				}
		CHECK_INT(bad, 0);
		CHECK(fast > 0);
	}

	UNIT_DONE();
}
