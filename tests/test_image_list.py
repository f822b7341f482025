"""Long-tailed list-file datasets (ImageNet-LT, iNaturalist, Places-LT)."""

import numpy as np
import pytest
from mmpretrain.registry import DATASETS


def write_list(path, labels, prefix='train'):
    path.write_text(
        ''.join(f'{prefix}/{i:04d}.jpg {y}\n' for i, y in enumerate(labels))
    )


def test_a_training_list_records_its_counts(tmp_path):
    labels = [0] * 120 + [1] * 40 + [2] * 5
    write_list(tmp_path / 'train.txt', labels)
    dataset = DATASETS.build(
        dict(
            type='ImageListLT',
            data_root=str(tmp_path),
            ann_file='train.txt',
            data_prefix='images',
            num_classes=3,
        )
    )
    assert len(dataset) == 165
    assert dataset.train_class_counts == [120, 40, 5]
    assert dataset.shot_groups() == ['many', 'medium', 'few']
    assert dataset.get_data_info(0)['img_path'] == str(
        tmp_path / 'images' / 'train' / '0000.jpg'
    )
    assert np.array_equal(dataset.get_gt_labels(), labels)
    assert dataset.metainfo['classes'] == ('0', '1', '2')


def test_a_test_list_records_the_training_counts(tmp_path):
    write_list(tmp_path / 'train.txt', [0] * 30 + [1] * 3)
    write_list(tmp_path / 'test.txt', [0, 1, 1, 0], prefix='val')
    dataset = DATASETS.build(
        dict(
            type='ImageListLT',
            data_root=str(tmp_path),
            ann_file='test.txt',
            train_ann_file='train.txt',
            num_classes=2,
        )
    )
    assert len(dataset) == 4
    assert dataset.train_class_counts == [30, 3]


@pytest.mark.parametrize(
    'text,match',
    [
        ('', 'lists no images'),
        ('\n\n', 'lists no images'),
        ('a.jpg 0\nb.jpg\n', 'line 2: expected "relative/path label"'),
        ('a.jpg 0\nb.jpg x\n', 'line 2: expected'),
        ('a.jpg 3\n', r'line 1: label 3 is outside \[0, 3\)'),
        ('a.jpg -1\n', 'label -1 is outside'),
    ],
)
def test_a_bad_list_file_is_refused_naming_the_line(tmp_path, text, match):
    (tmp_path / 'list.txt').write_text(text)
    with pytest.raises(ValueError, match=match):
        DATASETS.build(
            dict(
                type='ImageListLT',
                ann_file=str(tmp_path / 'list.txt'),
                num_classes=3,
            )
        )


def test_a_missing_list_file_or_class_count_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError, match='does not exist'):
        DATASETS.build(
            dict(type='ImageListLT', ann_file='missing.txt', num_classes=3)
        )
    with pytest.raises(ValueError, match='num_classes must be an int >= 2'):
        DATASETS.build(
            dict(type='ImageListLT', ann_file='missing.txt', num_classes=1)
        )


def test_the_imagenet_lt_recipe_trains_on_a_small_list(tmp_path):
    """configs/imagenet_lt end to end on 12 generated images: list files,
    image loading, ResNeXt-50, LongTailAccuracy."""
    from PIL import Image

    from runner_utils import mnist_cfg, run

    rng = np.random.default_rng(0)
    for split, labels in (
        ('train', [0] * 6 + [1] * 3 + [2]),
        ('val', [0, 1, 2]),
    ):
        (tmp_path / split).mkdir()
        for i in range(len(labels)):
            pixels = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / split / f'{i}.png')
        (tmp_path / f'{split}.txt').write_text(
            ''.join(f'{split}/{i}.png {y}\n' for i, y in enumerate(labels))
        )
    data = dict(data_root=str(tmp_path), num_classes=3)
    cfg = mnist_cfg(
        tmp_path / 'work',
        config='imagenet_lt/ce_resnext50_imagenet_lt.py',
        max_epochs=1,
        validate=True,
        model=dict(head=dict(num_classes=3)),
        data_preprocessor=dict(num_classes=3),
        train_dataloader=dict(
            batch_size=4,
            num_workers=0,
            persistent_workers=False,
            dataset=dict(ann_file='train.txt', **data),
        ),
        val_dataloader=dict(
            batch_size=3,
            num_workers=0,
            persistent_workers=False,
            dataset=dict(
                ann_file='val.txt', train_ann_file='train.txt', **data
            ),
        ),
    )
    cfg.test_dataloader = cfg.val_dataloader
    runner = run(cfg)
    metrics = runner.test()
    assert set(metrics) >= {'lt/top1', 'lt/many', 'lt/medium', 'lt/few'}
