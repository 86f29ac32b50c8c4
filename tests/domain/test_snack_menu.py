"""What a snack nudge offers: texts from the plan, the standing stretches, the rotation."""

from __future__ import annotations

from soleus.domain.catalog import Catalog, Dosage, Exercise
from soleus.domain.routine import Block, Routine
from soleus.domain.snacks.menu import (
    Menu,
    Suggestion,
    routine_suggestion,
    snack_menu,
    snack_text,
    stretch_suggestions,
    suggest,
)
from soleus.domain.snacks.policy import RemindPolicy

SPU = Exercise("spu", "Soleus pushup", "s", "seated", ("Go",), Dosage("reps", reps=10, sets=3))
BOUT = Exercise(
    "bout", "SPU bout", "s", "seated", ("Go",), Dosage("bout", seconds=60, sets=1, sides="both")
)
WALL = Exercise("wall", "Wall stretch", "s", "standing", ("Go",), Dosage("hold", seconds=30))
CALF = Exercise("calf", "Calf stretch", "s", "standing", ("Go",), Dosage("hold", seconds=20))
DOG = Exercise("dog", "Downward dog", "s", "floor", ("Go",), Dosage("hold", seconds=30))
CATALOG = Catalog((SPU, BOUT, WALL, CALF, DOG))

DESK = Routine("desk", "Desk", (Block("spu", note="Slowly."),))
SPU_BOUT = Routine("spu-bout", "Bout", (Block("bout"),))
FULL = Routine(
    "full",
    "Full",
    (
        Block("dog"),
        Block("wall", dosage=Dosage("hold", seconds=45, sets=2), note="Knee straight."),
        Block("calf"),
        Block("wall"),  # the same stretch again: offered once, as first planned
    ),
)


def test_a_snack_text_leads_with_the_position_and_says_the_dosage() -> None:
    assert snack_text(SPU, SPU.dosage) == "At your desk: soleus pushup, 3 sets of 10 per leg."
    assert snack_text(WALL, WALL.dosage, "Knee straight.") == (
        "Stand up: wall stretch, 1 hold of 30 s per side. Knee straight."
    )
    assert snack_text(DOG, DOG.dosage).startswith("On the floor: downward dog, ")


def test_a_routine_of_one_block_is_offered_with_its_note() -> None:
    assert routine_suggestion(DESK, CATALOG) == Suggestion(
        "desk", "Desk", "At your desk: soleus pushup, 3 sets of 10 per leg. Slowly.", "spu"
    )


def test_a_routine_of_several_blocks_names_each_blocks_first_set_once() -> None:
    two = Routine("two", "Two", (Block("spu"), Block("wall")))
    assert routine_suggestion(two, CATALOG) == Suggestion(
        "two",
        "Two",
        "At your desk: soleus pushup, 3 sets of 10 per leg; wall stretch, 1 hold of 30 s per side.",
        "spu",
    )


def test_the_stretches_are_the_standing_exercises_once_each_in_plan_order() -> None:
    assert stretch_suggestions(FULL, CATALOG) == (
        Suggestion(
            "full",
            "Wall stretch",
            "Stand up: wall stretch, 2 holds of 45 s per side. Knee straight.",
            "wall",
        ),
        Suggestion(
            "full", "Calf stretch", "Stand up: calf stretch, 1 hold of 20 s per side.", "calf"
        ),
    )


def test_the_menu_takes_the_seated_routines_in_order_and_leaves_out_broken_ones() -> None:
    menu = snack_menu({"desk": DESK, "spu-bout": SPU_BOUT, "full": FULL}, CATALOG)
    assert [(s.routine, s.exercise) for s in menu.seated] == [("spu-bout", "bout"), ("desk", "spu")]
    assert [s.exercise for s in menu.stretches] == ["wall", "calf"]
    broken = Routine("desk", "Desk", (Block("nope"),))
    menu = snack_menu({"desk": broken, "spu-bout": SPU_BOUT}, CATALOG)
    assert [s.routine for s in menu.seated] == ["spu-bout"] and menu.stretches == ()
    lost = Routine("full", "Full", (Block("gone"),))
    assert snack_menu({"desk": DESK, "full": lost}, CATALOG).stretches == ()


def test_without_a_seated_routine_the_menu_names_the_routines_only() -> None:
    menu = snack_menu({"full": FULL}, CATALOG)
    assert menu.seated == Menu().seated
    assert [s.routine for s in menu.seated] == ["spu-bout", "desk"]
    assert [s.exercise for s in menu.stretches] == ["wall", "calf"]


def test_every_third_snack_is_a_stretch_for_someone_who_can_stand() -> None:
    menu = snack_menu({"desk": DESK, "spu-bout": SPU_BOUT, "full": FULL}, CATALOG)
    standing = RemindPolicy(can_stand=True)
    got = [suggest(standing, n, menu).exercise for n in range(1, 10)]
    assert got == ["bout", "spu", "wall", "spu", "bout", "calf", "bout", "spu", "wall"]
    seated = [suggest(RemindPolicy(), n, menu).exercise for n in range(1, 5)]
    assert seated == ["bout", "spu", "bout", "spu"]
    no_stretches = Menu(seated=menu.seated)
    assert suggest(standing, 3, no_stretches).exercise == "bout"
    assert suggest(RemindPolicy(), 1).routine == "spu-bout"  # no menu: the default one


def test_a_broken_first_seated_routine_leaves_the_second() -> None:
    broken = Routine("spu-bout", "Bout", (Block("nope"),))
    menu = snack_menu({"spu-bout": broken, "desk": DESK}, CATALOG)
    assert [s.routine for s in menu.seated] == ["desk"]


def test_the_rotation_walks_every_suggestion_in_turn() -> None:
    seated = tuple(Suggestion(f"s{n}", "", "", f"s{n}") for n in range(1, 4))
    stretches = tuple(Suggestion("full", "", "", f"t{n}") for n in range(1, 4))
    menu = Menu(seated=seated, stretches=stretches)
    got = [suggest(RemindPolicy(can_stand=True), n, menu).exercise for n in range(1, 13)]
    assert got == ["s1", "s2", "t1", "s1", "s2", "t2", "s1", "s2", "t3", "s1", "s2", "t1"]
    got = [suggest(RemindPolicy(), n, menu).exercise for n in range(1, 5)]
    assert got == ["s1", "s2", "s3", "s1"]
