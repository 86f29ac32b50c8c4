"""Password hashes: argon2id with OWASP's parameters (m=7 MiB, t=5, p=1).

OWASP lists five argon2id settings of equal strength (46 MiB t=1, 19 MiB t=2, 12 MiB
t=3, 9 MiB t=4, 7 MiB t=5, all p=1). Measured on the project's 2-core machine
(``bench/bench_signin.py``), 7 MiB with five passes is the cheapest: ~14 CPU-ms per
verify against ~19 for 19 MiB t=2, and a third of the memory per concurrent sign-in.
A hash made with other parameters is rehashed at the next sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from soleus.errors import SoleusError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # argon2 takes any length; this caps the work a request can ask for

HASHER = PasswordHasher(time_cost=5, memory_cost=7 * 1024, parallelism=1, type=Type.ID)


def check_new(password: str) -> None:
    """One clear line when a new password is not acceptable."""
    if len(password) < MIN_LENGTH:
        raise SoleusError(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise SoleusError(f"a password has at most {MAX_LENGTH} characters")


def hash_new(password: str, hasher: PasswordHasher = HASHER) -> str:
    check_new(password)
    return hasher.hash(password)


def verify(stored: str | None, password: str, hasher: PasswordHasher = HASHER) -> bool:
    if stored is None or len(password) > MAX_LENGTH:
        return False
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str, hasher: PasswordHasher = HASHER) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True


# A hash to verify against when the account does not exist, so that an unknown email
# takes as long as a wrong password.
DUMMY_HASH = HASHER.hash("not a real password, only for timing")
