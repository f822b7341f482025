"""Errors name the class the user wrote and the name they most likely
meant: misspelt keyword arguments (``check_kwargs``, mmlt's samplers) and
misspelt ``type=`` names (the registries' "did you mean"); under ``mim
train``, mmlt's error is the last line before mim's own traceback, where
docs/usage.md says to look."""

import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
import pytest
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope
from mmpretrain.registry import DATA_SAMPLERS, HOOKS, MODELS

from mmlt.utils import check_kwargs, closest_name, init_parameters

from conftest import REPO


class Base:
    def __init__(self, alpha: float = 1.0, num_bins: int = 10) -> None:
        pass


class Child(Base):
    def __init__(self, gamma: float = 2.0, **kwargs) -> None:
        check_kwargs(self, kwargs)
        super().__init__(**kwargs)


def test_init_parameters_follow_kwargs_into_the_bases():
    assert init_parameters(Child) == ['gamma', 'alpha', 'num_bins']
    assert init_parameters(Base) == ['alpha', 'num_bins']


def test_check_kwargs_names_the_subclass_and_the_closest_parameter():
    with pytest.raises(TypeError) as info:
        Child(num_bin=3)
    message = str(info.value)
    assert message.startswith('Child got unexpected keyword argument')
    assert "'num_bin' (did you mean 'num_bins'?)" in message
    assert 'Base' not in message
    Child(gamma=1.0, alpha=0.5, num_bins=3)  # valid ones pass


def test_check_kwargs_without_a_close_name_lists_the_valid_ones():
    with pytest.raises(TypeError, match='it takes: gamma, alpha, num_bins'):
        check_kwargs(Child, dict(zzz=1))


def test_closest_name_prefers_a_case_only_difference():
    assert closest_name('LDAMloss', ['LDAMHead', 'LDAMLoss']) == 'LDAMLoss'
    assert closest_name('qqqq', ['LDAMLoss']) is None


class Labelled:
    metainfo = dict(classes=['a', 'b'])

    def __len__(self):
        return 4

    def get_gt_labels(self):
        return np.array([0, 0, 1, 1])


@pytest.mark.parametrize(
    'sampler, kwargs, expected',
    [
        ('SquareRootSampler', dict(shufle=True), "'shufle'"),
        ('RandomOverSampler', dict(sed=1), "'sed' (did you mean 'seed'?)"),
        (
            'ClassBalancedSampler',
            dict(num_sample=8),
            "'num_sample' (did you mean 'num_samples'?)",
        ),
        (
            'ProgressivelyBalancedSampler',
            dict(num_epoch=8),
            "'num_epoch' (did you mean 'num_epochs'?)",
        ),
    ],
)
def test_sampler_errors_name_the_sampler_written(sampler, kwargs, expected):
    with pytest.raises(TypeError) as info:
        DATA_SAMPLERS.build(
            dict(type=sampler, **kwargs), default_args=dict(dataset=Labelled())
        )
    message = str(info.value)
    assert message.startswith(f'{sampler} got unexpected keyword argument')
    assert expected in message


@pytest.mark.parametrize(
    'registry, written, meant',
    [
        (MODELS, 'LDAMloss', 'LDAMLoss'),
        (HOOKS, 'DRWhook', 'DRWHook'),
        (DATA_SAMPLERS, 'SquareRootSamplr', 'SquareRootSampler'),
    ],
)
def test_registry_typos_get_a_did_you_mean(registry, written, meant):
    with pytest.raises(KeyError, match=f"Did you mean '{meant}'"):
        registry.build(dict(type=written))


def test_a_typo_nested_in_a_model_built_through_the_root_registry():
    # the Runner builds through mmengine's root registry, in the scope
    model = dict(
        type='ImageClassifier',
        backbone=dict(type='CifarResNet', depth=8),
        head=dict(
            type='LDAMHead',
            num_classes=10,
            in_channels=64,
            loss=dict(type='LDAMloss'),
        ),
    )
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        with pytest.raises(KeyError) as info:
            ROOT_MODELS.build(model)
    assert str(info.value).count("Did you mean 'LDAMLoss'?") == 1


def test_no_hint_without_a_close_name():
    with pytest.raises(KeyError) as info:
        MODELS.build(dict(type='Xyzzy'))
    assert 'Did you mean' not in str(info.value)


def test_under_mim_the_error_is_the_line_before_mims_traceback(tmp_path):
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    # no data/cifar10 under this working directory
    proc = subprocess.run(
        [mim, 'train', 'mmpretrain']
        + [osp.join(REPO, 'configs', 'ldam_cifar10_lt.py')]
        + ['--work-dir', str(tmp_path / 'work')],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    lines = (proc.stdout + proc.stderr).splitlines()
    # the last traceback is mim's, and says only that the script failed
    mims = max(i for i, line in enumerate(lines) if line.startswith('Tr'))
    assert lines[mims] == 'Traceback (most recent call last):'
    assert lines[-1].startswith('subprocess.CalledProcessError')
    reason = lines[mims - 1]
    assert reason.startswith('FileNotFoundError: CIFAR10LT: data_root')
    assert 'download=True' in reason
