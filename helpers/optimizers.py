"""Update rules that consume gradients (notebooks 04-08).

Backprop computes the gradients; these classes only decide how to step with them. Each one
updates a dict of parameter arrays in place and keeps its per-parameter state in
`opt.state[name]`, a dict of arrays with the parameter's shape, so that you can print and
plot it (e.g. `opt.state["W1"]["square_avg"]`).

Semantics match the references to float64 round-off (see tests/reference/):
    GradientDescent  = torch.optim.SGD(lr)
    Momentum         = torch.optim.SGD(lr, momentum)
    Adagrad          = torch.optim.Adagrad(lr, eps)   (lr_decay=0, initial_accumulator_value=0)
    RMSprop          = torch.optim.RMSprop(lr, alpha=decay, eps, momentum, centered)
    RMSprop(eps_inside_sqrt=True) = Keras 3 RMSprop (p -= lr g / sqrt(v + eps))
    Adam             = torch.optim.Adam(lr, betas=(beta1, beta2), eps)
"""

import numpy as np

from . import _checks


class Optimizer:
    """Shared bookkeeping: argument checks, lazily created state, the step counter."""

    def __init__(self, learning_rate):
        self.learning_rate = _checks.positive(learning_rate, "learning_rate")
        self.state = {}
        self.step_count = 0

    def step(self, params, grads):
        """Update every params[name] in place from grads[name]; both dicts of same-shaped float64 arrays."""
        self._check(params, grads)
        self._apply(params, {name: np.asarray(grad, dtype=np.float64) for name, grad in grads.items()})

    def _apply(self, params, grads):
        """step() without the argument checks. helpers.sweep calls it for C configurations at once:
        each parameter as a (C, P) array, with learning_rate (and decay, ...) as (C, 1) columns
        that broadcast against it, so that the update lines below are the only copy of each rule."""
        self.step_count += 1
        for name, param in params.items():
            if name not in self.state:
                self.state[name] = self._new_state(param)
            self._update(param, grads[name], self.state[name])

    def _check(self, params, grads):
        if not isinstance(params, dict) or not isinstance(grads, dict):
            raise TypeError("params and grads must be dicts of arrays, e.g. net.params and the grads of loss_and_grads")
        if set(params) != set(grads):
            raise ValueError(
                f"grads must have the same keys as params: params has {sorted(params)}, grads has {sorted(grads)}"
            )
        for name, param in params.items():
            if not isinstance(param, np.ndarray) or param.dtype != np.float64:
                raise TypeError(f"params[{name!r}] must be a float64 numpy array (it is updated in place)")
            grad = _checks.float_array(grads[name], f"grads[{name!r}]")
            if grad.shape != param.shape:
                raise ValueError(f"grads[{name!r}] has shape {grad.shape} but params[{name!r}] has shape {param.shape}")
            if not np.all(np.isfinite(grad)):
                raise ValueError(f"grads[{name!r}] holds NaN or inf: training has diverged; lower the learning rate")
            for key, value in self.state.get(name, {}).items():
                if value.shape != param.shape:
                    raise ValueError(
                        f"params[{name!r}] has shape {param.shape} but this optimizer's state[{name!r}][{key!r}] has "
                        f"shape {value.shape}: it was used on other parameters; make a new optimizer for a new net"
                    )

    def _new_state(self, param):
        return {}

    def _update(self, param, grad, state):
        raise NotImplementedError


class GradientDescent(Optimizer):
    """theta <- theta - eta g. No state."""

    def _update(self, param, grad, state):
        param -= self.learning_rate * grad


class Momentum(Optimizer):
    """Heavy ball, as torch.optim.SGD(momentum=mu):  buf <- mu buf + g;  theta <- theta - eta buf.

    State: "momentum_buffer" (starts at zero, so the first step is a plain gradient step).
    """

    def __init__(self, learning_rate, momentum=0.9):
        super().__init__(learning_rate)
        self.momentum = _checks.unit_interval(momentum, "momentum")

    def _new_state(self, param):
        return {"momentum_buffer": np.zeros_like(param)}

    def _update(self, param, grad, state):
        buf = state["momentum_buffer"]
        buf *= self.momentum
        buf += grad
        param -= self.learning_rate * buf


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer 2011), as torch.optim.Adagrad(lr, eps) with lr_decay=0 and a zero start:

        sum <- sum + g^2                                  a running *sum*: it never forgets
        theta <- theta - eta g / (sqrt(sum) + eps)

    RMSprop is the same rule with the sum replaced by an average that forgets at rate rho; so
    Adagrad's effective step η / (√sum + ε) only ever shrinks. State per parameter: "sum" (PyTorch's name), from 0.
    """

    def __init__(self, learning_rate=0.01, eps=1e-10):
        super().__init__(learning_rate)
        self.eps = _checks.non_negative(eps, "eps")

    def _new_state(self, param):
        return {"sum": np.zeros_like(param)}

    def _update(self, param, grad, state):
        state["sum"] += grad * grad
        param -= self.learning_rate * grad / (np.sqrt(state["sum"]) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: divide each coordinate's step by the root of its mean squared gradient.

        v <- rho v + (1 - rho) g^2                       square_avg, starts at 0
        eps outside (PyTorch):  theta <- theta - eta g / (sqrt(v) + eps)
        eps inside (Keras/TF1): theta <- theta - eta g / sqrt(v + eps)

    Options, both off in the plain algorithm (Hinton's lecture 6e):
        centered=True:  also track g_avg <- rho g_avg + (1 - rho) g and use v - g_avg^2 (a variance).
        momentum=mu>0:  buf <- mu buf + g / denom; theta <- theta - eta buf   (PyTorch)
                        buf <- mu buf + eta g / denom; theta <- theta - buf  (Keras, eps inside)
    State per parameter: "square_avg", plus "grad_avg" if centered, "momentum_buffer" if momentum > 0.
    Defaults here: decay=0.9 as in Hinton, Keras and TF1 (PyTorch's alpha defaults to 0.99).
    """

    def __init__(self, learning_rate=0.01, decay=0.9, eps=1e-8, momentum=0.0, centered=False, eps_inside_sqrt=False):
        super().__init__(learning_rate)
        self.decay = _checks.unit_interval(decay, "decay")
        self.eps = _checks.non_negative(eps, "eps")
        self.momentum = _checks.unit_interval(momentum, "momentum")
        _checks.boolean(centered, "centered")
        _checks.boolean(eps_inside_sqrt, "eps_inside_sqrt")
        self.centered = centered
        self.eps_inside_sqrt = eps_inside_sqrt

    def _new_state(self, param):
        state = {"square_avg": np.zeros_like(param)}
        if self.centered:
            state["grad_avg"] = np.zeros_like(param)
        if self.momentum > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        return state

    def denominator(self, state):
        """sqrt(v) + eps (PyTorch) or sqrt(v + eps) (Keras), with v - g_avg^2 in place of v if centered.

        v - g_avg^2 >= 0 in exact arithmetic (an average of squares is at least the square of the
        average), but round-off can make it slightly negative when the gradient barely varies
        (decay=0, or a constant gradient): clip it at 0 instead of taking sqrt of a negative (NaN).
        """
        if not isinstance(state, dict):
            raise TypeError(f"state must be a dict such as opt.state['W1'] (after a step), got {type(state).__name__}")
        if "square_avg" not in state or (self.centered and "grad_avg" not in state):
            raise ValueError(f"state must be this optimizer's state of one parameter, e.g. opt.state['W1'] after a "
                             f"step; got keys {sorted(state)}")
        v = state["square_avg"]
        if self.centered:
            v = np.maximum(v - state["grad_avg"] ** 2, 0.0)
        if self.eps_inside_sqrt:
            return np.sqrt(v + self.eps)
        return np.sqrt(v) + self.eps

    def _update(self, param, grad, state):
        rho = self.decay
        square_avg = state["square_avg"]
        square_avg *= rho
        square_avg += (1 - rho) * grad * grad
        if self.centered:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - rho) * (grad - grad_avg)
        denom = self.denominator(state)
        if self.momentum > 0:
            buf = state["momentum_buffer"]
            buf *= self.momentum
            if self.eps_inside_sqrt:
                buf += self.learning_rate * grad / denom
                param -= buf
            else:
                buf += grad / denom
                param -= self.learning_rate * buf
        else:
            param -= self.learning_rate * grad / denom


class Adam(Optimizer):
    """Adam (Kingma & Ba 2014), as torch.optim.Adam:

        m <- beta1 m + (1 - beta1) g          exp_avg
        v <- beta2 v + (1 - beta2) g^2        exp_avg_sq
        theta <- theta - eta (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)

    The divisions by 1 - beta^t undo the pull toward zero of averages that start at zero.
    bias_correction=False drops them (an ablation, notebook 08): theta <- theta - eta m / (sqrt(v) + eps),
    whose first step is (1 - beta1) / sqrt(1 - beta2) times the corrected one.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-8, bias_correction=True):
        super().__init__(learning_rate)
        self.beta1 = _checks.unit_interval(beta1, "beta1")
        self.beta2 = _checks.unit_interval(beta2, "beta2")
        self.eps = _checks.non_negative(eps, "eps")
        _checks.boolean(bias_correction, "bias_correction")
        self.bias_correction = bias_correction

    def _new_state(self, param):
        return {"exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}

    def _update(self, param, grad, state):
        t = self.step_count
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg += (1 - self.beta1) * (grad - exp_avg)
        exp_avg_sq *= self.beta2
        exp_avg_sq += (1 - self.beta2) * grad * grad
        if not self.bias_correction:
            param -= self.learning_rate * exp_avg / (np.sqrt(exp_avg_sq) + self.eps)
            return
        step_size = self.learning_rate / (1 - self.beta1**t)
        denom = np.sqrt(exp_avg_sq) / np.sqrt(1 - self.beta2**t) + self.eps
        param -= step_size * exp_avg / denom
