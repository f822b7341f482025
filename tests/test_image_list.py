"""Long-tailed list-file datasets (ImageNet-LT, iNaturalist, Places-LT)."""

import os.path as osp
import re

import numpy as np
import pytest
from mmpretrain.registry import DATASETS

from mmlt.class_counts import recorded_counts


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
            check_files=False,  # the counts only; no images written
        )
    )
    assert len(dataset) == 165
    assert dataset.class_counts == [120, 40, 5]
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
            check_files=False,
        )
    )
    assert len(dataset) == 4
    assert dataset.class_counts == [30, 3]


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


def test_an_open_list_reads_unknown_images_beside_the_test_list(tmp_path):
    # OLTR's open-set test: the test list and the *_open.txt list (every
    # label -1, its own image folder) joined, the counts the training list's
    from mmengine.dataset import ConcatDataset
    from mmengine.registry import DefaultScope

    write_list(tmp_path / 'train.txt', [0] * 30 + [1] * 3)
    write_list(tmp_path / 'test.txt', [0, 1], prefix='val')
    write_list(tmp_path / 'open.txt', [-1, -1, -1], prefix='n0')
    common = dict(
        type='ImageListLT',
        data_root=str(tmp_path),
        train_ann_file='train.txt',
        num_classes=2,
        check_files=False,
    )
    test = dict(common, ann_file='test.txt')
    opened = dict(
        common, ann_file='open.txt', data_prefix='open', allow_unknown=True
    )
    # mmengine's wrapper builds its parts in the runner's scope
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        dataset = DATASETS.build(
            dict(type='ConcatDataset', datasets=[test, opened])
        )
    assert isinstance(dataset, ConcatDataset)
    assert [dataset[i]['gt_label'] for i in range(5)] == [0, 1, -1, -1, -1]
    assert dataset[2]['img_path'] == osp.join(
        str(tmp_path), 'open/n0/0000.jpg'
    )
    assert recorded_counts(dataset) == [30, 3]
    # the open list alone records the training counts too
    assert DATASETS.build(opened).class_counts == [30, 3]


def test_an_unknown_label_needs_allow_unknown_and_a_training_list(tmp_path):
    write_list(tmp_path / 'train.txt', [0] * 3 + [1])
    write_list(tmp_path / 'open.txt', [-1, 0])
    common = dict(
        type='ImageListLT',
        data_root=str(tmp_path),
        num_classes=2,
        check_files=False,
    )
    with pytest.raises(ValueError, match=r'allow_unknown=True\)'):
        DATASETS.build(
            dict(common, ann_file='open.txt', train_ann_file='train.txt')
        )
    with pytest.raises(ValueError, match='set train_ann_file'):
        DATASETS.build(dict(common, ann_file='open.txt', allow_unknown=True))
    # a training list is never read with unknown images
    for train in ('open.txt', str(tmp_path / 'open.txt')):
        with pytest.raises(ValueError, match='open.txt line 1: label -1'):
            DATASETS.build(
                dict(
                    common,
                    ann_file='open.txt',
                    train_ann_file=train,
                    allow_unknown=True,
                )
            )
    # -2 is no label, unknown or not
    write_list(tmp_path / 'bad.txt', [-2])
    with pytest.raises(ValueError, match=r'label -2 is outside \[0, 2\)$'):
        DATASETS.build(
            dict(
                common,
                ann_file='bad.txt',
                train_ann_file='train.txt',
                allow_unknown=True,
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


def write_image_lists(root):
    """10 training images (6, 3 and 1 of three classes) and 3 test images,
    with their list files; returns the dataset options that point at them."""
    from PIL import Image

    rng = np.random.default_rng(0)
    for split, labels in (
        ('train', [0] * 6 + [1] * 3 + [2]),
        ('val', [0, 1, 2]),
    ):
        (root / split).mkdir()
        for i in range(len(labels)):
            pixels = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(root / split / f'{i}.png')
        (root / f'{split}.txt').write_text(
            ''.join(f'{split}/{i}.png {y}\n' for i, y in enumerate(labels))
        )
    return dict(data_root=str(root), num_classes=3)


def small_list_cfg(data, work_dir, config, **options):
    """``config`` for one epoch on the lists of :func:`write_image_lists`:
    3 classes, no workers, validated at the end; ``options`` merged last."""
    from runner_utils import mnist_cfg

    cfg = mnist_cfg(work_dir, config, max_epochs=1, validate=True)
    loader = dict(num_workers=0, persistent_workers=False)
    cfg.merge_from_dict(
        dict(
            model=dict(head=dict(num_classes=3)),
            data_preprocessor=dict(num_classes=3),
            val_dataloader=dict(
                batch_size=3,
                dataset=dict(
                    ann_file='val.txt', train_ann_file='train.txt', **data
                ),
                **loader,
            ),
        )
    )
    cfg.test_dataloader = cfg.val_dataloader
    if cfg.train_cfg is not None:
        cfg.merge_from_dict(
            dict(
                train_dataloader=dict(
                    batch_size=4,
                    dataset=dict(ann_file='train.txt', **data),
                    **loader,
                )
            )
        )
    cfg.merge_from_dict(options)
    return cfg


def test_the_imagenet_lt_recipe_trains_on_a_small_list(tmp_path):
    """configs/imagenet_lt end to end on 10 generated images: list files,
    image loading, ResNeXt-50, LongTailAccuracy."""
    from runner_utils import run

    cfg = small_list_cfg(
        write_image_lists(tmp_path),
        tmp_path / 'work',
        'ce/ce_resnext50_90e_imagenet-lt.py',
    )
    metrics = run(cfg).test()
    # 6, 3 and 1 training images: all 'few'; the empty groups are left out
    assert set(metrics) >= {'lt/top1', 'lt/class_mean', 'lt/few'}
    assert not {'lt/many', 'lt/medium'} & set(metrics)


def test_places_lt_stage1_fine_tunes_an_imagenet_resnet152():
    """The Places-LT representation starts from mmpretrain's ImageNet
    ResNet-152 and trains its new classifier at 10 times the backbone's
    learning rate."""
    import os.path as osp

    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmpretrain.apis import ModelHub
    from mmpretrain.registry import MODELS

    from runner_utils import REPO

    cfg = Config.fromfile(
        osp.join(REPO, 'configs/ce/ce_resnet152_30e_places-lt.py')
    )
    init = cfg.model.backbone.init_cfg
    assert init.type == 'Pretrained' and init.prefix == 'backbone'
    assert init.checkpoint == ModelHub.get('resnet152_8xb32_in1k').weights
    model = MODELS.build(cfg.model)
    optimizer = build_optim_wrapper(model, cfg.optim_wrapper).optimizer
    names = {id(p): n for n, p in model.named_parameters()}
    lrs = {
        names[id(p)]: group['lr']
        for group in optimizer.param_groups
        for p in group['params']
    }
    assert len(lrs) == len(names)
    assert {lr for n, lr in lrs.items() if n.startswith('head.')} == {0.1}
    assert {lr for n, lr in lrs.items() if n.startswith('backbone.')} == {0.01}


def test_the_places_lt_recipes_chain_on_a_small_list(tmp_path):
    """configs/places_lt end to end on 10 generated images: the stage-1
    ResNet-152, then LWS on its checkpoint (only the scales move), then
    τ-norm on it."""
    import torch
    from mmengine.runner import Runner

    from runner_utils import run

    data = write_image_lists(tmp_path)
    stage1 = small_list_cfg(
        data,
        tmp_path / 's1',
        'ce/ce_resnet152_30e_places-lt.py',
        # no download here: the ImageNet weights are the user's to fetch
        model=dict(backbone=dict(init_cfg=None)),
    )
    run(stage1)
    checkpoint = str(tmp_path / 's1' / 'epoch_1.pth')
    before = torch.load(checkpoint, weights_only=False)['state_dict']

    lws = small_list_cfg(
        data,
        tmp_path / 'lws',
        'decoupling/lws_resnet152_5e_places-lt.py',
        load_from=checkpoint,
    )
    after = run(lws).model.state_dict()
    moved = {k for k, v in before.items() if not torch.equal(v, after[k])}
    # BatchNorm statistics stay too: the frozen backbone runs in eval mode
    assert not moved and set(after) - set(before) == {'head.scales'}
    assert not torch.equal(after['head.scales'], torch.ones(3))

    tau_norm = small_list_cfg(
        data,
        tmp_path / 'tau',
        'decoupling/tau-norm_resnet152_places-lt.py',
        load_from=checkpoint,
    )
    metrics = Runner.from_cfg(tau_norm).test()
    # 6, 3 and 1 training images: all 'few'; the empty groups are left out
    assert set(metrics) >= {'lt/top1', 'lt/class_mean', 'lt/few'}
    assert not {'lt/many', 'lt/medium'} & set(metrics)


def list_dataset(root, text, **options):
    """An ImageListLT of 3 classes over the list ``text`` (str, or bytes
    written as they are) in ``root/list.txt``, images under
    ``root/images``; ``options`` go last (``check_files`` off unless
    given)."""
    path = root / 'list.txt'
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding='utf-8')
    cfg = dict(
        type='ImageListLT',
        data_root=str(root),
        ann_file='list.txt',
        data_prefix='images',
        num_classes=3,
        check_files=False,
    )
    cfg.update(options)
    return DATASETS.build(cfg)


def write_image(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'x')


@pytest.mark.parametrize(
    'spelling', ['img/./0.jpg', 'img//0.jpg', './img/0.jpg', 'img/x/../0.jpg']
)
def test_spellings_of_one_path_are_one_image(tmp_path, spelling):
    text = f'img/0.jpg 0\nimg/1.jpg 1\n{spelling} 0\n'
    with pytest.raises(
        ValueError,
        match=rf'list.txt line 3: {spelling} \(= img/0.jpg\) is listed '
        r'again \(first on line 1\)',
    ):
        list_dataset(tmp_path, text)
    # one path, two labels: refused whatever the spelling
    with pytest.raises(ValueError, match='listed with label 1 and on line 1'):
        list_dataset(tmp_path, f'img/0.jpg 0\n{spelling} 1\n')


def test_allow_duplicates_counts_each_spelling_as_the_normalised_path(
    tmp_path,
):
    text = 'img/0.jpg 0\nimg/./0.jpg 0\nimg//0.jpg 0\nimg/1.jpg 1\n'
    dataset = list_dataset(tmp_path, text, allow_duplicates=True)
    assert len(dataset) == 4
    assert dataset.class_counts[:2] == [3, 1]
    same = str(tmp_path / 'images' / 'img' / '0.jpg')
    assert [dataset.get_data_info(i)['img_path'] for i in range(3)] == [
        same
    ] * 3


def test_a_path_that_stays_inside_is_normalised(tmp_path):
    write_image(tmp_path / 'images' / 'b.jpg')
    write_image(tmp_path / 'images' / 'c.jpg')
    dataset = list_dataset(
        tmp_path, 'a/../b.jpg 0\n./c.jpg 1\n', check_files=True
    )
    assert [dataset.get_data_info(i)['img_path'] for i in range(2)] == [
        str(tmp_path / 'images' / 'b.jpg'),
        str(tmp_path / 'images' / 'c.jpg'),
    ]


def outside_paths(root):
    """Listed paths to ``root/secret.jpg`` (written), which is outside
    the image folder ``root/images``, and how each is refused."""
    write_image(root / 'secret.jpg')
    return [
        ('../secret.jpg', 'climbs out of the image folder with ".."'),
        ('img/../../secret.jpg', 'climbs out of the image folder'),
        (str(root / 'secret.jpg'), 'is an absolute path'),
    ]


@pytest.mark.parametrize('case', range(3))
@pytest.mark.parametrize('check_files', [False, True])
def test_a_path_outside_the_image_folder_is_refused_unless_allowed(
    tmp_path, case, check_files
):
    listed, why = outside_paths(tmp_path)[case]
    write_image(tmp_path / 'images' / 'ok.jpg')
    text = f'ok.jpg 0\n{listed} 1\n'
    with pytest.raises(
        ValueError,
        match=rf'list.txt line 2: {re.escape(repr(listed))} {why}.*'
        'allow_outside_prefix=True',
    ):
        list_dataset(tmp_path, text, check_files=check_files)
    dataset = list_dataset(
        tmp_path, text, check_files=check_files, allow_outside_prefix=True
    )
    # the image the path names, found (check_files) where it lies
    img_path = dataset.get_data_info(1)['img_path']
    assert osp.realpath(img_path) == str(tmp_path / 'secret.jpg')


def test_a_windows_drive_counts_as_absolute(tmp_path):
    with pytest.raises(ValueError, match="line 1: 'C:/x.jpg' is an absolute"):
        list_dataset(tmp_path, 'C:/x.jpg 0\n')
    dataset = list_dataset(tmp_path, 'C:/x.jpg 0\n', allow_outside_prefix=True)
    assert dataset.get_data_info(0)['img_path'].endswith('C:/x.jpg')


@pytest.mark.parametrize(
    'text,why',
    [
        ('img\\0.jpg 0\n', 'contains a backslash; separate the folders'),
        ('img/.. 0\n', 'names the image folder, not an image'),
    ],
)
def test_a_path_that_names_no_image_file_is_refused(tmp_path, text, why):
    for allow in (False, True):
        with pytest.raises(ValueError, match=rf'list.txt line 1: .* {why}'):
            list_dataset(tmp_path, text, allow_outside_prefix=allow)


def link_out(root):
    """``root/images/link.jpg``, a symlink to ``root/outside/secret.jpg``,
    and the real ``root/images/ok.jpg``."""
    write_image(root / 'outside' / 'secret.jpg')
    write_image(root / 'images' / 'ok.jpg')
    (root / 'images' / 'link.jpg').symlink_to(root / 'outside' / 'secret.jpg')


def test_a_symlink_out_of_the_image_folder_is_refused_unless_allowed(
    tmp_path,
):
    link_out(tmp_path)
    text = 'ok.jpg 0\nlink.jpg 1\n'
    with pytest.raises(
        ValueError,
        match=r'list.txt line 2: image .*link.jpg resolves to '
        r'.*outside/secret.jpg, outside the image folder .*images '
        r'\(a symlink leads out of it\).*allow_outside_prefix=True',
    ):
        list_dataset(tmp_path, text, check_files=True)
    dataset = list_dataset(
        tmp_path, text, check_files=True, allow_outside_prefix=True
    )
    assert dataset.get_data_info(1)['img_path'] == str(
        tmp_path / 'images' / 'link.jpg'
    )
    # without check_files nothing is resolved: the text alone is checked
    assert len(list_dataset(tmp_path, text, check_files=False)) == 2


def test_a_linked_sub_folder_is_outside_but_a_linked_image_folder_is_not(
    tmp_path,
):
    write_image(tmp_path / 'disk' / 'train' / '0.jpg')
    (tmp_path / 'images').mkdir()
    (tmp_path / 'images' / 'train').symlink_to(tmp_path / 'disk' / 'train')
    with pytest.raises(ValueError, match='line 1: image .* resolves to'):
        list_dataset(tmp_path, 'train/0.jpg 0\n', check_files=True)
    # the image folder itself may be a link: it is compared resolved
    (tmp_path / 'linked').symlink_to(tmp_path / 'disk')
    dataset = list_dataset(
        tmp_path, 'train/0.jpg 0\n', data_prefix='linked', check_files=True
    )
    assert dataset.get_data_info(0)['img_path'] == str(
        tmp_path / 'linked' / 'train' / '0.jpg'
    )


def test_a_list_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path):
    text = 'a.jpg 0\nb.jpg 1\n'.encode() + b'caf\xe9.jpg 2\n'
    for bom in (b'', b'\xef\xbb\xbf'):
        with pytest.raises(
            ValueError,
            match=r'list.txt line 3: byte 0xe9 at column 4 is not UTF-8; '
            'save the list file as UTF-8',
        ):
            list_dataset(tmp_path, bom + text)
    # a UTF-8 name (and a byte-order mark) is read as it is
    dataset = list_dataset(tmp_path, '\ufeffcafé.jpg 2\nb.jpg 0\n')
    assert dataset.get_data_info(0)['img_path'] == str(
        tmp_path / 'images' / 'café.jpg'
    )
    assert list(dataset.get_gt_labels()) == [2, 0]


@pytest.mark.parametrize(
    'label', ['1_0', '+1', '\uff11', '\u0661', '1.0', '0x1', '1e0']
)
def test_a_label_that_is_not_plain_ascii_digits_is_refused(tmp_path, label):
    with pytest.raises(
        ValueError,
        match=r'list.txt line 2: expected "relative/path label" with the '
        rf'label in ASCII digits 0-9, got {re.escape(repr(f"b.jpg {label}"))}',
    ):
        list_dataset(tmp_path, f'a.jpg 0\nb.jpg {label}\n')


def test_plain_labels_may_have_leading_zeros(tmp_path):
    dataset = list_dataset(tmp_path, 'a.jpg 00\nb.jpg 02\n')
    assert list(dataset.get_gt_labels()) == [0, 2]


@pytest.mark.parametrize(
    'text,match',
    [
        ('a.jpg 0\n../b.jpg 1\n', 'line 2: .* climbs out'),
        ('a.jpg 0\nb.jpg +1\n', 'line 2: expected'),
        (b'a.jpg 0\n\xff.jpg 1\n', 'line 2: byte 0xff'),
        ('a.jpg 0\n./a.jpg 0\n', r'line 2: ./a.jpg \(= a.jpg\) is listed'),
    ],
)
def test_the_training_list_is_read_by_the_same_rules(tmp_path, text, match):
    path = tmp_path / 'train.txt'
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    with pytest.raises(ValueError, match=f'train.txt {match}'):
        list_dataset(tmp_path, 'a.jpg 0\n', train_ann_file='train.txt')
