"""The feedback that names the slip: a missing `return`, a rounding slip told apart from a wrong formula,
and the progress receipt (what the checks saw, per exercise)."""

import csv

import numpy as np
import pytest

from helpers.classroom import selfcheck
from helpers.classroom.i18n import set_language
from helpers.classroom.selfcheck import check_choice, check_close, check_function, check_shape, check_true


@pytest.fixture(autouse=True)
def _fresh():
    set_language("en")
    selfcheck.reset_progress()
    yield
    selfcheck.reset_progress()
    set_language("en")


def said(capsys):
    return capsys.readouterr().out


def test_a_function_without_return_is_told_so_not_not_attempted(capsys):
    def forgot(x):
        x * 2  # noqa: B018 - the slip under test

    assert check_function(forgot, lambda x: x * 2, lambda rng: (rng.normal(size=3),), "h") is False
    out = said(capsys)
    assert out.startswith("❌") and "returned None" in out and "`return`" in out and "Not attempted" not in out


def test_a_function_still_holding_the_placeholder_is_not_attempted(capsys):
    def unfinished(x):
        return ...

    assert check_function(unfinished, lambda x: x, lambda rng: (rng.normal(size=3),), "h") is False
    assert said(capsys).startswith("⏳")


def test_none_is_a_slip_for_every_kind_of_check(capsys):
    assert check_close(None, 1.0, "h") is False
    assert check_shape(None, (2,)) is False
    assert check_choice(None, expected="A") is False
    assert check_true(None, "h") is False
    lines = said(capsys).splitlines()
    assert len(lines) == 4 and all(line.startswith("❌") and "None" in line for line in lines)


def test_a_tuple_with_a_none_part_names_the_unassigned_variable(capsys):
    def half(x):
        grad = None
        return x, grad

    assert check_function(half, lambda x: (x, x), lambda rng: (rng.normal(size=2),), "h") is False
    assert "part of what" in said(capsys)


@pytest.mark.parametrize("answer", [0.11, 0.1])
def test_fewer_digits_than_asked_and_right_so_far_is_a_rounding_slip(capsys, answer):
    assert check_close(answer, 0.11372, "h", digits=3) is False
    assert "round only at the end" in said(capsys)


@pytest.mark.parametrize("answer", [0.12, 0.1088, 0.109, 0.10897, (1 + np.sqrt(0.8)) ** 2 / 40, 0.2])
def test_a_wrong_number_is_never_called_a_rounding_slip(capsys, answer):
    assert check_close(answer, 0.109544511501, "h", digits=3) is False
    out = said(capsys)
    assert "round only at the end" not in out and "does not agree" in out


@pytest.mark.parametrize("answer", [0.11, 0.110, 0.1095, 0.10954, 0.109544511501, 0.10954451150103323])
def test_right_answers_in_any_precision_are_right(capsys, answer):
    assert check_close(answer, 0.109544511501, "h", digits=3) is True


def test_significant_digits_of_a_typed_float():
    assert [selfcheck._significant_digits(v) for v in (0.11, 925.0, 925.6, 1e-5, 0.0, 12300.0)] == [2, 3, 4, 1, 1, 3]


def test_receipt_counts_tries_keeps_a_right_answer_right_and_writes_json(tmp_path, capsys):
    check_close(..., 2.0, "h", exercise="1")            # not attempted: no try
    check_close(3.0, 2.0, "h", exercise="1")            # try 1, wrong
    check_close(2.0, 2.0, "h", exercise="1")            # try 2, right
    check_close(2.0, 2.0, "h", exercise="1")            # re-run of the right answer: still right, no new try
    check_close(..., 2.0, "h", exercise="1")            # an emptied cell does not undo it
    check_choice("B", expected="A", exercise="2b")      # wrong
    check_shape(..., (2,), exercise="3")                # never attempted
    said(capsys)
    assert selfcheck.receipt("03_backprop", folder=tmp_path) is None  # a last line shows the table only
    shown = said(capsys)
    data = selfcheck.progress("03_backprop")
    rows = {row["exercise"]: row for row in data["exercises"]}
    assert list(rows) == ["1", "2b", "3"]
    assert (rows["1"]["verdict"], rows["1"]["tries"], rows["1"]["solved"]) == ("right", 2, True)
    assert (rows["2b"]["verdict"], rows["2b"]["tries"], rows["2b"]["solved"]) == ("not yet", 1, False)
    assert (rows["3"]["verdict"], rows["3"]["tries"], rows["3"]["time"]) == ("not attempted", 0, None)
    with open(tmp_path / "progress-03_backprop.csv", newline="", encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    assert [r["exercise"] for r in written] == ["1", "2b", "3"] and written[0]["verdict"] == "right"
    assert (written[0]["tries"], written[0]["solved"], written[2]["time"]) == ("2", "True", "")
    assert list(written[0]) == ["notebook", "exercise", "verdict", "tries", "solved", "time"]
    assert "never your code" in data["note"]
    assert "progress-03_backprop.csv" in shown and "never your code" in shown


def test_a_later_wrong_answer_shows_not_yet_but_remembers_it_was_right(tmp_path, capsys):
    check_close(2.0, 2.0, "h", exercise="1")
    check_close(5.0, 2.0, "h", exercise="1")
    selfcheck.receipt("x", folder=tmp_path)
    row = selfcheck.progress("x")["exercises"][0]
    assert (row["verdict"], row["tries"], row["solved"]) == ("not yet", 2, True)


def test_receipt_in_chinese_and_bad_arguments(tmp_path, capsys):
    set_language("zh")
    check_close(2.0, 2.0, "h", exercise="1")
    selfcheck.receipt("x", folder=tmp_path)
    assert "正确" in said(capsys) and "从不记录你的代码" in selfcheck.progress("x")["note"]
    with pytest.raises(ValueError, match="notebook"):
        selfcheck.receipt("../x", folder=tmp_path)
    with pytest.raises(ValueError, match="folder"):
        selfcheck.receipt("x", folder=tmp_path / "missing")
    with pytest.raises(TypeError, match="exercise"):
        check_close(2.0, 2.0, "h", exercise=3)


def test_the_checks_of_one_exercise_in_one_cell_run_give_one_verdict(tmp_path, capsys, monkeypatch):
    run = {"n": 1}
    monkeypatch.setattr(selfcheck, "_cell_run", lambda: run["n"])
    check_close(1.0, 1.0, "h", exercise="1")  # part a right
    check_close(5.0, 2.0, "h", exercise="1")  # part b wrong, same cell run: one try, not yet
    check_close(3.0, 3.0, "h", exercise="1")  # part c right
    row = selfcheck.progress("x")["exercises"][0]
    assert (row["verdict"], row["tries"], row["solved"]) == ("not yet", 1, False)
    run["n"] = 2  # the cell run again with every part right: one more try, right
    for value in (1.0, 2.0, 3.0):
        check_close(value, value, "h", exercise="1")
    row = selfcheck.progress("x")["exercises"][0]
    assert (row["verdict"], row["tries"], row["solved"]) == ("right", 2, True)
    run["n"] = 3  # run once more, unchanged: still right, no new try
    for value in (1.0, 2.0, 3.0):
        check_close(value, value, "h", exercise="1")
    assert selfcheck.progress("x")["exercises"][0]["tries"] == 2
