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

#endif							/* WC_CORE_ALERT_FSM_H */
