"""ChannelsLastHook: on a CPU the model's 4-D weights are stored channels
last for every loop, a step's loss and gradients stay within float32
rounding of a float64 step, and checkpoints hold the default layout."""

import copy

import pytest
import torch

from mmlt.checkpoint import load_from_local
from mmlt.engine.hooks import ChannelsLastHook
from mmlt.utils import unwrap_model

from runner_utils import assert_resumes_exactly, build, mnist_cfg, run


def conv_weights(model) -> dict:
    """The 4-D weights whose two layouts differ in memory (more than one
    input channel and a kernel wider than 1x1)."""
    return {
        name: p
        for name, p in unwrap_model(model).named_parameters()
        if p.dim() == 4 and p.size(1) > 1 and p.size(2) * p.size(3) > 1
    }


def is_channels_last(weight: torch.Tensor) -> bool:
    return (
        weight.is_contiguous(memory_format=torch.channels_last)
        and not weight.is_contiguous()
    )


def test_the_default_runtime_trains_a_cpu_model_channels_last(tmp_path):
    runner = run(mnist_cfg(tmp_path, max_epochs=1))
    weights = conv_weights(runner.model)
    assert weights, 'the MNIST-LT ResNet has no 3x3 convolutions'
    for name, weight in weights.items():
        assert is_channels_last(weight), name
    off = mnist_cfg(tmp_path / 'off', max_epochs=1)
    off.default_hooks.channels_last.devices = []
    for name, weight in conv_weights(run(off).model).items():
        assert weight.is_contiguous(), name


def test_a_test_only_run_is_converted_before_testing(tmp_path):
    runner = build(mnist_cfg(tmp_path, max_epochs=1))
    assert not any(map(is_channels_last, conv_weights(runner.model).values()))
    runner.call_hook('before_test')
    assert all(map(is_channels_last, conv_weights(runner.model).values()))


def test_a_channels_last_step_is_within_float32_rounding_of_float64(
    tmp_path,
):
    runner = build(mnist_cfg(tmp_path, config='ce_mnist_lt.py'))
    default = unwrap_model(runner.model)
    converted = copy.deepcopy(default).to(memory_format=torch.channels_last)
    exact = copy.deepcopy(default).double()
    batch = next(iter(runner.train_dataloader))

    def loss_and_gradients(model, dtype=torch.float32):
        model.train()
        torch.manual_seed(0)  # the batch path's crops
        data = model.data_preprocessor(batch, True)
        loss = model.loss(data['inputs'].to(dtype), data['data_samples'])
        model.zero_grad()
        loss['loss'].backward()
        grads = {n: p.grad.double() for n, p in model.named_parameters()}
        return loss['loss'].double(), grads

    assert any(map(is_channels_last, conv_weights(converted).values()))
    assert not any(map(is_channels_last, conv_weights(default).values()))
    exact_loss, exact_gradients = loss_and_gradients(exact, torch.float64)
    for model, gradient_error in ((default, 1e-3), (converted, 2e-2)):
        loss, gradients = loss_and_gradients(model)
        torch.testing.assert_close(loss, exact_loss, rtol=1e-5, atol=0)
        # float32 rounding, which the first layers' gradients amplify at
        # initialisation: measured at most 1e-4 in the default layout and
        # 7.6e-3 channels last (BatchNorm's channels-last kernel rounds
        # more); a wrong value would be off by far more
        for name, exact_gradient in exact_gradients.items():
            error = (gradients[name] - exact_gradient).norm()
            error = float(error / exact_gradient.norm())
            assert error < gradient_error, (name, error)


def test_checkpoints_hold_the_default_layout_and_load_anywhere(tmp_path):
    runner = run(mnist_cfg(tmp_path, max_epochs=1))
    checkpoint = load_from_local(str(tmp_path / 'epoch_1.pth'))
    state = checkpoint['state_dict']
    for name in conv_weights(runner.model):
        assert state[name].is_contiguous(), name
        # a checkpoint tool may view a weight as (out, in * k * k)
        state[name].view(state[name].size(0), -1)
    fresh = build(mnist_cfg(tmp_path / 'fresh', max_epochs=1))
    unwrap_model(fresh.model).load_state_dict(state)
    for name, weight in conv_weights(fresh.model).items():
        assert torch.equal(weight, conv_weights(runner.model)[name]), name


def test_a_resumed_channels_last_run_ends_where_the_whole_one_does(tmp_path):
    assert_resumes_exactly(mnist_cfg, tmp_path)


def test_a_model_on_a_device_not_named_is_left_as_it_is(tmp_path):
    cfg = mnist_cfg(tmp_path, max_epochs=1)
    cfg.default_hooks.channels_last = dict(
        type='ChannelsLastHook', devices=['cuda']
    )
    for name, weight in conv_weights(run(cfg).model).items():
        assert weight.is_contiguous(), name


@pytest.mark.parametrize('devices', ['cpu', None, ['gpu'], [None]])
def test_devices_that_are_not_device_types_are_refused(devices):
    with pytest.raises(ValueError, match='devices must be a list of device'):
        ChannelsLastHook(devices=devices)
