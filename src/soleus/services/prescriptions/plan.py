"""Prescribing (a clinician, for one of their patients) and the patient's prescribed
plan of the day, with its step and the day's pain rule (not medical advice)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from soleus.domain.catalog import Dosage, Tempo
from soleus.domain.day import DayState, PainReport, decide_day
from soleus.domain.prescription import (
    DayDone,
    PrescribedExercise,
    Prescription,
    Step,
    days_words,
    routine_on,
)
from soleus.domain.routine import Plan, Routine
from soleus.errors import NotFound, SoleusError
from soleus.services.accounts import access, audit
from soleus.services.accounts.actor import Actor
from soleus.services.context import Context
from soleus.services.prescriptions import form as rx_form
from soleus.services.safety import advice
from soleus.store import checks
from soleus.store import prescriptions as repo
from soleus.store import sessions as sessions_repo


def to_json(rx: Prescription) -> dict[str, Any]:
    data = asdict(rx)
    data["days"] = sorted(rx.days)
    data["start"] = rx.start.isoformat()
    data["end"] = None if rx.end is None else rx.end.isoformat()
    return data


def from_json(data: Mapping[str, Any], *, where: str) -> Prescription:
    """The prescription :func:`to_json` stored (read by hand: a caseload reads hundreds,
    and a pydantic adapter per call costs milliseconds); a broken row: SoleusError."""
    try:
        earned_plan = data.get("advance") == "earned"  # stored before steps said it
        exercises = tuple(
            PrescribedExercise(
                item["exercise_id"],
                tuple(
                    Step(
                        step["first_week"],
                        step["last_week"],
                        _dosage(step["dosage"]),
                        earned=bool(step.get("earned", earned_plan and k > 0)),
                    )
                    for k, step in enumerate(item["steps"])
                ),
                note=str(item.get("note", "")),
            )
            for item in data["exercises"]
        )
        end = data.get("end")
        return Prescription(
            patient_id=data["patient_id"],
            exercises=exercises,
            days=frozenset(int(d) for d in data["days"]),
            per_day=int(data["per_day"]),
            start=date.fromisoformat(data["start"]),
            end=None if end is None else date.fromisoformat(end),
            notes=str(data.get("notes", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise SoleusError(f"{where}: the stored plan does not load ({error})") from None


def _dosage(data: Mapping[str, Any]) -> Dosage:
    tempo = data.get("tempo")
    return Dosage(
        kind=data["kind"],
        sets=data["sets"],
        reps=data.get("reps"),
        seconds=data.get("seconds"),
        sides=data.get("sides", "each"),
        rest_s=data.get("rest_s", 30.0),
        tempo=None if tempo is None else Tempo(**tempo),
    )


def prescribe(ctx: Context, actor: Actor, patient_id: str, form: Mapping[str, str]) -> str:
    """Check the flat fields of :mod:`~soleus.services.prescriptions.form`, then
    :func:`save` them. A bad field: PrescriptionProblem naming it, nothing written."""
    patient = access.patient_context(ctx, actor, patient_id)
    rx = rx_form.parse(form, patient_id=patient.person_id, catalog=ctx.catalog)
    return _save(ctx, actor, patient, rx)


def save(ctx: Context, actor: Actor, patient_id: str, rx: Prescription) -> str:
    """Store ``rx`` as ``patient_id``'s current plan (the one before ends), audited; its
    id. A patient who is not the actor's: NotFound, nothing written."""
    patient = access.patient_context(ctx, actor, patient_id)
    if rx.patient_id != patient.person_id:
        raise SoleusError("patient: the plan is for another patient")
    return _save(ctx, actor, patient, rx)


def _save(ctx: Context, actor: Actor, patient: Context, rx: Prescription) -> str:
    with ctx.store.begin() as conn:
        plan_id = repo.add(
            conn,
            person_id=patient.person_id,
            clinician_id=actor.person_id,
            start=rx.start,
            end=rx.end,
            plan=to_json(rx),
            now=ctx.now(),
        )
        audit.record(
            conn,
            ctx,
            actor_id=actor.person_id,
            action="prescription.saved",
            target_id=patient.person_id,
            detail={"prescription": plan_id},
        )
        return plan_id


def stop(ctx: Context, actor: Actor, patient_id: str) -> bool:
    """End the patient's current plan (their clinician only), audited; False if there
    was none (nothing written then). Their Today is their own routines again."""
    patient = access.patient_context(ctx, actor, patient_id)
    with ctx.store.begin() as conn:
        ended = repo.end_current(conn, person_id=patient.person_id, now=ctx.now())
        if ended:
            audit.record(
                conn,
                ctx,
                actor_id=actor.person_id,
                action="prescription.stopped",
                target_id=patient.person_id,
            )
        return ended


def current(ctx: Context) -> Prescription | None:
    """The current plan of the context's person, or None."""
    with ctx.store.begin() as conn:
        stored = repo.current(conn, person_id=ctx.person_id)
    if stored is None:
        return None
    return from_json(stored.plan, where=f"prescription {stored.id}")


@dataclass(frozen=True)
class PrescribedDay:
    """The patient's prescription and what it asks today, after the pain rule."""

    rx: Prescription
    day: date
    due: bool
    state: DayState  # its plan: the day's routine as the pain rule allows it, or None
    plan: Plan | None
    week: int

    @property
    def days_words(self) -> str:
        return days_words(self.rx.days)


def history(ctx: Context, rx: Prescription, until: date) -> list[DayDone]:
    """Each prescribed day from the start to before ``until``: was all of its plan done
    (every planned set, not skipped, at its target), and was it a normal day. Only an
    earned progression needs it (by date: empty)."""
    if until <= rx.start or rx.advance != "earned":
        return []
    with ctx.store.begin() as conn:
        sets = sessions_repo.list_sets(conn, person_id=ctx.person_id, since=rx.start)
    pain = _pain_since(ctx, rx.start - timedelta(days=1))
    out: list[DayDone] = []
    day = rx.start
    while day < until:
        routine = routine_on(rx, day, out)
        if routine is not None:
            planned = Plan.build(routine, ctx.catalog).sets
            done = [s for s in sets if s["local_date"] == day and not s["skipped"] and _full(s)]
            met = all(
                any(s["exercise_id"] == p.exercise.id for s in done) for p in planned
            ) and len(done) >= len(planned)
            state = decide_day(
                today=day, pain=pain, warn=ctx.settings.pain_warn, stop=ctx.settings.pain_stop
            )
            out.append(DayDone(day, met=met, normal=state.level == "normal"))
        day += timedelta(days=1)
    return out


def _full(s: Mapping[str, Any]) -> bool:
    if s["target_reps"] is not None:
        return bool((s["actual_reps"] or 0) >= s["target_reps"])
    if s["target_seconds"] is not None:
        return bool((s["actual_seconds"] or 0) >= s["target_seconds"])
    return True


def today(ctx: Context) -> PrescribedDay | None:
    """Today's prescribed plan of the context's person (None without a prescription)."""
    rx = current(ctx)
    if rx is None:
        return None
    day = ctx.today()
    past = history(ctx, rx, day)
    routine = routine_on(rx, day, past)
    base = advice.day_state(ctx)  # a red-flag stop stands whatever the plan
    state = base
    if routine is not None and base.level != "stopped":
        state = decide_day(
            today=day,
            pain=_pain_since(ctx, day - timedelta(days=1)),
            warn=ctx.settings.pain_warn,
            stop=ctx.settings.pain_stop,
            routine=routine,
            catalog=ctx.catalog,
        )
    plan = Plan.build(state.plan, ctx.catalog) if state.plan is not None else None
    return PrescribedDay(rx, day, routine is not None, state, plan, rx.week_of(day))


def _pain_since(ctx: Context, since: date) -> list[PainReport]:
    with ctx.store.begin() as conn:
        rows = checks.list_pain(conn, person_id=ctx.person_id, since=since)
    return [PainReport(r["local_date"], r["score"], r["context"]) for r in rows]


PRESCRIBED = "prescribed"  # the routine id the player and the sessions API know it by


def resolve(ctx: Context, routine_id: str) -> tuple[Routine, DayState]:
    """A routine to play and today's state for it: the prescribed plan of the day for
    :data:`PRESCRIBED` (lighter when the pain rule says so), any other routine as
    :func:`soleus.services.safety.advice.day_state` gives it. The routine is the one to
    start (on a rest or stopped day: as written; starting is refused then)."""
    if routine_id != PRESCRIBED:
        routine = ctx.routines.get_routine(routine_id)
        state = advice.day_state(ctx, routine.id)
        return state.plan or routine, state
    day = today(ctx)
    if day is None or not day.due:
        raise NotFound("no prescribed exercise today")
    written = routine_on(day.rx, day.day, history(ctx, day.rx, day.day))
    assert written is not None  # due today
    return day.state.plan or written, day.state
