"""The person's settings as both players take them."""

from __future__ import annotations

from pathlib import Path

from soleus.domain.player import PlayerSettings
from soleus.services.sessions.player import player_settings
from soleus.settings import Settings


def test_the_player_takes_get_ready_sound_and_speech_from_the_settings(tmp_path: Path) -> None:
    settings = Settings.load(
        env={
            "SOLEUS_DATA_DIR": str(tmp_path / "data"),
            "SOLEUS_CONFIG_DIR": str(tmp_path / "cfg"),
            "SOLEUS_GET_READY_S": "7",
            "SOLEUS_SOUND": "off",
            "SOLEUS_SPEECH": "on",
        }
    )
    got = player_settings(settings)
    assert (got.get_ready_s, got.sound, got.speech) == (7, False, True)
    assert got.switch_side_s == PlayerSettings().switch_side_s  # the player's own waits
    quiet = Settings.load(
        env={"SOLEUS_DATA_DIR": str(tmp_path), "SOLEUS_SOUND": "on", "SOLEUS_SPEECH": "off"}
    )
    assert (player_settings(quiet).sound, player_settings(quiet).speech) == (True, False)
