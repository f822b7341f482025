"""DiVE (He et al., ICCV 2021, Bag of Tricks' ``DiVEKLD``): the loss equals
its definition in value and gradient (an oracle that raises the teacher's
softmax to the power and renormalises, as the official code does), takes
mixed labels, sends no gradient to the teacher and holds under bf16
autocast; the recipes train a student from a Balanced Softmax teacher,
whose checkpoint must be of the student's data set, and resume exactly."""

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from mmlt.class_counts import log_prior, record_counts
from mmlt.datasets import long_tail_counts
from mmlt.models import classifier_logits
from mmlt.models.losses import DiVELoss, dive_loss_plain

from runner_utils import (
    assert_resumes_exactly,
    build,
    distilled_cfg,
    mnist_cfg,
)

COUNTS = long_tail_counts(500, 10, 'exp', 0.01)
TEACHER = 'reweighting/balanced-softmax_resnet8_100e_mnist-lt.py'
STUDENT = 'dive/dive_resnet8_100e_mnist-lt.py'


def logits(n=16, c=10, seed=0, scale=4.0):
    g = torch.Generator().manual_seed(seed)
    student = (scale * torch.randn(n, c, generator=g)).requires_grad_()
    teacher = scale * torch.randn(n, c, generator=g)
    target = torch.randint(c, (n,), generator=g)
    return student, teacher, target


@pytest.mark.parametrize(
    'settings',
    [
        dict(),  # the gallery's T = 2, p = 0.5, alpha = 0.5
        dict(temperature=1.0, power=1.0, alpha=0.5),  # plain distillation
        dict(temperature=4.0, power=0.3, alpha=0.9),
        dict(alpha=0.0),  # Balanced Softmax alone
        dict(alpha=1.0),  # distillation alone
    ],
)
def test_the_loss_is_its_definition_in_value_and_gradient(settings):
    student, teacher, target = logits()
    loss = DiVELoss(class_counts=COUNTS, **settings)
    value = loss(student, target, teacher_logits=teacher)
    (grad,) = torch.autograd.grad(value, student)
    expected = dive_loss_plain(
        student, teacher, target, log_prior=log_prior(COUNTS), **settings
    )
    (expected_grad,) = torch.autograd.grad(expected, student)
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)
    torch.testing.assert_close(grad, expected_grad, rtol=1e-5, atol=1e-7)


def test_the_terms_by_hand():
    """alpha = 0.5 halves each of T^2 KL and Balanced Softmax, from sums."""
    student, teacher, target = logits(n=3, c=4, seed=1)
    counts = [40, 20, 10, 5]
    T, p = 2.0, 0.5
    value = DiVELoss(class_counts=counts)(
        student, target, teacher_logits=teacher
    )
    q = torch.softmax(teacher / T, 1) ** p
    q = q / q.sum(1, keepdim=True)
    log_s = torch.log_softmax(student.detach() / T, 1)
    kl = (q * (q.log() - log_s)).sum(1).mean()
    prior = torch.tensor(counts, dtype=torch.float) / sum(counts)
    adjusted = student.detach() + prior.log()
    picked = adjusted.gather(1, target[:, None]).squeeze(1)
    balanced = (adjusted.logsumexp(1) - picked).mean()
    assert value.item() == pytest.approx(
        0.5 * T**2 * kl.item() + 0.5 * balanced.item(), rel=1e-5
    )


def test_no_gradient_reaches_the_teacher():
    student, teacher, target = logits()
    teacher.requires_grad_()
    DiVELoss(class_counts=COUNTS)(
        student, target, teacher_logits=teacher
    ).backward()
    assert teacher.grad is None and student.grad is not None


def test_mixed_labels_weigh_the_balanced_softmax_term_only():
    student, teacher, target = logits()
    other = torch.roll(target, 1)
    lam = 0.7
    scores = lam * F.one_hot(target, 10) + (1 - lam) * F.one_hot(other, 10)
    loss = DiVELoss(class_counts=COUNTS)
    mixed = loss(student, scores.float(), teacher_logits=teacher)
    prior = log_prior(COUNTS)

    def plain(y):
        return dive_loss_plain(student, teacher, y, log_prior=prior)

    assert mixed.item() == pytest.approx(
        lam * plain(target).item() + (1 - lam) * plain(other).item(),
        rel=1e-5,
    )


def test_under_bf16_autocast_it_computes_in_float32():
    student, teacher, target = logits(n=64, c=100, seed=2)
    counts = long_tail_counts(500, 100, 'exp', 0.01)
    loss = DiVELoss(class_counts=counts)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        low = loss(
            student.bfloat16(), target, teacher_logits=teacher.bfloat16()
        )
    assert low.dtype == torch.float32
    # the inputs rounded to bf16, the maths in float32: the oracle on the
    # rounded logits agrees to float32's precision
    expected = dive_loss_plain(
        student.bfloat16().float(),
        teacher.bfloat16().float(),
        target,
        log_prior=log_prior(counts),
    )
    assert low.item() == pytest.approx(expected.item(), rel=1e-5)


@pytest.mark.parametrize(
    'settings, message',
    [
        (dict(temperature=0.0), 'temperature must be > 0'),
        (dict(power=-1.0), 'power must be > 0'),
        (dict(alpha=1.5), r'alpha must be in \[0, 1\]'),
        (dict(tau=0.5), 'BalancedSoftmaxLoss has tau = 1'),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        DiVELoss(**settings)


def test_the_teacher_logits_are_required_and_must_fit():
    student, teacher, target = logits()
    loss = DiVELoss(class_counts=COUNTS)
    with pytest.raises(ValueError, match='DistillationClassifier'):
        loss(student, target)
    with pytest.raises(ValueError, match=r'shape \(16, 9\), the student'):
        loss(student, target, teacher_logits=teacher[:, :9])


@pytest.fixture(scope='module')
def teacher_checkpoint(tmp_path_factory):
    """A Balanced Softmax MNIST-LT teacher, one epoch."""
    work_dir = tmp_path_factory.mktemp('teacher')
    build(mnist_cfg(work_dir, config=TEACHER, max_epochs=1)).train()
    return str(work_dir / 'epoch_1.pth')


def student_cfg(work_dir, checkpoint):
    return distilled_cfg(work_dir, STUDENT, TEACHER, checkpoint)


def test_the_recipe_distils_the_balanced_softmax_teacher(
    tmp_path, teacher_checkpoint
):
    runner = build(student_cfg(tmp_path, teacher_checkpoint))
    runner.train()
    model = runner.model
    loss_module = model.head.loss_module
    assert type(loss_module).__name__ == 'DiVELoss'
    teacher_loss = model.teacher.head.loss_module
    assert type(teacher_loss).__name__ == 'BalancedSoftmaxLoss'
    # both losses and the student know the training counts
    train_counts = runner.train_dataloader.dataset.class_counts
    assert loss_module.class_counts == model.class_counts == train_counts
    batch = next(iter(runner.train_dataloader))
    data = model.data_preprocessor(batch, True)
    with torch.no_grad():
        loss = model.loss(data['inputs'], data['data_samples'])['loss']
        student = model.head(model.extract_feat(data['inputs']))
        teacher = classifier_logits(model.teacher, data['inputs'])
    labels = torch.cat([s.gt_label for s in data['data_samples']])
    expected = dive_loss_plain(
        student, teacher, labels, log_prior=log_prior(train_counts)
    )
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    # the student's checkpoint is a plain linear-head model
    saved = torch.load(str(tmp_path / 'epoch_1.pth'), map_location='cpu')
    plain = MODELS.build(mnist_cfg(tmp_path / 'p', config=TEACHER).model)
    assert saved['state_dict'].keys() == plain.state_dict().keys()


def test_a_teacher_of_another_data_set_is_refused(
    tmp_path, teacher_checkpoint
):
    """A teacher checkpoint recording other training counts (here ρ = 10
    where the student trains on ρ = 100) stops the first training step,
    naming the checkpoint and both profiles."""
    checkpoint = torch.load(teacher_checkpoint, map_location='cpu')
    rho_10 = long_tail_counts(400, 10, 'exp', 0.1)
    record_counts(checkpoint['meta']['dataset_meta'], rho_10)
    other = str(tmp_path / 'rho10_teacher.pth')
    torch.save(checkpoint, other)
    runner = build(student_cfg(tmp_path / 'student', other))
    with pytest.raises(ValueError) as error:
        runner.train()
    message = str(error.value)
    assert other in message
    assert str(rho_10) in message
    assert str(long_tail_counts(400, 10, 'exp', 0.01)) in message
    assert runner.iter == 0


def test_a_dive_run_resumes_exactly(tmp_path, teacher_checkpoint):
    assert_resumes_exactly(
        lambda work_dir: student_cfg(work_dir, teacher_checkpoint),
        tmp_path,
        seed=3,
    )
