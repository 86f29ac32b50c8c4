"""The catalog and routines as TOML data files, validated on load.

Built-in files ship inside this package; a user's own files live in
``<config dir>/exercises/*.toml`` and ``<config dir>/routines/*.toml`` and are
validated the same way. Every problem is reported as a :class:`SoleusError`
naming the file and line.

A broken built-in file is our bug and always raises. A broken user file raises too,
unless the caller passes ``on_error`` (usually a :class:`Skipped`): then that one file is
left out and its path and error handed over, so one bad file cannot hide everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from soleus.errors import SoleusError

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from soleus.content.cache import ContentCache
    from soleus.domain.catalog import Catalog
    from soleus.domain.routine import Routine, RoutineBook

# The domain classes are imported inside the functions that build them, so that the
# quick-log path (which only lists file names) stays cheap.

T = TypeVar("T")

OnError = Callable[[Path, SoleusError], None]


class Skipped:
    """User files left out because they do not load, each with its error.

    Pass it as ``on_error``; ``report`` (if given) hears each ``file:line: problem``.
    """

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self.errors: dict[Path, SoleusError] = {}
        self.report = report

    def __call__(self, path: Path, error: SoleusError) -> None:
        self.errors[path] = error
        if self.report is not None:
            self.report(str(error))

    def messages(self) -> list[str]:
        return [str(error) for error in self.errors.values()]


MAX_FILE_BYTES = 256 * 1024


HERE = Path(__file__).parent


def builtin_dir(kind: str) -> Path:
    return HERE / kind


ILLUSTRATIONS = HERE / "illustrations"


def drawings() -> list[str]:
    """The built-in drawings an exercise can show (``picture = "<id>"``), by id."""
    return sorted(path.stem for path in ILLUSTRATIONS.glob("*.svg"))


def parse_toml(text: str, *, where: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # tomllib says "Invalid value (at line 3, column 7)": move the line into `where`.
        import re

        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        if found is None:
            raise SoleusError(f"not valid TOML: {error}", where=where) from None
        reason = str(error)[: found.start()].strip()
        raise SoleusError(
            f"not valid TOML: {reason} (line {found.group(1)}, column {found.group(2)})",
            where=f"{where}:{found.group(1)}",
        ) from None


def validate(cls: type[T], data: Any, *, text: str, where: str) -> T:
    """Validate ``data`` as ``cls``; errors name the file and line."""
    from pydantic import ValidationError

    from soleus.content.locate import line_of

    try:
        adapter: TypeAdapter[T] = _adapter(cast("Hashable", cls))
        return adapter.validate_python(data)
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        loc = _refine(tuple(first["loc"]), data, message)
        # A key that is missing altogether has no line of its own: name the file's first.
        line = line_of(text, loc) or (1 if text or not loc else None)
        field = ".".join(str(p) for p in loc) or "file"
        message = message.removeprefix(f"{loc[-1]}: ") if loc else message
        place = f"{where}:{line}" if line else where
        raise SoleusError(f"{field}: {message}", where=place) from None


@cache
def _adapter(cls: Hashable) -> TypeAdapter[Any]:
    """The validator of ``cls``, built once per process: building one takes ~10 ms, and a
    session's stored plan is validated on every saved set the plan cache misses."""
    from pydantic import TypeAdapter

    adapter: TypeAdapter[Any] = TypeAdapter(cast(Any, cls))
    return adapter


def _refine(loc: tuple[Any, ...], data: Any, message: str) -> tuple[Any, ...]:
    """Point an invariant error (raised for a whole object) at the key its message names."""
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return loc
    key = message.split(" ", 1)[0].rstrip(":")
    return (*loc, key) if isinstance(node, dict) and key in node else loc


def load_file(
    cls: type[T], path: Path, *, match_name: bool = False, cache: ContentCache | None = None
) -> T:
    """Load and validate one file; in an ``exercises`` or ``routines`` folder (or with
    ``match_name``, for a file checked before it is put there) its id must be its name.
    With ``cache``, a file validated before and unchanged since is not validated again."""
    key = cache.key(cls, path) if cache is not None else None
    found = cache.get(key) if cache is not None and key is not None else None
    item = found if isinstance(found, cls) else _validated(cls, path)
    item_id = getattr(item, "id", None)
    in_folder = match_name or path.parent.name in ("exercises", "routines")
    if in_folder and item_id != path.stem:
        raise SoleusError(
            f"id {item_id!r} must match the file name {path.stem!r}", where=f"{path}:1"
        )
    if cache is not None and key is not None and found is None:
        cache.put(key, item)
    return item


def _validated(cls: type[T], path: Path) -> T:
    where = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SoleusError(f"file is larger than {MAX_FILE_BYTES // 1024} KiB", where=where)
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SoleusError("not a UTF-8 text file", where=where) from None
    except OSError as error:
        raise SoleusError(f"cannot read file ({error.strerror})", where=where) from None
    data = parse_toml(text, where=where)
    return validate(cls, data, text=text, where=where)


def _files(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(folder.glob("*.toml"))


@cache
def builtin_catalog(cache: ContentCache | None = None) -> Catalog:
    from soleus.domain.catalog import Catalog, Exercise

    files = _ordered(builtin_dir("exercises"))
    return Catalog(tuple(load_file(Exercise, p, cache=cache) for p in files))


@cache
def builtin_routines(cache: ContentCache | None = None) -> RoutineBook:
    from soleus.domain.routine import Routine, RoutineBook

    files = _ordered(builtin_dir("routines"))
    return RoutineBook(tuple(load_file(Routine, p, cache=cache) for p in files))


def _ordered(folder: Path) -> list[Path]:
    """Files in the order ``order.txt`` gives (ids one per line), the rest by name."""
    files = list(_files(folder))
    order_file = folder / "order.txt"
    if not order_file.exists():
        return files
    order = [line.strip() for line in order_file.read_text().splitlines() if line.strip()]
    rank = {name: i for i, name in enumerate(order)}
    return sorted(files, key=lambda p: (rank.get(p.stem, len(rank)), p.stem))


def load_catalog(
    config_dir: Path | None,
    *,
    on_error: OnError | None = None,
    cache: ContentCache | None = None,
) -> Catalog:
    """Built-in exercises plus the user's own from ``config_dir/exercises``."""
    from soleus.domain.catalog import Exercise

    catalog = builtin_catalog(cache)
    if config_dir is not None:
        files = _files(config_dir / "exercises")
        loaded = _loaded(files, lambda p: load_file(Exercise, p, cache=cache), on_error)
        catalog = catalog.merged(loaded)
    if cache is not None:
        cache.save()
    return catalog


def load_routines(
    config_dir: Path | None,
    catalog: Catalog,
    *,
    on_error: OnError | None = None,
    cache: ContentCache | None = None,
) -> RoutineBook:
    """Built-in routines plus the user's own; every block must name a known exercise."""
    book = builtin_routines(cache)
    for routine in book.values():
        check_routine(routine, catalog, where=str(builtin_dir("routines") / f"{routine.id}.toml"))
    if config_dir is not None:
        files = _files(config_dir / "routines")
        loaded = _loaded(files, lambda p: load_routine_file(p, catalog, cache=cache), on_error)
        book = book.merged(loaded)
    if cache is not None:
        cache.save()
    return book


def _loaded(
    paths: Iterable[Path], load: Callable[[Path], T], on_error: OnError | None
) -> Iterator[T]:
    """Each file loaded; with ``on_error``, a file that fails is reported and left out."""
    for path in paths:
        try:
            yield load(path)
        except SoleusError as error:
            if on_error is None:
                raise
            on_error(path, error)


def check_user_file(
    config_dir: Path | None, kind: str, item_id: str, catalog: Catalog | None = None
) -> None:
    """Load the user's file for ``item_id`` (if there is one) and raise its error.

    For commands that name an item: when its file is broken they must say what is wrong
    with it, not warn that it was left out and then that the id is unknown.
    """
    from soleus.domain.catalog import Exercise, is_valid_id

    if config_dir is None or not is_valid_id(item_id):
        return
    path = config_dir / kind / f"{item_id}.toml"
    if not path.is_file():
        return
    if kind == "exercises":
        load_file(Exercise, path)
    elif catalog is not None:
        load_routine_file(path, catalog)


def load_routine_file(
    path: Path, catalog: Catalog, *, cache: ContentCache | None = None
) -> Routine:
    """A user's routine file, validated and checked against ``catalog``.

    Wherever it is, its id must match its name: it only loads from the routines folder,
    so `soleus routine validate` must not pass a file the loader would refuse.
    """
    from soleus.domain.routine import Routine

    routine = load_file(Routine, path, match_name=True, cache=cache)
    check_routine(routine, catalog, where=str(path), text=path.read_text(encoding="utf-8"))
    return routine


def check_routine(
    routine: Routine, catalog: Catalog, *, where: str, text: str | None = None
) -> None:
    from soleus.content.locate import line_of
    from soleus.domain.catalog import unknown_id

    for i, block in enumerate(routine.blocks):
        if block.exercise not in catalog:
            line = line_of(text, ("blocks", i, "exercise")) if text else None
            raise SoleusError(
                f"blocks.{i}.exercise: {unknown_id('exercise', block.exercise, catalog)}",
                where=f"{where}:{line}" if line else where,
            )


def exercise_ids(config_dir: Path | None) -> set[str]:
    """Known exercise ids from file names alone: cheap, for the quick-log path."""
    ids = {p.stem for p in _files(builtin_dir("exercises"))}
    if config_dir is not None:
        ids |= {p.stem for p in _files(config_dir / "exercises")}
    return ids


def loggable_dosage(exercise_id: str, config_dir: Path | None) -> tuple[str, str] | None:
    """``(kind, sides)`` of an exercise's dosage for the quick-log path; None if unknown.

    Only an exercise that loads may be logged: a user's file (which takes precedence
    over a built-in one of the same id) is loaded and validated, and its error, naming
    the file and line, is raised. A built-in file is ours and only read (cheap).
    """
    if config_dir is not None and exercise_id in _stems(config_dir / "exercises"):
        from soleus.domain.catalog import Exercise

        dosage = load_file(Exercise, config_dir / "exercises" / f"{exercise_id}.toml").dosage
        return dosage.kind, dosage.sides
    if exercise_id not in _stems(builtin_dir("exercises")):
        return None
    text = (builtin_dir("exercises") / f"{exercise_id}.toml").read_text(encoding="utf-8")
    return _dosage_key(text, "kind") or "reps", _dosage_key(text, "sides") or "each"


def _stems(folder: Path) -> set[str]:
    return {p.stem for p in _files(folder)}


def _dosage_key(text: str, key: str) -> str | None:
    """A string value of the (only) dosage table, read without parsing the file."""
    import re

    found = re.search(rf'^\s*{key}\s*=\s*["\']([a-z]+)["\']', text, re.MULTILINE)
    return found.group(1) if found else None


def about_text() -> str:
    return builtin_dir(".").joinpath("about.md").read_text(encoding="utf-8")
