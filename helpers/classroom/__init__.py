"""The classroom layer: figures, slider explorers, self-checks and their words.

It uses the numpy core in ``helpers`` (activations to sweep) and the core never imports it.

Modules:
    i18n                      the language of every sentence and label the layer writes (en, zh)
    plotting                  projector-sized figure style and colour-blind-safe colours
    live                      fast slider figures: precomputed frames, stored layouts
    selfcheck                 exercise feedback that names the slip and hints, never answers
    explore_neuron  (01)      one neuron's output as its weights move
    explore_gd      (04)      gradient descent on a valley and on XOR
    explore_rmsprop (05, 05b) RMSprop's paths and its moving average
    explore_phase   (06)      the (learning rate, decay) phase map
    explore_noise   (07)      four optimizers fed the same mini-batches; RMSprop's v under noise
"""
