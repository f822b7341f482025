"""LFME (Xiang et al., ECCV 2020, xiangly55/LFME): the student loss equals
the official code's in value and gradient, the self-paced schedules follow
its formulas (the unclamped instance schedule included), the experts' data
are one shot group relabelled, the held-out 'val' split is disjoint from
training, and a student trains from frozen experts that must fit its
classes, resumes exactly and is saved without them."""

import hashlib

import numpy as np
import pytest
import torch
from mmpretrain.registry import DATASETS, MODELS

from mmlt.class_counts import recorded_counts
from mmlt.datasets import held_out_indices, long_tail_counts, shot_classes
from mmlt.models.lfme_weights import (
    expert_weight,
    group_thresholds,
    initial_instance_weights,
    scheduled_instance_weights,
)
from mmlt.models.losses import LFMELoss, lfme_loss, lfme_loss_plain

from conftest import REPO
from runner_utils import (
    LFME_EXPERT,
    LFME_SHOTS,
    assert_resumes_exactly,
    build,
    lfme_student_cfg,
    mnist_cfg,
    train_lfme_experts,
)

MNIST_COUNTS = long_tail_counts(400, 10, 'exp', 0.01)


def loss_inputs(n=12, seed=0):
    g = torch.Generator().manual_seed(seed)
    logits = (3 * torch.randn(n, 10, generator=g)).requires_grad_()
    classes = [
        torch.tensor([0, 1, 2]),
        torch.tensor([3, 4, 5]),
        torch.arange(6, 10),
    ]
    experts = [3 * torch.randn(n, len(c), generator=g) for c in classes]
    target = torch.randint(10, (n,), generator=g)
    instance = 0.3 + 1.4 * torch.rand(n, generator=g)
    return logits, target, experts, classes, instance


@pytest.mark.parametrize('temperature', [1.0, 2.0, 5.0])
def test_the_loss_is_the_official_one_in_value_and_gradient(temperature):
    logits, target, experts, classes, instance = loss_inputs()
    weights = [1.0, 0.4, 0.0]
    ours = lfme_loss(
        logits, target, experts, classes, weights, instance, temperature
    )
    (grad,) = torch.autograd.grad(ours, logits)
    oracle = lfme_loss_plain(
        logits, target, experts, classes, weights, instance, temperature
    )
    (want,) = torch.autograd.grad(oracle, logits)
    assert ours.item() == pytest.approx(oracle.item(), rel=1e-5)
    assert torch.allclose(grad, want, rtol=1e-4, atol=1e-6)


def test_the_terms_by_hand():
    """No expert weight: plain cross-entropy of the scaled logits; one
    expert that predicts as the student does on its classes adds 0."""
    logits, target, experts, classes, instance = loss_inputs()
    scaled = logits * instance[:, None]
    ce = torch.nn.functional.cross_entropy(scaled, target)
    no_teaching = lfme_loss(
        logits, target, experts, classes, [0, 0, 0], instance
    )
    assert no_teaching.item() == pytest.approx(ce.item(), rel=1e-6)
    agreeing = [scaled[:, c].detach() for c in classes]
    agreed = lfme_loss(logits, target, agreeing, classes, [1, 1, 1], instance)
    assert agreed.item() == pytest.approx(ce.item(), abs=1e-5)
    # the instance weights scale the logits, not the loss: a weight of 0
    # leaves a uniform prediction, log(10) whatever the label
    zero = lfme_loss(
        logits, target, experts, classes, [0, 0, 0], torch.zeros(12)
    )
    assert zero.item() == pytest.approx(np.log(10), rel=1e-6)


def test_under_bf16_autocast_the_loss_is_float32():
    logits, target, experts, classes, instance = loss_inputs()
    loss = LFMELoss()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = loss(
            logits.bfloat16(),
            target,
            expert_logits=[e.bfloat16() for e in experts],
            expert_classes=classes,
            expert_weights=[1, 1, 1],
            instance_weights=instance,
        )
    assert value.dtype == torch.float32
    plain = lfme_loss_plain(
        logits.bfloat16().float(),
        target,
        [e.bfloat16().float() for e in experts],
        classes,
        [1, 1, 1],
        instance,
    )
    assert value.item() == pytest.approx(plain.item(), rel=1e-5)


def test_the_module_refuses_what_lfme_does_not_define():
    logits, target, experts, classes, instance = loss_inputs()
    with pytest.raises(ValueError, match='temperature must be > 0'):
        LFMELoss(temperature=0)
    with pytest.raises(ValueError, match='LFMEClassifier'):
        LFMELoss()(logits, target)
    with pytest.raises(ValueError, match='mixed labels'):
        LFMELoss()(
            logits,
            torch.rand(12, 10),
            expert_logits=experts,
            expert_classes=classes,
        )
    with pytest.raises(ValueError, match=r'\(12, 3\)'):
        LFMELoss()(
            logits,
            target,
            expert_logits=[experts[0][:, :2]],
            expert_classes=classes[:1],
        )


def test_the_expert_weight_is_the_official_schedule():
    # below 0.3 of the expert's accuracy: fully taught
    assert expert_weight(20.0, 80.0) == 1.0
    # then the gap over the expert's accuracy, over 1 - 0.3
    assert expert_weight(50.0, 80.0) == pytest.approx(30 / 80 / 0.7)
    assert expert_weight(24.0, 80.0) == pytest.approx(56 / 80 / 0.7)
    # a student at or past the expert: no teaching
    assert expert_weight(80.0, 80.0) == 0.0
    assert expert_weight(95.0, 80.0) == 0.0
    assert expert_weight(50.0, 80.0, decay_thresh=0.7) == 1.0


def test_the_groups_thresholds_are_the_rarest_groups_mean_over_their_own():
    counts = [500, 200, 50, 10, 5]
    groups = ['many', 'many', 'medium', 'few', 'few']
    t = group_thresholds(counts, groups)
    assert t == pytest.approx([7.5 / 350, 7.5 / 350, 7.5 / 50, 1, 1])
    # no few-shot class (CIFAR-10-LT): the medium group is the rarest
    t = group_thresholds([500, 200, 50], ['many', 'many', 'medium'])
    assert t == pytest.approx([50 / 350, 50 / 350, 1])


def test_the_initial_weights_scale_confidence_to_the_class_range():
    labels = np.array([0, 0, 0, 1, 2, 2, 2])
    confidence = np.array([0.2, 0.5, 0.8, 0.3, 0.1, 0.9, 0.5])
    weights = initial_instance_weights(
        confidence, labels, np.array([0.4, 0.4, 1.0])
    )
    # class 0 to [0.4, 1]; class 1's single image 1 (the official 0 / 0);
    # class 2, the rarest group, all 1
    assert weights == pytest.approx([0.4, 0.7, 1.0, 1.0, 1.0, 1.0, 1.0])


def test_the_instance_schedule_is_linear_and_unclamped():
    initial = torch.tensor([0.2, 0.6, 1.0])
    # E = 10 / 2: 1 at mid-training, 2 - w at the end, as the official code
    assert scheduled_instance_weights(initial, 5, 10).tolist() == (
        pytest.approx([1.0, 1.0, 1.0])
    )
    assert scheduled_instance_weights(initial, 10, 10).tolist() == (
        pytest.approx([1.8, 1.4, 1.0])
    )
    assert scheduled_instance_weights(initial, 1, 10).tolist() == (
        pytest.approx([0.36, 0.68, 1.0])
    )


def test_a_shot_subset_is_its_groups_classes_relabelled():
    full = DATASETS.build(dict(type='MNISTLT', split='train', pipeline=[]))
    counts = full.class_counts
    for shot, first in zip(LFME_SHOTS, (0, 3, 6)):
        subset = DATASETS.build(
            dict(
                type='ShotSubset',
                dataset=dict(type='MNISTLT', split='train'),
                shot=shot,
                pipeline=[],
            )
        )
        classes = shot_classes(counts, shot)
        assert subset.metainfo['subset_classes'] == classes
        assert classes[0] == first
        assert recorded_counts(subset.metainfo) == [counts[c] for c in classes]
        assert subset.metainfo['classes'] == tuple(
            full.metainfo['classes'][c] for c in classes
        )
        assert len(subset) == sum(counts[c] for c in classes)
        labels = subset.get_gt_labels()
        assert np.bincount(labels).tolist() == [counts[c] for c in classes]
        i = len(subset) // 2
        info = subset.get_data_info(i)
        source = full.get_data_info(int(subset.indices[i]))
        assert np.array_equal(info['img'], source['img'])
        assert classes[info['gt_label']] == source['gt_label']


def test_a_test_shot_subset_takes_its_groups_from_the_training_counts():
    subset = DATASETS.build(
        dict(
            type='ShotSubset',
            dataset=dict(type='MNISTLT', split='test', pipeline=[]),
            shot='few',
        )
    )
    # the test split is balanced (100 a class); its few-shot classes are
    # the training split's, 6-9
    assert subset.metainfo['subset_classes'] == [6, 7, 8, 9]
    assert len(subset) == 400


def test_no_class_in_a_group_is_refused():
    with pytest.raises(ValueError, match='no class is few-shot'):
        shot_classes([500, 300, 200], 'few')
    with pytest.raises(ValueError, match='shot must be one of'):
        shot_classes([500, 300, 200], 'tail')


def test_held_out_indices_are_each_classes_first_left_out_images():
    labels = np.array([0, 1, 0, 1, 0, 1, 1, 0])
    kept = [0, 1, 4]
    assert held_out_indices(labels, kept, 2).tolist() == [2, 7, 3, 5]
    assert held_out_indices(labels, kept, 1).tolist() == [2, 3]
    with pytest.raises(ValueError, match='val_per_class'):
        held_out_indices(labels, kept, 0)


def image_hashes(dataset) -> set:
    return {
        hashlib.sha1(dataset.get_data_info(i)['img'].tobytes()).hexdigest()
        for i in range(len(dataset))
    }


@pytest.mark.parametrize('seed', [0, 2])
def test_the_val_split_is_held_out_of_the_training_images(seed):
    def split(name, **options):
        return DATASETS.build(
            dict(type='MNISTLT', split=name, seed=seed, pipeline=[], **options)
        )

    train, val = split('train'), split('val')
    counts = np.bincount(val.get_gt_labels(), minlength=10)
    # class 0 keeps all its 400 pool images for training
    assert counts.tolist() == [0] + [100] * 9
    assert not image_hashes(train) & image_hashes(val)
    # the val split records the training counts, so groups are training's
    assert val.class_counts == train.class_counts
    assert len(split('val', val_per_class=30)) == 270
    with pytest.raises(ValueError, match='split must be one of'):
        split('valid')


def test_class_aware_sampling_visits_classes_in_rounds():
    from labelled_set import LabelledSet
    from mmpretrain.registry import DATA_SAMPLERS

    counts = long_tail_counts(200, 10, 'exp', 0.02)
    dataset = LabelledSet(counts)

    def epoch(seed, n):
        sampler = DATA_SAMPLERS.build(
            dict(type='ClassAwareSampler', dataset=dataset, seed=seed)
        )
        sampler.set_epoch(n)
        return np.fromiter(sampler, dtype=np.int64)

    drawn = epoch(1, 0)
    assert len(drawn) == len(dataset)
    visits = dataset.labels[drawn[: len(drawn) // 4 * 4]].reshape(-1, 4)
    # each visit takes 4 images of one class
    assert (visits == visits[:, :1]).all()
    order = visits[:, 0]
    rounds = order[: len(order) // 10 * 10].reshape(-1, 10)
    # every round is a permutation of the classes, and rounds differ
    assert (np.sort(rounds, 1) == np.arange(10)).all()
    assert len({tuple(r) for r in rounds}) > 1
    # a class's images come round in turn: the rarest class's 4 images
    # (200 * 0.02) fill its first visit, all different
    rarest = drawn[: len(order) * 4].reshape(-1, 4)[order == 9]
    assert sorted(rarest[0]) == sorted(np.flatnonzero(dataset.labels == 9))
    assert np.array_equal(epoch(1, 0), drawn)
    assert not np.array_equal(epoch(1, 1), drawn)
    assert not np.array_equal(epoch(2, 0), drawn)
    with pytest.raises(ValueError, match='num_samples_cls'):
        DATA_SAMPLERS.build(
            dict(type='ClassAwareSampler', dataset=dataset, num_samples_cls=0)
        )


@pytest.fixture(scope='module')
def experts(tmp_path_factory):
    """Each shot group's MNIST-LT expert, one epoch: {shot: checkpoint}."""
    return train_lfme_experts(tmp_path_factory.mktemp('experts'))


def test_the_expert_configs_train_on_their_groups_classes(experts):
    for shot, classes in zip(LFME_SHOTS, ([0, 1, 2], [3, 4, 5], [6, 7, 8, 9])):
        meta = torch.load(experts[shot], map_location='cpu')['meta']
        counts = recorded_counts(meta['dataset_meta'])
        assert counts == [MNIST_COUNTS[c] for c in classes]


def test_a_student_learns_from_its_frozen_experts(tmp_path, experts):
    runner = build(lfme_student_cfg(tmp_path, experts, max_epochs=2))
    runner.train()
    model = runner.model
    assert model.expert_classes == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]
    for expert in model.experts:
        frozen = expert.model(None)
        assert not frozen.training
        assert not any(p.requires_grad for p in frozen.parameters())
    hook = next(h for h in runner.hooks if type(h).__name__ == 'LFMEHook')
    # epoch 2's expert weights are the formula's on the student's and the
    # experts' accuracies
    assert hook.last['weights'] == [
        pytest.approx(expert_weight(s, e))
        for s, e in zip(hook.last['student'], hook.expert_acc)
    ]
    assert all(0 < a <= 100 for a in hook.expert_acc)
    assert (model.epoch, model.max_epochs) == (2, 2)
    weights = model.initial_instance_weights
    assert len(weights) == len(runner.train_dataloader.dataset)
    labels = torch.as_tensor(runner.train_dataloader.dataset.get_gt_labels())
    # the few-shot classes count fully; the others span [t_c, 1]
    assert (weights[labels >= 6] == 1).all()
    assert weights.min() < 0.5 and weights.max() == 1
    # one step's loss is the official formula on this batch
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, True)
    inputs, samples = data['inputs'], data['data_samples']
    with torch.no_grad():
        loss = model.loss(inputs, samples)['loss']
        student = model.head(model.extract_feat(inputs))
        teachers = [e.logits(inputs, None) for e in model.experts]
    index = torch.tensor([int(s.sample_idx) for s in samples])
    expected = lfme_loss_plain(
        student,
        torch.cat([s.gt_label for s in samples]),
        teachers,
        [torch.tensor(c) for c in model.expert_classes],
        model.expert_weights,
        scheduled_instance_weights(weights[index], 2, 2),
    )
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    # the checkpoint holds the student alone, a plain ResNet-8 model
    saved = torch.load(str(tmp_path / 'epoch_2.pth'), map_location='cpu')
    plain = MODELS.build(
        mnist_cfg(tmp_path / 'p', config='ce_mnist_lt.py').model
    )
    assert saved['state_dict'].keys() == plain.state_dict().keys()


def test_an_expert_of_other_classes_is_refused(tmp_path, experts):
    # the medium expert's checkpoint has the many expert's shape (3
    # classes) but records the medium classes' counts
    swapped = dict(experts, many=experts['medium'])
    runner = build(lfme_student_cfg(tmp_path, swapped))
    with pytest.raises(ValueError) as error:
        runner.train()
    message = str(error.value)
    assert experts['medium'] in message
    assert (
        str(MNIST_COUNTS[:3]) in message and str(MNIST_COUNTS[3:6]) in message
    )
    assert runner.iter == 0


def test_an_expert_config_of_another_group_size_is_refused(tmp_path, experts):
    cfg = lfme_student_cfg(tmp_path, experts)
    few = LFME_EXPERT.format('few')
    cfg.model.experts[0]['config'] = f'{REPO}/configs/{few}'
    with pytest.raises(ValueError, match=r'classifies 4 classes.*3 many-shot'):
        build(cfg).train()


def test_the_training_images_must_be_scored_in_the_training_order(
    tmp_path, experts
):
    # another selection of the training images (ratio 50; the hook gives
    # every split the training set's seed, so not another seed)
    cfg = lfme_student_cfg(tmp_path, experts)
    cfg.custom_hooks[0].train_eval_dataloader.dataset.imb_factor = 0.02
    with pytest.raises(ValueError, match="training set's order"):
        build(cfg).train()
    cfg = lfme_student_cfg(tmp_path / 'b', experts)
    cfg.custom_hooks[0].val_dataloader.sampler = dict(type='DefaultSampler')
    with pytest.raises(ValueError, match=r'val_dataloader must be dict\('):
        build(cfg)


def test_a_student_resumes_exactly(tmp_path, experts):
    assert_resumes_exactly(
        lambda work_dir: lfme_student_cfg(work_dir, experts), tmp_path, seed=3
    )
