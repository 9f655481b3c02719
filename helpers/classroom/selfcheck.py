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

An answer left as `...` (Ellipsis) or None counts as "not attempted yet" and is reported quietly, so a
notebook still runs top to bottom. Bad *author* arguments (expected NaN, a negative rtol) raise
TypeError/ValueError; a learner's wrong answer never raises, it is feedback.
"""

import hashlib
import inspect
import io
import numbers
import re
import textwrap
import tokenize

import numpy as np

from .. import _checks

RIGHT = "✅ Right"
NOT_YET = "❌ Not yet"
NOT_ATTEMPTED = "⏳ Not attempted yet"

_SALT = "helpers.selfcheck:"  # fixed: the stored hashes depend on it


def _not_attempted(answer):
    return answer is None or answer is Ellipsis


def _say_not_attempted(name):
    print(f"{NOT_ATTEMPTED}: replace the ... in {name} and run this cell again.")
    return False


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


def check_close(answer, expected, hint, name="your answer", digits=None, rtol=1e-6, atol=1e-9, slips=()):
    """Compare a number or an array with the expected one; print one line and return True/False.

    digits: None (compare with rtol/atol) or an int >= 1: any answer that agrees with `expected` to that
        many significant digits is right as well (e.g. digits=3 accepts 0.109 and 0.1088 for 0.10875).
    slips: pairs (wrong_value, message); an answer matching wrong_value (same tolerance) prints the message.
    """
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
    kind = "a number" if expected.ndim == 0 else "an array of numbers"
    answer = _as_float_array(answer)
    if answer is None:
        print(f"{NOT_YET}: {name} should be {kind}. Hint: {hint}")
        return False
    if expected.ndim == 0 and answer.size == 1:
        answer = answer.reshape(())  # 0.5, [0.5] and np.array([[0.5]]) are the same number
    if answer.shape != expected.shape:
        if expected.ndim == 0:
            print(f"{NOT_YET}: {name} should be one number, but it holds {answer.size}. Hint: {hint}")
        else:
            print(f"{NOT_YET}: {name} has shape {answer.shape}, but the answer has shape {expected.shape}. "
                  f"Hint: {hint}")
        return False
    if not np.all(np.isfinite(answer)):
        print(f"{NOT_YET}: {name} holds NaN or inf. Hint: {hint}")
        return False
    if bool(np.all(_agrees(answer, expected, digits, rtol, atol))):
        print(f"{RIGHT}: {name} matches.")
        return True
    for wrong, message in slips:
        if _matches_slip(answer, wrong, digits, rtol, atol):
            print(f"{NOT_YET}: {message}")
            return False
    if expected.ndim == 0:
        if digits is not None and _digits_agreed(answer, expected) >= max(1, digits - 1):
            print(f"{NOT_YET}: {name} is close, but {digits} significant digits are needed "
                  f"(round only at the end). Hint: {hint}")
        elif digits is not None:
            print(f"{NOT_YET}: {name} does not agree with the answer to {digits} significant digits. Hint: {hint}")
        else:
            print(f"{NOT_YET}: {name} is not the right number. Hint: {hint}")
        return False
    wrong_entries = int(np.sum(~_agrees(answer, expected, digits, rtol, atol)))
    needed = f" (to {digits} significant digits)" if digits is not None else ""
    print(f"{NOT_YET}: the shape of {name} is right, but {wrong_entries} of its {answer.size} entries are "
          f"not{needed}. Hint: {hint}")
    return False


def _shape_text(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def check_shape(answer, expected_shape, name="your shape", hint=""):
    """Compare a shape typed by the learner (tuple, list or `.shape`) with the expected one."""
    if isinstance(expected_shape, numbers.Integral) or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in expected_shape):
        raise TypeError(f"expected_shape must be a tuple of ints >= 0, got {expected_shape!r}")
    expected_shape = tuple(int(n) for n in expected_shape)
    if _not_attempted(answer):
        return _say_not_attempted(name)
    tail = f" Hint: {hint}" if hint else ""
    if isinstance(answer, np.ndarray) and not (answer.ndim == 1 and answer.dtype.kind in "iu"):
        print(f"{NOT_YET}: {name} is an array, not a shape; a shape is a tuple such as (2, 3) "
              f"(an array's shape is `A.shape`).{tail}")
        return False
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        if len(expected_shape) == 1 and expected_shape[0] == answer:
            fix = f"write ({answer},) with the comma"
        else:
            fix = f"a shape has one entry per axis, e.g. (2, 3), and a 1-tuple is written with a comma, ({answer},)"
        print(f"{NOT_YET}: {name} is the int {answer}, not a tuple: parentheses alone do not make a tuple, "
              f"the comma does; {fix}.{tail}")
        return False
    if isinstance(answer, (str, bytes, dict, set)) or not hasattr(answer, "__iter__"):
        print(f"{NOT_YET}: {name} should be a tuple of whole numbers, such as (2, 3).{tail}")
        return False
    entries = list(answer)
    if not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) for n in entries):
        whole = [n for n in entries if isinstance(n, numbers.Real) and not isinstance(n, bool)
                 and float(n).is_integer()]
        if len(whole) != len(entries):
            print(f"{NOT_YET}: {name} should hold whole numbers only, such as (2, 3).{tail}")
            return False
        entries = [int(n) for n in entries]  # (4.0,) is a slip of notation, not of thought
    if len(entries) != len(expected_shape):
        print(f"{NOT_YET}: {name} has {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, but the shape "
              f"has {len(expected_shape)} (one per axis).{tail}")
        return False
    wrong = [i for i, (got, want) in enumerate(zip(entries, expected_shape, strict=True)) if got != want]
    if wrong:
        if sorted(entries) == sorted(expected_shape):
            print(f"{NOT_YET}: {name} has the right sizes in the wrong order (rows first, then columns).{tail}")
        else:
            which = ", ".join(str(i) for i in wrong)
            print(f"{NOT_YET}: entr{'y' if len(wrong) == 1 else 'ies'} {which} of {name} "
                  f"{'is' if len(wrong) == 1 else 'are'} wrong (counting from 0).{tail}")
        return False
    print(f"{RIGHT}: {name} is {_shape_text(expected_shape)}.")
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


def check_choice(answer, expected=None, hint="", name="your answer", expected_hash=None, options=None,
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
    if _not_attempted(answer):
        return _say_not_attempted(name)
    tail = f" Hint: {hint}" if hint else ""
    given = _normalise(answer, unordered)
    if options is not None:
        if isinstance(options, str):  # single letters: each character of the answer must be one of them
            allowed = set(options.casefold())
            form_ok = bool(given) and set(given) <= allowed
            form = f"letters from {', '.join(sorted(options.upper()))}"
        else:
            allowed = {_normalise(o) for o in options}
            form_ok = given in allowed
            form = "one of " + ", ".join(repr(o) for o in options)
        if length is not None:
            form_ok = form_ok and len(given) == length
            form = f"{length} {form}"
        if not form_ok:
            print(f"{NOT_YET}: {name} should be {form}.{tail}")
            return False
    elif length is not None and len(given) != length:
        print(f"{NOT_YET}: {name} should have {length} characters.{tail}")
        return False
    hashed = answer_hash(answer, unordered)
    right = hashed == expected_hash if expected_hash is not None else given == _normalise(expected, unordered)
    if right:
        print(f"{RIGHT}: {name} is correct.")
        return True
    for wrong, message in slips:
        if given == _normalise(wrong, unordered) or hashed == wrong:
            print(f"{NOT_YET}: {message}")
            return False
    print(f"{NOT_YET}: {name} is not right (all parts are checked together).{tail}")
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


def check_function(function, reference, make_inputs, hint, name="your function", n_trials=5, seed=0,
                   rtol=1e-7, atol=1e-10, bad_inputs=()):
    """Check the learner's function against a reference on fresh inputs from the check's own generator.

    make_inputs(rng) returns a tuple of arguments. Where reference(*args) raises ValueError, the learner's
    function must raise ValueError too; each tuple in `bad_inputs` must make it raise ValueError.
    """
    if not callable(reference) or not callable(make_inputs):
        raise TypeError("reference and make_inputs must be callables")
    n_trials = _checks.positive_int(n_trials, "n_trials")
    rng = np.random.default_rng(_checks.seed(seed))
    if _not_attempted(function):
        return _say_not_attempted(name)
    if not callable(function):
        print(f"{NOT_YET}: {name} should be a function (def ...), got {type(function).__name__}. Hint: {hint}")
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
            print(f"{NOT_YET}: {name} raised ValueError on a valid input ({_describe(args)}): {error}. "
                  f"Hint: {hint}")
            return False
        except Exception as error:  # noqa: BLE001 - the learner's bug is reported, never raised
            if _left_unfinished(error, function):
                return _say_not_attempted(name)
            print(f"{NOT_YET}: {name} raised {type(error).__name__} on an input of {_describe(args)}: {error}. "
                  f"Hint: {hint}")
            return False
        if _not_attempted(got) or (isinstance(got, tuple) and any(_not_attempted(part) for part in got)):
            return _say_not_attempted(name)
        if want_error is not None:
            print(f"{NOT_YET}: {name} returned a value on an input that must be refused ({_describe(args)}); "
                  f"raise ValueError there. Hint: {hint}")
            return False
        if not _outputs_match(got, want, rtol, atol):
            got_shape = np.shape(got) if _as_float_array(got) is not None else type(got).__name__
            shape_note = ""
            if not isinstance(want, tuple) and got_shape != np.shape(want):
                shape_note = f" (its output has shape {got_shape}, the right one has shape {np.shape(want)})"
            print(f"{NOT_YET}: {name} gives a wrong result on an input of {_describe(args)}{shape_note}. "
                  f"Hint: {hint}")
            return False
    for args in bad_inputs:
        try:
            function(*_copy(tuple(args)))
        except ValueError:
            continue
        except AssertionError:
            print(f"{NOT_YET}: {name} refuses a bad input ({_describe(args)}) with an assert; good instinct, but "
                  f"raise ValueError(...) instead (an assert disappears under python -O). Hint: {hint}")
            return False
        except Exception as error:  # noqa: BLE001
            print(f"{NOT_YET}: on a bad input ({_describe(args)}) {name} raised {type(error).__name__}, "
                  f"not ValueError: {error}. Hint: {hint}")
            return False
        print(f"{NOT_YET}: {name} accepted a bad input ({_describe(args)}); it should raise ValueError. "
              f"Hint: {hint}")
        return False
    extra = f" and refuses {len(bad_inputs)} bad input(s)" if len(bad_inputs) else ""
    print(f"{RIGHT}: {name} agrees with the reference on {n_trials} fresh inputs{extra}.")
    return True


def check_true(condition, hint, name="your answer", success="it does what was asked"):
    """Report on a yes/no condition that the exercise computed; print and return True/False."""
    if _not_attempted(condition):
        return _say_not_attempted(name)
    if isinstance(condition, (list, tuple, np.ndarray)):  # bool([False]) is True: take the one value, or refuse
        values = np.asarray(condition, dtype=object).reshape(-1)
        if values.size != 1:
            raise TypeError(f"condition must be a single True or False, got {values.size} values "
                            "(combine them with np.all(...) or np.any(...))")
        condition = values[0]
    if bool(condition):
        print(f"{RIGHT}: {success}.")
        return True
    print(f"{NOT_YET}: {name} is not right yet. Hint: {hint}")
    return False


__all__ = ["RIGHT", "NOT_YET", "NOT_ATTEMPTED", "answer_hash", "check_choice", "check_close", "check_function",
           "check_shape", "check_true", "unfinished"]
