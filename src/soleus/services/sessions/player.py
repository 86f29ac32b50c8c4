"""The person's settings as the guided player takes them (terminal and browser alike)."""

from __future__ import annotations

from soleus.domain.player import PlayerSettings
from soleus.settings import Settings


def player_settings(settings: Settings) -> PlayerSettings:
    """Get-ready, sound and speech from the settings; the other waits are the player's."""
    return PlayerSettings(
        get_ready_s=settings.get_ready_s, sound=settings.sound, speech=settings.speech
    )
