"""Password hashes: libsodium and argon2-cffi agree on every hash, and a hash libsodium
is not given (another type, version or lane count) is still verified."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable

import pytest
from argon2 import PasswordHasher, Type
from argon2.low_level import hash_secret

from soleus.errors import SoleusError
from soleus.services.accounts import passwords

PASSWORD = "correct horse battery"


def cffi_hash(password: str, **params: int | Type) -> str:
    """A PHC string made by argon2-cffi's own code (the reference implementation)."""
    fields: dict[str, int | Type] = {
        "time_cost": 5,
        "memory_cost": 7 * 1024,
        "parallelism": 1,
        "hash_len": 32,
        "type": Type.ID,
        **params,
    }
    salt_len = fields.pop("salt_len", 16)
    assert isinstance(salt_len, int)
    salt = (b"sixteen byte slt" * 4)[:salt_len]
    return hash_secret(password.encode(), salt, **fields).decode()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "params",
    [
        {},  # today's parameters, made by the reference code
        {"time_cost": 1, "memory_cost": 8},
        {"time_cost": 2, "memory_cost": 19 * 1024},
        {"hash_len": 16, "salt_len": 8},  # the shortest libsodium reads
        {"hash_len": 48, "salt_len": 24},
        {"hash_len": 64, "salt_len": 32},  # too long a string for PyNaCl
        {"parallelism": 2, "memory_cost": 64},  # more lanes: argon2-cffi verifies
        {"parallelism": 4, "memory_cost": 64},
        {"type": Type.I},
        {"type": Type.D},
    ],
    ids=["owasp", "tiny", "m19-t2", "short", "long", "longest", "p2", "p4", "argon2i", "argon2d"],
)
def test_every_hash_verifies_the_right_password_only(params: dict[str, int | Type]) -> None:
    stored = cffi_hash(PASSWORD, **params)
    assert passwords.verify(stored, PASSWORD)
    assert not passwords.verify(stored, PASSWORD + "!")
    assert not passwords.verify(stored, "")


def test_only_todays_form_goes_to_libsodium() -> None:
    owasp = cffi_hash(PASSWORD)
    assert passwords.sodium_reads(owasp)
    for other in (
        cffi_hash(PASSWORD, hash_len=64),  # over PyNaCl's 127 characters
        cffi_hash(PASSWORD, parallelism=2, memory_cost=64),
        cffi_hash(PASSWORD, type=Type.I),
        owasp.replace("v=19", "v=16"),
        owasp.replace("$v=19", ""),
    ):
        assert not passwords.sodium_reads(other), other


def test_a_new_hash_is_todays_format_and_argon2_cffi_reads_it() -> None:
    stored = passwords.hash_new(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=7168,t=5,p=1$")
    assert not passwords.needs_rehash(stored)
    assert passwords.HASHER.verify(stored, PASSWORD)  # the reference code agrees
    assert passwords.hash_new(PASSWORD) != stored  # a fresh salt each time


def test_a_hasher_libsodium_cannot_imitate_hashes_with_argon2_cffi() -> None:
    two_lanes = PasswordHasher(time_cost=1, memory_cost=64, parallelism=2, type=Type.ID)
    stored = passwords.rehash(PASSWORD, two_lanes)
    assert stored.startswith("$argon2id$v=19$m=64,t=1,p=2$")
    assert passwords.verify(stored, PASSWORD)
    assert passwords.needs_rehash(stored)  # not today's parameters


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "not a hash",
        "$argon2id$v=19$m=7168,t=5,p=1$c2FsdHNhbHQ$",
        "$argon2id$v=19$m=7168,t=5,p=1$!!!!!!!!!!!!$AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$argon2id$v=19$m=1,t=1,p=1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA",
    ],
)
def test_a_broken_stored_hash_is_no_match(stored: str) -> None:
    assert not passwords.verify(stored, PASSWORD)


def test_a_lone_surrogate_is_refused_not_a_crash() -> None:
    stored = passwords.hash_new(PASSWORD)
    assert not passwords.verify(stored, "\ud800" * 12)
    with pytest.raises(SoleusError, match="surrogate"):
        passwords.hash_new("\ud800" * 12)


def test_the_timing_hash_is_made_once_with_todays_parameters() -> None:
    assert passwords.dummy_hash() is passwords.dummy_hash()
    assert not passwords.needs_rehash(passwords.dummy_hash())


def _until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):
        if condition():
            return
        time.sleep(0.005)
    raise AssertionError("timed out")


def test_a_place_is_handed_to_the_longest_waiting_not_to_one_arriving_later() -> None:
    turns = passwords.Turns(1)
    entered: list[str] = []

    def take(name: str) -> None:
        with turns:
            entered.append(name)

    turns.__enter__()  # the one place is taken
    first = threading.Thread(target=take, args=("first",))
    first.start()
    _until(lambda: turns.waiting == 1)
    turns.__exit__(None, None, None)  # handed to "first", which may not have run yet
    late = threading.Thread(target=take, args=("late",))
    late.start()
    first.join(5)
    late.join(5)
    assert entered == ["first", "late"]


def test_as_many_work_at_once_as_there_are_places_and_the_rest_queue_in_order() -> None:
    turns = passwords.Turns(2)
    turns.__enter__()
    turns.__enter__()
    entered: list[int] = []
    threads = []

    def take(i: int) -> None:
        turns.__enter__()
        entered.append(i)

    for i in range(4):
        t = threading.Thread(target=take, args=(i,))
        t.start()
        threads.append(t)
        _until(functools.partial(lambda n: turns.waiting == n, i + 1))
    assert entered == []
    for i in range(4):
        turns.__exit__(None, None, None)
        _until(functools.partial(lambda n: len(entered) == n, i + 1))
    assert entered == [0, 1, 2, 3]
    assert turns.waiting == 0
    for t in threads:
        t.join(5)
