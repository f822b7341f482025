"""RIDE's expert router: the loss and the test-time rule against oracles
written from the official ``ea_resnet_cifar.py``
(frank-xwang/RIDE-LongTailRecognition), models whose answer is known
(experts that are copies of one another), the usage metric, the errors,
and the second stage trained on a stage-1 checkpoint."""

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.registry import METRICS, MODELS
from mmpretrain.structures import DataSample

from mmlt.engine.hooks import routed_costs
from mmlt.evaluation import routed_macs
from mmlt.models.heads import (
    routed_expert_counts,
    routed_prediction,
    router_logits,
)
from mmlt.models.losses import router_targets

from runner_utils import build, mnist_cfg

E, N, C, D = 3, 64, 10, 12


def router_head(**settings):
    cfg = dict(
        type='ExpertRouterClsHead',
        num_classes=C,
        in_channels=D,
        num_experts=E,
        top_k=5,
    )
    cfg.update(settings)
    return MODELS.build(cfg)


def inputs(seed=0, experts=E):
    g = torch.Generator().manual_seed(seed)
    feats = torch.randn(experts, N, D, generator=g)
    logits = 10 * torch.randn(experts, N, C, generator=g)
    target = torch.randint(0, C, (N,), generator=g)
    return feats, logits, target


# --- oracles: the official training and test forward passes, given the
# experts' features and scaled logits (the official _separate_part's)


def official_help(head, feature, logits, i):
    feature = feature / feature.norm(dim=1, keepdim=True)
    feature = F.relu(head.router_hidden[i](feature))
    topk, _ = torch.topk(logits, k=head.top_k, dim=1)
    return head.router_fc(torch.cat((topk, feature), dim=1))


def official_train_loss(head, feats, logits, target, pos_weight=100.0):
    experts = len(logits)
    output = torch.zeros_like(logits[0])
    preds = output.new_zeros((len(target), experts - 1))
    correctness = torch.zeros(len(target), experts, dtype=torch.bool)
    loss = output.new_zeros((1,))
    for i in range(experts):
        output = output + logits[i]
        correctness[:, i] = output.argmax(dim=1) == target
        if i != experts - 1:
            preds[:, i] = official_help(
                head, feats[i], output / (i + 1), i
            ).view(-1)
    for i in range(experts - 1):
        help_target = (~correctness[:, i]) & correctness[:, i + 1 :].any(1)
        loss = loss + F.binary_cross_entropy_with_logits(
            preds[:, i],
            help_target.to(preds.dtype),
            pos_weight=preds.new_tensor([pos_weight]),
        )
    return loss[0] / (experts - 1)


def official_test(head, feats, logits):
    experts, n = logits.shape[:2]
    expert_next = torch.ones(n, dtype=torch.bool)
    used = torch.ones((n, 1), dtype=torch.long)
    output = logits[0].clone()
    feat = feats[0]
    for i in range(1, experts):
        pred = official_help(head, feat, output[expert_next] / i, i - 1)
        expert_next[expert_next.clone()] = torch.sigmoid(pred.view(-1)) > 0.5
        if not expert_next.any():
            break
        output[expert_next] += logits[i][expert_next]
        used[expert_next] += 1
        feat = feats[i][expert_next]
    return output / used, used.view(-1)


def test_router_targets_follow_the_official_rule():
    # expert 0 wrong, 1 right alone but the pair wrong, all three right:
    # router 0 is told "next" (a larger ensemble is right), router 1 too
    logits = torch.tensor(
        [
            [[5.0, 0.0, 0.0]],
            [[0.0, 4.0, 0.0]],
            [[0.0, 4.0, 0.0]],
        ]
    )
    assert router_targets(logits, torch.tensor([1])).tolist() == [
        [True],
        [True],
    ]
    # right from the start: never "next"; never right: never "next"
    assert not router_targets(logits, torch.tensor([0])).any()
    assert not router_targets(logits, torch.tensor([2])).any()


@pytest.mark.parametrize('experts', [2, 3, 4])
def test_the_loss_equals_the_official_in_value_and_gradient(experts):
    torch.manual_seed(0)
    head = router_head(num_experts=experts).double()
    feats, logits, target = inputs(experts=experts)
    feats, logits = feats.double(), logits.double()
    routers = router_logits(
        feats, logits, head.router_hidden, head.router_fc, head.top_k
    )
    mine = head.loss_module(routers, logits, target)
    oracle = official_train_loss(head, feats, logits, target)
    assert mine.item() == pytest.approx(oracle.item(), rel=1e-12)
    params = [*head.router_hidden.parameters(), *head.router_fc.parameters()]
    grads = torch.autograd.grad(mine, params)
    expected = torch.autograd.grad(oracle, params)
    for got, want in zip(grads, expected):
        torch.testing.assert_close(got, want)
    # the targets are what makes it, not the constant positives' weight
    assert 0 < router_targets(logits, target).float().mean() < 1


def test_the_head_loss_is_the_official_on_its_own_features():
    torch.manual_seed(1)
    head = router_head()
    feats, _, target = inputs(seed=1)
    samples = [DataSample().set_gt_label(int(t)) for t in target]
    loss = head.loss(list(feats), samples)['loss']
    logits = head.scale * head(list(feats))
    oracle = official_train_loss(head, feats, logits, target)
    assert loss.item() == pytest.approx(oracle.item(), rel=1e-5)


@pytest.mark.parametrize('bias', [-1e3, 0.0, 5.0, 1e3])
def test_routing_equals_the_official_test_loop(bias):
    torch.manual_seed(2)
    head = router_head()
    with torch.no_grad():
        head.router_fc.bias.fill_(bias)
    feats, _, _ = inputs(seed=2)
    samples = head.predict(list(feats))
    logits = head.scale * head(list(feats))
    expected, used = official_test(head, feats, logits)
    counts = torch.stack([s.num_experts_used for s in samples])
    assert counts.tolist() == used.tolist()
    scores = torch.stack([s.pred_score for s in samples])
    torch.testing.assert_close(scores, expected.softmax(1))
    # the biases span the cases: all stop, a mixture, all go on
    if bias == -1e3:
        assert counts.eq(1).all()
    elif bias == 1e3:
        assert counts.eq(E).all()
    else:
        assert len(counts.unique()) > 1


def test_counts_and_prediction_on_hand_made_router_logits():
    # routers say next/next, next/stop, stop/next (stopped at the first)
    routers = torch.tensor([[2.0, 2.0, -2.0], [2.0, -2.0, 2.0]])
    counts = routed_expert_counts(routers, 0.5)
    assert counts.tolist() == [3, 2, 1]
    logits = torch.arange(3 * 3 * 2, dtype=torch.float).view(3, 3, 2)
    mixed = routed_prediction(logits, counts)
    torch.testing.assert_close(mixed[0], logits[:, 0].mean(0))
    torch.testing.assert_close(mixed[1], logits[:2, 1].mean(0))
    torch.testing.assert_close(mixed[2], logits[0, 2])


def test_copies_of_one_expert_learn_to_use_one():
    # experts that are copies of one another: a larger ensemble is never
    # right where the first is wrong, so every target is "stop" and the
    # trained routers send every sample to one expert
    torch.manual_seed(3)
    head = router_head()
    with torch.no_grad():
        head.weight.copy_(head.weight[:1].expand_as(head.weight))
        head.router_fc.bias.fill_(40.0)  # starts by calling every expert
    feat = torch.randn(N, D)
    feats = [feat] * E
    target = torch.randint(0, C, (N,))
    samples = [DataSample().set_gt_label(int(t)) for t in target]
    assert (
        torch.stack([s.num_experts_used for s in head.predict(feats)])
        .eq(E)
        .all()
    )
    routers = [*head.router_hidden.parameters(), *head.router_fc.parameters()]
    optimizer = torch.optim.SGD(routers, lr=1.0)
    for _ in range(200):
        optimizer.zero_grad()
        head.loss(feats, samples)['loss'].backward()
        optimizer.step()
    predicted = head.predict(feats)
    assert all(int(s.num_experts_used) == 1 for s in predicted)
    # and the prediction is that one expert's
    single = (head.scale * head(feats)[0]).softmax(1)
    torch.testing.assert_close(
        torch.stack([s.pred_score for s in predicted]), single
    )
    metric = METRICS.build(dict(type='ExpertUsageMetric'))
    metric.process(None, [s.to_dict() for s in predicted])
    assert metric.compute_metrics(metric.results) == {
        'experts_per_sample': 1.0,
        'share_1': 100.0,
        'share_2': 0.0,
        'share_3': 0.0,
    }


def test_the_usage_metric_counts_and_refuses_a_plain_head():
    metric = METRICS.build(dict(type='ExpertUsageMetric'))
    samples = [
        dict(num_experts_used=torch.tensor(k), expert_logits=torch.zeros(4, 2))
        for k in (1, 1, 2, 4)
    ]
    metric.process(None, samples)
    assert metric.compute_metrics(metric.results) == {
        'experts_per_sample': 2.0,
        'share_1': 50.0,
        'share_2': 25.0,
        'share_3': 0.0,
        'share_4': 25.0,
    }
    with pytest.raises(ValueError, match='ExpertRouterClsHead'):
        metric.process(None, [dict(expert_logits=torch.zeros(3, 2))])


@pytest.mark.parametrize(
    'settings, message',
    [
        (dict(num_experts=1), 'num_experts must be an int >= 2'),
        (dict(top_k=11), r'top_k must be an int in \[1, num_classes=10\]'),
        (dict(top_k=0), 'top_k must be'),
        (dict(hidden_channels=0), 'hidden_channels must be'),
        (dict(threshold=1.0), r'threshold must be in \(0, 1\)'),
        (
            dict(loss=dict(type='RIDELoss')),
            "ExpertRouterClsHead needs a loss over the routers' logits",
        ),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        router_head(**settings)


def test_mixed_labels_are_refused():
    head = router_head()
    feats, _, _ = inputs()
    sample = DataSample().set_gt_score(torch.full((C,), 1.0 / C))
    with pytest.raises(ValueError, match='ExpertRouterLoss takes class'):
        head.loss(list(feats), [sample] * N)


def test_a_router_loss_on_a_plain_multi_expert_head_is_refused():
    with pytest.raises(ValueError, match="experts' logits"):
        MODELS.build(
            dict(
                type='MultiExpertClsHead',
                num_classes=C,
                in_channels=D,
                num_experts=E,
                loss=dict(type='ExpertRouterLoss'),
            )
        )
    with pytest.raises(ValueError, match='pos_weight must be > 0'):
        MODELS.build(dict(type='ExpertRouterLoss', pos_weight=0))


def test_stage_two_trains_the_routers_only_on_a_stage1_checkpoint(tmp_path):
    stage1 = build(
        mnist_cfg(
            tmp_path / 's1',
            config='ride/ride_resnet8_100e_mnist-lt.py',
            max_epochs=1,
        )
    )
    stage1.train()
    checkpoint = str(tmp_path / 's1' / 'epoch_1.pth')
    before = {k: v.clone() for k, v in stage1.model.state_dict().items()}
    cfg = mnist_cfg(
        tmp_path / 's2',
        config='ride/ride-router_resnet8_5e_mnist-lt.py',
        max_epochs=1,
        validate=True,
        load_from=checkpoint,
    )
    runner = build(cfg)
    runner.train()
    after = runner.model.state_dict()
    for key, value in before.items():
        # the experts, classifiers and batch-norm statistics are stage 1's
        assert torch.equal(after[key], value), key
    routers = [k for k in after if k not in before]
    assert routers and all(k.startswith('head.router') for k in routers)
    metrics = runner.test()
    assert 1.0 <= metrics['routing/experts_per_sample'] <= 3.0
    shares = np.array([metrics[f'routing/share_{k}'] for k in (1, 2, 3)])
    assert shares.sum() == pytest.approx(100.0)
    # the multiply-accumulates follow from the shares and ExpertCostHook's
    # costs on the 28x28 images
    costs = routed_costs(runner.model, (1, 28, 28))
    used = np.array([1, 2, 3])
    expected = (shares / 100 * routed_macs(used, 3, costs)).sum() / 1e6
    assert metrics['routing/mmacs_per_sample'] == pytest.approx(expected)
    every = (costs['shared'] + 3 * costs['expert']) / 1e6
    assert metrics['routing/mmacs_all_experts'] == pytest.approx(every)
    # the top-1 mim test reports is the official routed prediction's
    model = runner.model.eval()
    correct = total = 0
    with torch.no_grad():
        for batch in runner.test_dataloader:
            data = model.data_preprocessor(batch, False)
            feats = model.extract_feat(data['inputs'])
            logits = model.head.scale * model.head(feats)
            mixed, _ = official_test(model.head, torch.stack(feats), logits)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            correct += (mixed.argmax(1) == labels).sum().item()
            total += len(labels)
    assert metrics['lt/top1'] == pytest.approx(100 * correct / total)


def test_routed_costs_count_the_shared_part_an_expert_and_a_router():
    cfg = dict(
        type='ImageClassifier',
        backbone=dict(
            type='MultiExpertCifarResNet',
            depth=8,
            in_channels=1,
            reduced_widths=True,
        ),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='ExpertRouterClsHead',
            num_classes=10,
            in_channels=48,
            num_experts=3,
            top_k=5,
        ),
    )
    model = MODELS.build(cfg)
    model.eval()
    # by hand: a convolution's multiply-accumulates per output element,
    # and fvcore's two operations per batch-norm output element
    counted = {'conv': 0, 'bn': 0}

    def count(module, _, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            counted['conv'] += output.numel() * module.in_channels * k
        elif isinstance(module, nn.BatchNorm2d):
            counted['bn'] += 2 * output.numel()

    def by_hand(modules, run):
        counted.update(conv=0, bn=0)
        handles = [m.register_forward_hook(count) for m in modules]
        with torch.no_grad():
            out = run()
        for handle in handles:
            handle.remove()
        return counted['conv'] + counted['bn'], out

    backbone = model.backbone
    stem = [backbone.conv1, backbone.bn1, *backbone.shared.modules()]
    shared, features = by_hand(
        stem,
        lambda: backbone.shared(
            F.relu(backbone.bn1(backbone.conv1(torch.zeros(1, 1, 28, 28))))
        ),
    )
    expert, _ = by_hand(
        backbone.experts[0].modules(), lambda: backbone.experts[0](features)
    )
    costs = routed_costs(model, (1, 28, 28))
    assert costs['shared'] == shared
    assert costs['expert'] == expert + 48 * 10
    assert costs['router'] == 48 * 16 + 16 + 5
    # one sample through 1, 2 and 3 experts: routers called 1, 2, 2 times
    macs = routed_macs(np.array([1, 2, 3]), 3, costs)
    assert macs.tolist() == [
        costs['shared'] + costs['expert'] + costs['router'],
        costs['shared'] + 2 * costs['expert'] + 2 * costs['router'],
        costs['shared'] + 3 * costs['expert'] + 2 * costs['router'],
    ]
    cfg['head'] = dict(
        type='MultiExpertClsHead',
        num_classes=10,
        in_channels=48,
        num_experts=3,
    )
    with pytest.raises(ValueError, match='an ExpertRouterClsHead; got'):
        routed_costs(MODELS.build(cfg), (1, 28, 28))


def test_the_router_stage_resumes_exactly(tmp_path):
    stage1 = build(
        mnist_cfg(
            tmp_path / 's1',
            config='ride/ride_resnet8_100e_mnist-lt.py',
            max_epochs=1,
        )
    )
    stage1.train()

    def router(work_dir, **options):
        cfg = mnist_cfg(
            work_dir,
            config='ride/ride-router_resnet8_5e_mnist-lt.py',
            max_epochs=4,
            validate=True,
            randomness=dict(seed=7, deterministic=True),
            **options,
        )
        runner = build(cfg)
        runner.train()
        state = {k: v.clone() for k, v in runner.model.state_dict().items()}
        return state, runner.test()

    full = tmp_path / 'full'
    weights, metrics = router(full, load_from=str(tmp_path / 's1/epoch_1.pth'))
    resumed, resumed_metrics = router(
        tmp_path / 'resumed',
        resume=True,
        load_from=str(full / 'epoch_2.pth'),
    )
    assert resumed_metrics == metrics
    for key, value in weights.items():
        assert torch.equal(resumed[key], value), key
