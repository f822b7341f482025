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
