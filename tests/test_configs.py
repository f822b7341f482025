"""Every shipped config parses, builds its model and hooks, is named as
configs/README.md says (``{method}_{backbone}_{epochs}e_{dataset}.py`` in
its method's folder), and follows the recipe its name promises."""

import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config
from mmpretrain.registry import HOOKS, MODELS

from mmlt.datasets import long_tail_counts, shot_classes
from mmlt.datasets.batch_path_config import wrapped_pipeline

from conftest import REPO

METHOD_FOLDERS = (
    'ce',
    'ldam_drw',
    'reweighting',
    'resampling',
    'decoupling',
    'mixup',
    'bag_of_tricks',
    'bbn',
    'weight_balancing',
    'seesaw',
    'cdt',
    'vs_loss',
    'ib_loss',
    'mislas',
    'seql',
    'remix',
    'ride',
    'sade',
    'dive',
    'lfme',
    'oltr',
    'feature_cloud',
)
# a method folder's _base_*.py files hold settings its configs share
CONFIGS = sorted(
    p
    for folder in METHOD_FOLDERS
    for p in glob.glob(osp.join(REPO, 'configs', folder, '*.py'))
    if not osp.basename(p).startswith('_base_')
)
# the model card's entry points, thin files inheriting a method's config
ENTRY_POINTS = sorted(glob.glob(osp.join(REPO, 'configs', '*.py')))
NAME = re.compile(
    r'(?P<method>[a-z0-9-]+)_(?P<backbone>resnet\d+|resnext50)_'
    r'(?:(?P<epochs>\d+)e_)?(?P<dataset>[a-z0-9-]+)\.py'
)
# data set token -> (test set type, number of classes)
DATASETS = {
    'mnist-lt': ('MNISTLT', 10),
    'cifar10-lt': ('CIFAR10LT', 10),
    'cifar100-lt': ('CIFAR100LT', 100),
    'imagenet-lt': ('ImageListLT', 1000),
    'inat2018': ('ImageListLT', 8142),
    'places-lt': ('ImageListLT', 365),
    'fashion-mnist-lt': ('FashionMNISTLT', 10),
    # two classes held out as the open set (OpenSetSplit): digits 4 and 5,
    # Coat and Sandal
    'mnist-lt-open': ('MNISTLT', 8),
    'fashion-mnist-lt-open': ('FashionMNISTLT', 8),
    # OLTR's open lists (*_open.txt, label -1) beside the test list
    'imagenet-lt-open': ('ImageListLT', 1000),
    'places-lt-open': ('ImageListLT', 365),
}
# backbone token -> (backbone type, depth)
BACKBONES = {
    'resnet10': ('ResNet10', 10),
    'resnet8': ('CifarResNet', 8),
    'resnet32': ('CifarResNet', 32),
    'resnet34': ('ResNet_CIFAR', 34),
    'resnet50': ('ResNet', 50),
    'resnext50': ('ResNeXt', 50),
    'resnet152': ('ResNet', 152),
}


def lfme_thresholds(dataset: str) -> tuple:
    """The shot groups' thresholds of a data set's LFME configs: on
    ImageNet-LT the official groups (many >= 100, few <= 20)."""
    return {
        'fashion-mnist-lt': (1000, 200),
        'cifar10-lt': (1000, 200),
        'imagenet-lt': (99, 21),
    }.get(dataset, (100, 20))


#: the official ImageNet-LT groups' sizes (xiangly55/LFME, LFME.py)
IMAGENET_LT_GROUPS = {'many': 391, 'medium': 463, 'few': 146}


def lfme_group_size(dataset: str, shot: str) -> int:
    """The number of classes of a shot group of a data set's LFME
    configs: from the ratio-100 training split, ImageNet-LT's the official
    code's."""
    if dataset == 'imagenet-lt':
        return IMAGENET_LT_GROUPS[shot]
    largest = {
        'mnist-lt': 400,
        'fashion-mnist-lt': 6000,
        'cifar10-lt': 5000,
        'cifar100-lt': 500,
    }[dataset]
    counts = long_tail_counts(largest, DATASETS[dataset][1], 'exp', 0.01)
    return len(shot_classes(counts, shot, *lfme_thresholds(dataset)))


def check_lfme_student(cfg, model, name: str, dataset: str) -> None:
    """LFME's student: the official loss settings, one expert a shot group
    of the student's thresholds, each the matching lfme-expert config and
    its final checkpoint, and the self-paced schedules measured on the
    held-out 'val' split, never the test split."""
    assert type(model).__name__ == 'LFMEClassifier'
    loss = cfg.model.head.loss
    assert loss.type == 'LFMELoss' and loss.temperature == 2
    assert (model.many_thr, model.few_thr) == lfme_thresholds(dataset)
    assert model.shots == ['many', 'medium', 'few']
    # the experts train as long as the student, but the official
    # ImageNet-LT ones for 120 epochs (the student 90)
    epochs = cfg.train_cfg.max_epochs
    expert_epochs = 120 if dataset == 'imagenet-lt' else epochs
    rest = name[len('lfme') :].replace(f'_{epochs}e_', f'_{expert_epochs}e_')
    for expert, shot in zip(cfg.model.experts, model.shots):
        config = f'configs/lfme/lfme-expert-{shot}{rest}'
        assert expert.config == config
        assert expert.checkpoint == (
            f'work_dirs/{osp.basename(config)[:-3]}/epoch_{expert_epochs}.pth'
        )
        expert_cfg = Config.fromfile(osp.join(REPO, config))
        assert expert_cfg.train_cfg.max_epochs == expert_epochs
        assert expert_cfg.model.head.num_classes == lfme_group_size(
            dataset, shot
        )
    (hook,) = cfg.custom_hooks
    assert hook.type == 'LFMEHook' and hook.get('decay_thresh', 0.3) == 0.3
    data_type = cfg.train_dataloader.dataset.type
    for loader, split in (
        (hook.val_dataloader, 'val'),
        (hook.train_eval_dataloader, 'train'),
    ):
        assert loader.dataset.type == data_type
        if data_type == 'ImageListLT':  # the list files of the splits
            assert loader.dataset.ann_file == f'ImageNet_LT_{split}.txt'
        else:
            assert loader.dataset.split == split


def check_oltr_stage2(cfg, model, backbone, dataset, schedule) -> None:
    """OLTR's stage 2: the attention neck on the backbone's last map, the
    meta-embedding head, the official optimizer groups, the centroids from
    the training split, and the data set's CE recipe as stage 1 (on
    Places-LT OLTR's own, with its linear layer; the official Places-LT
    stage 2 trains only the neck and the head, at a tenth the rates)."""
    if cfg.test_dataloader.dataset.type == 'ConcatDataset':
        # an open-set test on OLTR's lists: the closed recipe's model
        dataset = dataset[: -len('-open')]
    places = dataset == 'places-lt'
    assert type(model.neck).__name__ == 'ModulatedAttentionNeck'
    map_size = (8, 8) if dataset.startswith('cifar') else (7, 7)
    assert model.neck.feat_size == map_size
    # the official stage 2's linear layer, as wide as the last map (512
    # after ResNet-152's 2048 channels)
    assert model.neck.fc.out_features == (
        512 if places else model.neck.fc.in_features
    )
    assert model.head.in_channels == model.neck.fc.out_features
    assert type(model.head).__name__ == 'MetaEmbeddingHead'
    assert (model.head.reachability_scale, model.head.cosnorm_scale) == (
        10,
        16,
    )
    loss = model.head.centroid_loss
    assert (loss.margin, loss.repel_weight, loss.loss_weight) == (
        10,
        0.01,
        0.01,
    )
    optimizer = cfg.optim_wrapper.optimizer
    assert (optimizer.lr, optimizer.momentum) == (0.01 if places else 0.1, 0.9)
    assert optimizer.weight_decay == 5e-4
    keys = cfg.optim_wrapper.paramwise_cfg.custom_keys
    features, centroids = (0.01, 1.0) if places else (0.1, 0.1)
    assert keys == {
        'backbone': dict(lr_mult=features),
        'neck': dict(lr_mult=features),
        'head.centroids': dict(lr_mult=centroids),
    }
    steps = cfg.param_scheduler[-1]
    epochs = cfg.train_cfg.max_epochs
    assert steps.milestones == [epochs // 3, 2 * epochs // 3]
    assert steps.gamma == 0.1
    assert len(cfg.custom_hooks) == (2 if places else 1)
    hook = cfg.custom_hooks[-1]
    assert hook.type == 'ClassCentroidsHook'
    # the training split (inside the same wrapper), without augmentation
    scored, trained = (
        hook.train_eval_dataloader.dataset,
        cfg.train_dataloader.dataset,
    )
    assert scored.type == trained.type
    if trained.type == 'OpenSetSplit':
        assert scored.open_classes == trained.open_classes
        scored, trained = scored.dataset, trained.dataset
    assert scored.type == trained.type
    if scored.type == 'ImageListLT':
        assert scored.ann_file == trained.ann_file
    else:
        assert scored.split == 'train'
    pipeline = wrapped_pipeline(hook.train_eval_dataloader.dataset)
    augments = {'RandomCrop', 'RandomFlip', 'RandomResizedCrop', 'ColorJitter'}
    assert pipeline and not augments & {t['type'] for t in pipeline}
    # what the stage-1 model lacks, and only that: its backbone and head.fc
    # (the hallucinator) must fit
    assert cfg.load_partial == [
        'neck',
        'head.selector',
        'head.cosnorm_weight',
        'head.centroids',
    ]
    stage1 = f'ce_{backbone}_{schedule}e_{dataset}'
    folder = 'ce'
    if places:
        stage1, folder = f'oltr-plain_{backbone}_{schedule}e_places-lt', 'oltr'
    assert osp.isfile(osp.join(REPO, 'configs', folder, stage1 + '.py'))
    assert cfg.load_from == f'work_dirs/{stage1}/epoch_{schedule}.pth'


def test_configs_are_found():
    assert len(CONFIGS) >= 100
    assert {osp.basename(p) for p in ENTRY_POINTS} == {
        f'{m}_{d}_lt.py'
        for m in ('ce', 'ldam')
        for d in ('mnist', 'cifar10', 'cifar100')
    }
    # every config lives in a method's folder or is an entry point
    everything = {
        p
        for p in glob.glob(
            osp.join(REPO, 'configs', '**', '*.py'), recursive=True
        )
        if '_base_' not in p
    }
    assert everything == set(CONFIGS) | set(ENTRY_POINTS)


def config_dict(path):
    cfg = Config.fromfile(path).to_dict()
    cfg.pop('filename', None)
    return cfg


@pytest.mark.parametrize(
    'path', ENTRY_POINTS, ids=[osp.basename(p) for p in ENTRY_POINTS]
)
def test_an_entry_point_is_its_method_config(path):
    with open(path) as f:
        text = f.read()
    bases = re.findall(r"_base_ = \['\./([^']+)'\]", text)
    assert len(bases) == 1 and bases[0].split('/')[0] in METHOD_FOLDERS
    target = osp.join(REPO, 'configs', bases[0])
    assert config_dict(path) == config_dict(target)
    method = NAME.fullmatch(osp.basename(target))['method']
    assert method == (
        'ce' if osp.basename(path).startswith('ce_') else 'ldam-drw'
    )


@pytest.mark.parametrize(
    'path', CONFIGS, ids=[osp.relpath(p, REPO) for p in CONFIGS]
)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.custom_imports['imports'] == ['mmlt']
    model = MODELS.build(cfg.model)
    # class counts come from the runtime's default hook, for train and test
    assert cfg.default_hooks.class_counts.type == 'SetClassCountsHook'
    hook_types = [h['type'] for h in cfg.get('custom_hooks', [])]
    assert 'SetClassCountsHook' not in hook_types
    hooks = [HOOKS.build(dict(h)) for h in cfg.get('custom_hooks', [])]

    name = NAME.fullmatch(osp.basename(path))
    assert name, f'{path}: not {{method}}_{{backbone}}_{{epochs}}e_{{data}}.py'
    method, dataset = name['method'], name['dataset']
    tokens = method.split('-')
    backbone_type, depth = BACKBONES[name['backbone']]
    if tokens[0] in ('ride', 'sade'):
        backbone_type = 'MultiExpert' + backbone_type
    assert model.backbone.__class__.__name__ == backbone_type
    assert cfg.model.backbone.depth == depth
    assert dataset in DATASETS, f'add {dataset} to DATASETS'
    test_type, num_classes = DATASETS[dataset]
    test_set = cfg.test_dataloader.dataset
    train_set = (cfg.train_dataloader or {}).get('dataset')
    if method.startswith('lfme-expert'):
        # LFME's experts: one shot group's classes, numbered from 0, the
        # groups of the data set's evaluator
        thresholds = lfme_thresholds(dataset)
        for subset in (train_set, test_set):
            assert subset.type == 'ShotSubset' and subset.shot == tokens[2]
            assert (subset.many_thr, subset.few_thr) == thresholds
        num_classes = lfme_group_size(dataset, tokens[2])
        test_set, train_set = test_set.dataset, train_set.dataset
    open_set = dataset.endswith('-open')
    if open_set:
        # OLTR's open-set test: the known classes' accuracy, then the
        # F-measure
        assert [e['type'] for e in cfg.test_evaluator] == [
            'LongTailAccuracy',
            'OpenSetFMeasure',
        ]
        dataset = dataset[: -len('-open')]
    if open_set and test_set.type == 'ConcatDataset':
        # on its lists: the test list, then the official *_open.txt in its
        # own folder, at OLTR's threshold
        closed, opened = test_set.datasets
        stem = 'Places_LT' if dataset.startswith('places') else 'ImageNet_LT'
        assert opened == dict(
            closed,
            ann_file=f'{stem}_open.txt',
            data_prefix=f'{stem}_open',
            allow_unknown=True,
        )
        assert closed == cfg.val_dataloader.dataset
        assert cfg.test_evaluator[1].threshold == 0.1
        test_set = closed
    elif open_set:
        # held out of training, labelled -1 in the test split
        for subset in (train_set, test_set):
            assert subset.type == 'OpenSetSplit' and subset.open_classes == [
                4,
                5,
            ]
        assert test_set.keep_open and not train_set.get('keep_open', False)
        # OLTR's 0.1 rejects nothing over 8 classes (>= 1/8)
        assert cfg.test_evaluator[1].threshold == 0.5
        test_set, train_set = test_set.dataset, train_set.dataset
    assert test_set.type == test_type
    assert model.head.num_classes == num_classes
    assert cfg.data_preprocessor.num_classes == num_classes
    if dataset == 'fashion-mnist-lt':
        # its shot groups (docs/fashion_mnist_lt.md), not OLTR's 100 / 20
        for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
            if isinstance(evaluator, list):  # the accuracy first
                evaluator = evaluator[0]
            thresholds = (evaluator.get('many_thr'), evaluator.get('few_thr'))
            assert thresholds == (1000, 200)
    if test_type == 'ImageListLT':  # the whole list's classes
        assert test_set.num_classes == DATASETS[dataset][1]
    # the name's epochs are the schedule's; a config that trains nothing
    # (tau-norm) has none
    if cfg.train_cfg is None:
        assert name['epochs'] is None
    else:
        assert int(name['epochs']) == cfg.train_cfg.max_epochs

    retrain = [
        h for h in hooks if type(h).__name__ == 'ClassifierRetrainingHook'
    ]
    # mixup recipes (and MiSLAS's stage 1): input mixup is mmpretrain's
    # batch augment; Remix is mmlt's, beside it
    augments = (cfg.model.get('train_cfg') or {}).get('augments')
    if tokens[0] == 'mixup' or method == 'mislas-stage1':
        assert augments.type == 'Mixup'
    elif method == 'remix':
        assert augments.type == 'Remix'
        assert (augments.alpha, augments.kappa, augments.tau) == (1, 3, 0.5)
    else:
        assert augments is None
    assert (type(model).__name__ == 'ManifoldMixupClassifier') == (
        method == 'manifold-mixup'
    )
    finetune = [h for h in hooks if type(h).__name__ == 'MixupFinetuneHook']
    assert len(finetune) == ('ft' in tokens)
    # a stage 1 stops where its stage 2's schedule starts (80% of its data
    # set's schedule: MNIST-LT's 100 epochs, the Fashion-MNIST-LT CPU
    # recipe's 15, the CIFAR-LT recipe's 200)
    if dataset == 'mnist-lt':
        schedule = 100
    elif (dataset, name['backbone']) == ('fashion-mnist-lt', 'resnet8'):
        schedule = 15
    elif (dataset, name['backbone']) == ('imagenet-lt', 'resnet10'):
        # OLTR's plain ResNet-10 (its stage 1)
        schedule = 30
    elif dataset == 'places-lt':
        # the ImageNet ResNet-152 fine-tuned for 30 epochs (Decoupling's
        # and OLTR's stage 1)
        schedule = 30
    else:
        schedule = 200
    if tokens[0] == 'mislas':
        # MiSLAS: the whole schedule, then 10 epochs (2 after the CPU
        # recipe's 15, as cRT's)
        if 'stage1' in tokens:
            assert cfg.train_cfg.max_epochs == schedule
        elif 'stage2' in tokens:
            assert cfg.train_cfg.max_epochs == (2 if schedule == 15 else 10)
    elif 'stage1' in tokens:
        assert cfg.train_cfg.max_epochs == 0.8 * schedule
    elif 'stage2' in tokens:
        assert cfg.train_cfg.max_epochs == 0.2 * schedule
    elif 'router' in tokens:
        # RIDE's router: 5 epochs after any stage 1, as the official
        assert cfg.train_cfg.max_epochs == 5
    if method == 'tau-norm':
        assert model.head.tau == 1.0
        assert cfg.train_cfg is None and cfg.train_dataloader is None
        return
    if tokens[0] == 'cam':
        # CAM-based re-sampling trains on the CAM set of its stage 1
        assert train_set.type == 'CAMAugmentedDataset'
        assert train_set.data_file.startswith(
            f'work_dirs/cam_sets/{dataset.replace("-", "_")}'
        )
    elif test_type == 'ImageListLT':
        # the test list records the training list's counts (shot groups)
        assert train_set.type == test_set.type
        assert test_set.train_ann_file == train_set.ann_file
    else:
        assert train_set.type == test_set.type
        # the test split must take the training profile (shot groups)
        assert test_set.imb_factor == train_set.imb_factor
    max_epochs = cfg.train_cfg.max_epochs
    drw = [h for h in hooks if type(h).__name__ == 'DRWHook']
    if method == 'cdt-drw':
        # Bag of Tricks' DRW + CDT: the loss itself starts at DRW's epoch
        assert not drw
        assert cfg.model.head.loss.start_epoch == 0.8 * max_epochs
    elif 'drw' in tokens or (tokens[0] == 'ride' and 'router' not in tokens):
        assert len(drw) == 1
        assert drw[0].drw_epoch == 0.8 * cfg.train_cfg.max_epochs
    else:
        assert not drw
    sampler = cfg.train_dataloader.sampler
    if 'drs' in tokens:
        assert sampler.type == 'DeferredResampler'
        assert sampler.switch_epoch == 0.8 * max_epochs
    elif 'progressive' in tokens:
        assert sampler.type == 'ProgressivelyBalancedSampler'
        assert sampler.num_epochs == max_epochs
    elif method in (
        'cb-sampling',
        'crt',
        'lws',
        'cb-stage2',
        'mislas-stage2',
        'ride-router',
    ) or (method.startswith('cam-cb')):
        assert sampler.type == 'ClassBalancedSampler'
        assert sampler.get('q', 0.0) == 0.0
    elif method in ('lfme', 'oltr'):
        # LFME's CurricSampler and OLTR's ClassAwareSampler: 4 images a
        # class visit
        assert sampler.type == 'ClassAwareSampler'
        assert sampler.num_samples_cls == 4
    elif method == 'sqrt-sampling' or method.startswith('cam-sqrt'):
        assert sampler.type == 'SquareRootSampler'
    elif method == 'bbn':
        # pairs (an instance-sampled and a reversed-sampled image), alpha
        # decaying over the epochs, two branches and their head
        assert sampler.type == 'BilateralBranchSampler'
        assert cfg.train_dataloader.batch_size % 2 == 0
        assert [type(h).__name__ for h in hooks] == ['CumulativeLearningHook']
        assert hooks[0].schedule == 'parabolic_decay'
        assert type(model).__name__ == 'BBNClassifier'
        assert type(model.head).__name__ == 'BBNHead'
    else:
        assert sampler.type == 'DefaultSampler'
    # decoupled stage 2: a frozen representation, from a stage-1 checkpoint
    if method in ('crt', 'lws'):
        assert len(retrain) == 1 and cfg.load_from is None
        assert retrain[0].reinit == (method == 'crt')
        assert retrain[0].trainable == (
            ('head',) if method == 'crt' else ('head.scales',)
        )
    elif method in ('wb-cb-maxnorm', 'mislas-stage2'):
        # weight balancing's and MiSLAS's stage 2 fine-tune the stage-1
        # classifier; MiSLAS's BatchNorm statistics shift on CIFAR-100-LT
        # (its configs' shift_bn)
        assert len(retrain) == 1 and cfg.load_from is None
        assert not retrain[0].reinit and retrain[0].trainable == ('head',)
        assert retrain[0].update_norm_statistics == (
            method == 'mislas-stage2' and dataset == 'cifar100-lt'
        )
    elif method == 'ride-router':
        # the stage-1 experts frozen, their routers trained from the
        # official initialisation, a checkpoint without them loading
        assert len(retrain) == 1 and cfg.load_from is None
        routers = ('head.router_hidden', 'head.router_fc')
        assert not retrain[0].reinit and retrain[0].trainable == routers
        assert tuple(cfg.load_partial) == routers
        assert type(model.head).__name__ == 'ExpertRouterClsHead'
        # batch 512 (64 on each of 8 GPUs on ImageNet-scale data)
        assert cfg.train_dataloader.batch_size == (
            64 if test_type == 'ImageListLT' else 512
        )
        if test_type == 'ImageListLT':
            assert cfg.auto_scale_lr.base_batch_size == 512
        assert model.head.top_k == (
            50
            if test_type == 'ImageListLT'
            else 30
            if num_classes == 100
            else 5
        )
        for evaluator in (cfg.val_evaluator, cfg.test_evaluator):
            assert [e['type'] for e in evaluator] == [
                'LongTailAccuracy',
                'ExpertUsageMetric',
            ]
    elif method == 'oltr' and dataset == 'places-lt':
        # OLTR's Places-LT stage 2: the feature model frozen but the neck
        # (requires_grad only: the batch norms' statistics update)
        assert len(retrain) == 1
        assert retrain[0].trainable == ('neck', 'head')
        assert not retrain[0].reinit and retrain[0].update_norm_statistics
    else:
        assert not retrain
    # weight balancing: stage 1 CE with a raised weight decay; stage 2 a
    # class-balanced loss, weight decay 0.1 and MaxNorm on the classifier
    max_norm = [h for h in hooks if type(h).__name__ == 'MaxNormHook']
    loss = cfg.model.head.loss
    weight_decay = cfg.optim_wrapper.optimizer.weight_decay
    if method == 'wb-ce':
        assert loss.type == 'CrossEntropyLoss' and not max_norm
        assert weight_decay == (5e-4 if dataset == 'inat2018' else 5e-3)
    elif method == 'wb-cb-maxnorm':
        assert loss.type == 'WeightedCrossEntropyLoss'
        assert loss.weighting == 'class_balanced' and loss.beta == 0.9999
        assert weight_decay == 0.1
        assert len(max_norm) == 1 and max_norm[0].params == ('head.fc.weight',)
        assert max_norm[0].relative and max_norm[0].threshold == 0.1
    else:
        assert not max_norm
    # Bag of Tricks' gallery: each loss with its official settings
    gallery = {
        'cdt': 'CDTLoss',
        'cdt-drw': 'CDTLoss',
        'vs': 'VSLoss',
        'seql': 'SoftmaxEQLLoss',
        'las': 'LabelAwareSmoothingLoss',
        'mislas-stage2': 'LabelAwareSmoothingLoss',
        'ib': 'InfluenceBalancedLoss',
    }
    if method in gallery:
        assert loss.type == gallery[method]
    if method.startswith('cdt'):
        assert loss.gamma == 0.2
    if tokens[0] == 'dive':
        # Bag of Tricks' DiVE: a Balanced Softmax teacher with a linear
        # classifier, the student at the gallery's T, power and alpha; the
        # gallery's steps on its 200-epoch schedule, the data set's own on
        # the CPU recipes
        assert type(model.head).__name__ == 'LinearClsHead'
        steps = cfg.param_scheduler[-1]
        if schedule == 200:
            assert steps.milestones == [120, 160] and steps.gamma == 0.01
        if method == 'dive-teacher':
            assert loss.type == 'BalancedSoftmaxLoss'
        else:
            assert type(model).__name__ == 'DistillationClassifier'
            assert loss.type == 'DiVELoss'
            assert (loss.temperature, loss.power, loss.alpha) == (2, 0.5, 0.5)
            rest = osp.basename(path)[len('dive') :]
            teacher = cfg.model.teacher
            assert teacher.config == (
                f'configs/dive/dive-teacher{rest}'
                if schedule == 200
                else f'configs/reweighting/balanced-softmax{rest}'
            )
            assert teacher.checkpoint == (
                f'work_dirs/{osp.basename(teacher.config)[:-3]}/'
                f'epoch_{max_epochs}.pth'
            )
            teacher_cfg = Config.fromfile(osp.join(REPO, teacher.config))
            assert teacher_cfg.model.head.loss.type == 'BalancedSoftmaxLoss'
            assert teacher_cfg.param_scheduler == cfg.param_scheduler
    if method in ('feature-cloud', 'cosine-ce'):
        # the cloud over the data set's many-shot group, on the cosine
        # classifier; its baseline the same loss without a cloud
        assert type(model.head).__name__ == 'LDAMHead'
        assert loss.type == 'FeatureCloudLoss'
        assert loss.num_classes == num_classes
        assert loss.head_thr == (
            1000 if dataset == 'fashion-mnist-lt' else 100
        )
        cloud = model.head.loss_module.spread_scale
        assert cloud == (1.0 if method == 'feature-cloud' else 0.0)
    if method == 'lfme':
        check_lfme_student(cfg, model, osp.basename(path), dataset)
    if method == 'oltr':
        check_oltr_stage2(
            cfg, model, name['backbone'], name['dataset'], schedule
        )
    if method == 'seql':
        assert loss.threshold == (0.005 if num_classes == 100 else 0.05)
        assert loss.gamma == 0.9
    if method == 'ib':
        # CE until half the schedule (rounded up), the lr 100-fold down there
        assert type(model.head).__name__ == 'FeatureNormLinearClsHead'
        assert loss.start_epoch == -(-max_epochs // 2)
        steps = cfg.param_scheduler[-1]
        assert steps.milestones[0] == loss.start_epoch and steps.gamma == 0.01
    if method == 'mislas-stage2':
        assert type(model.head).__name__ == 'LWSLinearClsHead'
        lr_mult = cfg.optim_wrapper.paramwise_cfg.custom_keys['head.fc']
        assert lr_mult == dict(lr_mult=0.2 if num_classes == 100 else 0.5)
        assert (loss.smooth_head, loss.smooth_tail) == (
            (0.4, 0.1) if num_classes == 100 else (0.3, 0.0)
        )
    # RIDE and SADE: the official multi-expert ResNet (reduced widths,
    # cosine classifiers x 30), 3 experts unless the name says otherwise;
    # the official CIFAR optimiser and augmentation on CIFAR-LT
    if tokens[0] in ('ride', 'sade'):
        named = [t for t in tokens if t.endswith('experts')]
        experts = int(named[0][: -len('experts')]) if named else 3
        assert model.backbone.num_experts == model.head.num_experts == experts
        imagenet = test_type == 'ImageListLT'
        width = 1536 if imagenet else 48
        assert model.head.in_channels == model.backbone.out_channels == width
        assert model.backbone.experts[0] is not model.backbone.experts[-1]
        assert model.head.scale == 30
        pipeline = [t['type'] for t in train_set.pipeline]
        optimizer = cfg.optim_wrapper.optimizer
        official = dataset.startswith('cifar') or schedule == 200
        assert ('Rotate' in pipeline) == dataset.startswith('cifar')
        # the official ImageNet-LT loader's colour jitter (iNaturalist's
        # has none)
        assert ('ColorJitter' in pipeline) == (dataset == 'imagenet-lt')
        steps = cfg.param_scheduler[-1]
        if 'router' in tokens:
            # the official router schedule on every data set
            assert (optimizer.lr, optimizer.weight_decay) == (0.01, 5e-4)
            assert optimizer.nesterov and steps.type == 'CosineAnnealingLR'
        elif imagenet and method == 'sade' and dataset == 'imagenet-lt':
            # SADE's own ImageNet-LT schedule
            assert optimizer.nesterov and optimizer.weight_decay == 5e-4
            assert optimizer.lr == 0.025 and steps.T_max == 180
        elif imagenet:
            # RIDE's ImageNet-LT and iNaturalist schedule (SADE's on
            # iNaturalist)
            assert optimizer.nesterov and optimizer.weight_decay == 2e-4
            assert steps.milestones == [60, 80] and steps.gamma == 0.1
            assert optimizer.lr == (0.2 if dataset == 'inat2018' else 0.1)
        else:
            assert optimizer.get('nesterov', False) == official
            assert optimizer.weight_decay == (5e-4 if official else 2e-4)
            assert steps.gamma == (
                0.1 if official and tokens[0] == 'sade' else 0.01
            )
    if method == 'ride-router':
        assert loss.type == 'ExpertRouterLoss' and loss.pos_weight == 100
    elif tokens[0] == 'ride':
        # distilled from a 6-expert teacher of the same recipe at the
        # official temperature, its 20-epoch warm-up on CIFAR-LT
        distill = 'distill' in tokens
        assert loss.type == ('RIDEDistillLoss' if distill else 'RIDELoss')
        # the official CIFAR-LT factor; ImageNet-LT's and iNaturalist's
        # with their reweight factors
        assert loss.diversity_factor == (-0.2 if imagenet else -0.45)
        if imagenet:
            assert loss.reweight_factor == (
                0.015 if dataset == 'inat2018' else 0.02
            )
        assert model.head.loss_module.max_m == 0.5
        assert (type(model).__name__ == 'DistillationClassifier') == distill
        if distill:
            assert loss.distill_temperature == 1.5
            teacher = cfg.model.teacher
            assert teacher.config == osp.join(
                'configs',
                'ride',
                osp.basename(path).replace('ride-distill', 'ride-6experts'),
            )
            assert teacher.checkpoint == (
                f'work_dirs/{osp.basename(teacher.config)[:-3]}/'
                f'epoch_{max_epochs}.pth'
            )
            warmup = cfg.param_scheduler[0]
            if imagenet or schedule != 200:
                # the recipe's own: 5 epochs (ImageNet-LT, iNaturalist and
                # MNIST-LT) or 1 (the Fashion-MNIST-LT CPU recipe)
                assert warmup.end == (1 if schedule == 15 else 5)
            else:
                assert warmup.end == 20 and warmup.start_factor == 0.05
    if tokens[0] == 'sade':
        # the official tau: 1 on iNaturalist, 2 elsewhere
        assert loss.type == 'SADELoss'
        assert loss.tau == (1.0 if dataset == 'inat2018' else 2.0)
    aggregation = [
        h for h in hooks if type(h).__name__ == 'TestTimeAggregationHook'
    ]
    assert len(aggregation) == ('aggregation' in tokens)
    # Seesaw: mmpretrain's loss with the head's number of classes
    if method == 'seesaw':
        assert loss.type == 'SeesawLoss' and (loss.p, loss.q) == (0.8, 2.0)
        assert loss.num_classes == num_classes
        assert type(model.head.loss_module).__name__ == 'SeesawLoss'


def test_every_batch_path_config_converts_and_runs_on_mmlts_runner():
    """A config's ``batch_path = True`` is applied by mmlt's Runner; its
    pipeline must be one the batch path runs, with the same crop."""
    from mmlt.datasets import to_batch_path
    from mmlt.datasets.batch_path_config import wrapped_pipeline

    on_batch_path = [
        p for p in CONFIGS if Config.fromfile(p).get('batch_path')
    ]
    # the CPU recipes, where it is faster (docs/throughput.md): every
    # MNIST-LT one and Fashion-MNIST-LT's ResNet-8 ones
    names = {p: NAME.fullmatch(osp.basename(p)) for p in CONFIGS}
    assert on_batch_path == [
        p
        for p, name in names.items()
        if name['dataset'].startswith('mnist-lt')
        or (
            name['dataset'].startswith('fashion-mnist-lt')
            and name['backbone'] == 'resnet8'
        )
    ]
    assert len(on_batch_path) > 60
    for path in on_batch_path:
        cfg = Config.fromfile(path)
        assert cfg.runner_type == 'mmpretrain.WorkDirGuardRunner', path
        converted = to_batch_path(cfg)
        if not cfg.get('train_dataloader'):  # a τ-norm config only tests
            continue
        preprocessor = converted.model.data_preprocessor
        crop = next(
            (
                t
                # through a wrapper data set (LFME's experts' ShotSubset)
                for t in wrapped_pipeline(cfg.train_dataloader.dataset)
                if t['type'] == 'RandomCrop'
            ),
            # the -noaug ablations: no crop on either path
            dict(crop_size=None, padding=0),
        )
        assert preprocessor.crop_size == crop['crop_size'], path
        assert preprocessor.padding == crop['padding'], path
