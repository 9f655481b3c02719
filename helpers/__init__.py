"""Tested numpy code behind the notebooks: each module holds what one notebook derives.

Modules, in the order the notebooks meet them:
    activations, losses        (01-02)  sigmoid, tanh, relu; mse, bce, and their derivatives
    network, gradcheck         (01-03)  the MLP with backprop; finite-difference checks
    data, training             (03-04)  small 2-D data sets; a loop that reports divergence
    optimizers, surfaces       (04-05)  GD, Momentum, Adagrad, RMSprop, Adam; 2-D test functions
    sweep                      (04-08)  many configurations trained at once

The classroom layer (figures, explorers, self-checks, words) lives in ``helpers.classroom``;
it uses these modules and none of them imports it (tests/test_layers.py checks).
"""
