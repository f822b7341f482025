"""Distillation from a frozen teacher: RIDE's distilled loss against an
oracle written from the official ``RIDELossWithDistill``
(frank-xwang/RIDE-LongTailRecognition ``model/loss.py``), in value and
gradient, before and after DRW; ``DistillationClassifier`` keeps its
teacher frozen, out of the optimizer and out of the checkpoint; a teacher
of other classes or another architecture is refused naming which."""

import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS
from test_multi_expert import COUNTS, assert_same, cosines, official_ride

from mmlt.checkpoint_fit import CheckpointMismatchError
from mmlt.class_counts import class_balanced_weights
from mmlt.models import classifier_logits

from runner_utils import (
    REPO,
    assert_resumes_exactly,
    build,
    distilled_cfg,
    mnist_cfg,
)

TEACHER = 'ride/ride-6experts_resnet8_100e_mnist-lt.py'
STUDENT = 'ride/ride-distill_resnet8_100e_mnist-lt.py'


def official_distill(cosine, y, teacher, drw, temperature=1.5, factor=-0.45):
    """``RIDELossWithDistill.forward`` with ``extra_info``: the RIDE loss
    and the distillation term, once per expert."""
    student = torch.stack([30.0 * c for c in cosine]).mean(0)
    loss = 0
    for _ in cosine:
        loss = loss + official_ride(cosine, y, COUNTS, factor, drw)
        student_dist = F.log_softmax(student / temperature, dim=1)
        with torch.no_grad():
            teacher_dist = F.softmax(teacher / temperature, dim=1)
        distill = F.kl_div(student_dist, teacher_dist, reduction='batchmean')
        loss = loss + temperature * temperature * distill
    return loss


@pytest.mark.parametrize('drw', [False, True])
def test_the_distilled_loss_is_the_official_loss(drw):
    cosine, y = cosines(seed=7 + drw)
    teacher = 8 * torch.randn(cosine.shape[1:], dtype=torch.float64)
    loss = MODELS.build(
        dict(
            type='RIDEDistillLoss',
            diversity_factor=-0.45,
            distill_temperature=1.5,
            class_counts=COUNTS,
        )
    )
    if drw:
        loss.set_class_weight(
            class_balanced_weights(COUNTS, 0.9999), source='DRWHook'
        )
    assert_same(
        lambda c: loss(c, y, teacher_logits=teacher),
        lambda c: official_distill(c, y, teacher, drw),
        cosine,
    )


def test_the_distilled_loss_needs_the_teacher():
    cosine, y = cosines()
    loss = MODELS.build(dict(type='RIDEDistillLoss', class_counts=COUNTS))
    with pytest.raises(ValueError, match='DistillationClassifier'):
        loss(cosine, y)
    with pytest.raises(ValueError, match=r'teacher gives logits of shape'):
        loss(cosine, y, teacher_logits=torch.zeros(len(y), 3))
    with pytest.raises(ValueError, match='distill_temperature must be > 0'):
        MODELS.build(dict(type='RIDEDistillLoss', distill_temperature=0))


@pytest.fixture(scope='module')
def teacher_checkpoint(tmp_path_factory):
    """A 6-expert MNIST-LT teacher, one epoch."""
    work_dir = tmp_path_factory.mktemp('teacher')
    build(mnist_cfg(work_dir, config=TEACHER, max_epochs=1)).train()
    return str(work_dir / 'epoch_1.pth')


def student_cfg(work_dir, checkpoint, **teacher):
    return distilled_cfg(work_dir, STUDENT, TEACHER, checkpoint, **teacher)


def test_the_teacher_is_frozen_and_not_saved(tmp_path, teacher_checkpoint):
    runner = build(student_cfg(tmp_path, teacher_checkpoint))
    runner.train()
    model = runner.model
    teacher = model.teacher
    saved = torch.load(teacher_checkpoint, map_location='cpu')['state_dict']
    # the teacher's weights are the checkpoint's, untouched, gradient-free
    assert teacher.state_dict().keys() == saved.keys()
    for key, value in teacher.state_dict().items():
        assert torch.equal(value, saved[key]), key
    assert all(
        p.grad is None and not p.requires_grad for p in teacher.parameters()
    )
    assert not teacher.training and model.training
    # not a part of the student: not in its parameters, the optimizer or
    # its checkpoint, which holds a plain 3-expert RIDE model
    student_params = {id(p) for p in model.parameters()}
    assert not student_params & {id(p) for p in teacher.parameters()}
    optimized = {
        id(p)
        for group in runner.optim_wrapper.optimizer.param_groups
        for p in group['params']
    }
    assert optimized <= student_params
    plain = mnist_cfg(
        tmp_path / 'plain', config='ride/ride_resnet8_100e_mnist-lt.py'
    )
    plain_keys = MODELS.build(plain.model).state_dict().keys()
    student_saved = torch.load(
        str(tmp_path / 'epoch_1.pth'), map_location='cpu'
    )['state_dict']
    assert student_saved.keys() == plain_keys
    # the loss is RIDEDistillLoss on the teacher's ensemble logits
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, True)
    torch.manual_seed(0)
    with torch.no_grad():
        loss = model.loss(data['inputs'], data['data_samples'])['loss']
        cosine = model.head(model.extract_feat(data['inputs']))
        labels = torch.cat([s.gt_label for s in data['data_samples']])
        expected = model.head.loss_module(
            cosine,
            labels,
            teacher_logits=classifier_logits(teacher, data['inputs']),
        )
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_a_teacher_of_other_classes_is_refused(tmp_path):
    other = tmp_path / 'five_classes.py'
    other.write_text(
        f"_base_ = ['{osp.join(REPO, 'configs', TEACHER)}']\n"
        'model = dict(head=dict(num_classes=5))\n'
    )
    cfg = student_cfg(tmp_path, 'unused.pth')
    cfg.model.teacher.config = str(other)
    with pytest.raises(ValueError) as error:
        MODELS.build(cfg.model)
    assert 'classifies 5 classes, the student 10' in str(error.value)
    assert str(other) in str(error.value)


@pytest.mark.parametrize(
    'config, options, expected',
    [
        # a 3-expert checkpoint for the 6-expert teacher config
        (
            'ride/ride_resnet8_100e_mnist-lt.py',
            {},
            ['backbone.experts.3', 'head.weight'],
        ),
        # a 6-expert checkpoint of 5 classes
        (
            TEACHER,
            dict(model=dict(head=dict(num_classes=5))),
            ["its head is for 5 classes, the model's for 10"],
        ),
    ],
)
def test_a_teacher_checkpoint_that_does_not_fit_is_refused(
    tmp_path, config, options, expected
):
    cfg = mnist_cfg(tmp_path / 'other', config=config, **options)
    checkpoint = str(tmp_path / 'other.pth')
    torch.save(
        dict(state_dict=MODELS.build(cfg.model).state_dict()), checkpoint
    )
    runner = build(student_cfg(tmp_path / 'student', checkpoint))
    with pytest.raises(CheckpointMismatchError) as error:
        runner.train()
    message = str(error.value)
    assert checkpoint in message
    assert all(text in message for text in expected), message


@pytest.mark.parametrize(
    'teacher, message',
    [
        (dict(config='configs/nowhere.py', checkpoint='x.pth'), 'not found'),
        (dict(config=None, checkpoint='x.pth'), 'teacher must be dict'),
    ],
)
def test_a_bad_teacher_setting_is_refused(tmp_path, teacher, message):
    cfg = student_cfg(tmp_path, 'x.pth')
    cfg.model.teacher = teacher
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        MODELS.build(cfg.model)


def test_a_head_loss_without_the_teacher_is_refused(tmp_path):
    cfg = student_cfg(tmp_path, 'x.pth')
    cfg.model.head.loss.type = 'RIDELoss'
    cfg.model.head.loss.pop('distill_temperature')
    with pytest.raises(ValueError, match="takes the teacher's logits"):
        MODELS.build(cfg.model)


def test_a_distilled_run_resumes_exactly(tmp_path, teacher_checkpoint):
    assert_resumes_exactly(
        lambda work_dir: student_cfg(work_dir, teacher_checkpoint),
        tmp_path,
        seed=7,
    )


def test_building_the_teacher_leaves_the_training_generator_alone(
    tmp_path, teacher_checkpoint
):
    # the batch path's crops come from torch's generator, and a resumed
    # run builds the teacher at another step than an uninterrupted one
    model = MODELS.build(student_cfg(tmp_path, teacher_checkpoint).model)
    torch.manual_seed(3)
    state = torch.get_rng_state()
    teacher = model.teacher
    assert torch.equal(torch.get_rng_state(), state)
    saved = torch.load(teacher_checkpoint, map_location='cpu')['state_dict']
    assert torch.equal(
        teacher.state_dict()['backbone.conv1.weight'],
        saved['backbone.conv1.weight'],
    )
