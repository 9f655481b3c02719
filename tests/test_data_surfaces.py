import numpy as np
import pytest

from helpers import data, surfaces
from tests.conftest import central_difference


def test_xor_truth_table():
    X, y = data.xor()
    assert X.shape == (4, 2) and y.shape == (4, 1)
    np.testing.assert_array_equal(y[:, 0], np.logical_xor(X[:, 0], X[:, 1]))


@pytest.mark.parametrize("make", [data.two_moons, data.two_spirals, data.gaussian_blobs])
def test_data_sets_are_seeded_and_balanced(make):
    X, y = make(n_samples=101, seed=5)
    X2, _ = make(n_samples=101, seed=5)
    X3, _ = make(n_samples=101, seed=6)
    assert X.shape == (101, 2) and y.shape == (101, 1) and X.dtype == np.float64
    assert set(np.unique(y)) == {0.0, 1.0} and abs(int(y.sum()) - 50) <= 1
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, X3)


def test_blobs_are_separable_when_far_apart():
    X, y = data.gaussian_blobs(200, distance=10.0, spread=0.5)
    assert np.all((X[:, 0] > 0) == (y[:, 0] == 1))


def test_data_bad_input():
    with pytest.raises(ValueError, match="n_samples must be an int >= 2"):
        data.two_moons(1)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0"):
        data.two_spirals(noise=-1)
    with pytest.raises(TypeError, match="seed must be an int"):
        data.gaussian_blobs(seed=1.5)


SURFACES = [surfaces.ill_conditioned_quadratic(25.0, 0.6), surfaces.rosenbrock(), surfaces.saddle()]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_gradients_match_finite_differences(surface):
    for point in ([0.3, -0.7], [-1.2, 1.5], [0.9, 0.1]):
        numeric = central_difference(lambda p: float(surface.value(p)), point)
        np.testing.assert_allclose(surface.gradient(point), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_batched_shapes(surface):
    points = np.zeros((3, 4, 2))
    assert surface.value(points).shape == (3, 4)
    assert surface.gradient(points).shape == (3, 4, 2)
    xs, ys, values = surface.grid(20)
    assert xs.shape == (20,) and values.shape == (20, 20)


def test_quadratic_spectrum_and_bound():
    q = surfaces.ill_conditioned_quadratic(40.0, angle=np.pi / 5)
    np.testing.assert_allclose(np.linalg.eigvalsh(q.hessian), [1.0, 40.0])
    assert q.stability_bound == pytest.approx(2 / 40)
    assert q.value([0.0, 0.0]) == 0.0


def test_rosenbrock_minimum():
    r = surfaces.rosenbrock()
    assert r.value(r.minimum) == 0.0
    np.testing.assert_array_equal(r.gradient(r.minimum), [0.0, 0.0])


def test_surface_bad_input():
    with pytest.raises(ValueError, match="condition_number must be a finite number >= 1"):
        surfaces.ill_conditioned_quadratic(0.5)
    with pytest.raises(ValueError, match=r"points must have shape \(\.\.\., 2\)"):
        surfaces.saddle().value([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="angle must be a real number"):
        surfaces.ill_conditioned_quadratic(2.0, angle="45")
