"""mmlt through the user's command, `mim train mmpretrain CONFIG`, on
generated CIFAR-format data, changing the configs with --cfg-options only."""

import os.path as osp
import shutil
import subprocess
import sys

import mmpretrain
import torch

from mmlt.class_counts import METAINFO_KEY

from cifar_files import write_cifar
from conftest import REPO

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def mim_train(config, work_dir, options):
    mim = shutil.which('mim', path=osp.dirname(sys.executable))
    cmd = [
        mim,
        'train',
        'mmpretrain',
        config,
        '--work-dir',
        str(work_dir),
        '--cfg-options',
        *options,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    return log


def data_options(root, imb_factor):
    options = []
    for loader in LOADERS:
        options += [
            f'{loader}.dataset.data_root={root}',
            f'{loader}.dataset.verify_checksum=False',
            f'{loader}.dataset.imb_factor={imb_factor}',
            f'{loader}.num_workers=0',
            f'{loader}.persistent_workers=False',
        ]
    return options


def test_ldam_cifar100_lt_config_trains(tmp_path):
    root = tmp_path / 'cifar100'
    write_cifar(str(root), 100, train_per_class=20, test_per_class=2)
    work_dir = tmp_path / 'work'
    log = mim_train(
        osp.join(REPO, 'configs', 'ldam_cifar100_lt.py'),
        work_dir,
        data_options(root, 0.05)
        + [
            'train_dataloader.batch_size=64',
            'train_cfg.max_epochs=1',
            'train_cfg.val_interval=1',
        ],
    )
    assert 'SetClassCountsHook: 100 classes, 1..20 images' in log
    assert 'drw_epoch=160 >= max_epochs=1' in log
    assert 'lt/top1' in log and 'lt/few' in log
    ckpt = torch.load(work_dir / 'epoch_1.pth')
    assert ckpt['meta']['dataset_meta'][METAINFO_KEY][0] == 20
    assert ckpt['state_dict']['head.weight'].shape == (100, 64)


def test_custom_imports_in_a_stock_mmpretrain_config(tmp_path):
    stock = osp.join(
        osp.dirname(mmpretrain.__file__),
        '.mim',
        'configs',
        'resnet',
        'resnet18_8xb16_cifar10.py',
    )
    user_config = tmp_path / 'my_resnet18_cifar10_lt.py'
    user_config.write_text(f"""
_base_ = [{stock!r}]
custom_imports = dict(imports=['mmlt'], allow_failed_imports=False)
train_dataloader = dict(dataset=dict(type='CIFAR10LT'))
val_dataloader = dict(dataset=dict(type='CIFAR10LT'))
test_dataloader = val_dataloader
val_evaluator = dict(type='LongTailAccuracy', _delete_=True)
test_evaluator = val_evaluator
model = dict(head=dict(type='LDAMHead',
                       loss=dict(type='LDAMLoss', _delete_=True)))
custom_hooks = [dict(type='SetClassCountsHook'),
                dict(type='DRWHook', drw_epoch=0)]
""")
    root = tmp_path / 'cifar10'
    write_cifar(str(root), 10, train_per_class=20, test_per_class=3)
    log = mim_train(
        str(user_config),
        tmp_path / 'work',
        data_options(root, 0.1) + ['train_cfg.max_epochs=1'],
    )
    assert 'DRWHook: epoch 0: class-balanced weights' in log
    assert 'lt/class_mean' in log
