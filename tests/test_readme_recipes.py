"""The recipes of README.md and docs/usage.md, read from the files
themselves, evaluate what they say: the "existing config" lines make `mim
test` of a stock mmpretrain config build mmlt's data set and evaluator, and
the ρ=10 options reach the test split's shot groups; docs/components.md
lists every component mmlt registers."""

import argparse
import os.path as osp
import re

from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmlt.class_counts import recorded_counts, shot_groups
from mmlt.datasets import long_tail_counts

from cifar_files import write_cifar
from conftest import REPO, code_blocks, readme_section

STOCK = 'mmpretrain::resnet/resnet18_8xb16_cifar10.py'


def mim_test_runner(cfg, tmp_path):
    """The Runner `mim test` builds, with its test loop (data set and
    evaluator) built."""
    cfg.work_dir = str(tmp_path / 'work')
    cfg.load_from = None
    runner = Runner.from_cfg(cfg)
    return runner, runner.test_loop


def test_existing_config_snippet_tests_with_mmlt(tmp_path):
    # ρ = 100 needs 100 training images of the largest class
    cifar10_root = str(tmp_path / 'cifar10')
    write_cifar(cifar10_root, num_classes=10, train_per_class=100)
    section = readme_section(
        'Using mmlt in an existing mmpretrain config', 'docs/usage.md'
    )
    assert STOCK in section
    snippet = code_blocks(section, 'python')[0]
    config = tmp_path / 'stock_with_mmlt.py'
    config.write_text(f'_base_ = [{STOCK!r}]\n{snippet}')
    cfg = Config.fromfile(str(config))
    # the generated CIFAR files of the test, not data/cifar10
    cfg.merge_from_dict(
        {
            'test_dataloader.dataset.data_root': cifar10_root,
            'test_dataloader.dataset.verify_checksum': False,
            'test_dataloader.num_workers': 0,
            'test_dataloader.persistent_workers': False,
        }
    )
    _, loop = mim_test_runner(cfg, tmp_path)
    dataset = loop.dataloader.dataset
    assert type(dataset).__name__ == 'CIFAR10LT'
    assert dataset.split == 'test' and dataset.imb_factor == 0.01
    metrics = [type(m).__name__ for m in loop.evaluator.metrics]
    assert metrics == ['LongTailAccuracy']
    # the evaluator knows the training counts, ρ = 100
    counts = recorded_counts(loop.evaluator.metrics[0].dataset_meta)
    assert counts == long_tail_counts(100, 10, 'exp', 0.01)


def test_rho_10_options_reach_the_test_split(tmp_path):
    section = readme_section('Training and testing a recipe', 'docs/usage.md')
    (block,) = [b for b in code_blocks(section, 'bash') if '=0.1' in b]
    options = re.findall(r'(\w+(?:\.\w+)+=\S+)', block)
    assert len(options) == 3
    config = re.search(r'(configs/\S+\.py)', block).group(1)
    cfg = Config.fromfile(osp.join(REPO, config))
    # parsed as mim's --cfg-options are
    parsed = argparse.Namespace()
    DictAction(option_strings=[], dest='options')(None, parsed, options)
    cfg.merge_from_dict(parsed.options)
    runner, loop = mim_test_runner(cfg, tmp_path)
    rho_10 = long_tail_counts(400, 10, 'exp', 0.1)
    assert recorded_counts(loop.dataloader.dataset) == rho_10
    meta = loop.evaluator.metrics[0].dataset_meta
    assert recorded_counts(meta) == rho_10
    # ρ = 10 on MNIST-LT: 400 ... 40 images, so no few-shot class
    assert 'few' not in shot_groups(recorded_counts(meta))
    train = runner.build_dataloader(cfg.train_dataloader).dataset
    assert recorded_counts(train) == rho_10


def test_every_registered_component_is_in_the_components_page():
    from mmpretrain import registry

    with open(osp.join(REPO, 'docs', 'components.md'), encoding='utf-8') as f:
        page = f.read()
    registered = {
        name
        for kind in ('MODELS', 'DATASETS', 'HOOKS', 'METRICS')
        + ('DATA_SAMPLERS', 'TRANSFORMS', 'BATCH_AUGMENTS')
        + ('OPTIM_WRAPPERS', 'RUNNERS')
        for name, obj in getattr(registry, kind).module_dict.items()
        if getattr(obj, '__module__', '').startswith('mmlt')
    }
    assert len(registered) > 40
    missing = sorted(n for n in registered if f'`{n}`' not in page)
    assert not missing, missing
