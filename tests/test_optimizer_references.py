"""helpers.optimizers against stored PyTorch / Keras 3 trajectories, plus property tests.

The fixture tests/reference/optimizer_references.json was written once by
tests/reference/make_references.py (torch and keras are not dependencies of the project; see its
docstring for the command). Here we only read it: for each case we build our optimizer, feed it the
same gradients the reference optimizer got, and compare the parameters after every step.

    relative error at step t = ||ours_t - ref_t|| / ||ref_t||   (all parameters as one vector)

must stay below 1e-9 (float64 round-off is ~1e-16 per operation). `pytest -s` prints the worst
value over all cases.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from helpers import optimizers

FIXTURE = Path(__file__).parent / "reference" / "optimizer_references.json"
DATA = json.loads(FIXTURE.read_text())
CASES = DATA["cases"]
TOLERANCE = 1e-9
DISCRIMINATION = 1e-6  # a wrong variant must miss the reference by at least this much

CLASSES = {
    "GradientDescent": optimizers.GradientDescent,
    "Momentum": optimizers.Momentum,
    "RMSprop": optimizers.RMSprop,
    "Adam": optimizers.Adam,
    "Adagrad": optimizers.Adagrad,
}


def as_arrays(named_lists):
    return {name: np.array(value, dtype=np.float64) for name, value in named_lists.items()}


def flat(params):
    return np.concatenate([np.ravel(params[name]) for name in sorted(params)])


def run_ours(case, **overrides):
    """Our trajectory for a fixture case (kwargs optionally overridden): one flat vector per step."""
    optimizer = CLASSES[case["optimizer"]](**{**case["kwargs"], **overrides})
    params = as_arrays(DATA["initial_params"])
    trajectory = []
    for grads in DATA["gradient_sets"][case["gradients"]]:
        optimizer.step(params, as_arrays(grads))
        trajectory.append(flat(params))
    return np.array(trajectory)


def reference(case):
    return np.array([flat(as_arrays(step)) for step in case["trajectory"]])


def relative_errors(case, **overrides):
    """Per-step ||ours - ref|| / ||ref||."""
    ours, ref = run_ours(case, **overrides), reference(case)
    return np.linalg.norm(ours - ref, axis=1) / np.linalg.norm(ref, axis=1)


def ids(cases):
    return [case["id"] for case in cases]


# ---------------------------------------------------------------------------------------------
# The fixture itself: it must be rich enough for the comparisons below to mean something.


def test_fixture_covers_the_required_cases():
    assert len(CASES) >= 40
    steps = DATA["steps"]
    assert steps == 25
    for case in CASES:
        assert len(case["trajectory"]) == steps, case["id"]
    for name, gradient_steps in DATA["gradient_sets"].items():
        g = np.array([flat(as_arrays(step)) for step in gradient_steps])
        assert g.shape[0] == steps
        assert np.all(g != 0), f"{name}: a zero gradient coordinate makes eps = 0 undefined"
        typical = np.median(np.abs(g), axis=0)  # per coordinate
        assert typical.min() < 1e-4 and typical.max() > 5, f"{name}: coordinate scales do not span 1e-5..10"

    def kinds(reference_name, optimizer=None):
        return [
            c["kwargs"]
            for c in CASES
            if c["reference"] == reference_name and (optimizer is None or c["optimizer"] == optimizer)
        ]

    assert len(kinds("torch.optim.SGD", "GradientDescent")) >= 3
    assert {k["momentum"] for k in kinds("torch.optim.SGD", "Momentum")} >= {0.5, 0.9, 0.99}
    torch_rms = kinds("torch.optim.RMSprop")
    assert {k["decay"] for k in torch_rms} >= {0.0, 0.5, 0.9, 0.99, 0.999}
    assert {k["eps"] for k in torch_rms} >= {0.0, 1e-8, 1e-3, 1.0}
    assert {k["centered"] for k in torch_rms} == {False, True}
    assert {k["momentum"] for k in torch_rms} >= {0.0, 0.9}
    assert any(k["centered"] and k["momentum"] > 0 for k in torch_rms)
    keras_rms = kinds("keras.optimizers.RMSprop")
    assert all(k["eps_inside_sqrt"] for k in keras_rms)
    assert {(k["centered"], k["momentum"] > 0) for k in keras_rms} == {
        (False, False),
        (True, False),
        (False, True),
        (True, True),
    }
    adam = kinds("torch.optim.Adam")
    assert len(adam) >= 4
    assert 0.0 in {k["beta1"] for k in adam}
    assert 1e-3 in {k["eps"] for k in adam}
    adagrad = kinds("torch.optim.Adagrad")
    assert {k["eps"] for k in adagrad} >= {0.0, 1e-10, 1.0} and len(adagrad) >= 4


# ---------------------------------------------------------------------------------------------
# Our optimizers against the references.


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_matches_reference(case):
    errors = relative_errors(case)
    worst_step = int(np.argmax(errors))
    assert errors.max() < TOLERANCE, (
        f"{case['id']}: relative error {errors.max():.3e} at step {worst_step + 1} "
        f"(reference {case['reference']}({case['reference_hyperparameters']}), ours {case['kwargs']})"
    )


def test_worst_relative_error_over_all_cases():
    worst = {case["id"]: float(relative_errors(case).max()) for case in CASES}
    worst_id = max(worst, key=worst.get)
    per_optimizer = {}
    for case in CASES:
        key = f"{case['reference']} -> {case['optimizer']}"
        per_optimizer[key] = max(per_optimizer.get(key, 0.0), worst[case["id"]])
    print(f"\nworst relative error over {len(CASES)} reference cases: {worst[worst_id]:.3e} ({worst_id})")
    for key, value in per_optimizer.items():
        print(f"    {key}: {value:.3e}")
    assert worst[worst_id] < TOLERANCE, f"worst relative error {worst[worst_id]:.3e} in {worst_id}"


# ---------------------------------------------------------------------------------------------
# The fixture can tell the variants apart: a wrong eps placement or a wrong `centered` misses it
# by far more than the tolerance, so no implementation can pass with eps on either side.

EPS_CASES = [c for c in CASES if c["optimizer"] == "RMSprop" and c["kwargs"]["eps"] > 0]
CENTERED_CASES = [c for c in CASES if c["optimizer"] == "RMSprop" and c["kwargs"]["decay"] > 0]


@pytest.mark.parametrize("case", EPS_CASES, ids=ids(EPS_CASES))
def test_fixture_detects_eps_on_the_wrong_side_of_the_sqrt(case):
    flipped = not case["kwargs"].get("eps_inside_sqrt", False)
    error = relative_errors(case, eps_inside_sqrt=flipped).max()
    assert error > DISCRIMINATION, f"{case['id']}: eps_inside_sqrt={flipped} is only {error:.3e} away"


@pytest.mark.parametrize("case", CENTERED_CASES, ids=ids(CENTERED_CASES))
def test_fixture_detects_a_flipped_centered(case):
    flipped = not case["kwargs"]["centered"]
    error = relative_errors(case, centered=flipped).max()
    assert error > DISCRIMINATION, f"{case['id']}: centered={flipped} is only {error:.3e} away"


ADAGRAD_CASES = [c for c in CASES if c["optimizer"] == "Adagrad"]


@pytest.mark.parametrize("case", ADAGRAD_CASES, ids=ids(ADAGRAD_CASES))
def test_fixture_tells_adagrads_sum_from_an_average(case):
    """RMSprop with a long memory is the nearest rule that averages instead of summing: it must miss."""
    grads = [as_arrays(step) for step in DATA["gradient_sets"][case["gradients"]]]
    params = as_arrays(DATA["initial_params"])
    opt = optimizers.RMSprop(case["kwargs"]["learning_rate"], decay=0.999, eps=case["kwargs"]["eps"])
    for step in grads:
        opt.step(params, step)
    reference = as_arrays(case["trajectory"][-1])
    error = np.linalg.norm(flat(params) - flat(reference)) / np.linalg.norm(flat(reference))
    assert error > DISCRIMINATION, f"{case['id']}: an average (decay 0.999) is only {error:.3e} away"


def test_fixture_detects_torchs_default_decay_in_place_of_ours():
    """A decay that is off (0.99, PyTorch's default, where the case says 0.9) must show too."""
    case = next(c for c in CASES if c["optimizer"] == "RMSprop" and c["kwargs"]["decay"] == 0.9)
    assert relative_errors(case, decay=0.99).max() > DISCRIMINATION


# ---------------------------------------------------------------------------------------------
# Properties (hypothesis). Each expected value is computed here from the formula, not by our code.

PROPERTY_SETTINGS = settings(deadline=None, database=None, max_examples=150)
SHAPES = {"W": (3, 2), "b": (2,)}


def gradient_dicts(min_abs, max_abs, steps):
    """A list of `steps` gradient dicts whose coordinates have |g| in [min_abs, max_abs], random signs."""
    magnitude = st.floats(min_abs, max_abs, allow_nan=False, allow_infinity=False)
    one = st.fixed_dictionaries(
        {
            name: hnp.arrays(np.float64, shape, elements=magnitude).flatmap(
                lambda a: hnp.arrays(np.float64, a.shape, elements=st.sampled_from([-1.0, 1.0])).map(a.__mul__)
            )
            for name, shape in SHAPES.items()
        }
    )
    return st.lists(one, min_size=steps[0], max_size=steps[1])


def start_params(seed=0):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=shape) for name, shape in SHAPES.items()}


decays = st.floats(0.0, 0.999)
learning_rates = st.floats(1e-4, 1.0)


@PROPERTY_SETTINGS
@given(
    decay=decays,
    eps=st.floats(1e-12, 1.0),
    momentum=st.floats(0.0, 0.99),
    centered=st.booleans(),
    eps_inside_sqrt=st.booleans(),
    grads=gradient_dicts(0.0, 1e6, (1, 30)),
)
def test_rmsprop_square_avg_is_never_negative(decay, eps, momentum, centered, eps_inside_sqrt, grads):
    opt = optimizers.RMSprop(
        0.01, decay=decay, eps=eps, momentum=momentum, centered=centered, eps_inside_sqrt=eps_inside_sqrt
    )
    params = start_params()
    for g in grads:
        opt.step(params, g)
        for name in params:
            assert np.all(opt.state[name]["square_avg"] >= 0)
            assert np.all(np.isfinite(params[name]))


@PROPERTY_SETTINGS
@given(
    lr=learning_rates,
    decay=st.floats(0.0, 0.99),
    eps=st.one_of(st.just(0.0), st.floats(0.0, 1e-8)),
    momentum=st.floats(0.0, 0.99),
    eps_inside_sqrt=st.booleans(),
    grads=gradient_dicts(0.1, 1e3, (1, 1)),
)
def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_decay(lr, decay, eps, momentum, eps_inside_sqrt, grads):
    """From zero state v = (1 - decay) g^2, so |step| = lr |g| / sqrt((1 - decay) g^2) = lr / sqrt(1 - decay)."""
    opt = optimizers.RMSprop(lr, decay=decay, eps=eps, momentum=momentum, eps_inside_sqrt=eps_inside_sqrt)
    params = start_params()
    before = {name: value.copy() for name, value in params.items()}
    opt.step(params, grads[0])
    expected = lr / np.sqrt(1.0 - decay)
    for name in params:
        step = params[name] - before[name]
        np.testing.assert_allclose(np.abs(step), expected, rtol=1e-4)
        assert np.all(np.sign(step) == -np.sign(grads[0][name]))


@PROPERTY_SETTINGS
@given(
    lr=learning_rates, decay=st.floats(0.1, 0.99), momentum=st.floats(0.0, 0.99), grads=gradient_dicts(0.1, 1e3, (1, 1))
)
def test_centered_rmsprop_first_step_uses_the_variance(lr, decay, momentum, grads):
    """Centered: v - g_avg^2 = (1 - decay) g^2 - (1 - decay)^2 g^2 = decay (1 - decay) g^2 after one step."""
    opt = optimizers.RMSprop(lr, decay=decay, eps=1e-8, momentum=momentum, centered=True)
    params = start_params()
    before = {name: value.copy() for name, value in params.items()}
    opt.step(params, grads[0])
    for name in params:
        np.testing.assert_allclose(np.abs(params[name] - before[name]), lr / np.sqrt(decay * (1 - decay)), rtol=1e-4)


@PROPERTY_SETTINGS
@given(
    lr=learning_rates,
    beta1=st.floats(0.0, 0.999),
    beta2=st.floats(0.0, 0.9999),
    eps=st.floats(0.0, 1e-8),
    grads=gradient_dicts(1e-2, 1e3, (1, 1)),
)
def test_adam_first_step_is_lr(lr, beta1, beta2, eps, grads):
    """Bias correction makes m_hat = g and v_hat = g^2 after one step, so |step| = lr |g| / (|g| + eps) = lr."""
    opt = optimizers.Adam(lr, beta1=beta1, beta2=beta2, eps=eps)
    params = start_params()
    before = {name: value.copy() for name, value in params.items()}
    opt.step(params, grads[0])
    for name in params:
        step = params[name] - before[name]
        np.testing.assert_allclose(np.abs(step), lr, rtol=1e-5)
        assert np.all(np.sign(step) == -np.sign(grads[0][name]))


@PROPERTY_SETTINGS
@given(lr=learning_rates, grads=gradient_dicts(0.0, 1e3, (1, 20)))
def test_momentum_zero_is_gradient_descent(lr, grads):
    momentum, plain = optimizers.Momentum(lr, momentum=0.0), optimizers.GradientDescent(lr)
    p_momentum, p_plain, expected = start_params(), start_params(), start_params()
    for g in grads:
        momentum.step(p_momentum, g)
        plain.step(p_plain, g)
        for name in expected:
            expected[name] = expected[name] - lr * g[name]  # theta <- theta - lr g, written out here
    for name in expected:
        np.testing.assert_array_equal(p_momentum[name], p_plain[name])
        np.testing.assert_allclose(p_plain[name], expected[name], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("decay", [0.0, 0.5, 0.9])
@pytest.mark.parametrize("eps_inside_sqrt", [False, True])
def test_centered_rmsprop_stays_finite_when_the_gradient_does_not_vary(decay, eps_inside_sqrt):
    """v - g_avg^2 is 0 up to round-off here; it must not turn into sqrt(negative) = NaN."""
    opt = optimizers.RMSprop(1e-3, decay=decay, eps=1e-3, centered=True, eps_inside_sqrt=eps_inside_sqrt)
    params = start_params()
    g = {name: np.random.default_rng(1).uniform(0.1, 3.0, size=shape) for name, shape in SHAPES.items()}
    for _ in range(100):
        opt.step(params, g)
    for name in params:
        assert np.all(np.isfinite(params[name]))
