/*
 * alert_fsm.c — the alert lifecycle transition table and its lookups.
 */
#include "core/alert_fsm.h"

#include <stdio.h>
#include <string.h>

#define E WC_ACTOR_ENGINE
#define P WC_ACTOR_OFFICER

/*
 * The lifecycle. G: open -> cleared, or escalated to K (G->K rules). K: open ->
 * overdue when its deadline passes; open/overdue -> rectified when the condition
 * is gone (back to open/overdue if it returns); rectified -> closed only when an
 * officer confirms. A K alert raised only by recorded violations has no
 * condition the engine can re-check, so the officer records the rectification.
 * O: open -> verified -> reported, escalated to verify_overdue / report_overdue
 * when past the hours; an officer records each step, or the scan sees it in the
 * rule's own data (the hit says verified, or the hit is gone: reported).
 */
static const WcAlertTransition transitions[] = {
	{'G', "", "open", "open", 'G', E},
	{'G', "open", "clear", "cleared", 'G', E},
	{'G', "open", "escalate", "open", 'K', E},

	{'K', "", "open", "open", 'K', E},
	{'K', "open", "overdue", "overdue", 'K', E},
	{'K', "open", "rectify", "rectified", 'K', E},
	{'K', "overdue", "rectify", "rectified", 'K', E},
	{'K', "rectified", "reopen", "open", 'K', E},
	{'K', "rectified", "reopen_overdue", "overdue", 'K', E},
	{'K', "open", "rectify_violation", "rectified", 'K', P},
	{'K', "overdue", "rectify_violation", "rectified", 'K', P},
	{'K', "rectified", "confirm", "closed", 'K', P},

	{'O', "", "open", "open", 'O', E},
	{'O', "open", "overdue", "verify_overdue", 'O', E},
	{'O', "open", "verify", "verified", 'O', P},
	{'O', "verify_overdue", "verify", "verified", 'O', P},
	{'O', "verified", "overdue", "report_overdue", 'O', E},
	{'O', "verified", "report", "reported", 'O', P},
	{'O', "report_overdue", "report", "reported", 'O', P},
	/* verification and report recorded in the rule's own data (e.g. opinion_report) */
	{'O', "open", "verified_in_source", "verified", 'O', E},
	{'O', "verify_overdue", "verified_in_source", "verified", 'O', E},
	{'O', "verified", "reported_in_source", "reported", 'O', E},
	{'O', "report_overdue", "reported_in_source", "reported", 'O', E},
};

#define N_TRANSITIONS ((int) (sizeof(transitions) / sizeof(transitions[0])))

static const char *const live_states[] = {
	"open", "overdue", "rectified", "verify_overdue", "verified", "report_overdue"
};

/* Returns the table; *n receives its length. */
const WcAlertTransition *
wc_alert_transitions(int *n)
{
	*n = N_TRANSITIONS;
	return transitions;
}

/* True when `s` is one of the `n` strings of `list`. */
static bool
in_list(const char *s, const char *const *list, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* True when the state is live (the alert can still change). */
bool
wc_alert_state_is_live(const char *state)
{
	return state != NULL && in_list(state, live_states, 6);
}

/* True when some row of the table mentions this state for this tier. */
static bool
state_known(char tier, const char *state)
{
	if (state[0] == '\0')
		return true;
	for (int i = 0; i < N_TRANSITIONS; i++)
		if (transitions[i].tier == tier &&
			(strcmp(transitions[i].from, state) == 0 || strcmp(transitions[i].to, state) == 0))
			return true;
	/* a G alert escalated to K keeps its state name; K/O final states are in the table */
	return false;
}

/* Looks up one transition; see alert_fsm.h. */
WcAlertFsmStatus
wc_alert_next(char tier, const char *state, const char *action,
			  WcAlertActor actor, const WcAlertTransition **out)
{
	bool		action_known = false;
	bool		wrong_actor = false;

	if (state == NULL)
		state = "";
	if (tier != 'G' && tier != 'K' && tier != 'O')
		return WC_FSM_BAD_TIER;
	if (action == NULL)
		return WC_FSM_BAD_ACTION;
	if (!state_known(tier, state))
		return WC_FSM_BAD_STATE;
	for (int i = 0; i < N_TRANSITIONS; i++)
	{
		const WcAlertTransition *t = &transitions[i];

		if (strcmp(t->action, action) != 0)
			continue;
		action_known = true;
		if (t->tier != tier || strcmp(t->from, state) != 0)
			continue;
		if (t->actor != actor)
		{
			wrong_actor = true;
			continue;
		}
		*out = t;
		return WC_FSM_OK;
	}
	if (!action_known)
		return WC_FSM_BAD_ACTION;
	return wrong_actor ? WC_FSM_WRONG_ACTOR : WC_FSM_ILLEGAL;
}

/* Lists the actions legal from a state, for error details. */
void
wc_alert_legal_actions(char tier, const char *state, char *buf, int len)
{
	int			used = 0;

	if (len <= 0)
		return;
	buf[0] = '\0';
	if (state == NULL)
		state = "";
	for (int i = 0; i < N_TRANSITIONS && used < len; i++)
	{
		const WcAlertTransition *t = &transitions[i];
		int			w;

		if (t->tier != tier || strcmp(t->from, state) != 0)
			continue;
		w = snprintf(buf + used, len - used, "%s%s (%s)", used ? ", " : "", t->action,
					 t->actor == WC_ACTOR_ENGINE ? "scan" : "officer");
		if (w < 0 || w >= len - used)
		{
			buf[used] = '\0';
			return;
		}
		used += w;
	}
	if (used == 0)
		snprintf(buf, len, "none: the alert is %s", state[0] ? "closed" : "not open");
}

/* Appends the transition of `action` to the steps; false when it is not legal. */
static bool
push_step(WcAlertStep *steps, int *n, char *tier, const char **state, const char *action,
		  bool deadline_new, int due)
{
	const WcAlertTransition *t = NULL;

	if (*n >= WC_ALERT_MAX_STEPS ||
		wc_alert_next(*tier, *state, action, WC_ACTOR_ENGINE, &t) != WC_FSM_OK)
		return false;
	steps[*n].t = t;
	steps[*n].deadline_new = deadline_new;
	steps[*n].due = due;
	(*n)++;
	*tier = t->to_tier;
	*state = t->to;
	return true;
}

/* The engine's steps for one subject; see alert_fsm.h. */
int
wc_alert_engine_steps(const WcAlertFacts *f, WcAlertStep *steps)
{
	int			n = 0;
	char		tier = f->tier;
	const char *state = f->state ? f->state : "";
	bool		dl_new = false;
	bool		dl_passed = f->deadline_passed;
	bool		due_passed = f->due_passed;
	int			due = 0;

	if (tier == '\0' || state[0] == '\0')
	{
		if (!f->hit)
			return 0;
		tier = f->level;
		state = "";
		dl_new = true;
		dl_passed = f->new_deadline_passed;
		due = 1;
		due_passed = f->new_due_passed;
		if (!push_step(steps, &n, &tier, &state, "open", dl_new, due))
			return n;
	}
	else if (!wc_alert_state_is_live(state))
		return 0;				/* terminal: only a rule that is not `once` opens anew (a new alert) */

	while (n < WC_ALERT_MAX_STEPS)
	{
		const char *action = NULL;

		if (tier == 'G')
		{
			if (!f->hit)
				action = "clear";
			else if (f->level == 'K')
			{
				action = "escalate";
				dl_new = true;
				dl_passed = f->new_deadline_passed;
			}
		}
		else if (tier == 'K')
		{
			if (strcmp(state, "open") == 0)
				action = !f->hit ? "rectify" : dl_passed ? "overdue" : NULL;
			else if (strcmp(state, "overdue") == 0)
				action = !f->hit ? "rectify" : NULL;
			else if (strcmp(state, "rectified") == 0 && f->hit)
				action = dl_passed ? "reopen_overdue" : "reopen";
		}
		else if (tier == 'O')
		{
			bool		unverified = strcmp(state, "open") == 0 || strcmp(state, "verify_overdue") == 0;

			if (unverified && (f->verified || !f->hit))
			{
				action = "verified_in_source";
				due = 2;
				due_passed = f->report_due_passed;
			}
			else if (!unverified && !f->hit)
				action = "reported_in_source";
			else if ((strcmp(state, "open") == 0 || strcmp(state, "verified") == 0) && due_passed)
				action = "overdue";
		}
		if (action == NULL || !push_step(steps, &n, &tier, &state, action, dl_new, due))
			break;
	}
	return n;
}

/* The steps are a lone opening; see alert_fsm.h. */
bool
wc_alert_opens_only(const WcAlertFacts *f)
{
	WcAlertStep steps[WC_ALERT_MAX_STEPS];

	/* only an alert that does not exist yet opens; its steps are the general path's */
	if ((f->tier != '\0' && f->state != NULL && f->state[0] != '\0') || !f->hit)
		return false;
	return wc_alert_engine_steps(f, steps) == 1 && strcmp(steps[0].t->action, "open") == 0;
}
