"""RIDE and SADE: the losses against oracles written from the official code
(frank-xwang/RIDE-LongTailRecognition ``RIDELoss``, Vanint/SADE-AgnosticLT
``DiverseExpertLoss``), in value and gradient; the multi-expert ResNet's
sharing against the official architecture; the head's prediction and the
errors of a mismatched model."""

import pytest
import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import class_balanced_weights
from mmlt.models import MultiExpertCifarResNet
from mmlt.models.losses import (
    rank_reversed_prior,
    ride_loss,
    ride_temperatures,
    sade_logit_biases,
    sade_loss,
)

from runner_utils import build, mnist_cfg

COUNTS = [500, 300, 120, 60, 30, 9, 2]
C = len(COUNTS)
E = 3
N = 32


def cosines(seed=0, experts=E):
    g = torch.Generator().manual_seed(seed)
    z = torch.randn(experts, N, C, generator=g, dtype=torch.float64)
    y = torch.randint(0, C, (N,), generator=g)
    return torch.tanh(z), y


def value_and_grad(fn, cosine):
    leaf = cosine.clone().requires_grad_()
    value = fn(leaf)
    (grad,) = torch.autograd.grad(value, leaf)
    return value.detach(), grad


def assert_same(mine, oracle, cosine, rtol=1e-6):
    value, grad = value_and_grad(mine, cosine)
    expected, expected_grad = value_and_grad(oracle, cosine)
    assert value.item() == pytest.approx(expected.item(), rel=rtol)
    torch.testing.assert_close(
        grad, expected_grad, rtol=rtol, atol=rtol * expected_grad.abs().max()
    )


# --- oracles: the official expressions, float64, in the official layout
# (the model scales the cosines by s; the loss gets the list of experts'
# logits and their mean)


def official_ride(
    cosine,
    y,
    counts,
    factor,
    drw,
    s=30.0,
    max_m=0.5,
    base_t=1.0,
    reweight_factor=0.05,
    beta=0.9999,
):
    n = torch.tensor(counts, dtype=torch.float64)
    m = 1.0 / n.sqrt().sqrt()
    m = m * (max_m / m.max())
    weight = temperature = None
    if drw:
        effective = (1.0 - beta) / (1.0 - beta**n)
        weight = effective / effective.sum() * len(counts)
        prior = n / n.sum()
        t = len(counts) * prior * reweight_factor + 1 - reweight_factor
        temperature = t / t.max()
    logits = [s * c for c in cosine]
    output = torch.stack(logits).mean(0)
    onehot = F.one_hot(y, len(counts)).bool()
    loss = 0
    for z in logits:
        z_m = torch.where(onehot, z - s * m[y][:, None], z)
        loss = loss + F.cross_entropy(z_m, y, weight=weight)
        if temperature is not None:
            T = base_t * temperature.view(1, -1)
            t_mean = T.mean().item()
        else:
            T = t_mean = base_t
        log_p = F.log_softmax(z / T, dim=1)
        with torch.no_grad():
            q = F.softmax(output / T, dim=1)
        loss = loss + factor * t_mean * t_mean * F.kl_div(
            log_p, q, reduction='batchmean'
        )
    return loss


def official_sade(cosine, y, counts, tau, s=30.0):
    n = torch.tensor(counts, dtype=torch.float64)
    prior = n / n.sum()
    value, idx0 = torch.sort(prior)
    _, idx1 = torch.sort(idx0)
    inverse = value[len(counts) - 1 - idx1]
    z1, z2, z3 = (s * c for c in cosine)
    loss = F.cross_entropy(z1, y)
    loss = loss + F.cross_entropy(z2 + torch.log(prior + 1e-9), y)
    z3 = z3 + torch.log(prior + 1e-9) - tau * torch.log(inverse + 1e-9)
    return loss + F.cross_entropy(z3, y)


def ride_module(**settings):
    return MODELS.build(dict(type='RIDELoss', class_counts=COUNTS, **settings))


@pytest.mark.parametrize('factor', [-0.45, -0.2, 0.3])
@pytest.mark.parametrize('drw', [False, True])
def test_ride_loss_is_the_official_loss(factor, drw):
    """Before DRW (no weights, temperature 1) and after it (DRWHook's
    class-balanced weights and the per-class temperatures, switched
    together), through the registered module."""
    cosine, y = cosines(seed=int(10 * factor) + drw)
    loss = ride_module(diversity_factor=factor)
    if drw:
        loss.set_class_weight(
            class_balanced_weights(COUNTS, 0.9999), source='DRWHook'
        )
    assert_same(
        lambda c: loss(c, y),
        lambda c: official_ride(c, y, COUNTS, factor, drw),
        cosine,
    )


def test_ride_function_matches_the_official_loss_in_float64():
    cosine, y = cosines(seed=3)
    n = torch.tensor(COUNTS, dtype=torch.float64)
    margins = n**-0.25 * (0.5 / (n**-0.25).max())
    effective = (1 - 0.9999) / (1 - 0.9999**n)
    t = C * n / n.sum() * 0.05 + 0.95
    t = t / t.max()
    assert_same(
        lambda c: ride_loss(
            c,
            y,
            margins=margins,
            s=30.0,
            diversity_factor=-0.45,
            temperature=2.0 * t,
            class_weight=effective / effective.sum() * C,
        ),
        lambda c: official_ride(c, y, COUNTS, -0.45, True, base_t=2.0),
        cosine,
        rtol=1e-10,
    )


def test_ride_temperatures_sharpen_the_rare_classes():
    t = ride_temperatures(COUNTS, 0.05)
    assert t[0] == 1.0 and (t.diff() <= 0).all()
    prior = torch.tensor(COUNTS, dtype=torch.float64) / sum(COUNTS)
    expected = C * prior * 0.05 + 0.95
    torch.testing.assert_close(t.double(), expected / expected.max())
    assert (ride_temperatures(COUNTS, 0.0) == 1).all()


def test_ride_without_diversity_is_independent_ldam_experts():
    """The paper's ablation, where the official code would train each
    expert on the ensemble's logits (the deviation its docstring names)."""
    cosine, y = cosines(seed=5)
    ride = ride_module(diversity_factor=0.0)
    ldam = MODELS.build(dict(type='LDAMLoss', class_counts=COUNTS))
    assert_same(
        lambda c: ride(c, y), lambda c: sum(ldam(e, y) for e in c), cosine
    )


def test_ride_switches_temperature_with_the_drw_weights():
    loss = ride_module()
    assert loss.diversity_temperature() == 1.0
    loss.set_class_weight(class_balanced_weights(COUNTS, 0.9999), 'DRWHook')
    torch.testing.assert_close(
        loss.diversity_temperature(), ride_temperatures(COUNTS, 0.05)
    )
    loss.set_class_weight(None)
    assert loss.diversity_temperature() == 1.0


@pytest.mark.parametrize('tau', [0.0, 1.0, 2.0])
def test_sade_loss_is_the_official_loss(tau):
    cosine, y = cosines(seed=int(tau) + 7)
    loss = MODELS.build(dict(type='SADELoss', tau=tau, class_counts=COUNTS))
    assert_same(
        lambda c: loss(c, y),
        lambda c: official_sade(c, y, COUNTS, tau),
        cosine,
    )


def test_sade_function_matches_the_official_loss_in_float64():
    cosine, y = cosines(seed=8)
    n = torch.tensor(COUNTS, dtype=torch.float64)
    prior = n / n.sum()
    biases = torch.stack(
        [
            torch.zeros(C, dtype=torch.float64),
            prior.log(),
            prior.log() - 2.0 * prior.flip(0).log(),
        ]
    )
    assert_same(
        lambda c: sade_loss(c, y, s=30.0, biases=biases),
        lambda c: official_sade(c, y, COUNTS, 2.0),
        cosine,
        rtol=2e-6,  # the official 1e-9 in each log moves the biases by 1e-6
    )
    torch.testing.assert_close(sade_logit_biases(COUNTS, 2.0), biases.float())


def test_rank_reversed_prior_permutes_the_prior():
    prior = torch.tensor(COUNTS, dtype=torch.float64) / sum(COUNTS)
    torch.testing.assert_close(
        rank_reversed_prior(COUNTS), prior.flip(0).float()
    )
    shuffled = [30, 500, 2, 120]
    total = sum(shuffled)
    assert rank_reversed_prior(shuffled).mul(total).round().tolist() == [
        120,
        2,
        500,
        30,
    ]
    # ties: the lower index ranks as the larger class
    tied = [50, 30, 10, 10, 5]
    assert rank_reversed_prior(tied).mul(105).round().tolist() == [
        5,
        10,
        10,
        30,
        50,
    ]


@pytest.mark.parametrize('loss_type', ['RIDELoss', 'SADELoss'])
def test_losses_keep_float32_maths_under_bf16_autocast(loss_type):
    """bf16 cosines under ``torch.autocast('cpu', bfloat16)`` against the
    official loss in float64 on the same values: the loss is float32 and
    within its rounding; the gradient within bf16's."""
    cosine, y = cosines(seed=11)
    cosine = cosine.to(torch.bfloat16)
    loss = MODELS.build(dict(type=loss_type, class_counts=COUNTS))
    if loss_type == 'RIDELoss':
        loss.set_class_weight(class_balanced_weights(COUNTS, 0.9999), 'DRW')

        def oracle(c):
            return official_ride(c, y, COUNTS, -0.2, True)
    else:

        def oracle(c):
            return official_sade(c, y, COUNTS, 2.0)

    x = cosine.clone().requires_grad_()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = loss(x, y)
    value.backward()
    expected, expected_grad = value_and_grad(oracle, cosine.double())
    assert value.dtype == torch.float32
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)
    scale = expected_grad.abs().max().item()
    torch.testing.assert_close(
        x.grad.double(), expected_grad, rtol=2**-8, atol=2**-8 * scale
    )


def test_losses_refuse_what_they_are_not_defined_for():
    cosine, y = cosines(experts=2)
    with pytest.raises(ValueError, match='SADELoss is defined for 3 experts'):
        MODELS.build(dict(type='SADELoss', class_counts=COUNTS))(cosine, y)
    ride = ride_module()
    with pytest.raises(ValueError, match=r'stacked, shape \(E, N, C\)'):
        ride(cosine[0], y)
    with pytest.raises(ValueError, match='mixed labels'):
        ride(cosine, F.one_hot(y, C).double())
    with pytest.raises(ValueError, match=r'labels must be in \[0, 7\)'):
        ride(cosine, y + C)
    for bad in (
        dict(base_diversity_temperature=0),
        dict(reweight_factor=1.5),
        dict(diversity_factor=float('nan')),
        dict(max_m=0),
    ):
        name = next(iter(bad))
        with pytest.raises(ValueError, match=name):
            ride_module(**bad)
    with pytest.raises(ValueError, match='tau must be >= 0'):
        MODELS.build(dict(type='SADELoss', tau=-1))


# --- the multi-expert ResNet against the official architecture


def official_resnet32_parameters(experts, widths, num_classes):
    """Parameters of the official ``ride_resnet_cifar.ResNet_s`` (BN
    weight and bias; no running statistics), from its layer shapes."""

    def block(cin, cout):
        return 9 * cin * cout + 9 * cout * cout + 4 * cout

    def stage(cin, cout):
        return block(cin, cout) + 4 * block(cout, cout)

    w2, w3 = widths
    shared = 27 * 16 + 2 * 16 + stage(16, 16)
    expert = stage(16, w2) + stage(w2, w3) + w3 * num_classes
    return shared, expert, shared + experts * expert


def resnet32_head(experts, reduced, num_classes=100):
    backbone = MultiExpertCifarResNet(
        depth=32, num_experts=experts, reduced_widths=reduced
    )
    head = MODELS.build(
        dict(
            type='MultiExpertClsHead',
            num_classes=num_classes,
            in_channels=backbone.out_channels,
            num_experts=experts,
            loss=dict(type='RIDELoss'),
        )
    )
    return backbone, head


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('experts', [2, 3, 4])
@pytest.mark.parametrize('reduced', [False, True])
def test_parameter_counts_are_the_official_architectures(experts, reduced):
    backbone, head = resnet32_head(experts, reduced)
    widths = (24, 48) if reduced else (32, 64)
    shared, expert, total = official_resnet32_parameters(experts, widths, 100)
    assert count(backbone) + count(head) == total
    shared_mine = count(backbone) - sum(count(e) for e in backbone.experts)
    assert shared_mine == shared
    assert count(backbone.experts[0]) + head.weight[0].numel() == expert
    if experts == 3 and reduced:
        # the 3-expert reduced-width ResNet-32 of RIDE's and SADE's configs
        assert total == 783_856


def test_experts_share_the_stem_and_first_stage_only():
    """Each expert's output depends on the shared parameters and on its
    own stages, on no other expert's."""
    backbone, head = resnet32_head(3, True, num_classes=10)
    x = torch.randn(2, 3, 32, 32)
    shared = [p for n, p in backbone.named_parameters() if 'experts' not in n]
    assert {n.split('.')[0] for n, _ in backbone.named_parameters()} == {
        'conv1',
        'bn1',
        'shared',
        'experts',
    }
    outputs = backbone(x)
    for e, out in enumerate(outputs):
        own = list(backbone.experts[e].parameters())
        others = [
            p
            for f in range(3)
            if f != e
            for p in backbone.experts[f].parameters()
        ]
        grads = torch.autograd.grad(
            out.sum(),
            shared + own + others,
            allow_unused=True,
            retain_graph=True,
        )
        k = len(shared) + len(own)
        assert all(g is not None and g.abs().sum() > 0 for g in grads[:k])
        assert all(g is None for g in grads[k:])
    assert [tuple(o.shape) for o in outputs] == [(2, 48, 8, 8)] * 3


def test_backbone_settings_are_checked():
    for bad, name in [
        (dict(num_experts=0), 'num_experts'),
        (dict(num_experts=2.5), 'num_experts'),
        (dict(shared_stages=3), 'shared_stages'),
        (dict(depth=30), 'depth'),
    ]:
        with pytest.raises(ValueError, match=name):
            MultiExpertCifarResNet(**bad)
    two = MultiExpertCifarResNet(depth=8, shared_stages=2, reduced_widths=True)
    assert two.out_channels == 48
    assert len(two.shared) == 2 and len(two.experts[0]) == 1


# --- the head


def head(experts=E, loss='RIDELoss', **kwargs):
    return MODELS.build(
        dict(
            type='MultiExpertClsHead',
            num_classes=C,
            in_channels=8,
            num_experts=experts,
            loss=dict(type=loss, class_counts=COUNTS),
            **kwargs,
        )
    )


def features(experts=E, seed=0):
    g = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(5, 8, generator=g) for _ in range(experts))


def test_prediction_is_the_mean_of_the_experts_logits():
    model = head()
    feats = features()
    cosine = model(feats)
    expert_logits = [
        30 * F.normalize(f, dim=1) @ F.normalize(w, dim=1).T
        for f, w in zip(feats, model.weight)
    ]
    torch.testing.assert_close(cosine * 30, torch.stack(expert_logits))
    samples = model.predict(feats)
    mean = torch.stack(expert_logits).mean(0)
    torch.testing.assert_close(
        torch.stack([s.pred_score for s in samples]), mean.softmax(1)
    )
    torch.testing.assert_close(
        torch.stack([s.expert_logits for s in samples], dim=1),
        torch.stack(expert_logits),
    )
    # weights the ensemble by expert_weights, a saved buffer
    assert 'expert_weights' in model.state_dict()
    model.expert_weights.copy_(torch.tensor([0.0, 1.0, 0.0]))
    torch.testing.assert_close(
        torch.stack([s.pred_score for s in model.predict(feats)]),
        expert_logits[1].softmax(1),
    )


def test_head_loss_is_its_loss_of_the_cosines():
    model = head(loss='SADELoss')
    feats = features()
    y = torch.tensor([0, 1, 2, 6, 3])
    samples = [DataSample().set_gt_label(int(i)) for i in y]
    got = model.loss(feats, samples)['loss']
    torch.testing.assert_close(got, model.loss_module(model(feats), y))
    assert model.loss_module.s == 30.0


def test_head_errors_name_the_mismatch():
    with pytest.raises(ValueError, match='SADELoss is defined for 3'):
        head(experts=2, loss='SADELoss')
    with pytest.raises(ValueError, match="loss over the experts' logits"):
        head(loss='LDAMLoss')
    with pytest.raises(ValueError, match='scale=30.0 but its loss has s=20'):
        MODELS.build(
            dict(
                type='MultiExpertClsHead',
                num_classes=C,
                in_channels=8,
                num_experts=E,
                loss=dict(type='RIDELoss', s=20),
            )
        )
    with pytest.raises(ValueError, match='num_experts must be an int >= 1'):
        head(experts=0)
    with pytest.raises(ValueError, match='gives 2 expert features but'):
        head()(features(experts=2))
    with pytest.raises(ValueError, match='cal_acc'):
        head(cal_acc=True)


# --- in a Runner


class TemperatureProbe(Hook):
    """Records RIDELoss's diversity temperature at every epoch's start,
    after DRWHook (priority NORMAL) has switched it."""

    priority = 'LOW'

    def __init__(self):
        self.seen = []

    def before_train_epoch(self, runner):
        loss = runner.model.head.loss_module
        self.seen.append(loss.diversity_temperature())


def test_ride_trains_and_mim_test_scores_the_mean_of_the_experts(tmp_path):
    cfg = mnist_cfg(
        tmp_path,
        config='ride/ride_resnet8_100e_mnist-lt.py',
        max_epochs=2,
        custom_hooks=[dict(type='DRWHook', drw_epoch=1)],
    )
    runner = build(cfg)
    probe = TemperatureProbe()
    runner.register_hook(probe)
    runner.train()
    loss = runner.model.head.loss_module
    assert probe.seen[0] == 1.0
    torch.testing.assert_close(
        probe.seen[1], ride_temperatures(loss.class_counts, 0.05)
    )
    metrics = runner.test()
    model = runner.model.eval()
    correct = total = 0
    with torch.no_grad():
        for batch in runner.test_dataloader:
            data = model.data_preprocessor(batch, False)
            cosine = model.head(model.extract_feat(data['inputs']))
            mean = (30 * cosine).mean(0)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            correct += (mean.argmax(1) == labels).sum().item()
            total += len(labels)
    assert metrics['lt/top1'] == pytest.approx(100 * correct / total)
