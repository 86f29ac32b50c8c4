"""The guided session: what is said when (:mod:`.cues`), the schedule of every set
(:mod:`.schedule`, also sent to the browser player as JSON) and the state machine that
walks it (:mod:`.machine`)."""

from soleus.domain.player.cues import CueSpec, SoundName, TempoPhase, cycle_side, side_words
from soleus.domain.player.machine import (
    Cue,
    Event,
    PhaseStarted,
    Player,
    SessionFinished,
    SetCompleted,
    SetResult,
    Snapshot,
)
from soleus.domain.player.schedule import (
    HEEL,
    Phase,
    PlayerSettings,
    SetSchedule,
    StageSpec,
    plan_schedules,
    session_json,
    set_schedule,
)

__all__ = [
    "HEEL",
    "Cue",
    "CueSpec",
    "Event",
    "Phase",
    "PhaseStarted",
    "Player",
    "PlayerSettings",
    "SessionFinished",
    "SetCompleted",
    "SetResult",
    "SetSchedule",
    "Snapshot",
    "SoundName",
    "StageSpec",
    "TempoPhase",
    "cycle_side",
    "plan_schedules",
    "session_json",
    "set_schedule",
    "side_words",
]
