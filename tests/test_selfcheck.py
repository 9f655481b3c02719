"""helpers.classroom.selfcheck: right answers in every valid form are accepted, slips are named, answers never shown."""

import numpy as np
import pytest

from helpers.classroom import selfcheck
from helpers.classroom.selfcheck import answer_hash, check_choice, check_close, check_function, check_shape


def said(capsys):
    return capsys.readouterr().out


# ---- check_close -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [0.10875, 0.1088, 0.109, 0.10871, 0.10879, [0.109], np.array([[0.1088]])])
def test_digits_accepts_rounded_and_unrounded_answers(typed, capsys):
    assert check_close(typed, 0.10875, "h", digits=3) is True
    assert said(capsys).startswith("✅")


@pytest.mark.parametrize(("typed", "expected"), [(0.0316, 0.0316228), (0.03162, 0.0316228), (69.3, 69.31),
                                                 (1.53, 1.5349), (0.333, 1 / 3), (-2.5e-4, -0.00025049)])
def test_digits_accepts_three_significant_digits(typed, expected):
    assert check_close(typed, expected, "h", digits=3) is True


@pytest.mark.parametrize("typed", [0.108, 0.11, 0.1095])
def test_digits_rejects_answers_off_in_the_third_digit(typed, capsys):
    assert check_close(typed, 0.10875, "recheck the chain rule", digits=3) is False
    out = said(capsys)
    assert out.startswith("❌") and "3 significant digits" in out and "recheck the chain rule" in out
    assert "0.10875" not in out and "0.109" not in out and "shape" not in out


def test_close_miss_says_digits_are_needed_and_far_miss_does_not_say_close(capsys):
    check_close(0.11, 0.10875, "h", digits=3)       # agrees to 2 digits
    check_close(0.5, 0.10875, "h", digits=3)        # far off
    close, far = said(capsys).splitlines()
    assert "close" in close and "3 significant digits are needed" in close
    assert "close" not in far and "3 significant digits" in far


def test_without_digits_the_tolerance_is_rtol(capsys):
    assert check_close(0.109, 0.10875, "h") is False
    assert check_close(0.10875 * (1 + 1e-8), 0.10875, "h") is True


def test_a_scalar_is_never_told_about_its_shape(capsys):
    check_close(2.0, 1.0, "h")
    check_close(2.0, 1.0, "h", digits=3)
    check_close([1.0, 2.0], 1.0, "h")
    out = said(capsys)
    assert "shape" not in out and out.count("❌") == 3 and "one number" in out


def test_array_miss_counts_wrong_entries_without_values(capsys):
    assert check_close(np.array([1.0, 3.0, 5.0]), [1.0, 2.0, 4.0], "recheck the sum") is False
    out = said(capsys)
    assert "2 of its 3 entries" in out and "recheck the sum" in out and "2.0" not in out and "4.0" not in out


def test_array_with_digits(capsys):
    assert check_close([0.333, 0.667], [1 / 3, 2 / 3], "h", digits=3) is True
    assert check_close([0.333, 0.666], [1 / 3, 2 / 3], "h", digits=3) is False


def test_a_slip_prints_its_message_not_the_answer(capsys):
    right, wrong = 0.5, -0.5
    slips = [(wrong, "the sign is flipped: the gradient points uphill"), (0.25, "you forgot the factor 2")]
    assert check_close(-0.5, right, "generic hint", slips=slips) is False
    assert check_close(0.250, right, "generic hint", digits=3, slips=slips) is False
    assert check_close(0.7, right, "generic hint", slips=slips) is False
    sign, factor, other = said(capsys).splitlines()
    assert "sign is flipped" in sign and "generic" not in sign and "0.5" not in sign
    assert "factor 2" in factor
    assert "generic hint" in other


def test_a_right_answer_wins_over_a_slip_equal_to_it(capsys):
    assert check_close(1.0, 1.0, "h", slips=[(1.0, "never shown")]) is True
    assert "never shown" not in said(capsys)


def test_not_attempted_and_wrong_kinds(capsys):
    assert check_close(..., 1.0, "h", name="w_new") is False
    assert check_close(None, 1.0, "h") is False
    assert check_close("0.5", 0.5, "h") is False
    out = said(capsys).splitlines()
    assert out[0].startswith("⏳") and "w_new" in out[0]
    assert out[1].startswith("❌") and "None" in out[1] and "return" in out[1]  # a slip, not "not attempted"
    assert out[2].startswith("❌") and "should be a number" in out[2]


def test_bad_author_arguments_raise():
    with pytest.raises(ValueError, match="digits must be an int >= 1"):
        check_close(1.0, 1.0, "h", digits=0)
    with pytest.raises(TypeError, match="slips must be a sequence"):
        check_close(1.0, 1.0, "h", slips=[1.0])


# ---- check_shape -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [(4,), [4], np.zeros(4).shape, (4.0,), np.array([4])])
def test_shape_accepts_every_form(typed, capsys):
    assert check_shape(typed, (4,), name="b1_shape") is True
    assert said(capsys).startswith("✅")


def test_shape_explains_the_int_in_parentheses(capsys):
    b1_shape = (4)  # noqa: UP034 - the very slip under test
    assert check_shape(b1_shape, (4,), name="b1_shape", hint="one entry per hidden unit") is False
    out = said(capsys)
    assert "(4,)" in out and "int" in out and "comma" in out and "one entry per hidden unit" in out


def test_shape_names_the_wrong_entries(capsys):
    assert check_shape((2, 5), (2, 4), name="W1_shape") is False
    assert check_shape((3, 5, 1), (2, 4, 1), name="T") is False
    assert check_shape((4, 2), (2, 4), name="W1_shape") is False
    assert check_shape((2,), (2, 4), name="W1_shape") is False
    one, two, order, count = said(capsys).splitlines()
    assert "entry 1" in one and "2, 4" not in one
    assert "entries 0, 1" in two
    assert "wrong order" in order
    assert "1 entry" in count and "has 2" in count


def test_shape_refuses_non_shapes(capsys):
    assert check_shape(np.zeros((2, 4)), (2, 4)) is False
    assert check_shape("2, 4", (2, 4)) is False
    assert check_shape(..., (2, 4)) is False
    out = said(capsys).splitlines()
    assert "array, not a shape" in out[0] and "whole numbers" in out[1] and out[2].startswith("⏳")


# ---- check_choice ------------------------------------------------------------------------------------------

def test_choice_by_hash_is_all_or_nothing(capsys):
    key = answer_hash("CUUCU")
    assert check_choice("c, u, u, c, u", expected_hash=key, options="CU", length=5) is True
    assert check_choice(["C", "U", "U", "C", "U"], expected_hash=key, options="CU", length=5) is True
    assert check_choice("CUUCC", expected_hash=key, options="CU", length=5, hint="does it change a weight?") is False
    assert check_choice("UUUCU", expected_hash=key, options="CU", length=5, hint="does it change a weight?") is False
    out = said(capsys).splitlines()
    assert out[0].startswith("✅") and out[1].startswith("✅")
    assert out[2] == out[3]  # one wrong letter or another: the same message, no count of right positions
    assert "of 5" not in out[2] and "does it change a weight?" in out[2]


def test_choice_malformed_answer_is_told_its_form_only(capsys):
    key = answer_hash("CUUCU")
    assert check_choice("CUUC", expected_hash=key, options="CU", length=5) is False
    assert check_choice("CUXCU", expected_hash=key, options="CU", length=5) is False
    out = said(capsys)
    assert out.count("should be 5 letters from C, U") == 2


def test_choice_words_and_slips(capsys):
    key = answer_hash("missing local derivative")
    opts = ["sign", "missing local derivative", "reduction"]
    assert check_choice("Missing local-derivative", expected_hash=key, options=opts) is True
    assert check_choice("sign", expected_hash=key, options=opts,
                        slips=[(answer_hash("sign"), "a sign bug gives a ratio near -1")]) is False
    assert check_choice("speed", expected_hash=key, options=opts) is False
    out = said(capsys).splitlines()
    assert out[0].startswith("✅") and "ratio near -1" in out[1] and "one of 'sign'" in out[2]


def test_choice_with_a_computed_expected_value_keeps_the_old_call(capsys):
    assert check_choice(" B ", "b", hint="h") is True
    assert check_choice("a", "b", hint="reread the update rule") is False
    assert check_choice(..., "b", hint="h") is False
    out = said(capsys).splitlines()
    assert "reread the update rule" in out[1] and out[2].startswith("⏳")


def test_choice_author_errors():
    with pytest.raises(TypeError, match="exactly one of expected and expected_hash"):
        check_choice("a")
    with pytest.raises(ValueError, match="expected_hash must be 20 hex digits"):
        check_choice("a", expected_hash="CUUCU")


def test_choice_unordered_set_of_letters(capsys):
    key = answer_hash("SD", unordered=True)
    assert check_choice("d, s", expected_hash=key, options="SDR", unordered=True) is True
    assert check_choice("SD", expected_hash=key, options="SDR", unordered=True) is True
    assert check_choice("SDR", expected_hash=key, options="SDR", unordered=True) is False
    assert check_choice("DS", expected_hash=answer_hash("SD"), options="SDR") is False  # ordered by default


def test_answer_hash_is_stable():
    # Fixed here so that a change of the normalisation or the salt (which would break every stored hash) fails.
    assert answer_hash("CUUCU") == answer_hash(" c,u u-c u ")
    assert answer_hash("CUUCU") == "ccc42fc8a2f2de6c44e4"


def test_a_set_and_a_sequence_of_the_same_letters_hash_apart():
    # Otherwise the hash of one exercise's set answer would give away another's ordered answer.
    assert answer_hash("DRS") != answer_hash("SDR", unordered=True)
    assert answer_hash("S") != answer_hash("S", unordered=True)


# ---- check_function ----------------------------------------------------------------------------------------

def reference_layer(X, W, b):
    if X.shape[1] != W.shape[0]:
        raise ValueError("X and W do not fit")
    return np.tanh(X @ W + b)


def make_layer_inputs(rng):
    n, d, h = rng.integers(1, 6, size=3)
    return rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h)


def test_function_right_with_or_without_a_guard(capsys):
    def learner(X, W, b):
        return np.tanh(X @ W + b)

    def guarded(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows")
        return np.tanh(X @ W + b)

    bad = [(np.zeros((2, 3)), np.zeros((4, 1)), np.zeros(1))]
    assert check_function(learner, reference_layer, make_layer_inputs, "h") is True
    assert check_function(guarded, reference_layer, make_layer_inputs, "h", bad_inputs=bad) is True
    out = said(capsys)
    assert out.count("✅") == 2 and "5 fresh inputs" in out


def test_function_refusing_mismatched_inputs_like_the_reference_is_right():
    def make_some_bad(rng):
        X, W, b = make_layer_inputs(rng)
        return (X, W[:-1], b) if W.shape[0] > 1 and rng.random() < 0.5 else (X, W, b)

    def guarded(X, W, b):
        if X.shape[1] != W.shape[0]:
            raise ValueError("shapes do not fit")
        return np.tanh(X @ W + b)

    assert check_function(guarded, reference_layer, make_some_bad, "h", n_trials=20) is True


def test_function_wrong_results_and_missing_guards(capsys):
    def forgot_tanh(X, W, b):
        return X @ W + b

    def no_guard(X, W, b):
        return np.tanh(X[:, : W.shape[0]] @ W + b)

    def refuses_too_much(X, W, b):
        raise ValueError("no")

    bad = [(np.zeros((2, 5)), np.zeros((4, 1)), np.zeros(1))]  # X has a column too many
    assert check_function(forgot_tanh, reference_layer, make_layer_inputs, "apply the activation") is False
    assert check_function(no_guard, reference_layer, make_layer_inputs, "h", bad_inputs=bad) is False
    assert check_function(refuses_too_much, reference_layer, make_layer_inputs, "h") is False
    wrong, unguarded, refusing = said(capsys).splitlines()
    assert "wrong result" in wrong and "apply the activation" in wrong
    assert "accepted a bad input" in unguarded and "ValueError" in unguarded
    assert "raised ValueError on a valid input" in refusing


def test_function_an_assert_guard_is_told_to_raise_value_error(capsys):
    def asserting(X, W, b):
        assert X.shape[1] == W.shape[0] and b.shape == (W.shape[1],)
        return np.tanh(X @ W + b)

    bad = [(np.zeros((2, 4)), np.zeros((4, 3)), np.zeros((2, 1)))]
    assert check_function(asserting, reference_layer, make_layer_inputs, "h", bad_inputs=bad) is False
    assert "raise ValueError" in said(capsys)


def test_function_not_attempted_versus_a_real_type_error(capsys):
    def body_is_dots(X, W, b):
        ...

    def returns_dots(X, W, b):
        return ...

    def dots_inside(X, W, b):
        return np.tanh(X @ W + ...)

    def real_type_error(X, W, b):
        return np.tanh(X @ W + b, "oops")

    def matmul_with_dots(X, W, b):
        Z = X @ ...   # numpy raises ValueError here, not TypeError
        return np.tanh(Z @ W + b)

    assert check_function(..., reference_layer, make_layer_inputs, "h") is False
    assert check_function(body_is_dots, reference_layer, make_layer_inputs, "h") is False
    assert check_function(returns_dots, reference_layer, make_layer_inputs, "h") is False
    assert check_function(dots_inside, reference_layer, make_layer_inputs, "h") is False
    assert check_function(real_type_error, reference_layer, make_layer_inputs, "h") is False
    assert check_function(matmul_with_dots, reference_layer, make_layer_inputs, "h") is False
    out = said(capsys).splitlines()
    assert all(line.startswith("⏳") for line in out[:4])
    assert out[4].startswith("❌") and "TypeError" in out[4]
    assert out[5].startswith("⏳")


def test_unfinished_reads_the_source_not_strings_or_comments():
    def placeholder():
        return ...

    def finished():
        text = "..."  # ... in a comment does not count
        return text

    assert selfcheck.unfinished(placeholder) and not selfcheck.unfinished(finished)
    assert not selfcheck.unfinished(len)  # no Python source: not "unfinished"


def test_function_uses_its_own_generator_and_does_not_touch_the_learners_arrays():
    shared = np.random.default_rng(42)
    before = shared.bit_generator.state

    def mutating(X, W, b):
        X += 1.0  # a learner's in-place edit must not leak into the reference's input
        return np.tanh((X - 1.0) @ W + b)

    assert check_function(mutating, reference_layer, make_layer_inputs, "h") is True
    assert shared.bit_generator.state == before


def test_function_compares_tuples_and_shapes(capsys):
    def reference(x):
        return x * 2, x.sum()

    def wrong_shape(x):
        return (x * 2)[None], x.sum()

    assert check_function(lambda x: (2 * x, np.sum(x)), reference, lambda rng: (rng.normal(size=3),), "h")
    assert not check_function(wrong_shape, reference, lambda rng: (rng.normal(size=3),), "h")
    assert not check_function(lambda x: 2 * x, lambda x: 2 * x, lambda rng: (rng.normal(size=3),), "h",
                              n_trials=0 + 1, bad_inputs=[(np.zeros(2),)])


def test_module_docstring_lists_the_api():
    for name in ["check_close", "check_shape", "check_choice", "answer_hash", "check_function", "check_true",
                 "unfinished"]:
        assert name + "(" in selfcheck.__doc__
