"""Tests for autoencoders.models.stacked: greedy pretraining seeds the classifier, fine-tuning changes it."""

import numpy as np

import autoencoders as ae


def test_stacked_autoencoder_pretrains_then_finetunes():
    """Do the pretrained encoders seed the classifier, and does fine-tuning change them?"""
    rng = np.random.default_rng(1)
    X = rng.random((120, 16))
    y = (X[:, :8].sum(1) > X[:, 8:].sum(1)).astype(int)
    sae = ae.StackedAutoencoder(
        (10, 6),
        layer_kw={"noise": "masking", "noise_level": 0.1},
        pretrain_kw={"epochs": 3, "lr": 0.1, "verbose": False},
        finetune_kw={"epochs": 40, "lr": 0.5, "batch_size": 16, "verbose": False},
    )
    sae.pretrain(X)
    assert [layer.params_["W1"].shape for layer in sae.layers_] == [(10, 16), (6, 10)]
    W1_pre = sae.layers_[0].params_["W1"].copy()
    sae.fit(X, y)
    assert sae.classifier_.params_["W1"].shape == (10, 16)
    assert not np.allclose(sae.classifier_.params_["W1"], W1_pre)
    assert sae.score(X, y) > 0.8
