"""Password hashes: argon2id with OWASP's parameters (m=7 MiB, t=5, p=1).

OWASP lists five argon2id settings of equal strength (46 MiB t=1, 19 MiB t=2, 12 MiB
t=3, 9 MiB t=4, 7 MiB t=5, all p=1). Measured on the project's 2-core machine
(``bench/bench_signin.py``), 7 MiB with five passes is the cheapest, and a third of the
memory per concurrent sign-in. A hash made with other parameters is rehashed at the
next sign-in.

Two libraries, one stored format (the PHC string ``$argon2id$v=19$m=7168,t=5,p=1$...``):
libsodium (PyNaCl) hashes and verifies it, as it picks the CPU's AVX2 / AVX-512 code at
run time: 6-7 CPU-ms a verify against argon2-cffi's 13-15 (its bundled reference code),
which halves the wait of 20 sign-ins at once on 2 cores. argon2-cffi keeps the
parameters (:data:`HASHER`), says when a hash needs redoing, and verifies every hash
libsodium is not given: another version, type or lane count than today's (libsodium
answers "wrong password" for a hash it cannot read, so only the form it reads goes to
it). Both let go of the GIL: two sign-ins verify on two cores.

At most one hash is worked on per core (:data:`_CORES`), the others wait in turn, first
come first served: twenty sign-ins at once then finish one after another at the pace
of the cores, rather than all together at the end as threads sharing the cores would
(the same mean wait, a much shorter worst one). A finished hash hands its core to the
longest waiting one (:class:`Turns`): with a semaphore, a sign-in arriving just then
could take it first, and the unlucky ones waited several turns (the 95th percentile).
"""

from __future__ import annotations

import collections
import functools
import os
import re
import threading
from types import TracebackType

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from soleus.errors import SoleusError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; this caps the work a request can ask for

HASHER = PasswordHasher(time_cost=5, memory_cost=7 * 1024, parallelism=1, type=Type.ID)

# What libsodium verifies: argon2id version 19 with one lane, a salt of 8 bytes or more
# and a hash of 16 or more (unpadded base64), in at most 127 characters (PyNaCl's
# limit). Anything else goes to argon2-cffi.
_SODIUM_FORM = re.compile(
    r"\$argon2id\$v=19\$m=[1-9][0-9]{0,9},t=[1-9][0-9]{0,9},p=1"
    r"\$[A-Za-z0-9+/]{11,}\$[A-Za-z0-9+/]{22,}"
)


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Turns:
    """``slots`` places taken strictly in order of arrival: one leaving hands its place
    to the first in the queue, so nobody arriving later gets ahead of them."""

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._lock = threading.Lock()
        self._queue: collections.deque[threading.Lock] = collections.deque()

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def __enter__(self) -> None:
        with self._lock:
            if self._free and not self._queue:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._queue.append(turn)
        turn.acquire()  # released by the one handing its place on

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with self._lock:
            if self._queue:
                self._queue.popleft().release()
            else:
                self._free += 1


_CORES = Turns(_cores())


def check_new(password: str) -> None:
    """One clear line when a new password is not acceptable."""
    if len(password) < MIN_LENGTH:
        raise SoleusError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise SoleusError(f"a password has at most {MAX_LENGTH} characters")
    if _utf8(password) is None:
        raise SoleusError("a password cannot hold unpaired surrogate characters")


def _utf8(password: str) -> bytes | None:
    """The bytes both libraries hash (UTF-8), or None for a lone surrogate (which a
    JSON body can carry and no stored hash can match)."""
    try:
        return password.encode("utf-8")
    except UnicodeEncodeError:
        return None


def sodium_reads(stored: str) -> bool:
    """True when ``stored`` is a hash libsodium verifies (see :data:`_SODIUM_FORM`)."""
    return len(stored) < 128 and _SODIUM_FORM.fullmatch(stored) is not None


def _sodium_hashes(hasher: PasswordHasher) -> bool:
    """True when libsodium can make hashes with ``hasher``'s parameters."""
    params = (hasher.type, hasher.parallelism, hasher.hash_len, hasher.salt_len)
    return params == (Type.ID, 1, 32, 16)


def hash_new(password: str, hasher: PasswordHasher = HASHER) -> str:
    check_new(password)
    return rehash(password, hasher)


def rehash(password: str, hasher: PasswordHasher = HASHER) -> str:
    """A hash of a password already accepted once (no length rules: an older policy's
    password is rehashed at sign-in as it is)."""
    if not _sodium_hashes(hasher):
        with _CORES:
            return hasher.hash(password)
    from nacl.pwhash import argon2id

    secret = password.encode("utf-8")
    with _CORES:
        made = argon2id.str(secret, opslimit=hasher.time_cost, memlimit=hasher.memory_cost * 1024)
    return made.decode("ascii")


def verify(stored: str | None, password: str, hasher: PasswordHasher = HASHER) -> bool:
    if stored is None or len(password) > MAX_LENGTH:
        return False
    secret = _utf8(password)
    if secret is None:
        return False
    if sodium_reads(stored):
        from nacl.exceptions import CryptoError
        from nacl.pwhash import argon2id

        try:
            with _CORES:
                return bool(argon2id.verify(stored.encode("ascii"), secret))
        except CryptoError:  # a mismatch (InvalidkeyError), or a hash it cannot use
            return False
    try:
        with _CORES:
            return hasher.verify(stored, secret)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, hasher: PasswordHasher = HASHER) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


@functools.cache
def dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so that an unknown
    email takes as long as a wrong password (made once per process, on first use)."""
    return rehash("not a real password, only for timing")
