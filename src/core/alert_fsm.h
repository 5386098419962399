/*
 * alert_fsm.h — the alert lifecycle state machine (plain C, no postgres.h).
 *
 * Three tiers (alerts.md): G clears by itself when its condition is gone; K is
 * given a deadline, goes overdue, and closes only when an officer confirms the
 * rectification; O is verified and reported upward within hours. Every change of
 * state an alert may make is one row of the transition table, with the actor
 * (the scan engine or an officer) allowed to make it.
 */
#ifndef WC_CORE_ALERT_FSM_H
#define WC_CORE_ALERT_FSM_H

#include <stdbool.h>

/* Who makes a transition. */
typedef enum WcAlertActor
{
	WC_ACTOR_ENGINE,			/* wagecheck.scan() */
	WC_ACTOR_OFFICER			/* a person, through confirm_rectified/verify/report */
} WcAlertActor;

/* One legal transition: in tier `tier`, `action` moves `from` to `to`, tier becomes `to_tier`. */
typedef struct WcAlertTransition
{
	char		tier;			/* 'G', 'K' or 'O' */
	const char *from;			/* "" for an alert that does not exist yet */
	const char *action;
	const char *to;
	char		to_tier;
	WcAlertActor actor;
} WcAlertTransition;

/* Outcome of a transition request. */
typedef enum WcAlertFsmStatus
{
	WC_FSM_OK = 0,
	WC_FSM_BAD_TIER,			/* tier is not G, K or O */
	WC_FSM_BAD_STATE,			/* state unknown for the tier */
	WC_FSM_BAD_ACTION,			/* action unknown */
	WC_FSM_ILLEGAL,				/* action not allowed from this state */
	WC_FSM_WRONG_ACTOR			/* allowed, but not for this actor */
} WcAlertFsmStatus;

/* The whole transition table and its length. */
extern const WcAlertTransition *wc_alert_transitions(int *n);

/*
 * Looks up the transition of `action` from `state` (NULL or "" = not yet open)
 * in `tier` for `actor`; on WC_FSM_OK sets *out to the table row.
 */
extern WcAlertFsmStatus wc_alert_next(char tier, const char *state, const char *action,
									  WcAlertActor actor, const WcAlertTransition **out);

/* True when the state is one an alert can still leave (not cleared, closed or reported). */
extern bool wc_alert_state_is_live(const char *state);

/* Writes into buf (size len) the actions legal from `state` in `tier`, comma-separated. */
extern void wc_alert_legal_actions(char tier, const char *state, char *buf, int len);

/* What a scan knows about one (rule, subject, period): its alert and the rule's hit. */
typedef struct WcAlertFacts
{
	char		tier;			/* current tier of the alert; '\0' when there is none */
	const char *state;			/* its state (NULL when there is none) */
	bool		hit;			/* the rule's condition holds now */
	char		level;			/* the hit's effective tier (G, K or O) */
	bool		deadline_passed;	/* K: today is after the alert's deadline */
	bool		new_deadline_passed;	/* K: today is after the deadline an opening now would set */
	bool		due_passed;		/* O: now is after the alert's current due time */
	bool		new_due_passed;	/* O: now is after the verify due time an opening now would set */
	bool		verified;		/* O: the source data records the verification */
	bool		report_due_passed;	/* O: now is after the report due time */
} WcAlertFacts;

/* One step a scan takes; deadline_new/due say which deadline holds after it. */
typedef struct WcAlertStep
{
	const WcAlertTransition *t;
	bool		deadline_new;	/* K: the deadline set by this scan holds from here on */
	int			due;			/* O: 0 the alert's current due time, 1 the new verify due, 2 the report due */
} WcAlertStep;

#define WC_ALERT_MAX_STEPS 4

/*
 * The engine's steps for one (rule, subject, period), in order (at most
 * WC_ALERT_MAX_STEPS), so that one scan reaches a fixpoint: a second scan with the
 * same facts takes none. Returns the number of steps.
 */
extern int	wc_alert_engine_steps(const WcAlertFacts *f, WcAlertStep *steps);

/*
 * True when the engine's steps are exactly one opening (no alert yet, a hit, and no
 * deadline or verification that moves it on at once): the common case of a full scan,
 * which the scan then writes without asking for the steps one by one.
 */
extern bool wc_alert_opens_only(const WcAlertFacts *f);

#endif							/* WC_CORE_ALERT_FSM_H */
