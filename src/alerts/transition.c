/*
 * transition.c — SQL glue of the alert lifecycle state machine (src/core/alert_fsm.c).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "core/alert_fsm.h"
#include "errcodes.h"
#include "nls.h"

/* Parses the tier argument ('G', 'K' or 'O'). */
static char
tier_arg(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strlen(s) != 1 || (s[0] != 'G' && s[0] != 'K' && s[0] != 'O'))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid alert tier: \"%s\"", s),
				 errhint("The tiers are G (general), K (key) and O (public opinion).")));
	return s[0];
}

/* Parses the actor argument ('engine' or 'officer'). */
static WcAlertActor
actor_arg(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "engine") == 0)
		return WC_ACTOR_ENGINE;
	if (strcmp(s, "officer") == 0)
		return WC_ACTOR_OFFICER;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid alert actor: \"%s\"", s),
			 errhint("The actors are engine (wagecheck.scan) and officer.")));
	return WC_ACTOR_ENGINE;		/* not reached */
}

PG_FUNCTION_INFO_V1(wagecheck_alert_transition);
/* Next state of an alert after an action, or SQLSTATE WC040 when the action is illegal. */
Datum
wagecheck_alert_transition(PG_FUNCTION_ARGS)
{
	char		tier;
	char	   *state;
	char	   *action;
	WcAlertActor actor;
	const WcAlertTransition *t = NULL;
	char		legal[512];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	tier = tier_arg(PG_GETARG_TEXT_PP(0));
	state = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	action = text_to_cstring(PG_GETARG_TEXT_PP(2));
	actor = actor_arg(PG_GETARG_TEXT_PP(3));

	switch (wc_alert_next(tier, state, action, actor, &t))
	{
		case WC_FSM_OK:
			PG_RETURN_TEXT_P(cstring_to_text(t->to));
		case WC_FSM_BAD_TIER:
			elog(ERROR, "alert tier was checked above");
			break;
		case WC_FSM_BAD_STATE:
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("alert state \"%s\" does not exist in tier %c", state, tier)));
			break;
		case WC_FSM_BAD_ACTION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown alert action: \"%s\"", action)));
			break;
		case WC_FSM_WRONG_ACTOR:
			wc_alert_legal_actions(tier, state, legal, sizeof(legal));
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("%s cannot %s a tier %c alert in state \"%s\"",
							actor == WC_ACTOR_ENGINE ? _("a scan") : _("an officer"), action, tier,
							state[0] ? state : _("(not open)")),
					 errdetail("Legal from here: %s.", legal)));
			break;
		case WC_FSM_ILLEGAL:
			wc_alert_legal_actions(tier, state, legal, sizeof(legal));
			ereport(ERROR,
					(errcode(ERRCODE_WC_ILLEGAL_TRANSITION),
					 errmsg("cannot %s a tier %c alert in state \"%s\"", action, tier,
							state[0] ? state : _("(not open)")),
					 errdetail("Legal from here: %s.", legal),
					 tier == 'K' && strcmp(action, "confirm") == 0 ?
					 errhint("A key alert is confirmed only after wagecheck.scan() found its condition gone (state \"rectified\").") : 0));
			break;
	}
	PG_RETURN_NULL();			/* not reached */
}

PG_FUNCTION_INFO_V1(wagecheck_alert_transitions);
/* The lifecycle transition table as rows, for documentation and checks. */
Datum
wagecheck_alert_transitions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const WcAlertTransition *all;
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	all = wc_alert_transitions(&n);
	for (int i = 0; i < n; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		char		tier[2] = {all[i].tier, '\0'};
		char		to_tier[2] = {all[i].to_tier, '\0'};

		values[0] = CStringGetTextDatum(tier);
		if (all[i].from[0] == '\0')
			nulls[1] = true;
		else
			values[1] = CStringGetTextDatum(all[i].from);
		values[2] = CStringGetTextDatum(all[i].action);
		values[3] = CStringGetTextDatum(all[i].to);
		values[4] = CStringGetTextDatum(to_tier);
		values[5] = CStringGetTextDatum(all[i].actor == WC_ACTOR_ENGINE ? "engine" : "officer");
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* Reads the facts of _engine_steps/_engine_opens_only's ten arguments (NULL booleans: false). */
static void
facts_arg(FunctionCallInfo fcinfo, WcAlertFacts *f)
{
	memset(f, 0, sizeof(*f));
	if (!PG_ARGISNULL(0) && !PG_ARGISNULL(1))
	{
		f->tier = tier_arg(PG_GETARG_TEXT_PP(0));
		f->state = text_to_cstring(PG_GETARG_TEXT_PP(1));
	}
#define BOOL_ARG(i) (!PG_ARGISNULL(i) && PG_GETARG_BOOL(i))
	f->hit = BOOL_ARG(2);
	f->level = PG_ARGISNULL(3) ? 'G' : tier_arg(PG_GETARG_TEXT_PP(3));
	f->deadline_passed = BOOL_ARG(4);
	f->new_deadline_passed = BOOL_ARG(5);
	f->due_passed = BOOL_ARG(6);
	f->new_due_passed = BOOL_ARG(7);
	f->verified = BOOL_ARG(8);
	f->report_due_passed = BOOL_ARG(9);
#undef BOOL_ARG
}

PG_FUNCTION_INFO_V1(wagecheck_engine_steps);
/* The steps a scan takes for one (rule, subject, period), from what it knows (internal to scan). */
Datum
wagecheck_engine_steps(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	WcAlertFacts f;
	WcAlertStep steps[WC_ALERT_MAX_STEPS];
	int			n;

	/* the caller's row type: not rebuilt from the catalogs at each of a scan's many calls */
	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	facts_arg(fcinfo, &f);
	n = wc_alert_engine_steps(&f, steps);
	for (int i = 0; i < n; i++)
	{
		const WcAlertTransition *t = steps[i].t;
		Datum		values[8];
		bool		nulls[8] = {false, false, false, false, false, false, false, false};
		char		from_tier[2] = {t->tier, '\0'};
		char		to_tier[2] = {t->to_tier, '\0'};

		values[0] = Int32GetDatum(i + 1);
		values[1] = CStringGetTextDatum(t->action);
		if (t->from[0] == '\0')
			nulls[2] = nulls[4] = true;
		else
		{
			values[2] = CStringGetTextDatum(t->from);
			values[4] = CStringGetTextDatum(from_tier);
		}
		values[3] = CStringGetTextDatum(t->to);
		values[5] = CStringGetTextDatum(to_tier);
		values[6] = BoolGetDatum(steps[i].deadline_new);
		values[7] = Int32GetDatum(steps[i].due);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(wagecheck_engine_opens_only);
/* True when _engine_steps with the same arguments is one opening (the scan's fast path). */
Datum
wagecheck_engine_opens_only(PG_FUNCTION_ARGS)
{
	WcAlertFacts f;

	facts_arg(fcinfo, &f);
	PG_RETURN_BOOL(wc_alert_opens_only(&f));
}
