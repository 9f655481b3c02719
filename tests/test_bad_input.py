"""Bad input to every public function of `helpers` gets a clear TypeError or ValueError that names
the argument, never a raw numpy error, an AttributeError or a silent wrong result.

One table: (callable, args, kwargs, expected exception type, regex the message must match).
Each regex names the argument, so a numpy broadcasting error or a KeyError cannot pass.
"""

import re

import ipywidgets as widgets
import numpy as np
import pytest

from helpers import (
    _checks,
    activations,
    data,
    gradcheck,
    losses,
    optimizers,
    surfaces,
    sweep,
    training,
)
from helpers.classroom import explore_momentum, explore_saddle, live, plotting, selfcheck
from helpers.network import MLP

X, Y = data.xor()
NET = MLP([2, 3, 1])
IDENTITY_NET = MLP([2, 3, 1], output="identity")
RAGGED = [[1.0, 2.0], [3.0]]
NAN, INF = float("nan"), float("inf")
SADDLE = surfaces.saddle()
SWEEP = sweep.sweep_mlp(X, Y, [0.1, 0.2], [0.9, 0.9], n_steps=2)
ONE_CONFIG = sweep.sweep_mlp(X, Y, [0.1], [0.9], n_steps=1).params


def gd():
    return optimizers.GradientDescent(0.1)


def params():
    return {"w": np.zeros(2)}


def step_again_on_a_new_net(optimizer):
    """Reusing an optimizer on a net of other shapes: its state no longer fits."""
    training.train(MLP([2, 3, 1]), X, Y, optimizer, 2)
    training.train(MLP([2, 4, 1]), X, Y, optimizer, 2)


def line_figure():
    figure = live.LiveFigure(figsize=(3.0, 2.0), dpi=40)
    (line,) = figure.figure.add_subplot().plot([0.0, 1.0])
    return figure, line


def explorer(control):
    figure, line = line_figure()
    figure.animate(line)
    return live.Explorer("test", figure, {"a": control}, draw=lambda a: None)


def render_on(control, value):
    return explorer(control).render(a=value)


def case(label, fn, args=(), kwargs=None, exc=ValueError, match=""):
    return pytest.param(fn, args, kwargs or {}, exc, match, id=label)


OPTIMIZER_CLASSES = [optimizers.GradientDescent, optimizers.Momentum, optimizers.Adagrad, optimizers.RMSprop,
                     optimizers.Adam]
LEARNING_RATE_CASES = [
    case(f"{cls.__name__}-lr={bad!r}", cls, (bad,), exc=exc, match=r"learning_rate must be")
    for cls in OPTIMIZER_CLASSES
    for bad, exc in [(0, ValueError), (-0.1, ValueError), (NAN, ValueError), (INF, ValueError),
                     ("0.1", TypeError), (None, TypeError), (True, TypeError), (0.1j, TypeError), ([0.1], TypeError)]
]

CASES = LEARNING_RATE_CASES + [
    # _checks: the shared validators
    case("real_number-complex", _checks.real_number, (1j, "lr"), exc=TypeError, match=r"lr must be a real number"),
    case("real_number-nan", _checks.real_number, (NAN, "lr"), match=r"lr must be a number, got NaN"),
    case("positive-zero", _checks.positive, (0, "h"), match=r"h must be a finite number > 0"),
    case("non_negative-negative", _checks.non_negative, (-1, "eps"), match=r"eps must be a finite number >= 0"),
    case("unit_interval-one", _checks.unit_interval, (1.0, "decay"), match=r"decay must be in \[0, 1\)"),
    case("positive_int-float", _checks.positive_int, (2.0, "n"), exc=TypeError, match=r"n must be an int"),
    case("positive_int-zero", _checks.positive_int, (0, "n"), match=r"n must be an int >= 1"),
    case("seed-negative", _checks.seed, (-1,), match=r"seed must be an int >= 0"),
    case("choice-unknown", _checks.choice, ("soft", "hidden", ("tanh",)), match=r"hidden must be one of"),
    case("choice-not-str", _checks.choice, (None, "hidden", ("tanh",)), exc=TypeError, match=r"hidden must be a str"),
    case("float_array-ragged", _checks.float_array, (RAGGED, "X"), match=r"X must be a rectangular array"),
    case("float_array-str", _checks.float_array, ("12", "X"), exc=TypeError, match=r"X must be an array of numbers"),
    case("float_array-dict", _checks.float_array, ({"a": 1}, "X"), exc=TypeError, match=r"X must be an array of real"),
    case("float_array-complex", _checks.float_array, ([1j], "X"), exc=TypeError, match=r"X must be an array of real"),
    case("float_array-bool", _checks.float_array, ([True], "X"), exc=TypeError, match=r"X must be an array of real"),
    case("float_array-ndim", _checks.float_array, ([1.0], "X"), {"ndim": 2}, match=r"X must be a 2-D array"),
    case("float_array-nan", _checks.float_array, ([NAN], "X"), {"finite": True}, match=r"X must hold only finite"),
    case("same_shape-lists", _checks.same_shape, ([1.0], "a", [1.0, 2.0], "b"), match=r"a has shape \(1,\) but b"),
    case("pair-none", _checks.pair, (None, "xlim"), exc=TypeError, match=r"xlim must be a pair of numbers"),
    case("pair-three", _checks.pair, ((0, 1, 2), "xlim"), exc=TypeError, match=r"xlim must be a pair of numbers"),
    case("pair-str-item", _checks.pair, ((0, "1"), "xlim"), exc=TypeError, match=r"xlim\[1\] must be a real number"),
    case("pair-inf", _checks.pair, ((0, INF), "xlim"), match=r"xlim must hold two finite numbers"),
    # activations
    *[case(f"{f.__name__}-{label}", f, (bad,), exc=exc, match=pattern)
      for f in (activations.sigmoid, activations.sigmoid_derivative, activations.tanh, activations.tanh_derivative,
                activations.relu, activations.relu_derivative, activations.identity, activations.identity_derivative)
      for label, bad, exc, pattern in [("None", None, TypeError, r"z must be an array of numbers"),
                                       ("str", "1.0", TypeError, r"z must be an array of numbers"),
                                       ("complex", [1j], TypeError, r"z must be an array of real numbers"),
                                       ("ragged", RAGGED, ValueError, r"z must be a rectangular array")]],
    case("get_activation-unknown", activations.get_activation, ("softmax",), match=r"activation must be one of"),
    case("get_activation-None", activations.get_activation, (None,), exc=TypeError, match=r"activation must be a str"),
    # losses
    *[case(f"{f.__name__}-{label}", f, args, exc=exc, match=pattern)
      for f, first in [(losses.mse, "y_hat"), (losses.mse_grad, "y_hat"), (losses.bce, "y_hat"),
                       (losses.bce_grad, "y_hat"), (losses.bce_with_logits, "logits"),
                       (losses.bce_with_logits_grad, "logits")]
      for label, args, exc, pattern in [
          ("shape", (np.full((4, 1), 0.5), np.zeros(4)), ValueError, rf"{first} has shape \(4, 1\) but y has shape"),
          ("broadcastable", (np.full((4, 2), 0.5), np.zeros((4, 1))), ValueError, rf"{first} has shape \(4, 2\)"),
          ("empty", (np.zeros((0, 1)), np.zeros((0, 1))), ValueError, r"y must hold at least one element"),
          ("nan", ([[NAN]], [[1.0]]), ValueError, rf"{first} must hold only finite numbers"),
          ("inf-y", ([[0.5]], [[INF]]), ValueError, r"y must hold only finite numbers"),
          ("str", ("0.5", [[1.0]]), TypeError, rf"{first} must be an array of numbers"),
          ("ragged", (RAGGED, RAGGED), ValueError, rf"{first} must be a rectangular array"),
      ]],
    *[case(f"{f.__name__}-targets-{bad}", f, ([[0.5]], [[bad]]),
           match=r"y for binary cross-entropy must lie in \[0, 1\]")
      for f in (losses.bce, losses.bce_grad, losses.bce_with_logits, losses.bce_with_logits_grad)
      for bad in (-0.5, 2.0)],
    *[case(f"{f.__name__}-y_hat-{bad}", f, ([[bad]], [[1.0]]), match=r"y_hat for binary cross-entropy must lie in")
      for f in (losses.bce, losses.bce_grad) for bad in (-0.5, 1.5)],
    # network.MLP
    case("MLP-sizes-short", MLP, ([2],), match=r"sizes must list at least an input and an output size"),
    case("MLP-sizes-empty", MLP, ([],), match=r"sizes must list at least"),
    case("MLP-sizes-zero", MLP, ([2, 0, 1],), match=r"sizes\[1\] must be an int >= 1"),
    case("MLP-sizes-negative", MLP, ([2, -3, 1],), match=r"sizes\[1\] must be an int >= 1"),
    case("MLP-sizes-float", MLP, ([2.0, 1],), exc=TypeError, match=r"sizes\[0\] must be an int"),
    case("MLP-sizes-str", MLP, ("21",), exc=TypeError, match=r"sizes must be a list of ints"),
    case("MLP-sizes-None", MLP, (None,), exc=TypeError, match=r"sizes must be a list of ints"),
    case("MLP-sizes-int", MLP, (3,), exc=TypeError, match=r"sizes must be a list of ints"),
    case("MLP-sizes-0d-array", MLP, (np.array(3),), exc=TypeError, match=r"sizes must be a list of ints"),
    case("MLP-sizes-dict", MLP, ({2: 1, 1: 1},), exc=TypeError, match=r"sizes must be a list of ints"),
    case("MLP-hidden", MLP, ([2, 1],), {"hidden": "softmax"}, match=r"hidden must be one of"),
    case("MLP-hidden-identity", MLP, ([2, 1],), {"hidden": "identity"}, match=r"hidden must be one of"),
    case("MLP-output", MLP, ([2, 1],), {"output": "tanh"}, match=r"output must be one of"),
    case("MLP-output-None", MLP, ([2, 1],), {"output": None}, exc=TypeError, match=r"output must be a str"),
    case("MLP-seed-negative", MLP, ([2, 1],), {"seed": -1}, match=r"seed must be an int >= 0"),
    case("MLP-seed-float", MLP, ([2, 1],), {"seed": 1.5}, exc=TypeError, match=r"seed must be an int"),
    *[case(f"MLP.{method}-{label}", getattr(NET, method), (bad, *rest), exc=exc, match=pattern)
      for method, rest in [("forward", ()), ("forward_with_cache", ()), ("loss_and_grads", (Y,)), ("loss", (Y,))]
      for label, bad, exc, pattern in [
          ("X-width", np.zeros((4, 3)), ValueError, r"X must have 2 columns"),
          ("X-1d", np.zeros(2), ValueError, r"X must be a 2-D array"),
          ("X-3d", np.zeros((4, 2, 1)), ValueError, r"X must be a 2-D array"),
          ("X-nan", np.full((4, 2), NAN), ValueError, r"X must hold only finite numbers"),
          ("X-inf", np.full((4, 2), INF), ValueError, r"X must hold only finite numbers"),
          ("X-str", "X", TypeError, r"X must be an array of numbers"),
          ("X-None", None, TypeError, r"X must be an array of numbers"),
          ("X-list-of-str", [["a", "b"]], TypeError, r"X must be an array of real numbers"),
          ("X-complex", X + 1j, TypeError, r"X must be an array of real numbers"),
          ("X-ragged", RAGGED, ValueError, r"X must be a rectangular array"),
      ]],
    *[case(f"MLP.{method}-{label}", getattr(NET, method), (X, bad), kwargs, match=pattern)
      for method in ("loss_and_grads", "loss")
      for label, bad, kwargs, pattern in [
          ("y-1d", Y.ravel(), {}, r"y must have shape \(4, 1\) to match the output, got \(4,\)"),
          ("y-two-columns", np.zeros((4, 2)), {}, r"y must have shape \(4, 1\)"),
          ("y-rows", Y[:3], {}, r"y must have shape \(4, 1\)"),
          ("y-nan", np.full((4, 1), NAN), {}, r"y must hold only finite numbers"),
          ("bce-y-above-1", 2 * Y, {"loss": "bce"}, r"y for binary cross-entropy must lie in \[0, 1\]"),
          ("bce-y-negative", -Y, {"loss": "bce"}, r"y for binary cross-entropy must lie in \[0, 1\]"),
          ("loss-unknown", Y, {"loss": "cross_entropy"}, r"loss must be one of"),
      ]],
    case("MLP.loss_and_grads-loss-None", NET.loss_and_grads, (X, Y), {"loss": None}, exc=TypeError,
         match=r"loss must be a str"),
    case("MLP.loss_and_grads-bce-identity", IDENTITY_NET.loss_and_grads, (X, Y), {"loss": "bce"},
         match=r"loss='bce' needs output='sigmoid'"),
    case("MLP.loss-bce-identity", IDENTITY_NET.loss, (X, Y), {"loss": "bce"},
         match=r"loss='bce' needs output='sigmoid'"),
    # gradcheck
    case("numerical_gradient-f", gradcheck.numerical_gradient, (1.0, np.zeros(2)), exc=TypeError,
         match=r"f must be a callable"),
    case("numerical_gradient-f-array", gradcheck.numerical_gradient, (lambda x: x, np.zeros(2)), exc=TypeError,
         match=r"f must return a single real number"),
    case("numerical_gradient-f-None", gradcheck.numerical_gradient, (lambda x: None, np.zeros(2)), exc=TypeError,
         match=r"f must return a single real number"),
    case("numerical_gradient-f-str", gradcheck.numerical_gradient, (lambda x: "1.0", np.zeros(2)), exc=TypeError,
         match=r"f must return a single real number"),
    case("numerical_gradient-f-complex", gradcheck.numerical_gradient, (lambda x: np.complex128(1j), np.zeros(2)),
         exc=TypeError, match=r"f must return a single real number"),
    case("numerical_gradient-x-int", gradcheck.numerical_gradient, (np.sum, np.zeros(2, dtype=int)), exc=TypeError,
         match=r"x must be a float64 numpy array"),
    case("numerical_gradient-x-list", gradcheck.numerical_gradient, (np.sum, [0.0, 1.0]), exc=TypeError,
         match=r"x must be a float64 numpy array"),
    case("numerical_gradient-x-readonly", gradcheck.numerical_gradient,
         (np.sum, np.broadcast_to(np.zeros(1), (2,))), match=r"x must be a writeable array"),
    case("numerical_gradient-x-nan", gradcheck.numerical_gradient, (np.sum, np.array([NAN])),
         match=r"x must hold only finite numbers"),
    case("numerical_gradient-h-zero", gradcheck.numerical_gradient, (np.sum, np.zeros(2)), {"h": 0},
         match=r"h must be a finite number > 0"),
    case("numerical_gradient-h-str", gradcheck.numerical_gradient, (np.sum, np.zeros(2)), {"h": "1e-5"},
         exc=TypeError, match=r"h must be a real number"),
    case("relative_error-shape", gradcheck.relative_error, ([1.0], [1.0, 2.0]),
         match=r"computed has shape \(1,\) but reference"),
    case("relative_error-nan", gradcheck.relative_error, ([NAN], [1.0]), match=r"computed must hold only finite"),
    case("relative_error-inf", gradcheck.relative_error, ([1.0], [INF]), match=r"reference must hold only finite"),
    case("relative_error-str", gradcheck.relative_error, ("1", [1.0]), exc=TypeError, match=r"computed must be an"),
    case("check_mlp_gradients-net", gradcheck.check_mlp_gradients, ("net", X, Y), exc=TypeError,
         match=r"net must be a helpers.network.MLP"),
    case("check_mlp_gradients-h", gradcheck.check_mlp_gradients, (NET, X, Y), {"h": -1e-5},
         match=r"h must be a finite number > 0"),
    case("check_mlp_gradients-X", gradcheck.check_mlp_gradients, (NET, np.zeros((4, 3)), Y),
         match=r"X must have 2 columns"),
    case("check_mlp_gradients-y", gradcheck.check_mlp_gradients, (NET, X, Y.ravel()), match=r"y must have shape"),
    case("check_mlp_gradients-loss", gradcheck.check_mlp_gradients, (NET, X, Y), {"loss": "l1"},
         match=r"loss must be one of"),
    # optimizers: constructors
    case("Momentum-momentum-1", optimizers.Momentum, (0.1,), {"momentum": 1.0}, match=r"momentum must be in \[0, 1\)"),
    case("Momentum-momentum-neg", optimizers.Momentum, (0.1,), {"momentum": -0.1}, match=r"momentum must be in"),
    case("Momentum-momentum-str", optimizers.Momentum, (0.1,), {"momentum": "0.9"}, exc=TypeError,
         match=r"momentum must be a real number"),
    case("RMSprop-decay-1", optimizers.RMSprop, (0.1,), {"decay": 1.0}, match=r"decay must be in \[0, 1\)"),
    case("RMSprop-decay-neg", optimizers.RMSprop, (0.1,), {"decay": -0.5}, match=r"decay must be in \[0, 1\)"),
    case("RMSprop-decay-nan", optimizers.RMSprop, (0.1,), {"decay": NAN}, match=r"decay must be a number"),
    case("RMSprop-eps-neg", optimizers.RMSprop, (0.1,), {"eps": -1e-8}, match=r"eps must be a finite number >= 0"),
    case("RMSprop-eps-inf", optimizers.RMSprop, (0.1,), {"eps": INF}, match=r"eps must be a finite number >= 0"),
    case("RMSprop-momentum-1", optimizers.RMSprop, (0.1,), {"momentum": 1.0}, match=r"momentum must be in"),
    case("RMSprop-centered", optimizers.RMSprop, (0.1,), {"centered": 1}, exc=TypeError,
         match=r"centered must be True or False"),
    case("RMSprop-eps_inside_sqrt", optimizers.RMSprop, (0.1,), {"eps_inside_sqrt": "no"}, exc=TypeError,
         match=r"eps_inside_sqrt must be True or False"),
    case("Adam-beta1-1", optimizers.Adam, (0.1,), {"beta1": 1.0}, match=r"beta1 must be in \[0, 1\)"),
    case("Adam-beta1-neg", optimizers.Adam, (0.1,), {"beta1": -0.1}, match=r"beta1 must be in \[0, 1\)"),
    case("Adam-beta2-1", optimizers.Adam, (0.1,), {"beta2": 1.0}, match=r"beta2 must be in \[0, 1\)"),
    case("Adam-beta2-big", optimizers.Adam, (0.1,), {"beta2": 1.5}, match=r"beta2 must be in \[0, 1\)"),
    case("Adam-eps-neg", optimizers.Adam, (0.1,), {"eps": -1.0}, match=r"eps must be a finite number >= 0"),
    case("Adagrad-eps-neg", optimizers.Adagrad, (0.1,), {"eps": -1e-10}, match=r"eps must be a finite number >= 0"),
    case("Adagrad-eps-str", optimizers.Adagrad, (0.1,), {"eps": "1e-10"}, exc=TypeError, match=r"eps must be"),
    # optimizers: step
    *[case(f"{cls.__name__}.step-{label}", lambda p, g, cls=cls: cls(0.1).step(p, g), (p, g), exc=exc, match=pattern)
      for cls in OPTIMIZER_CLASSES
      for label, p, g, exc, pattern in [
          ("keys", params(), {"v": np.zeros(2)}, ValueError, r"grads must have the same keys as params"),
          ("extra-key", params(), {"w": np.zeros(2), "v": np.zeros(2)}, ValueError, r"grads must have the same keys"),
          ("shape", params(), {"w": np.zeros(3)}, ValueError, r"grads\['w'\] has shape \(3,\) but params\['w'\]"),
          ("broadcastable", params(), {"w": np.zeros((1, 2))}, ValueError, r"grads\['w'\] has shape \(1, 2\)"),
          ("scalar", params(), {"w": 1.0}, ValueError, r"grads\['w'\] has shape \(\) but params\['w'\]"),
          ("nan", params(), {"w": np.array([NAN, 0.0])}, ValueError, r"grads\['w'\] holds NaN or inf"),
          ("inf", params(), {"w": np.array([0.0, -INF])}, ValueError, r"grads\['w'\] holds NaN or inf"),
          ("str", params(), {"w": ["a", "b"]}, TypeError, r"grads\['w'\] must be an array of real numbers"),
          ("ragged", params(), {"w": RAGGED}, ValueError, r"grads\['w'\] must be a rectangular array"),
          ("param-int", {"w": np.zeros(2, dtype=int)}, {"w": np.zeros(2)}, TypeError,
           r"params\['w'\] must be a float64 numpy array"),
          ("param-float32", {"w": np.zeros(2, np.float32)}, {"w": np.zeros(2)}, TypeError,
           r"params\['w'\] must be a float64"),
          ("param-list", {"w": [0.0, 0.0]}, {"w": np.zeros(2)}, TypeError, r"params\['w'\] must be a float64"),
          ("params-list", [np.zeros(2)], {"w": np.zeros(2)}, TypeError, r"params and grads must be dicts"),
          ("grads-None", params(), None, TypeError, r"params and grads must be dicts"),
      ]],
    *[case(f"{cls.__name__}.step-reused-on-other-shapes", step_again_on_a_new_net, (cls(0.01),),
           match=r"params\['W1'\] has shape \(2, 4\) but this optimizer's state\['W1'\]")
      for cls in (optimizers.Momentum, optimizers.Adagrad, optimizers.RMSprop, optimizers.Adam)],
    case("RMSprop.denominator-empty", optimizers.RMSprop().denominator, ({},), match=r"state must be this optimizer's"),
    case("RMSprop.denominator-list", optimizers.RMSprop().denominator, ([1.0],), exc=TypeError,
         match=r"state must be a dict"),
    case("RMSprop.denominator-centered", optimizers.RMSprop(centered=True).denominator, ({"square_avg": np.ones(1)},),
         match=r"state must be this optimizer's"),
    # data
    *[case(f"{f.__name__}-{label}", f, (), kwargs, exc=exc, match=pattern)
      for f in (data.two_moons, data.two_spirals, data.gaussian_blobs)
      for label, kwargs, exc, pattern in [
          ("n-1", {"n_samples": 1}, ValueError, r"n_samples must be an int >= 2"),
          ("n-float", {"n_samples": 10.0}, TypeError, r"n_samples must be an int"),
          ("n-None", {"n_samples": None}, TypeError, r"n_samples must be an int"),
          ("seed-neg", {"seed": -1}, ValueError, r"seed must be an int >= 0"),
          ("seed-str", {"seed": "0"}, TypeError, r"seed must be an int"),
      ]],
    case("two_moons-noise", data.two_moons, (), {"noise": -0.1}, match=r"noise must be a finite number >= 0"),
    case("two_spirals-noise", data.two_spirals, (), {"noise": INF}, match=r"noise must be a finite number >= 0"),
    case("two_spirals-turns", data.two_spirals, (), {"turns": 0}, match=r"turns must be a finite number > 0"),
    case("gaussian_blobs-distance", data.gaussian_blobs, (), {"distance": None}, exc=TypeError,
         match=r"distance must be a real number"),
    case("gaussian_blobs-spread", data.gaussian_blobs, (), {"spread": NAN}, match=r"spread must be a number"),
    case("minibatch_indices-too-big", data.minibatch_indices, (4, 5, 10),
         match=r"batch_size must be at most n_samples"),
    case("minibatch_indices-B-0", data.minibatch_indices, (4, 0, 10), match=r"batch_size must be an int >= 1"),
    case("minibatch_indices-steps-float", data.minibatch_indices, (4, 2, 1.5), exc=TypeError,
         match=r"n_steps must be an int"),
    case("minibatch_indices-seed", data.minibatch_indices, (4, 2, 3), {"seed": -1}, match=r"seed must be an int >= 0"),
    case("sweep_mlp-batch-shape", sweep.sweep_mlp, (X, Y, [0.1], [0.9]),
         {"n_steps": 2, "batch_indices": np.zeros((3, 1), dtype=int)}, match=r"batch_indices must have shape"),
    case("sweep_mlp-batch-range", sweep.sweep_mlp, (X, Y, [0.1], [0.9]),
         {"n_steps": 1, "batch_indices": np.array([[-1]])}, match=r"batch_indices must lie in 0 .. 3"),
    case("sweep_mlp-batch-float", sweep.sweep_mlp, (X, Y, [0.1], [0.9]),
         {"n_steps": 1, "batch_indices": np.array([[0.0]])}, exc=TypeError, match=r"batch_indices must hold ints"),
    case("sweep_mlp-batch-empty", sweep.sweep_mlp, (X, Y, [0.1], [0.9]),
         {"n_steps": 1, "batch_indices": np.zeros((1, 0), dtype=int)}, match=r"batch_indices must hold at least one"),
    case("sweep_mlp-track", sweep.sweep_mlp, (X, Y, [0.1], [0.9]), {"n_steps": 1, "track_updates": "yes"},
         exc=TypeError, match=r"track_updates must be True or False"),
    # surfaces
    case("Quadratic-kappa-small", surfaces.Quadratic, (0.5,), match=r"condition_number must be a finite number >= 1"),
    case("Quadratic-kappa-inf", surfaces.Quadratic, (INF,), match=r"condition_number must be a finite number >= 1"),
    case("ill_conditioned_quadratic-kappa-str", surfaces.ill_conditioned_quadratic, ("10",), exc=TypeError,
         match=r"condition_number must be a real number"),
    case("ill_conditioned_quadratic-angle", surfaces.ill_conditioned_quadratic, (10.0, INF),
         match=r"angle must be finite"),
    case("Rosenbrock-a-inf", surfaces.Rosenbrock, (INF,), match=r"a must be a finite number"),
    case("rosenbrock-a-str", surfaces.rosenbrock, ("1",), exc=TypeError, match=r"a must be a real number"),
    case("rosenbrock-b-zero", surfaces.rosenbrock, (1.0, 0.0), match=r"b must be a finite number > 0"),
    *[case(f"Surface.{method}-{label}", getattr(SADDLE, method), (bad,), exc=exc, match=pattern)
      for method in ("value", "gradient")
      for label, bad, exc, pattern in [
          ("three-coordinates", [1.0, 2.0, 3.0], ValueError, r"points must have shape \(\.\.\., 2\)"),
          ("scalar", 1.0, ValueError, r"points must have shape \(\.\.\., 2\)"),
          ("str", "ab", TypeError, r"points must be an array of numbers"),
          ("ragged", RAGGED, ValueError, r"points must be a rectangular array"),
      ]],
    case("Surface.grid-n-1", SADDLE.grid, (1,), match=r"n must be an int >= 2"),
    case("Surface.grid-n-float", SADDLE.grid, (10.0,), exc=TypeError, match=r"n must be an int"),
    # training
    case("train-net", training.train, ("net", X, Y, gd(), 5), exc=TypeError,
         match=r"net must be a helpers.network.MLP"),
    case("train-optimizer", training.train, (NET, X, Y, "sgd", 5), exc=TypeError, match=r"optimizer must be a"),
    case("train-optimizer-class", training.train, (NET, X, Y, optimizers.GradientDescent, 5), exc=TypeError,
         match=r"optimizer must be a"),
    case("train-n_steps-neg", training.train, (NET, X, Y, gd(), -1), match=r"n_steps must be an int >= 0"),
    case("train-n_steps-float", training.train, (NET, X, Y, gd(), 5.0), exc=TypeError, match=r"n_steps must be an int"),
    case("train-explode_factor", training.train, (NET, X, Y, gd(), 5), {"explode_factor": 0},
         match=r"explode_factor must be a finite number > 0"),
    case("train-X-width", training.train, (NET, np.zeros((4, 3)), Y, gd(), 5), match=r"X must have 2 columns"),
    case("train-X-nan", training.train, (NET, np.full((4, 2), NAN), Y, gd(), 5), match=r"X must hold only finite"),
    case("train-y-shape", training.train, (NET, X, Y.ravel(), gd(), 5), match=r"y must have shape \(4, 1\)"),
    case("train-loss", training.train, (NET, X, Y, gd(), 5), {"loss": "hinge"}, match=r"loss must be one of"),
    case("train-bce-targets", training.train, (NET, X, 2 * Y, gd(), 5), {"loss": "bce"},
         match=r"y for binary cross-entropy must lie in \[0, 1\]"),
    case("optimize_path-surface", training.optimize_path, ("saddle", gd()), exc=TypeError,
         match=r"surface must be a helpers.surfaces.Surface"),
    case("optimize_path-optimizer", training.optimize_path, (SADDLE, None), exc=TypeError,
         match=r"optimizer must be a"),
    case("optimize_path-start-3", training.optimize_path, (SADDLE, gd()), {"start": (1, 2, 3)},
         match=r"start must be a point \(x, y\)"),
    case("optimize_path-start-nan", training.optimize_path, (SADDLE, gd()), {"start": (1, NAN)},
         match=r"start must hold only finite numbers"),
    case("optimize_path-start-str", training.optimize_path, (SADDLE, gd()), {"start": "ab"}, exc=TypeError,
         match=r"start must be an array of numbers"),
    case("optimize_path-n_steps", training.optimize_path, (SADDLE, gd()), {"n_steps": -2},
         match=r"n_steps must be an int >= 0"),
    case("optimize_path-escape_radius", training.optimize_path, (SADDLE, gd()), {"escape_radius": 0},
         match=r"escape_radius must be a finite number > 0"),
    # sweep
    case("lr_decay_grid-scalar", sweep.lr_decay_grid, (0.1, [0.9]), match=r"learning_rates must be a 1-D array"),
    case("lr_decay_grid-nan", sweep.lr_decay_grid, ([NAN], [0.9]), match=r"learning_rates must hold only finite"),
    case("lr_decay_grid-str", sweep.lr_decay_grid, (["a"], [0.9]), exc=TypeError, match=r"learning_rates must be an"),
    case("lr_decay_grid-lr-zero", sweep.lr_decay_grid, ([0.0, 0.1], [0.9]), match=r"learning_rates must all be"),
    case("lr_decay_grid-decay-1", sweep.lr_decay_grid, ([0.1], [0.9, 1.0]), match=r"decays must lie in \[0, 1\)"),
    case("lr_decay_grid-decay-neg", sweep.lr_decay_grid, ([0.1], [-0.1]), match=r"decays must lie in \[0, 1\)"),
    case("forward_stacked-params-list", sweep.forward_stacked, ([1, 2], X), exc=TypeError,
         match=r"params must be a dict"),
    case("forward_stacked-params-unstacked", sweep.forward_stacked, (NET.params, X),
         match=r"params\['W1'\] must be a 3-D array"),
    case("forward_stacked-params-keys", sweep.forward_stacked, ({"W1": SWEEP.params["W1"], "W2": SWEEP.params["W2"]},
                                                                 X), match=r"params must have the keys W1, b1"),
    case("forward_stacked-params-empty", sweep.forward_stacked, ({}, X), match=r"params must have the keys"),
    case("forward_stacked-params-configs", sweep.forward_stacked, ({**SWEEP.params, "W2": ONE_CONFIG["W2"]}, X),
         match=r"params\['W2'\] has shape \(1, 8, 1\) and params\['b2'\]"),
    case("forward_stacked-X-width", sweep.forward_stacked, (SWEEP.params, np.zeros((4, 3))),
         match=r"X must have 2 columns"),
    case("forward_stacked-X-1d", sweep.forward_stacked, (SWEEP.params, np.zeros(2)), match=r"X must be a 2-D array"),
    case("forward_stacked-X-nan", sweep.forward_stacked, (SWEEP.params, [[NAN, 0.0]]), match=r"X must hold only"),
    case("forward_stacked-X-str", sweep.forward_stacked, (SWEEP.params, "X"), exc=TypeError, match=r"X must be an"),
    case("forward_stacked-hidden", sweep.forward_stacked, (SWEEP.params, X), {"hidden": "softmax"},
         match=r"hidden must be one of"),
    case("forward_stacked-output", sweep.forward_stacked, (SWEEP.params, X), {"output": None}, exc=TypeError,
         match=r"output must be a str"),
    *[case(f"sweep_mlp-{label}", sweep.sweep_mlp, args, kwargs, exc=exc, match=pattern)
      for label, args, kwargs, exc, pattern in [
          ("lr-zero", (X, Y, [0.0], [0.9]), {}, ValueError, r"learning_rates must be a non-empty 1-D array of .* > 0"),
          ("lr-neg", (X, Y, [0.1, -0.1], [0.9, 0.9]), {}, ValueError, r"learning_rates must be .* > 0"),
          ("lr-empty", (X, Y, [], []), {}, ValueError, r"learning_rates must be a non-empty"),
          ("lr-scalar", (X, Y, 0.1, 0.9), {}, ValueError, r"learning_rates must be a 1-D array"),
          ("lr-nan", (X, Y, [NAN], [0.9]), {}, ValueError, r"learning_rates must hold only finite"),
          ("lr-str", (X, Y, ["0.1"], [0.9]), {}, TypeError, r"learning_rates must be an array of real numbers"),
          ("decay-1", (X, Y, [0.1], [1.0]), {}, ValueError, r"decays must lie in \[0, 1\)"),
          ("decay-neg", (X, Y, [0.1], [-0.1]), {"optimizer": "momentum"}, ValueError, r"decays must lie in"),
          ("decay-missing", (X, Y, [0.1]), {}, ValueError, r"decays must be given"),
          ("decay-length", (X, Y, [0.1], [0.9, 0.9]), {}, ValueError, r"decays must have the shape of learning_rates"),
          ("decay-gd", (X, Y, [0.1], [0.9]), {"optimizer": "gd"}, ValueError, r"decays must be None"),
          ("optimizer", (X, Y, [0.1], [0.9]), {"optimizer": "sgd"}, ValueError, r"optimizer must be one of"),
          ("X-width", (np.zeros((4, 3)), Y, [0.1], [0.9]), {}, ValueError, r"X must have 2 columns"),
          ("X-1d", (np.zeros(4), Y, [0.1], [0.9]), {}, ValueError, r"X must be a 2-D array"),
          ("X-inf", (np.full((4, 2), INF), Y, [0.1], [0.9]), {}, ValueError, r"X must hold only finite"),
          ("X-str", ("X", Y, [0.1], [0.9]), {}, TypeError, r"X must be an array of numbers"),
          ("y-shape", (X, Y.ravel(), [0.1], [0.9]), {}, ValueError, r"y must have shape \(4, 1\)"),
          ("bce-targets", (X, 2 * Y, [0.1], [0.9]), {"loss": "bce"}, ValueError,
           r"y for binary cross-entropy must lie in \[0, 1\]"),
          ("bce-identity", (X, Y, [0.1], [0.9]), {"loss": "bce", "output": "identity"}, ValueError,
           r"loss='bce' needs output='sigmoid'"),
          ("loss", (X, Y, [0.1], [0.9]), {"loss": "l1"}, ValueError, r"loss must be one of"),
          ("hidden", (X, Y, [0.1], [0.9]), {"hidden": "gelu"}, ValueError, r"hidden must be one of"),
          ("sizes-zero", (X, Y, [0.1], [0.9]), {"sizes": (2, 0, 1)}, ValueError, r"sizes\[1\] must be an int >= 1"),
          ("sizes-short", (X, Y, [0.1], [0.9]), {"sizes": (2,)}, ValueError, r"sizes must list at least"),
          ("seed-length", (X, Y, [0.1, 0.2], [0.9, 0.9]), {"seed": [1]}, ValueError, r"seed must be one int or"),
          ("seed-str", (X, Y, [0.1, 0.2], [0.9, 0.9]), {"seed": ["a", "b"]}, TypeError, r"seed\[0\] must be an int"),
          ("seed-float", (X, Y, [0.1], [0.9]), {"seed": 1.5}, TypeError, r"seed must be an int"),
          ("eps-neg", (X, Y, [0.1], [0.9]), {"eps": -1e-8}, ValueError, r"eps must be a finite number >= 0"),
          ("eps_inside_sqrt", (X, Y, [0.1], [0.9]), {"eps_inside_sqrt": "yes"}, TypeError,
           r"eps_inside_sqrt must be True or False"),
          ("beta1", (X, Y, [0.1], [0.9]), {"optimizer": "adam", "beta1": 1.0}, ValueError, r"beta1 must be in"),
          ("n_steps", (X, Y, [0.1], [0.9]), {"n_steps": -1}, ValueError, r"n_steps must be an int >= 0"),
          ("explode_factor", (X, Y, [0.1], [0.9]), {"explode_factor": NAN}, ValueError, r"explode_factor must be"),
      ]],
    *[case(f"sweep_paths-{label}", sweep.sweep_paths, args, kwargs, exc=exc, match=pattern)
      for label, args, kwargs, exc, pattern in [
          ("surface", (None, [0.1], [0.9]), {}, TypeError, r"surface must be a helpers.surfaces.Surface"),
          ("lr-zero", (SADDLE, [0.0], [0.9]), {}, ValueError, r"learning_rates must be a non-empty"),
          ("decay-1", (SADDLE, [0.1], [1.0]), {}, ValueError, r"decays must lie in \[0, 1\)"),
          ("decay-nan", (SADDLE, [0.1], [NAN]), {}, ValueError, r"decays must hold only finite"),
          ("start", (SADDLE, [0.1], [0.9]), {"start": [1.0]}, ValueError, r"start must be a point \(x, y\)"),
          ("start-inf", (SADDLE, [0.1], [0.9]), {"start": [1.0, INF]}, ValueError, r"start must hold only finite"),
          ("eps-neg", (SADDLE, [0.1], [0.9]), {"eps": -1.0}, ValueError, r"eps must be a finite number >= 0"),
          ("eps_inside_sqrt", (SADDLE, [0.1], [0.9]), {"eps_inside_sqrt": 1}, TypeError,
           r"eps_inside_sqrt must be True or False"),
          ("n_steps", (SADDLE, [0.1], [0.9]), {"n_steps": 2.5}, TypeError, r"n_steps must be an int"),
          ("escape_radius", (SADDLE, [0.1], [0.9]), {"escape_radius": -1}, ValueError, r"escape_radius must be"),
      ]],
    case("sweep_paths-adagrad-decays", sweep.sweep_paths, (SADDLE, [0.1], [0.9]), {"optimizer": "adagrad"},
         match=r"decays must be None for optimizer='adagrad'"),
    case("sweep_paths-starts-shape", sweep.sweep_paths, (SADDLE, [0.1, 0.2], [0.9, 0.9]), {"start": np.zeros((3, 2))},
         match=r"start must be a point \(x, y\) or one point per configuration, shape \(2, 2\)"),
    case("sweep_paths-beta1", sweep.sweep_paths, (SADDLE, [0.1], [0.9]), {"optimizer": "adam", "beta1": 1.0},
         match=r"beta1 must be in"),
    case("sweep_mlp-bias_correction", sweep.sweep_mlp, (X, Y, [0.1], [0.9]), {"bias_correction": 1}, exc=TypeError,
         match=r"bias_correction must be True or False"),
    case("Adam-bias_correction", optimizers.Adam, (0.1,), {"bias_correction": "no"}, exc=TypeError,
         match=r"bias_correction must be True or False"),
    case("Saddle-a-zero", surfaces.Saddle, (0.0, 1.0), match=r"a must be a finite number > 0"),
    case("Saddle-b-inf", surfaces.Saddle, (1.0, INF), match=r"b must be a finite number > 0"),
    case("Saddle-b-str", surfaces.Saddle, (1.0, "0.1"), exc=TypeError, match=r"b must be a real number"),
    case("Shelf-minimum_x", surfaces.Shelf, (), {"minimum_x": -1.0}, match=r"minimum_x must be > 0"),
    case("Shelf-minimum_x-nan", surfaces.Shelf, (), {"minimum_x": NAN}, match=r"minimum_x must be a number, got NaN"),
    case("Shelf-slope", surfaces.Shelf, (), {"slope": 0.0}, match=r"slope must be a finite number > 0"),
    case("Shelf-steepness-str", surfaces.Shelf, (), {"steepness": "5"}, exc=TypeError,
         match=r"steepness must be a real number"),
    case("gd_saddle_steps-offset", explore_saddle.gd_saddle_steps, (0.1, 0.1, 0.0), match=r"offset must be > 0"),
    case("gd_saddle_steps-radius", explore_saddle.gd_saddle_steps, (0.1, 0.1, 2.0),
         match=r"offset must be below radius"),
    case("gd_saddle_steps-lr", explore_saddle.gd_saddle_steps, ("fast", 0.1, 0.01), exc=TypeError,
         match=r"learning_rate must"),
    case("steps_to_escape-shape", explore_saddle.steps_to_escape, (np.zeros((3, 2)), "saddle"),
         match=r"paths must"),
    case("steps_to_escape-surface", explore_saddle.steps_to_escape, (np.zeros((3, 1, 2)), "bowl"),
         match=r"surface must be one of"),
    case("offset_slider-value", explore_saddle.offset_slider, ("δ", 0.002), match=r"offset must be one of"),
    case("classify_runs-result", sweep.classify_runs, ({"losses": []},), exc=TypeError,
         match=r"result must be a SweepResult"),
    case("classify_runs-tol", sweep.classify_runs, (SWEEP,), {"tol": 0}, match=r"tol must be a finite number > 0"),
    # plotting
    case("input_grid-xlim-None", plotting.input_grid, (None, (0, 1)), exc=TypeError, match=r"xlim must be a pair"),
    case("input_grid-xlim-str", plotting.input_grid, ("ab", (0, 1)), exc=TypeError, match=r"xlim must be a pair"),
    case("input_grid-xlim-one", plotting.input_grid, ((0,), (0, 1)), exc=TypeError, match=r"xlim must be a pair"),
    case("input_grid-xlim-reversed", plotting.input_grid, ((1, 0), (0, 1)), match=r"xlim must be \(low, high\)"),
    case("input_grid-ylim-nan", plotting.input_grid, ((0, 1), (0, NAN)), match=r"ylim\[1\] must be a number"),
    case("input_grid-ylim-inf", plotting.input_grid, ((0, 1), (0, INF)), match=r"ylim must hold two finite"),
    case("input_grid-n", plotting.input_grid, ((0, 1), (0, 1)), {"n": 1}, match=r"n must be an int >= 2"),
    # live
    case("LiveFigure-figsize-str", live.LiveFigure, ("ab",), exc=TypeError, match=r"figsize must be a pair"),
    case("LiveFigure-figsize-zero", live.LiveFigure, ((0, 3),), match=r"figsize\[0\] must be a finite number > 0"),
    case("LiveFigure-dpi-zero", live.LiveFigure, ((3, 2),), {"dpi": 0}, match=r"dpi must be a finite number > 0"),
    case("LiveFigure-dpi-str", live.LiveFigure, ((3, 2),), {"dpi": "80"}, exc=TypeError, match=r"dpi must be a real"),
    case("LiveFigure.animate-str", lambda: line_figure()[0].animate("line"), exc=TypeError,
         match=r"artists must be matplotlib artists"),
    case("encode_png-figure", live.encode_png, (line_figure()[0].figure,), exc=TypeError,
         match=r"canvas must be a FigureCanvasAgg"),
    case("slider_positions-float", live.slider_positions, (0.5,), exc=TypeError, match=r"control must be a slider"),
    case("slider_positions-text", live.slider_positions, (widgets.Text(),), exc=TypeError,
         match=r"control must be a slider"),
    case("slider_positions-n-str", live.slider_positions, (widgets.FloatSlider(),), {"n": "30"}, exc=TypeError,
         match=r"n must be an int"),
    case("slider_positions-n-zero", live.slider_positions, (widgets.FloatSlider(),), {"n": 0},
         match=r"n must be an int >= 1"),
    case("Explorer-live_figure", live.Explorer, ("e", "figure", {"a": widgets.FloatSlider()}, lambda a: None),
         exc=TypeError, match=r"live_figure must be a live.LiveFigure"),
    case("Explorer-controls-list", live.Explorer, ("e", line_figure()[0], [widgets.FloatSlider()], lambda a: None),
         exc=TypeError, match=r"controls must be a dict"),
    case("Explorer-controls-value", live.Explorer, ("e", line_figure()[0], {"a": 0.5}, lambda a: None),
         exc=TypeError, match=r"controls must map names \(str\) to ipywidgets controls"),
    case("Explorer-controls-key", live.Explorer, ("e", line_figure()[0], {1: widgets.FloatSlider()}, lambda a: None),
         exc=TypeError, match=r"controls must map names \(str\)"),
    case("Explorer-draw", live.Explorer, ("e", line_figure()[0], {"a": widgets.FloatSlider()}, 3), exc=TypeError,
         match=r"draw must be a function"),
    case("Explorer.render-unknown", lambda: explorer(widgets.FloatSlider()).render(b=1.0),
         match=r"unknown control\(s\) \['b'\]"),
    case("Explorer.render-above-max", render_on, (widgets.FloatSlider(max=1.0), 5.0),
         match=r"a=5.0 is outside this control's range"),
    case("Explorer.render-below-log-min", render_on, (live.log_slider("lr", 0.1, 0.01, 1.0), 1e-5),
         match=r"a=1e-05 is outside this control's range"),
    case("Explorer.render-int-slider-float", render_on, (widgets.IntSlider(max=10), 2.5),
         match=r"a=2.5 is outside this control's range"),
    case("Explorer.render-dropdown", render_on, (widgets.Dropdown(options=["x", "y"]), "z"),
         match=r"a='z' is not a value this control accepts"),
    case("Explorer.render-checkbox", render_on, (widgets.Checkbox(), "yes"),
         match=r"a='yes' is not a value this control accepts"),
    case("Explorer.render-str", render_on, (widgets.FloatSlider(), "big"),
         match=r"a='big' is not a value this control accepts"),
    case("message_png-size", live.message_png, ("x",), {"size": "ab"}, exc=TypeError, match=r"size must be a pair"),
    case("message_png-size-neg", live.message_png, ("x",), {"size": (-1, 1)}, match=r"size\[0\] must be a finite"),
    case("decay_slider-value-one", live.decay_slider, ("ρ", 1.0), match=r"value must lie in \[0, 1 - smallest_gap\]"),
    case("decay_slider-gap-one", live.decay_slider, ("ρ", 0.5, 1.0), match=r"smallest_gap .* must lie in \(0, 1\)"),
    case("decay_slider-value-str", live.decay_slider, ("ρ", "0.9"), exc=TypeError, match=r"value must be a real"),
    case("momentum_slider-value-one", live.momentum_slider, ("μ", 1.0),
         match=r"value must lie in \[0, 1 - smallest_gap\]"),
    case("momentum_slider-gap-one", live.momentum_slider, ("μ", 0.5, 1.0),
         match=r"smallest_gap \(the smallest 1 - μ\)"),
    case("momentum_slider-value-str", live.momentum_slider, ("μ", "0.9"), exc=TypeError, match=r"value must be a real"),
    case("momentum_slider-description", live.momentum_slider, (0.9,), exc=TypeError,
         match=r"description must be a str, got float"),
    case("decay_slider-description", live.decay_slider, (0.9,), exc=TypeError,
         match=r"description must be a str, got float"),
    # explore_momentum: the theory's functions and the explorer's factory
    case("heavy_ball_roots-lr-neg", explore_momentum.heavy_ball_roots, (-0.1, 0.9, 1.0),
         match=r"learning_rate must be > 0"),
    case("heavy_ball_roots-mu-one", explore_momentum.heavy_ball_roots, (0.1, 1.0, 1.0),
         match=r"momentum must lie in \(-1, 1\)"),
    case("heavy_ball_roots-curvature-zero", explore_momentum.heavy_ball_roots, (0.1, 0.9, 0.0),
         match=r"curvature must be > 0"),
    case("heavy_ball_roots-lr-str", explore_momentum.heavy_ball_roots, ("a", 0.9, 1.0), exc=TypeError,
         match=r"learning_rate must be"),
    case("spectral_radius-curvatures-2d", explore_momentum.spectral_radius, (0.1, 0.9, [[1.0, 2.0]]),
         match=r"curvatures must be a 1-D array"),
    case("stability_bound-mu-minus-one", explore_momentum.stability_bound, (-1.0, 1.0),
         match=r"momentum must lie in \(-1, 1\)"),  # -1 < mu < 1 is allowed: 06b's region includes mu < 0
    case("optimal_momentum-kappa-small", explore_momentum.optimal_momentum, (0.5,),
         match=r"condition_number must be a finite number >= 1"),
    case("optimal_momentum-smallest-zero", explore_momentum.optimal_momentum, (10.0, 0.0),
         match=r"smallest must be a finite number > 0"),
    case("classify_paths-shape", explore_momentum.classify_paths, (np.ones((3, 2)), np.array([-1, -1, -1])),
         match=r"diverged_at must have shape \(2,\)"),
    case("make_momentum_map_explorer-lr", explore_momentum.make_momentum_map_explorer, (-1.0,),
         match=r"learning_rate must be a finite number > 0"),
    case("make_momentum_map_explorer-mu", explore_momentum.make_momentum_map_explorer, (0.05, 1.5),
         match=r"momentum must"),
    case("log_slider-low-zero", live.log_slider, ("lr", 0.1, 0, 1), match=r"low must be a finite number > 0"),
    case("log_slider-low-str", live.log_slider, ("lr", 0.1, "a", 1), exc=TypeError, match=r"low must be a real"),
    case("log_slider-high-nan", live.log_slider, ("lr", 0.1, 0.01, NAN), match=r"high must be a number"),
    case("log_slider-reversed", live.log_slider, ("lr", 0.1, 1.0, 0.01), match=r"low must be below high"),
    case("log_slider-value-out", live.log_slider, ("lr", 100.0, 0.01, 1.0), match=r"value must lie in \[low, high\]"),
    case("log_slider-value-None", live.log_slider, ("lr", None, 0.01, 1.0), exc=TypeError,
         match=r"value must be a real number"),
    case("log_slider-steps-zero", live.log_slider, ("lr", 0.1, 0.01, 1.0), {"steps_per_decade": 0},
         match=r"steps_per_decade must be an int >= 1"),
    case("log_slider-steps-float", live.log_slider, ("lr", 0.1, 0.01, 1.0), {"steps_per_decade": 2.5},
         exc=TypeError, match=r"steps_per_decade must be an int"),
    case("log_slider-description", live.log_slider, (None, 0.1, 0.01, 1.0), exc=TypeError,
         match=r"description must be a str"),
    # selfcheck: the author's arguments (a learner's answer never raises, see below)
    case("check_close-expected-None", selfcheck.check_close, (1.0, None, "hint"), exc=TypeError,
         match=r"expected must be an array of numbers"),
    case("check_close-expected-str", selfcheck.check_close, (1.0, "1.0", "hint"), exc=TypeError,
         match=r"expected must be an array of numbers"),
    case("check_close-expected-nan", selfcheck.check_close, (1.0, NAN, "hint"),
         match=r"expected must hold only finite"),
    case("check_close-rtol", selfcheck.check_close, (1.0, 1.0, "hint"), {"rtol": -1}, match=r"rtol must be a finite"),
    case("check_close-atol", selfcheck.check_close, (1.0, 1.0, "hint"), {"atol": NAN}, match=r"atol must be a number"),
    case("check_true-array", selfcheck.check_true, (np.array([True, False]), "hint"), exc=TypeError,
         match=r"condition must be a single True or False, got 2 values"),
    case("check_true-list", selfcheck.check_true, ([False, False], "hint"), exc=TypeError,
         match=r"condition must be a single True or False"),
    case("check_true-empty", selfcheck.check_true, (np.array([]), "hint"), exc=TypeError,
         match=r"condition must be a single True or False, got 0 values"),
]


@pytest.mark.parametrize(("fn", "args", "kwargs", "exc", "match"), CASES)
def test_bad_input_is_refused_with_a_clear_message(fn, args, kwargs, exc, match):
    with pytest.raises(Exception) as info:  # noqa: B017 - the type is checked exactly below
        fn(*args, **kwargs)
    assert type(info.value) is exc, f"expected {exc.__name__}, got {type(info.value).__name__}: {info.value}"
    assert re.search(match, str(info.value)), f"message {str(info.value)!r} does not match {match!r}"


def test_every_case_names_an_argument():
    """A regex that matches anything would let a raw numpy error through."""
    for param in CASES:
        assert param.values[4].strip(), param.id


# A learner's wrong answer is feedback, not an exception: it prints "Not yet" and returns False.
@pytest.mark.parametrize("answer", [np.complex128(1 + 1j), 1 + 1j, [1j], {"a": 1}, RAGGED, "one", [[1.0, 2.0]]],
                         ids=["np-complex", "complex", "complex-list", "dict", "ragged", "str", "shape"])
def test_check_close_says_not_yet_to_a_wrong_kind_of_answer(answer, capsys):
    assert selfcheck.check_close(answer, 1.0, "hint") is False
    assert "Not yet" in capsys.readouterr().out


@pytest.mark.parametrize("condition", [[False], np.array([False]), (False,)])
def test_check_true_reads_a_single_value_inside_a_list(condition, capsys):
    assert selfcheck.check_true(condition, "hint") is False  # bool([False]) would say True
    assert "Not yet" in capsys.readouterr().out


def test_a_refused_render_leaves_the_control_unchanged():
    ex = explorer(widgets.FloatSlider(value=0.5, max=1.0))
    with pytest.raises(ValueError, match=r"outside this control's range"):
        ex.render(a=5.0)
    assert ex.controls["a"].value == 0.5
    ex.render(a=0.75)  # and the explorer still works
    assert ex.controls["a"].value == 0.75
