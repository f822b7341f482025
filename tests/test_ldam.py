import numpy as np
import pytest
import torch
from mmpretrain.registry import MODELS

from mmlt.class_counts import class_balanced_weights
from mmlt.models import LDAMHead, LDAMLoss


def reference_ldam(x, target, counts, max_m, s, weight):
    """The paper's loss written out by hand in float64 numpy."""
    m_list = 1.0 / np.sqrt(np.sqrt(np.asarray(counts, dtype=np.float64)))
    m_list = m_list * (max_m / np.max(m_list))
    z = x.copy()
    z[np.arange(len(target)), target] -= m_list[target]
    z = s * z
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    nll = -log_p[np.arange(len(target)), target]
    w = np.ones(x.shape[1]) if weight is None else weight
    return (w[target] * nll).sum() / w[target].sum()


@pytest.mark.parametrize('weighted', [False, True])
def test_loss_value_and_gradient_match_the_formula(weighted):
    rng = np.random.default_rng(0)
    counts = [500, 300, 120, 60, 30, 9, 2]
    x = rng.uniform(-1, 1, (64, 7))
    y = rng.integers(0, 7, 64)
    weight = (
        class_balanced_weights(counts, 0.9999).double().numpy()
        if weighted
        else None
    )
    loss = LDAMLoss(
        cls_num_list=counts,
        max_m=0.5,
        s=30,
        class_weight=None if weight is None else weight.tolist(),
    )
    xt = torch.tensor(x, requires_grad=True)
    value = loss(xt, torch.tensor(y))
    value.backward()
    expected = reference_ldam(x, y, counts, 0.5, 30, weight)
    assert value.item() == pytest.approx(expected, abs=1e-6, rel=1e-6)
    # central differences of the reference formula
    eps = 1e-6
    grad = np.zeros_like(x)
    for idx in [(0, 0), (3, y[3]), (10, 6), (63, y[63])]:
        xp, xm = x.copy(), x.copy()
        xp[idx] += eps
        xm[idx] -= eps
        grad[idx] = (
            reference_ldam(xp, y, counts, 0.5, 30, weight)
            - reference_ldam(xm, y, counts, 0.5, 30, weight)
        ) / (2 * eps)
        assert xt.grad[idx].item() == pytest.approx(grad[idx], abs=1e-6)


def test_margins_scale_with_n_to_the_minus_quarter():
    loss = LDAMLoss(cls_num_list=[10000, 625, 16, 1], max_m=0.4)
    np.testing.assert_allclose(
        loss.margins().numpy(), [0.04, 0.08, 0.2, 0.4], rtol=1e-6
    )


def test_half_precision_logits_give_a_finite_float32_loss():
    loss = LDAMLoss(class_counts=[100, 10, 1])
    x = torch.rand(8, 3).half() * 2 - 1
    value = loss(x, torch.randint(0, 3, (8,)))
    assert value.dtype == torch.float32 and torch.isfinite(value)


@pytest.mark.parametrize(
    'kwargs,match',
    [
        (dict(max_m=0), 'max_m'),
        (dict(max_m=-0.5), 'max_m'),
        (dict(s=0), 's must be'),
        (dict(class_counts=[10, 0, 3]), 'class 1 has 0'),
        (dict(class_counts=[10]), 'class_counts'),
        (dict(class_counts=[10, 5], class_weight=[1, 1, 1]), 'weights have 3'),
        (dict(class_counts=[10, 5], class_weight=[1, -1]), 'class_weight'),
        (dict(class_counts=[10, 5], cls_num_list=[10, 5]), 'not both'),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        LDAMLoss(**kwargs)


def test_wrong_number_of_classes_and_missing_counts():
    with pytest.raises(
        ValueError, match='has 3 classes but the logits have 4'
    ):
        LDAMLoss(class_counts=[5, 3, 1])(
            torch.zeros(2, 4), torch.zeros(2, dtype=torch.long)
        )
    with pytest.raises(RuntimeError, match='SetClassCountsHook'):
        LDAMLoss()(torch.zeros(2, 4), torch.zeros(2, dtype=torch.long))


def test_head_weights_start_unit_norm_and_logits_are_cosines():
    head = LDAMHead(
        num_classes=10,
        in_channels=64,
        loss=dict(type='LDAMLoss', class_counts=[5] * 10),
    )
    norms = head.weight.detach().norm(dim=1)
    torch.testing.assert_close(norms, torch.ones(10))
    # not all equal directions: drawn at random, as the reference does
    assert head.weight.detach().std(dim=0).min() > 0
    feats = (torch.randn(4, 64) * 50,)
    cos = head(feats)
    assert cos.shape == (4, 10) and cos.abs().max() <= 1 + 1e-6
    expected = (
        torch.nn.functional.normalize(feats[0])
        @ torch.nn.functional.normalize(head.weight).T
    )
    torch.testing.assert_close(cos, expected)
    # predictions are probabilities at the loss's scale s = 30
    pred = head.predict(feats)
    torch.testing.assert_close(
        pred[0].pred_score, torch.softmax(30 * cos[0], dim=0)
    )


def test_cifar_resnet32_matches_the_reference_size():
    model = MODELS.build(
        dict(
            type='ImageClassifier',
            backbone=dict(type='CifarResNet', depth=32),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=10, in_channels=64),
        )
    )
    params = sum(p.numel() for p in model.parameters())
    assert round(params / 1e6, 2) == 0.46
    feats = model.extract_feat(torch.randn(2, 3, 32, 32))
    assert feats[-1].shape == (2, 64)
    stages = MODELS.build(
        dict(type='CifarResNet', depth=20, out_indices=(0, 1, 2))
    )(torch.randn(1, 3, 32, 32))
    assert [tuple(s.shape[1:]) for s in stages] == [
        (16, 32, 32),
        (32, 16, 16),
        (64, 8, 8),
    ]


@pytest.mark.parametrize('depth', [7, 10, 2])
def test_cifar_resnet_depth_must_be_6n_plus_2(depth):
    with pytest.raises(ValueError, match='6n\\+2'):
        MODELS.build(dict(type='CifarResNet', depth=depth))


def test_class_balanced_weights():
    w = class_balanced_weights([1000, 10, 1], beta=0.99)
    eff = (1 - 0.99 ** np.array([1000, 10, 1])) / (1 - 0.99)
    expected = (1 / eff) / (1 / eff).sum() * 3
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-6)
    torch.testing.assert_close(
        class_balanced_weights([1000, 10, 1], beta=0), torch.ones(3)
    )
    with pytest.raises(ValueError, match='beta'):
        class_balanced_weights([3, 2], beta=1.0)


def test_head_owns_the_scale_and_gives_it_to_its_loss():
    head = LDAMHead(num_classes=3, in_channels=4, scale=10.0)
    assert head.loss_module.s == 10.0
    feats = (torch.randn(2, 4),)
    torch.testing.assert_close(
        head.predict(feats)[0].pred_score,
        torch.softmax(10.0 * head(feats)[0], dim=0),
    )
    with pytest.raises(ValueError, match='scale=30.0 but its loss has s=10'):
        LDAMHead(
            num_classes=3, in_channels=4, loss=dict(type='LDAMLoss', s=10)
        )
