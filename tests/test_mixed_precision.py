"""Mixed precision: a training step of the MNIST-LT model under fp16 and
bf16 autocast gives a finite loss and finite gradients with every loss
(LDAM at s = 30 included). On the CPU, and on CUDA where there is a GPU
(CI has none), where mmengine's AmpOptimWrapper autocasts the same
forward."""

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

from conftest import DEVICES, REPO

COUNTS = [400, 239, 143, 86, 51, 30, 18, 11, 6, 4]

LOSSES = {
    'ldam': dict(type='LDAMLoss', s=30.0),
    'ldam_drw': dict(
        type='LDAMLoss', s=30.0, class_weight=[0.1] * 5 + [3.0] * 5
    ),
    'weighted_ce': dict(
        type='WeightedCrossEntropyLoss', weighting='class_balanced'
    ),
    'softmax_focal': dict(type='SoftmaxFocalLoss', gamma=2.0),
    'sigmoid_focal': dict(
        type='WeightedSigmoidFocalLoss', weighting='class_balanced'
    ),
    'balanced_softmax': dict(type='BalancedSoftmaxLoss'),
    'logit_adjusted': dict(type='LogitAdjustedLoss', tau=2.0),
    'ghmc': dict(type='GHMCLoss', bins=10, momentum=0.75),
}


def build(loss):
    name = 'ldam_mnist_lt' if loss['type'] == 'LDAMLoss' else 'ce_mnist_lt'
    cfg = Config.fromfile(f'{REPO}/configs/{name}.py')
    cfg.model.head.loss = dict(loss, class_counts=COUNTS)
    return MODELS.build(cfg.model)


@pytest.mark.parametrize('device', DEVICES)
@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
@pytest.mark.parametrize('mixed', [False, True], ids=['labels', 'mixup'])
@pytest.mark.parametrize('name', list(LOSSES))
def test_an_autocast_training_step_is_finite(name, mixed, dtype, device):
    torch.manual_seed(0)
    model = build(LOSSES[name]).to(device)
    # large inputs push the logits of a linear head up to where fp16
    # loses digits
    inputs = torch.randn(16, 1, 28, 28) * 20
    labels = torch.randint(0, 10, (16,))
    samples = [DataSample().set_gt_label(int(y)) for y in labels]
    if mixed:
        scores = torch.nn.functional.one_hot(labels, 10).float()
        scores = 0.7 * scores + 0.3 * scores.roll(1, 0)
        for sample, score in zip(samples, scores):
            sample.set_gt_score(score)
    inputs = inputs.to(device)
    samples = [sample.to(device) for sample in samples]
    with torch.autocast(device, dtype=dtype):
        losses = model.loss(inputs, samples)
    loss = losses['loss']
    assert loss.dtype == torch.float32 and torch.isfinite(loss)
    loss.backward()
    for pname, param in model.named_parameters():
        assert torch.isfinite(param.grad).all(), pname
