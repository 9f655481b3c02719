"""Feedback for exercises: say at once whether an answer is right, and give a hint if not.

API (every check prints one line and returns True or False; none ever prints the expected answer):

    check_close(answer, expected, hint, name="your answer", digits=None, rtol=1e-6, atol=1e-9, slips=())
        A number or an array. `digits=3`: any answer that agrees with `expected` to 3 significant
        digits is right, typed rounded (0.109) or not (0.10875); a miss says how many digits are needed.
        `slips`: ((wrong_value, message), ...): an answer that matches a known wrong value gets that
        message (it names the slip) instead of the generic hint. A scalar is never told about shapes.
    check_shape(answer, expected_shape, name="your shape", hint="")
        A shape typed as a tuple, a list or an array's `.shape`. `(4)` (the int 4) is explained as
        `(4,)`; a wrong shape names which entries are wrong.
    check_choice(answer, expected=None, hint="", name="your answer", expected_hash=None, options=None,
                 length=None, slips=(), unordered=False)
        A letter, a word or a string of letters ("CUUCU"), compared all-or-nothing after normalising
        (case, spaces, commas and dashes ignored). Give `expected_hash=answer_hash("...")`, computed
        once by the author, so that the check cell does not show the answer; `options="CU"`, `length=5`
        reject a malformed answer by its form only. No partial count, so it cannot be solved by position.
        `unordered=True`: a set of letters ("SD" == "DS").
    answer_hash(answer, unordered=False) -> str
        The hash that `check_choice(expected_hash=...)` compares (a salted sha256 of the normalised answer).
    check_function(function, reference, make_inputs, hint, name="your function", n_trials=5, seed=0,
                   rtol=1e-7, atol=1e-10, bad_inputs=())
        Call the learner's function and a reference on `n_trials` fresh inputs `make_inputs(rng)` (a tuple
        of arguments) drawn from the check's own generator `np.random.default_rng(seed)`. Where the
        reference raises ValueError, the learner's function must raise ValueError too (a guard is right,
        not a crash); on every input of `bad_inputs` it must raise ValueError. A function that still
        returns `...`/None, or fails only because a `...` is left in it, is "not attempted"; any other
        exception (TypeError included) is reported with its message.
    check_true(condition, hint, name="your answer", success="it does what was asked")
        A yes/no condition the check cell computed.
    unfinished(function) -> bool
        True if the learner's function still holds a `...` (for a check cell that calls it itself).

Every check also takes `exercise="2"` (the exercise's number, the same string in both languages): its verdict
then goes into this notebook's progress receipt (below).

    receipt(notebook, folder=".")
        The last cell of a notebook: shows a table of its exercises (last verdict, tries, whether it was ever
        right) and writes it to `progress-<notebook>.csv` in `folder` (the notebook's own folder, where the
        file browser of JupyterLab and of the offline lab shows it for download), with a download link. It
        holds only what the checks saw: verdicts, counts and times, never the learner's code.
    progress(notebook) -> dict
        The receipt's data: {"notebook", "note", "exercises": [{notebook, exercise, verdict, tries, solved, time}]}.
    reset_progress()
        Forget every recorded verdict (a fresh kernel starts with none).

An answer left as `...` (Ellipsis) counts as "not attempted yet" and is reported quietly, so a notebook still
runs top to bottom. An answer that is None (a function without `return`, a line that assigns nothing) is
told so: it is a slip, not an unanswered exercise. Bad *author* arguments (expected NaN, a negative rtol) raise
TypeError/ValueError; a learner's wrong answer never raises, it is feedback.
"""

import base64
import csv
import datetime
import functools
import hashlib
import html
import inspect
import io
import numbers
import re
import textwrap
import tokenize
from pathlib import Path

import numpy as np

from .. import _checks
from .i18n import text

# RIGHT, NOT_YET and NOT_ATTEMPTED (the first words of every feedback line) are looked up in the current
# language when they are read (module __getattr__ below), like every other word of this module.


def _right():
    return text("✅ Right", "✅ 正确")


def _not_yet():
    return text("❌ Not yet", "❌ 还不对")


def _not_attempted_yet():
    return text("⏳ Not attempted yet", "⏳ 还没有作答")


_WORDS = {"RIGHT": _right, "NOT_YET": _not_yet, "NOT_ATTEMPTED": _not_attempted_yet}


def __getattr__(name):
    if name in _WORDS:
        return _WORDS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _hint(hint, always=False):
    """The hint's tail of a feedback line: " Hint: ..." (empty for no hint, unless always)."""
    return text(f" Hint: {hint}", f" 提示：{hint}") if hint or always else ""


def _default_name(name, en="your answer", zh="你的答案"):
    return text(en, zh) if name is None else name

_SALT = "helpers.selfcheck:"  # fixed: the stored hashes depend on it


def _not_attempted(answer):
    return answer is Ellipsis


def _say_not_attempted(name):
    _OUTCOME["not_attempted"] = True
    print(text(f"{_not_attempted_yet()}: replace the ... in {name} and run this cell again.",
               f"{_not_attempted_yet()}：把 {name} 中的 ... 换成你的答案，再运行这个单元格。"))
    return False


def _say_none(name, returned=False):
    """None is an answer that forgot something (a `return`, an assignment), not an unanswered exercise."""
    if returned:
        print(text(f"{_not_yet()}: {name} returned None. Is its `return` missing?",
                   f"{_not_yet()}：{name} 返回了 None。是不是漏了 `return`？"))
    else:
        print(text(f"{_not_yet()}: {name} is None. If it comes from a function, is that function's `return` "
                   f"missing? Otherwise, assign your answer to it.",
                   f"{_not_yet()}：{name} 是 None。如果它来自一个函数，那个函数是不是漏了 `return`？"
                   f"否则，请把你的答案赋给它。"))
    return False


# ---- The progress receipt: what the checks saw, per exercise, in this kernel ----
_PROGRESS = {}  # exercise label -> {"verdict", "tries", "solved", "time"}
_OUTCOME = {"not_attempted": False}  # set by _say_not_attempted during one check


def reset_progress():
    """Forget every recorded verdict."""
    _PROGRESS.clear()
    _RUNS.clear()


def _cell_run():
    """Which cell execution this is (IPython's execution count), or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return None if shell is None else shell.execution_count


_RUNS = {}  # exercise label -> (cell run, the entry as it was before that run, the outcomes of its checks)


def _record(exercise, right):
    """Record one check's outcome; the checks of one exercise in one cell run give one verdict together."""
    if exercise is None:
        return
    entry = _PROGRESS.setdefault(exercise, {"verdict": "not attempted", "tries": 0, "solved": False,
                                            "time": None})
    outcome = "not attempted" if _OUTCOME["not_attempted"] else ("right" if right else "not yet")
    run = _cell_run()
    previous = _RUNS.get(exercise)
    if run is not None and previous is not None and previous[0] == run:
        before, outcomes = previous[1], previous[2] + [outcome]
        entry.update(before)  # undo this run's earlier verdict: the run gets one verdict for all its checks
    else:
        before, outcomes = dict(entry), [outcome]
    _RUNS[exercise] = (run, before, outcomes)
    if all(o == "not attempted" for o in outcomes):
        return  # an empty answer neither counts as a try nor undoes an earlier one
    verdict = "right" if all(o == "right" for o in outcomes) else "not yet"
    if verdict == "right" and entry["verdict"] == "right":
        return  # running the check again on the same right answer: still right, not a new try
    entry["tries"] += 1
    entry["verdict"] = verdict
    entry["solved"] = entry["solved"] or verdict == "right"
    entry["time"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _recorded(check):
    """Give a check the `exercise=` keyword: its verdict then goes into the progress receipt."""
    @functools.wraps(check)
    def checked(*args, exercise=None, **kwargs):
        if exercise is not None and not (isinstance(exercise, str) and exercise.strip()):
            raise TypeError(f"exercise must be a non-empty str such as \"2\", got {exercise!r}")
        _OUTCOME["not_attempted"] = False
        right = check(*args, **kwargs)
        _record(exercise, right)
        return right
    return checked


_VERDICT_WORDS = {"right": ("right", "正确"), "not yet": ("not yet", "还不对"),
                  "not attempted": ("not attempted", "还没有作答")}


CSV_COLUMNS = ["notebook", "exercise", "verdict", "tries", "solved", "time"]


def _notebook_stem(notebook):
    if not (isinstance(notebook, str) and re.fullmatch(r"[0-9A-Za-z_\-]+", notebook)):
        raise ValueError(f"notebook must be a file stem such as '03_backprop', got {notebook!r}")
    return notebook


def progress(notebook):
    """The progress receipt's data for `notebook`: what every check with `exercise=` saw in this kernel.

    {"notebook", "note", "exercises": [{"notebook", "exercise", "verdict", "tries", "solved", "time"}, ...]}, one
    row per exercise in the order its check first ran: the last verdict ("right", "not yet", "not attempted"),
    the tries (answers checked up to the first right one; re-running a right answer is not a try), whether it
    was ever right, and the time (UTC, ISO 8601) of the last verdict (None if never attempted).
    """
    notebook = _notebook_stem(notebook)
    rows = [{"notebook": notebook, "exercise": label, **entry} for label, entry in _PROGRESS.items()]
    return {"notebook": notebook,
            "note": text("What the self-checks saw: verdicts, tries and times; never your code.",
                         "自测看到的内容：结果、尝试次数和时间；从不记录你的代码。"),
            "exercises": rows}


def receipt(notebook, folder="."):
    """Show this notebook's progress receipt (a table) and write it to `<folder>/progress-<notebook>.csv`.

    The file holds the rows of `progress(notebook)` as CSV (columns notebook, exercise, verdict, tries, solved,
    time), which any spreadsheet opens; a download link under the table holds the same bytes. CSV, not JSON:
    JupyterLite keeps a .json file as a parsed object, and rewriting one from the kernel could hang it.
    Returns None, so that a notebook's last line shows only the table.
    """
    notebook = _notebook_stem(notebook)
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder must be an existing folder, got {str(folder)!r}")
    data = progress(notebook)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "time": row["time"] or ""} for row in data["exercises"])
    payload = buffer.getvalue()
    filename = f"progress-{notebook}.csv"
    path = folder / filename
    try:
        path.write_text(payload, encoding="utf-8")
        where = text(f"Written to {filename} beside this notebook (file browser: right-click, Download).",
                     f"已写入本笔记本旁边的 {filename}（在文件浏览器中右键，选“下载”）。")
    except OSError as error:  # a read-only folder: the link below still works
        where = text(f"Could not write {filename} here ({error}); use the link.",
                     f"无法在这里写入 {filename}（{error}）；请用下面的链接。")
    head = [text("exercise", "练习"), text("verdict", "结果"), text("tries", "尝试次数"),
            text("ever right", "曾经答对")]
    body = [[label, text(*_VERDICT_WORDS[entry["verdict"]]), str(entry["tries"]),
             text("yes", "是") if entry["solved"] else text("no", "否")] for label, entry in _PROGRESS.items()]
    note = text("It records only what the self-checks saw (verdicts, tries, times), never your code.",
                "它只记录自测看到的内容（结果、尝试次数、时间），从不记录你的代码。")
    if not body:
        note = text("No self-check has run in this kernel yet: run the notebook's exercises first. ",
                    "这个内核里还没有运行过自测：请先运行本笔记本的练习。") + note
    plain = "\n".join(["  ".join(f"{cell:<12}" for cell in row).rstrip() for row in [head, *body]]
                      + [note, where])
    link_text = text(f"Download {filename}", f"下载 {filename}")
    encoded = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    table = "".join("<tr>" + "".join(f"<{tag}>{html.escape(cell)}</{tag}>" for cell in row) + "</tr>"
                    for tag, row in [("th", head)] + [("td", row) for row in body])
    rich = (f"<table class='progress-receipt'>{table}</table><p>{html.escape(note)}</p>"
            f"<p>{html.escape(where)} <a download='{filename}' href='data:text/csv;base64,{encoded}'>"
            f"{html.escape(link_text)}</a></p>")
    try:
        from IPython.display import display
        display({"text/plain": plain, "text/html": rich}, raw=True)
    except ImportError:  # outside IPython: the plain text
        print(plain)


def _as_float_array(answer):
    """The learner's answer as a float64 array, or None if it is not a number / array of numbers."""
    if isinstance(answer, (str, bytes, dict)):
        return None
    try:
        if np.iscomplexobj(answer):  # casting would drop the imaginary part and could report a wrong answer as right
            return None
        return np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _half_unit(expected, digits):
    """Half a unit in the `digits`-th significant digit of each expected entry (0 where expected is 0)."""
    magnitude = np.abs(expected)
    with np.errstate(divide="ignore"):
        exponent = np.where(magnitude > 0, np.floor(np.log10(np.where(magnitude > 0, magnitude, 1.0))), 0.0)
    return np.where(magnitude > 0, 0.5 * 10.0 ** (exponent - digits + 1), 0.0)


def _agrees(answer, expected, digits, rtol, atol):
    """True where answer agrees with expected: to `digits` significant digits, or within rtol/atol."""
    close = np.isclose(answer, expected, rtol=rtol, atol=atol)
    if digits is None:
        return close
    # Rounding to `digits` digits moves a number by at most half a unit in its last digit; a hair more
    # (1e-9 relative) so that an answer rounded from an exact tie is not rejected by round-off.
    bound = _half_unit(expected, digits) * (1.0 + 1e-9) + atol
    return close | (np.abs(answer - expected) <= bound)


def _significant_digits(value):
    """How many significant digits a float is written with, in its shortest repr (0.11 -> 2, 925.0 -> 3)."""
    if not np.isfinite(value) or value == 0:
        return 1
    mantissa = repr(abs(float(value))).split("e")[0].replace(".", "").lstrip("0").rstrip("0")
    return max(1, len(mantissa))


def _digits_agreed(answer, expected):
    """How many significant digits a scalar answer shares with the expected one (0 to 15)."""
    for digits in range(15, 0, -1):
        if bool(np.all(_agrees(answer, expected, digits, 0.0, 0.0))):
            return digits
    return 0


def _matches_slip(answer, wrong, digits, rtol, atol):
    wrong = _as_float_array(wrong)
    if wrong is None or not np.all(np.isfinite(wrong)):
        return False
    if wrong.size == 1 and answer.size == 1:
        wrong, answer = wrong.reshape(()), answer.reshape(())
    if wrong.shape != answer.shape:
        return False
    return bool(np.all(_agrees(answer, wrong, digits, rtol, atol)))


@_recorded
def check_close(answer, expected, hint, name=None, digits=None, rtol=1e-6, atol=1e-9, slips=()):
    """Compare a number or an array with the expected one; print one line and return True/False.

    digits: None (compare with rtol/atol) or an int >= 1: any answer that agrees with `expected` to that
        many significant digits is right as well (e.g. digits=3 accepts 0.109 and 0.1088 for 0.10875).
    slips: pairs (wrong_value, message); an answer matching wrong_value (same tolerance) prints the message.
    name: how the feedback calls the answer (default "your answer" / "你的答案").
    """
    name = _default_name(name)
    expected = _checks.float_array(expected, "expected", finite=True)  # the author's value, not the learner's
    rtol, atol = _checks.non_negative(rtol, "rtol"), _checks.non_negative(atol, "atol")
    if digits is not None:
        digits = _checks.positive_int(digits, "digits")
    slips = list(slips)
    for slip in slips:
        if not (isinstance(slip, (tuple, list)) and len(slip) == 2 and isinstance(slip[1], str)):
            raise TypeError("slips must be a sequence of (wrong_value, message) pairs")
    if _not_attempted(answer):
        return _say_not_attempted(name)
    if answer is None:
        return _say_none(name)
    kind = text("a number", "一个数") if expected.ndim == 0 else text("an array of numbers", "一个数组")
    answer = _as_float_array(answer)
    if answer is None:
        print(text(f"{_not_yet()}: {name} should be {kind}.", f"{_not_yet()}：{name} 应该是{kind}。")
              + _hint(hint, True))
        return False
    if expected.ndim == 0 and answer.size == 1:
        answer = answer.reshape(())  # 0.5, [0.5] and np.array([[0.5]]) are the same number
    if answer.shape != expected.shape:
        if expected.ndim == 0:
            print(text(f"{_not_yet()}: {name} should be one number, but it holds {answer.size}.",
                       f"{_not_yet()}：{name} 应该是一个数，但它有 {answer.size} 个数。") + _hint(hint, True))
        else:
            print(text(f"{_not_yet()}: {name} has shape {answer.shape}, but the answer has shape {expected.shape}.",
                       f"{_not_yet()}：{name} 的形状是 {answer.shape}，而答案的形状是 {expected.shape}。")
                  + _hint(hint, True))
        return False
    if not np.all(np.isfinite(answer)):
        print(text(f"{_not_yet()}: {name} holds NaN or inf.", f"{_not_yet()}：{name} 中有 NaN 或 inf。")
              + _hint(hint, True))
        return False
    if bool(np.all(_agrees(answer, expected, digits, rtol, atol))):
        print(text(f"{_right()}: {name} matches.", f"{_right()}：{name} 与答案一致。"))
        return True
    for wrong, message in slips:
        if _matches_slip(answer, wrong, digits, rtol, atol):
            print(text(f"{_not_yet()}: {message}", f"{_not_yet()}：{message}"))
            return False
    if expected.ndim == 0:
        if (digits is not None and _significant_digits(float(answer)) < digits
                and _digits_agreed(answer, expected) >= _significant_digits(float(answer))):
            # Typed with fewer digits than asked and right as far as it goes: a rounding slip. An answer
            # with enough digits that still misses is a different number (a wrong formula), never this.
            print(text(f"{_not_yet()}: {name} is close, but {digits} significant digits are needed "
                       f"(round only at the end).",
                       f"{_not_yet()}：{name} 很接近了，但需要 {digits} 位有效数字（只在最后一步取舍）。")
                  + _hint(hint, True))
        elif digits is not None:
            print(text(f"{_not_yet()}: {name} does not agree with the answer to {digits} significant digits.",
                       f"{_not_yet()}：{name} 与答案在 {digits} 位有效数字上不一致。") + _hint(hint, True))
        else:
            print(text(f"{_not_yet()}: {name} is not the right number.", f"{_not_yet()}：{name} 不是正确的数。")
                  + _hint(hint, True))
        return False
    wrong_entries = int(np.sum(~_agrees(answer, expected, digits, rtol, atol)))
    needed = text(f" (to {digits} significant digits)", f"（按 {digits} 位有效数字）") if digits is not None else ""
    print(text(f"{_not_yet()}: the shape of {name} is right, but {wrong_entries} of its {answer.size} entries are "
               f"not{needed}.",
               f"{_not_yet()}：{name} 的形状对了，但它的 {answer.size} 个元素中有 {wrong_entries} 个不对{needed}。")
          + _hint(hint, True))
    return False


def _shape_text(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


@_recorded
def check_shape(answer, expected_shape, name=None, hint=""):
    """Compare a shape typed by the learner (tuple, list or `.shape`) with the expected one.

    name: how the feedback calls the answer (default "your shape" / "你的形状").
    """
    name = _default_name(name, "your shape", "你的形状")
    if isinstance(expected_shape, numbers.Integral) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in expected_shape):
        raise TypeError(f"expected_shape must be a tuple of ints >= 0, got {expected_shape!r}")
    expected_shape = tuple(int(n) for n in expected_shape)
    if _not_attempted(answer):
        return _say_not_attempted(name)
    if answer is None:
        return _say_none(name)
    tail = _hint(hint)
    if isinstance(answer, np.ndarray) and not (answer.ndim == 1 and answer.dtype.kind in "iu"):
        print(text(f"{_not_yet()}: {name} is an array, not a shape; a shape is a tuple such as (2, 3) "
                   f"(an array's shape is `A.shape`).",
                   f"{_not_yet()}：{name} 是一个数组，不是形状；形状是一个元组，例如 (2, 3)"
                   f"（数组的形状是 `A.shape`）。") + tail)
        return False
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        if len(expected_shape) == 1 and expected_shape[0] == answer:
            fix = text(f"write ({answer},) with the comma", f"请写成带逗号的 ({answer},)")
        else:
            fix = text(f"a shape has one entry per axis, e.g. (2, 3), and a 1-tuple is written with a comma, "
                       f"({answer},)",
                       f"形状的每个轴对应一个元素，例如 (2, 3)；只有一个元素的元组要带逗号，写成 ({answer},)")
        print(text(f"{_not_yet()}: {name} is the int {answer}, not a tuple: parentheses alone do not make a tuple, "
                   f"the comma does; {fix}.",
                   f"{_not_yet()}：{name} 是整数 {answer}，不是元组：单靠括号构不成元组，逗号才行；{fix}。") + tail)
        return False
    if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__iter__"):
        print(text(f"{_not_yet()}: {name} should be a tuple of whole numbers, such as (2, 3).",
                   f"{_not_yet()}：{name} 应该是由整数组成的元组，例如 (2, 3)。") + tail)
        return False
    entries = list(answer)
    if not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in entries):
        whole = [n for n in entries if isinstance(n, numbers.Real) and not isinstance(n, bool)
                 and float(n).is_integer()]
        if len(whole) != len(entries):
            print(text(f"{_not_yet()}: {name} should hold whole numbers only, such as (2, 3).",
                       f"{_not_yet()}：{name} 里只能有整数，例如 (2, 3)。") + tail)
            return False
        entries = [int(n) for n in entries]  # (4.0,) is a slip of notation, not of thought
    if len(entries) != len(expected_shape):
        print(text(f"{_not_yet()}: {name} has {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, but the shape "
                   f"has {len(expected_shape)} (one per axis).",
                   f"{_not_yet()}：{name} 有 {len(entries)} 个元素，但这个形状有 {len(expected_shape)} 个"
                   f"（每个轴一个）。") + tail)
        return False
    wrong = [i for i, (got, want) in enumerate(zip(entries, expected_shape, strict=True)) if got != want]
    if wrong:
        if sorted(entries) == sorted(expected_shape):
            print(text(f"{_not_yet()}: {name} has the right sizes in the wrong order (rows first, then columns).",
                       f"{_not_yet()}：{name} 的各个大小对了，但顺序不对（先行，后列）。") + tail)
        else:
            which = ", ".join(str(i) for i in wrong)
            print(text(f"{_not_yet()}: entr{'y' if len(wrong) == 1 else 'ies'} {which} of {name} "
                       f"{'is' if len(wrong) == 1 else 'are'} wrong (counting from 0).",
                       f"{_not_yet()}：{name} 的第 {which} 个元素不对（从 0 开始数）。") + tail)
        return False
    shape = _shape_text(expected_shape)
    print(text(f"{_right()}: {name} is {shape}.", f"{_right()}：{name} 是 {shape}。"))
    return True


def _normalise(answer, unordered=False):
    if isinstance(answer, (list, tuple, set)):
        answer = "".join(str(a) for a in answer)
    text = re.sub(r"[\s,;:\-_'\"()\[\]./]+", "", str(answer)).casefold()
    return "".join(sorted(text)) if unordered else text


def answer_hash(answer, unordered=False):
    """The hash of a choice answer, as `check_choice(expected_hash=...)` compares it (20 hex digits).

    unordered=True: the letters count as a set ("SD" and "DS" give the same hash); pass the same flag to
    check_choice.
    """
    # A set and a sequence of the same letters hash apart, so that one exercise's hash never gives
    # away another's answer ("SD" as a set is not "DS" as an order).
    kind = "set:" if unordered else "seq:"
    return hashlib.sha256((_SALT + kind + _normalise(answer, unordered)).encode()).hexdigest()[:20]


@_recorded
def check_choice(answer, expected=None, hint="", name=None, expected_hash=None, options=None,
                 length=None, slips=(), unordered=False):
    """Compare a chosen option (a letter, a word, a string of letters) with the expected one, all-or-nothing.

    Give exactly one of `expected` (computed by earlier code) or `expected_hash` (`answer_hash` of the
    answer, so that the check cell does not show it). `options` (e.g. "CU" or ["sign", "reduction"]) and
    `length` describe the form of a valid answer; a malformed answer is told about its form only.
    `slips`: pairs (wrong_answer or its hash, message) for a known wrong choice. `unordered=True`: a set of
    letters ("SD" equals "DS"); make the hash with `answer_hash(..., unordered=True)`.
    """
    if (expected is None) == (expected_hash is None):
        raise TypeError("give exactly one of expected and expected_hash")
    if expected_hash is not None and not (isinstance(expected_hash, str) and re.fullmatch(r"[0-9a-f]{20}",
                                                                                          expected_hash)):
        raise ValueError(f"expected_hash must be 20 hex digits from answer_hash(...), got {expected_hash!r}")
    name = _default_name(name)
    if _not_attempted(answer):
        return _say_not_attempted(name)
    if answer is None:
        return _say_none(name)
    tail = _hint(hint)
    given = _normalise(answer, unordered)
    if options is not None:
        if isinstance(options, str):  # single letters: each character of the answer must be one of them
            allowed = set(options.casefold())
            form_ok = bool(given) and set(given) <= allowed
            letters = ", ".join(sorted(options.upper()))
            form = text(f"letters from {letters}", f"取自 {letters} 的字母")
            if length is not None:
                form = text(f"{length} {form}", f"{length} 个{form}")
        else:
            allowed = {_normalise(o) for o in options}
            form_ok = given in allowed
            choices = ", ".join(repr(o) for o in options)
            form = text("one of " + choices, "以下之一：" + choices)
            if length is not None:
                form = text(f"{length} {form}", f"{length} 个字符，{form}")
        if length is not None:
            form_ok = form_ok and len(given) == length
        if not form_ok:
            print(text(f"{_not_yet()}: {name} should be {form}.", f"{_not_yet()}：{name} 应该是{form}。") + tail)
            return False
    elif length is not None and len(given) != length:
        print(text(f"{_not_yet()}: {name} should have {length} characters.",
                   f"{_not_yet()}：{name} 应该有 {length} 个字符。") + tail)
        return False
    hashed = answer_hash(answer, unordered)
    right = hashed == expected_hash if expected_hash is not None else given == _normalise(expected, unordered)
    if right:
        print(text(f"{_right()}: {name} is correct.", f"{_right()}：{name} 是对的。"))
        return True
    for wrong, message in slips:
        if given == _normalise(wrong, unordered) or hashed == wrong:
            print(text(f"{_not_yet()}: {message}", f"{_not_yet()}：{message}"))
            return False
    print(text(f"{_not_yet()}: {name} is not right (all parts are checked together).",
               f"{_not_yet()}：{name} 不对（所有部分一起检查）。") + tail)
    return False


def _describe(args):
    parts = []
    for a in args:
        shape = np.shape(a) if isinstance(a, (np.ndarray, list, tuple, numbers.Number)) else None
        parts.append(f"shape {shape}" if shape else (repr(a) if shape is not None else type(a).__name__))
    return ", ".join(parts)


def _copy(args):
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def unfinished(function):
    """True if the source of the learner's function still holds a `...` placeholder (outside strings/comments).

    A check calls it when the function raised: numpy turns `X.T @ ...` into a ValueError, `2 * ...` into a
    TypeError; either way the learner has not finished, which is not a bug to report.
    """
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (OSError, TypeError, tokenize.TokenError, IndentationError, SyntaxError):
        return False
    return any(tok.type == tokenize.OP and tok.string == "..." for tok in tokens)


def _left_unfinished(error, function=None):
    if isinstance(error, TypeError) and "ellipsis" in str(error):
        return True
    return function is not None and unfinished(function)


def _outputs_match(got, want, rtol, atol):
    if isinstance(want, tuple):
        return (isinstance(got, tuple) and len(got) == len(want)
                and all(_outputs_match(g, w, rtol, atol) for g, w in zip(got, want, strict=True)))
    got_array = _as_float_array(got)
    want_array = np.asarray(want, dtype=np.float64)
    if got_array is None or got_array.shape != want_array.shape:
        return False
    return bool(np.allclose(got_array, want_array, rtol=rtol, atol=atol, equal_nan=True))


@_recorded
def check_function(function, reference, make_inputs, hint, name=None, n_trials=5, seed=0,
                   rtol=1e-7, atol=1e-10, bad_inputs=()):
    """Check the learner's function against a reference on fresh inputs from the check's own generator.

    make_inputs(rng) returns a tuple of arguments. Where reference(*args) raises ValueError, the learner's
    function must raise ValueError too; each tuple in `bad_inputs` must make it raise ValueError.
    """
    if not callable(reference) or not callable(make_inputs):
        raise TypeError("reference and make_inputs must be callables")
    n_trials = _checks.positive_int(n_trials, "n_trials")
    rng = np.random.default_rng(_checks.seed(seed))
    name = _default_name(name, "your function", "你的函数")
    tail = _hint(hint, True)
    if _not_attempted(function):
        return _say_not_attempted(name)
    if function is None:
        return _say_none(name)
    if not callable(function):
        print(text(f"{_not_yet()}: {name} should be a function (def ...), got {type(function).__name__}.",
                   f"{_not_yet()}：{name} 应该是一个函数（def ...），却是 {type(function).__name__}。") + tail)
        return False
    trials = [tuple(make_inputs(rng)) for _ in range(n_trials)]
    for args in trials:
        try:
            want = reference(*_copy(args))
            want_error = None
        except ValueError as error:
            want, want_error = None, error
        try:
            got = function(*_copy(args))
        except ValueError as error:
            if want_error is not None:
                continue  # a guard that refuses what the reference refuses is right
            if _left_unfinished(error, function):
                return _say_not_attempted(name)
            print(text(f"{_not_yet()}: {name} raised ValueError on a valid input ({_describe(args)}): {error}.",
                       f"{_not_yet()}：{name} 在一个合法的输入（{_describe(args)}）上抛出了 ValueError：{error}。")
                  + tail)
            return False
        except Exception as error:  # noqa: BLE001 - the learner's bug is reported, never raised
            if _left_unfinished(error, function):
                return _say_not_attempted(name)
            print(text(f"{_not_yet()}: {name} raised {type(error).__name__} on an input of {_describe(args)}: {error}.",
                       f"{_not_yet()}：{name} 在输入（{_describe(args)}）上抛出了 {type(error).__name__}：{error}。")
                  + tail)
            return False
        parts = got if isinstance(got, tuple) else (got,)
        if any(_not_attempted(part) for part in parts) or (
                any(part is None for part in parts) and unfinished(function)):
            return _say_not_attempted(name)
        if got is None:
            return _say_none(name, returned=True)
        if any(part is None for part in parts):
            print(text(f"{_not_yet()}: part of what {name} returns is None: is a variable of its `return` line "
                       f"never assigned?",
                       f"{_not_yet()}：{name} 返回的值中有一部分是 None：`return` 这一行里是不是有变量从未赋值？")
                  + tail)
            return False
        if want_error is not None:
            print(text(f"{_not_yet()}: {name} returned a value on an input that must be refused ({_describe(args)}); "
                       f"raise ValueError there.",
                       f"{_not_yet()}：对一个必须拒绝的输入（{_describe(args)}），{name} 却返回了值；"
                       f"这时应该抛出 ValueError。") + tail)
            return False
        if not _outputs_match(got, want, rtol, atol):
            got_shape = np.shape(got) if _as_float_array(got) is not None else type(got).__name__
            shape_note = ""
            if not isinstance(want, tuple) and got_shape != np.shape(want):
                shape_note = text(f" (its output has shape {got_shape}, the right one has shape {np.shape(want)})",
                                  f"（它的输出形状是 {got_shape}，正确的形状是 {np.shape(want)}）")
            print(text(f"{_not_yet()}: {name} gives a wrong result on an input of {_describe(args)}{shape_note}.",
                       f"{_not_yet()}：{name} 在输入（{_describe(args)}）上的结果不对{shape_note}。") + tail)
            return False
    for args in bad_inputs:
        try:
            function(*_copy(tuple(args)))
        except ValueError:
            continue
        except AssertionError:
            print(text(f"{_not_yet()}: {name} refuses a bad input ({_describe(args)}) with an assert; good instinct, "
                       f"but raise ValueError(...) instead (an assert disappears under python -O).",
                       f"{_not_yet()}：{name} 用 assert 拒绝了一个错误输入（{_describe(args)}）；思路很好，"
                       f"但请改为 raise ValueError(...)（在 python -O 下 assert 会消失）。") + tail)
            return False
        except Exception as error:  # noqa: BLE001
            print(text(f"{_not_yet()}: on a bad input ({_describe(args)}) {name} raised {type(error).__name__}, "
                       f"not ValueError: {error}.",
                       f"{_not_yet()}：对错误输入（{_describe(args)}），{name} 抛出的是 {type(error).__name__}，"
                       f"不是 ValueError：{error}。") + tail)
            return False
        print(text(f"{_not_yet()}: {name} accepted a bad input ({_describe(args)}); it should raise ValueError.",
                   f"{_not_yet()}：{name} 接受了一个错误输入（{_describe(args)}）；它应该抛出 ValueError。") + tail)
        return False
    extra = text(f" and refuses {len(bad_inputs)} bad input(s)", f"，并拒绝了 {len(bad_inputs)} 个错误输入") \
        if len(bad_inputs) else ""
    print(text(f"{_right()}: {name} agrees with the reference on {n_trials} fresh inputs{extra}.",
               f"{_right()}：{name} 在 {n_trials} 组新输入上与参考实现一致{extra}。"))
    return True


@_recorded
def check_true(condition, hint, name=None, success=None):
    """Report on a yes/no condition that the exercise computed; print and return True/False.

    name, success: default "your answer" / "你的答案" and "it does what was asked" / "它完成了要求".
    """
    name = _default_name(name)
    success = _default_name(success, "it does what was asked", "它完成了要求")
    if _not_attempted(condition):
        return _say_not_attempted(name)
    if condition is None:
        return _say_none(name)
    if isinstance(condition, (list, tuple, np.ndarray)):  # bool([False]) is True: take the one value, or refuse
        values = np.asarray(condition, dtype=object).reshape(-1)
        if values.size != 1:
            raise TypeError(f"condition must be a single True or False, got {values.size} values "
                            "(combine them with np.all(...) or np.any(...))")
        condition = values[0]
    if bool(condition):
        print(text(f"{_right()}: {success}.", f"{_right()}：{success}。"))
        return True
    print(text(f"{_not_yet()}: {name} is not right yet.", f"{_not_yet()}：{name} 还不对。") + _hint(hint, True))
    return False


__all__ = ["RIGHT", "NOT_YET", "NOT_ATTEMPTED",  # noqa: F822 - looked up by __getattr__, in the current language
           "answer_hash", "check_choice", "check_close", "check_function", "check_shape", "check_true", "progress",
           "receipt", "reset_progress", "unfinished"]
