import json
import os.path as osp
import subprocess
import sys

from conftest import REPO


def one_epoch(tmp_path, name, base):
    """A config of ``base`` trained for one epoch."""
    config = tmp_path / name
    config.write_text(
        f'_base_ = [{base!r}]\n'
        'train_cfg = dict(max_epochs=1, val_interval=1)\n'
    )
    return config


def benchmark(*args):
    proc = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'benchmark.py'), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_benchmark_writes_a_table_over_seeds(tmp_path):
    config = one_epoch(
        tmp_path,
        'ldam_mnist_lt_1e.py',
        osp.join(REPO, 'configs', 'ldam_mnist_lt.py'),
    )
    out = tmp_path / 'table.md'
    stdout = benchmark(
        str(config),
        '--seeds',
        '0',
        '1',
        '--out',
        str(out),
        '--work-dir',
        str(tmp_path / 'work'),
    )
    assert '[2/2] ldam_mnist_lt_1e (batch) seed 1: top1' in stdout
    table = out.read_text()
    assert 'python tools/benchmark.py' in table and '--seeds 0 1' in table
    rows = [r for r in table.splitlines() if r.startswith('| ldam')]
    cells = [c.strip() for c in rows[0].strip('|').split('|')]
    assert len(cells) == 6 and all('±' in c for c in cells[1:5])
    # the per-class table: MNIST-LT's three rarest digits, rarest last
    assert '| recipe | 7 (11) | 8 (6) | 9 (4) |' in table
    cells = [c.strip() for c in rows[1].strip('|').split('|')]
    assert len(cells) == 4 and all('±' in c for c in cells[1:])


def test_resume_reads_the_runs_results_instead_of_running_them(tmp_path):
    config = one_epoch(
        tmp_path,
        'ce_1e.py',
        osp.join(REPO, 'configs', 'ce_mnist_lt.py'),
    )
    work = tmp_path / 'work'
    benchmark(str(config), '--seeds', '0', '--work-dir', str(work))
    result_file = work / 'ce_1e' / 'seed0' / 'result.json'
    result = json.loads(result_file.read_text())
    assert len(result['per_class']) == 10 and result['class_counts'][0] == 400
    result['top1'] = 12.34
    result_file.write_text(json.dumps(result))
    stdout = benchmark(
        str(config), '--seeds', '0', '--work-dir', str(work), '--resume'
    )
    assert '[1/1] ce_1e (batch) seed 0: top1 12.34' in stdout
    # without --resume the run is trained again
    stdout = benchmark(str(config), '--seeds', '0', '--work-dir', str(work))
    assert 'top1 12.34' not in stdout


def test_two_stage_recipes_share_the_stage1_run(tmp_path):
    configs = osp.join(REPO, 'configs')
    stage1 = one_epoch(
        tmp_path, 'ce_1e.py', osp.join(configs, 'ce_mnist_lt.py')
    )
    crt = one_epoch(
        tmp_path,
        'crt_1e.py',
        osp.join(configs, 'decoupling', 'crt_resnet8_10e_mnist-lt.py'),
    )
    tau = osp.join(configs, 'decoupling', 'tau-norm_resnet8_mnist-lt.py')
    stdout = benchmark(
        f'{stage1}+{crt}',
        f'{stage1}+{tau}',
        '--seeds',
        '0',
        '--work-dir',
        str(tmp_path / 'work'),
    )
    assert '[1/2] crt_1e (batch) seed 0: top1' in stdout
    assert '[2/2] tau-norm_resnet8_mnist-lt (batch) seed 0: top1' in stdout
    # stage 1 ran once, for both, and left its checkpoint
    assert (tmp_path / 'work' / 'ce_1e' / 'seed0' / 'epoch_1.pth').is_file()
    assert len(list((tmp_path / 'work' / 'ce_1e' / 'seed0').glob('*/'))) == 1


def test_a_cam_stage2_gets_the_cam_set_of_its_stage1_and_seed(tmp_path):
    bot = osp.join(REPO, 'configs', 'bag_of_tricks')
    stage1 = one_epoch(
        tmp_path,
        'mixup_1e.py',
        osp.join(bot, 'mixup-stage1_resnet8_80e_mnist-lt.py'),
    )
    stage2 = one_epoch(
        tmp_path,
        'cam_cb_1e.py',
        osp.join(bot, 'cam-cb-stage2_resnet8_20e_mnist-lt.py'),
    )
    stdout = benchmark(
        f'{stage1}+{stage2}',
        '--seeds',
        '1',
        '--work-dir',
        str(tmp_path / 'work'),
    )
    assert '[1/1] cam_cb_1e (batch) seed 1: top1' in stdout
    import numpy as np

    from mmlt.datasets import MNISTLT

    cam_set = np.load(
        tmp_path / 'work' / 'mixup_1e' / 'seed1' / 'cam_set_all.npz'
    )
    originals = cam_set['gt_label'][~cam_set['generated']]
    # the originals are seed 1's training subset, in its order
    subset = MNISTLT(split='train', seed=1, lazy_init=False)
    assert originals.tolist() == [int(i['gt_label']) for i in subset]
    assert np.array_equal(
        cam_set['img'][: len(originals)], np.stack([i['img'] for i in subset])
    )
    assert np.bincount(cam_set['gt_label']).min() == -(-len(subset) // 10)


def test_test_only_tests_stage_2_on_the_stage_1_checkpoint(tmp_path):
    configs = osp.join(REPO, 'configs')
    stage1 = one_epoch(
        tmp_path, 'ce_1e.py', osp.join(configs, 'ce_mnist_lt.py')
    )
    posthoc = osp.join(
        configs, 'reweighting', 'posthoc-la_resnet8_100e_mnist-lt.py'
    )
    work = tmp_path / 'work'
    stdout = benchmark(
        f'{stage1}+{posthoc}',
        '--seeds',
        '0',
        '--work-dir',
        str(work),
        '--test-only',
    )
    assert (
        '[1/1] posthoc-la_resnet8_100e_mnist-lt (batch) seed 0: top1' in stdout
    )
    run_dir = work / 'posthoc-la_resnet8_100e_mnist-lt' / 'seed0'
    result = json.loads((run_dir / 'result.json').read_text())
    # tested, not trained: no time spent training and no checkpoint of its own
    assert result['train_time'] < 1.0
    assert not list(run_dir.glob('*.pth'))
    assert (work / 'ce_1e' / 'seed0' / 'epoch_1.pth').is_file()


def test_amp_and_the_batch_path_reach_every_seeds_data_set(tmp_path):
    """``--amp --batch-path`` rows: bf16 on the batch path, each seed's
    subset seed set on the data set inside the TensorBatchDataset."""
    from mmengine.config import Config

    config = one_epoch(
        tmp_path,
        'ce_mnist_lt_1e.py',
        osp.join(REPO, 'configs', 'ce_mnist_lt.py'),
    )
    work = tmp_path / 'work'
    stdout = benchmark(
        str(config),
        '--seeds',
        '0',
        '1',
        '--amp',
        '--batch-path',
        '--work-dir',
        str(work),
    )
    assert '| ce_mnist_lt_1e (amp) (batch) |' in stdout
    for seed in (0, 1):
        run_dir = work / 'ce_mnist_lt_1e' / f'seed{seed}'
        dumped = Config.fromfile(str(run_dir / 'ce_mnist_lt_1e.py'))
        loader = dumped.train_dataloader
        assert loader.dataset.type == 'TensorBatchDataset'
        assert loader.dataset.dataset.seed == seed
        assert dumped.optim_wrapper.type == 'AmpOptimWrapper'
        assert json.loads((run_dir / 'result.json').read_text())['top1'] > 0


def test_a_batch_path_config_runs_as_it_says_or_per_sample_when_asked(
    tmp_path,
):
    from mmengine.config import Config

    config = one_epoch(
        tmp_path,
        'ce_mnist_lt_1e.py',
        osp.join(REPO, 'configs', 'ce_mnist_lt.py'),
    )
    with open(config, 'a') as f:
        f.write('batch_path = True\n')
    for flags, row, dataset in (
        ((), '| ce_mnist_lt_1e (batch) |', 'TensorBatchDataset'),
        (('--per-sample',), '| ce_mnist_lt_1e |', 'MNISTLT'),
    ):
        work = tmp_path / ('work' + '_'.join(flags))
        stdout = benchmark(
            str(config), '--seeds', '0', '--work-dir', str(work), *flags
        )
        assert row in stdout
        run_dir = work / 'ce_mnist_lt_1e' / 'seed0'
        dumped = Config.fromfile(str(run_dir / 'ce_mnist_lt_1e.py'))
        assert dumped.train_dataloader.dataset.type == dataset


def test_an_open_set_test_split_gets_its_own_table(tmp_path):
    # MNIST-LT with digits 4 and 5 held out as the open set
    config = tmp_path / 'ce-open_1e.py'
    config.write_text(
        f'_base_ = [{osp.join(REPO, "configs", "ce_mnist_lt.py")!r}]\n'
        'train_cfg = dict(max_epochs=1, val_interval=1)\n'
        'model = dict(head=dict(num_classes=8))\n'
        'data_preprocessor = dict(num_classes=8)\n'
        'wrap = dict(_delete_=True, type="OpenSetSplit",\n'
        '            open_classes=[4, 5])\n'
        'train_dataloader = dict(\n'
        '    dataset=dict(**wrap, dataset=_base_.train_dataloader.dataset))\n'
        'test_dataloader = dict(dataset=dict(\n'
        '    **wrap, keep_open=True,\n'
        '    dataset=_base_.test_dataloader.dataset))\n'
        'val_dataloader = test_dataloader\n'
        'test_evaluator = [_base_.test_evaluator,\n'
        '                  dict(type="OpenSetFMeasure", threshold=0.5)]\n'
        'val_evaluator = test_evaluator\n'
    )
    stdout = benchmark(
        str(config), '--seeds', '0', '--work-dir', str(tmp_path / 'work')
    )
    assert '[1/1] ce-open_1e (batch) seed 0: top1' in stdout
    assert ' f_measure ' in stdout and ' rejected_unknown ' in stdout
    header = stdout.index('| recipe | open-set F-measure |')
    row = stdout[header:].splitlines()[2]
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[0] == 'ce-open_1e (batch)' and all(
        '±' in c for c in cells[1:]
    )
    result = json.loads(
        (
            tmp_path / 'work' / 'ce-open_1e' / 'seed0' / 'result.json'
        ).read_text()
    )
    # the known digits' accuracy; 8 classes in the per-class export
    assert len(result['per_class']) == 8 and 0 < result['f_measure'] <= 100
