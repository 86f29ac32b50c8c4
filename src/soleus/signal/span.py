"""What every rep has, phone or video: a start, a top and an end, and between them the
rise and the release.

:class:`Phases` gives a rep type its ``rise_s`` and ``release_s`` from its own start,
top and end (the phone's :class:`soleus.signal.detect.Rep`, the video's
:class:`soleus.video.reps.VideoRep`); the protocols say what the form rules, the result
and the plots ask of a rep.
"""

from __future__ import annotations

from typing import Protocol


class Band(Protocol):
    """A stretch of a recording: a rep, or a whole-leg lift."""

    @property
    def start_s(self) -> float: ...
    @property
    def end_s(self) -> float: ...


class Peaked(Band, Protocol):
    """A stretch with a top: a rep."""

    @property
    def top_s(self) -> float: ...


class Phases:
    """``rise_s`` (start to top) and ``release_s`` (top to end) of a :class:`Peaked`."""

    __slots__ = ()

    @property
    def rise_s(self: Peaked) -> float:
        return self.top_s - self.start_s

    @property
    def release_s(self: Peaked) -> float:
        return self.end_s - self.top_s
