/*
 * fuzz_alert_fsm.c — libFuzzer harness of src/core/alert_fsm.c, the alert lifecycle that
 * alert_transition(), confirm_rectified() and scan() follow. The input gives a tier, an
 * actor, the facts of a subject and two strings (state, action), each either one of the
 * table's words or raw bytes. Properties: no crash for any input; a transition found
 * starts from the state and tier asked for, with the action and actor asked for; the
 * list of legal actions fits any buffer, however short, and ends in NUL; the engine's
 * steps are at most WC_ALERT_MAX_STEPS engine transitions, each starting where the one
 * before ended, the first from the subject's state (from none when it opens an alert).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alert_fsm.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const words[] = {
	"", "open", "cleared", "overdue", "rectified", "closed", "verify_overdue", "verified",
	"report_overdue", "reported", "clear", "escalate", "rectify", "reopen", "reopen_overdue",
	"rectify_violation", "confirm", "verify", "report", "verified_in_source",
	"reported_in_source", "bogus"
};
#define N_WORDS ((int) (sizeof(words) / sizeof(words[0])))

/* pick: one of the table's words, or (high bit set) the raw string s. */
static const char *
pick(uint8_t b, const char *s)
{
	return (b & 0x80) ? s : words[b % N_WORDS];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char tiers[] = {'G', 'K', 'O', '\0', 'X'};
	char	   *raw,
			   *state_raw,
			   *action_raw;
	const char *state,
			   *action;
	char		tier;
	WcAlertActor actor;
	const WcAlertTransition *t = NULL;
	WcAlertFsmStatus st;
	WcAlertFacts f;
	WcAlertStep steps[WC_ALERT_MAX_STEPS];
	int			n,
				len;
	size_t		cut;

	if (size < 6)
		return 0;
	/* bytes 6.. are two NUL-separated raw strings */
	raw = malloc(size - 6 + 2);
	if (raw == NULL)
		return 0;
	memcpy(raw, data + 6, size - 6);
	raw[size - 6] = '\0';
	raw[size - 6 + 1] = '\0';
	state_raw = raw;
	cut = strlen(state_raw);
	action_raw = raw + cut + (cut < size - 6 ? 1 : 0);

	tier = (data[0] & 0x80) ? (char) data[0] : tiers[data[0] % 5];
	actor = (data[1] & 1) ? WC_ACTOR_OFFICER : WC_ACTOR_ENGINE;
	state = pick(data[2], state_raw);
	action = pick(data[3], action_raw);

	/* one transition */
	st = wc_alert_next(tier, (data[1] & 2) ? NULL : state, action, actor, &t);
	if (st == WC_FSM_OK)
	{
		const char *from = (data[1] & 2) ? "" : state;

		if (t == NULL || t->tier != tier || strcmp(t->from, from) != 0 ||
			strcmp(t->action, action) != 0 || t->actor != actor)
			abort();
	}
	else if (st > WC_FSM_WRONG_ACTOR)
		abort();
	(void) wc_alert_state_is_live((data[1] & 4) ? NULL : state);

	/* the legal actions in a buffer of exactly len bytes (ASan sees any overrun) */
	len = data[4] % 96;
	{
		char	   *buf = malloc(len > 0 ? len : 1);

		if (buf)
		{
			wc_alert_legal_actions(tier, state, buf, len);
			if (len > 0 && memchr(buf, '\0', len) == NULL)
				abort();
			free(buf);
		}
	}

	/* the engine's steps for a subject */
	memset(&f, 0, sizeof(f));
	f.tier = (data[1] & 8) ? '\0' : tier;
	f.state = (data[1] & 16) ? NULL : state;
	f.hit = data[5] & 1;
	f.level = (data[5] & 2) ? 'K' : (data[5] & 4) ? 'O' : 'G';
	f.deadline_passed = data[5] & 8;
	f.new_deadline_passed = data[5] & 16;
	f.due_passed = data[5] & 32;
	f.new_due_passed = data[5] & 64;
	f.verified = data[5] & 128;
	f.report_due_passed = data[4] & 128;
	n = wc_alert_engine_steps(&f, steps);
	if (n < 0 || n > WC_ALERT_MAX_STEPS)
		abort();
	{
		int			opening = (f.tier == '\0' || f.state == NULL || f.state[0] == '\0');
		char		cur_tier = opening ? f.level : f.tier;
		const char *cur = opening ? "" : f.state;

		for (int i = 0; i < n; i++)
		{
			const WcAlertTransition *s = steps[i].t;

			if (s == NULL || s->actor != WC_ACTOR_ENGINE || s->tier != cur_tier ||
				strcmp(s->from, cur) != 0 || steps[i].due < 0 || steps[i].due > 2)
				abort();
			cur_tier = s->to_tier;
			cur = s->to;
		}
		if (n > 0 && opening && strcmp(steps[0].t->action, "open") != 0)
			abort();
	}
	(void) wc_alert_opens_only(&f);
	free(raw);
	return 0;
}
