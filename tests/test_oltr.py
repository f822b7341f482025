"""OLTR (Liu et al., CVPR 2019): the stage-2 pieces against the official
code's formulas (zhmiao/OpenLongTailRecognition-OLTR), the centroids'
start, the optimizer's groups and the open-set metric."""

import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.optim import build_optim_wrapper
from mmengine.runner import autocast
from mmpretrain.registry import DATASETS, METRICS, MODELS
from mmpretrain.structures import DataSample

from mmlt.class_counts import recorded_counts
from mmlt.engine.hooks import class_means
from mmlt.evaluation.metrics import open_set_f_measure, open_set_predictions
from mmlt.models.heads import cosnorm_logits, meta_embedding
from mmlt.models.losses import disc_centroids_loss
from mmlt.models.necks import ModulatedAttentionNeck

from runner_utils import assert_resumes_exactly, build, mnist_cfg

STAGE1 = 'ce/ce_resnet8_100e_mnist-lt.py'
STAGE2 = 'oltr/oltr_resnet8_60e_mnist-lt.py'


# --- the official formulas, transcribed as oracles -------------------------


class OfficialAttract(torch.autograd.Function):
    """DiscCentroidsLossFunc: the centroids' gradient ignores
    grad_output."""

    @staticmethod
    def forward(ctx, feature, label, centroids, batch_size):
        ctx.save_for_backward(feature, label, centroids, batch_size)
        centroids_batch = centroids.index_select(0, label.long())
        return (feature - centroids_batch).pow(2).sum() / 2.0 / batch_size

    @staticmethod
    def backward(ctx, grad_output):
        feature, label, centroids, batch_size = ctx.saved_tensors
        diff = centroids.index_select(0, label.long()) - feature
        counts = centroids.new_ones(centroids.size(0))
        counts.scatter_add_(0, label.long(), centroids.new_ones(len(label)))
        grad_c = centroids.new_zeros(centroids.size())
        grad_c.scatter_add_(0, label.unsqueeze(1).expand_as(feature), diff)
        grad_c = grad_c / counts.view(-1, 1)
        return (
            -grad_output * diff / batch_size,
            None,
            grad_c / batch_size,
            None,
        )


def official_centroid_loss(feat, label, centroids, weight=0.01):
    n, c = feat.size(0), centroids.size(0)
    attract = OfficialAttract.apply(
        feat.clone(), label, centroids.clone(), feat.new_tensor([float(n)])
    ).squeeze()
    distmat = (
        feat.pow(2).sum(1, keepdim=True).expand(n, c)
        + centroids.pow(2).sum(1, keepdim=True).expand(c, n).t()
    )
    distmat = distmat.addmm(feat, centroids.t(), beta=1, alpha=-2)
    mask = label.unsqueeze(1).eq(torch.arange(c).unsqueeze(0))
    distmat = distmat.masked_fill(mask, 0.0)
    repel = torch.clamp(10.0 - distmat.sum() / (n * c), 0.0, 1e6)
    return weight * (attract + 0.01 * repel)


def official_meta_embedding(x, centroids, hallucinator, selector, weight):
    n, c = x.size(0), centroids.size(0)
    x_expand = x.unsqueeze(1).expand(-1, c, -1)
    centroids_expand = centroids.unsqueeze(0).expand(n, -1, -1)
    dist = torch.norm(x_expand - centroids_expand, 2, 2)
    values_nn, _ = torch.sort(dist, 1)
    reachability = (10.0 / values_nn[:, 0]).unsqueeze(1).expand(-1, x.size(1))
    memory = torch.matmul(hallucinator(x).softmax(dim=1), centroids)
    selector_out = selector(x).tanh()
    embedded = reachability * (x + selector_out * memory)
    norm_x = torch.norm(embedded, 2, 1, keepdim=True)
    ex = (norm_x / (1 + norm_x)) * (embedded / norm_x)
    ew = weight / torch.norm(weight, 2, 1, keepdim=True)
    return torch.mm(16 * ex, ew.t())


def official_attention(layer, x):
    """ModulatedAttLayer.embedded_gaussian on an H x W map."""
    n, _, h, w = x.shape
    inter = layer.theta.out_channels
    g_x = layer.g(x).view(n, inter, -1).permute(0, 2, 1)
    theta_x = layer.theta(x).view(n, inter, -1).permute(0, 2, 1)
    phi_x = layer.phi(x).view(n, inter, -1)
    mask_t_p = F.softmax(torch.matmul(theta_x, phi_x), dim=-1)
    map_ = torch.matmul(mask_t_p, g_x).permute(0, 2, 1).contiguous()
    mask = layer.conv_mask(map_.view(n, inter, h, w))
    spatial = layer.fc_spatial(x.view(n, -1)).softmax(dim=1)
    spatial = spatial.view(-1, h, w).unsqueeze(1).expand_as(x)
    return spatial * mask + x


def official_open_f_measure(preds, labels):
    tp = fp = fn = 0.0
    for p, y in zip(preds, labels):
        tp += 1 if p == y and y != -1 else 0
        fp += 1 if p != y and y != -1 else 0
        fn += 1 if p != y and y == -1 else 0
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return 2 * ((precision * recall) / (precision + recall + 1e-12))


# --- the discriminative centroid loss --------------------------------------


def centroid_inputs(seed=0, n=9, c=4, d=5, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    feat = torch.randn(n, d, generator=g, dtype=torch.float64) * scale
    centroids = torch.randn(c, d, generator=g, dtype=torch.float64)
    labels = torch.tensor([0, 1, 1, 2, 0, 0, 3, 1, 2])[:n]
    return feat, labels, centroids


@pytest.mark.parametrize('scale', [0.3, 3.0])  # repel active, then clamped
def test_the_centroid_loss_is_the_official_one_in_value_and_gradient(scale):
    feat, labels, centroids = centroid_inputs(scale=scale)
    ours = [t.clone().requires_grad_() for t in (feat, centroids)]
    theirs = [t.clone().requires_grad_() for t in (feat, centroids)]
    loss = disc_centroids_loss(ours[0], labels, ours[1])
    expected = official_centroid_loss(theirs[0], labels, theirs[1])
    assert loss.item() == pytest.approx(expected.item(), rel=1e-12)
    loss.backward()
    expected.backward()
    for mine, official in zip(ours, theirs):
        torch.testing.assert_close(mine.grad, official.grad)
    # the centroids' attraction moves them by center loss's update, not by
    # 0.01 times it: class 0 (3 images in the batch) by sum(c - f) / 4 / N
    if scale > 1:  # repel clamped: the attraction alone
        mine = ((centroids[0] - feat[labels == 0]).sum(0) / 4 / 9).numpy()
        np.testing.assert_allclose(ours[1].grad[0].numpy(), mine)


def test_the_centroid_gradient_follows_a_scaled_loss():
    # fp16 loss scaling multiplies every gradient and divides it out
    # again: the official backward would leave the centroids' unscaled
    feat, labels, centroids = centroid_inputs(scale=3.0)
    grads = []
    for factor in (1.0, 1024.0):
        c = centroids.clone().requires_grad_()
        (factor * disc_centroids_loss(feat, labels, c)).backward()
        grads.append(c.grad / factor)
    torch.testing.assert_close(grads[0], grads[1])


def test_the_centroid_loss_by_hand():
    feat = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    centroids = torch.tensor([[0.0, 0.0], [0.0, 1.0]])
    labels = torch.tensor([0, 1])
    # attract (1 + 1) / 4; others: ||f_0 - c_1||^2 = 2, ||f_1 - c_0||^2 = 4
    repel = 10 - (2 + 4) / 4
    loss = disc_centroids_loss(feat, labels, centroids, loss_weight=1.0)
    assert loss.item() == pytest.approx(0.5 + 0.01 * repel)


def test_the_centroid_loss_is_float32_under_autocast():
    feat, labels, centroids = centroid_inputs()
    with autocast(device_type='cpu', dtype=torch.bfloat16):
        loss = disc_centroids_loss(feat.bfloat16(), labels, centroids.float())
    assert loss.dtype == torch.float32


@pytest.mark.parametrize(
    'options, match',
    [
        (dict(margin=-1.0), 'margin must be >= 0'),
        (dict(repel_weight=-0.1), 'repel_weight must be >= 0'),
        (dict(loss_weight=0.0), r'loss_weight must be > 0'),
    ],
)
def test_the_centroid_loss_refuses_bad_settings(options, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='DiscCentroidsLoss', **options))


def test_the_centroid_loss_refuses_bad_inputs():
    feat, labels, centroids = centroid_inputs()
    with pytest.raises(ValueError, match=r'class indices in \[0, 4\)'):
        disc_centroids_loss(feat, labels + 1, centroids)
    with pytest.raises(ValueError, match='5 dimensions but the centroids 3'):
        disc_centroids_loss(feat, labels, centroids[:, :3])


# --- the meta-embedding and the cosine-norm classifier ---------------------


def test_the_meta_embedding_by_hand():
    features = torch.tensor([[3.0, 4.0]])
    centroids = torch.tensor([[0.0, 0.0], [3.0, 0.0]])
    # nearest centroid at 4: reachability 2.5; the selector's tanh(0) = 0
    v_meta, infused = meta_embedding(
        features, centroids, torch.zeros(1, 2), torch.zeros(1, 2)
    )
    torch.testing.assert_close(v_meta, torch.tensor([[7.5, 10.0]]))
    torch.testing.assert_close(infused, torch.zeros(1, 2))
    logits = cosnorm_logits(v_meta, torch.eye(2) * 3)
    torch.testing.assert_close(logits, 16 * torch.tensor([[7.5, 10.0]]) / 13.5)
    # the memory: softmax of the hallucination mixes the centroids
    _, infused = meta_embedding(
        features,
        centroids,
        torch.tensor([[0.0, float(np.log(3.0))]]),
        torch.full((1, 2), 100.0),
    )
    torch.testing.assert_close(infused, torch.tensor([[2.25, 0.0]]))


def test_the_head_is_the_official_classifier_on_a_fixed_input():
    torch.manual_seed(0)
    head = MODELS.build(
        dict(type='MetaEmbeddingHead', num_classes=4, in_channels=6)
    )
    head.set_centroids(torch.randn(4, 6))
    x = torch.randn(5, 6)
    expected = official_meta_embedding(
        x, head.centroids.detach(), head.fc, head.selector, head.cosnorm_weight
    )
    torch.testing.assert_close(head((x,)), expected)


def test_the_head_trains_the_centroids_by_their_loss_only():
    torch.manual_seed(0)
    head = MODELS.build(
        dict(type='MetaEmbeddingHead', num_classes=3, in_channels=4)
    )
    head.set_centroids(torch.randn(3, 4))
    feats = (torch.randn(6, 4, requires_grad=True),)
    samples = [DataSample().set_gt_label(i % 3) for i in range(6)]
    losses = head.loss(feats, samples)
    assert set(losses) == {'loss_cls', 'loss_centroids'}
    losses['loss_cls'].backward(retain_graph=True)
    assert head.centroids.grad is None  # the memory reads them detached
    assert head.fc.weight.grad is not None
    losses['loss_centroids'].backward()
    assert head.centroids.grad.abs().sum() > 0
    mixed = [DataSample().set_gt_score(torch.tensor([0.5, 0.5, 0.0]))] * 6
    with pytest.raises(ValueError, match='needs class indices'):
        head.loss(feats, mixed)
    with pytest.raises(ValueError, match=r'shape \(3, 4\)'):
        head.set_centroids(torch.zeros(4, 4))
    with pytest.raises(ValueError, match='reachability_scale must be > 0'):
        MODELS.build(
            dict(
                type='MetaEmbeddingHead',
                num_classes=3,
                in_channels=4,
                reachability_scale=0,
            )
        )


# --- the modulated attention ------------------------------------------------


def test_the_attention_starts_as_the_identity_and_is_the_official_layer():
    torch.manual_seed(0)
    neck = ModulatedAttentionNeck(in_channels=8, feat_size=(3, 4))
    x = torch.randn(2, 8, 3, 4)
    # conv_mask starts at 0: the stage-1 features, pooled
    torch.testing.assert_close(neck((x,))[0], x.mean(dim=(2, 3)))
    torch.nn.init.normal_(neck.conv_mask.weight)
    expected = official_attention(neck, x).mean(dim=(2, 3))
    torch.testing.assert_close(neck((x,))[0], expected)
    with_fc = ModulatedAttentionNeck(8, 3, out_channels=5)
    y = torch.randn(2, 8, 3, 3)
    torch.testing.assert_close(
        with_fc((y,))[0], F.relu(with_fc.fc(y.mean(dim=(2, 3))))
    )
    with pytest.raises(
        ValueError, match=r'\(N, 8, 3, 4\).*got \(2, 8, 4, 4\)'
    ):
        neck((torch.randn(2, 8, 4, 4),))
    with pytest.raises(ValueError, match='reduction must be >= 1 and divide'):
        ModulatedAttentionNeck(in_channels=8, feat_size=3, reduction=3)


# --- stage 2 on MNIST-LT ----------------------------------------------------


@pytest.fixture(scope='module')
def stage1(tmp_path_factory):
    """A one-epoch CE model on MNIST-LT: the stage-1 checkpoint."""
    work_dir = tmp_path_factory.mktemp('stage1')
    build(mnist_cfg(work_dir, config=STAGE1, max_epochs=1)).train()
    return str(work_dir / 'epoch_1.pth')


def stage2_cfg(work_dir, checkpoint, max_epochs=1, **options):
    return mnist_cfg(
        work_dir,
        config=STAGE2,
        max_epochs=max_epochs,
        load_from=checkpoint,
        **options,
    )


def test_stage_2_starts_from_stage_1_and_its_class_means(tmp_path, stage1):
    runner = build(stage2_cfg(tmp_path, stage1))
    seen = {}

    def before_first_step(*args, **kwargs):
        if 'centroids' not in seen:
            model = runner.model
            seen['centroids'] = model.head.centroids.detach().clone()
            seen['fc'] = model.head.fc.weight.detach().clone()
            loader = runner.train_dataloader.dataset
            was_training = model.training
            model.eval()
            feats, labels = [], []
            with torch.no_grad():
                for i in range(len(loader)):
                    info = loader.get_data_info(i)
                    img = torch.as_tensor(info['img']).permute(2, 0, 1)
                    x = model.data_preprocessor(
                        dict(inputs=[img], data_samples=None), False
                    )['inputs']
                    feats.append(model.extract_feat(x)[0])
                    labels.append(info['gt_label'])
            model.train(was_training)
            seen['means'] = class_means(torch.cat(feats), np.array(labels), 10)

    runner.register_hook(
        type('Probe', (Hook,), {'before_train_iter': before_first_step})(),
        priority='LOWEST',
    )
    runner.train()
    torch.testing.assert_close(seen['centroids'], seen['means'])
    stage1_fc = torch.load(stage1, map_location='cpu')['state_dict']
    torch.testing.assert_close(seen['fc'], stage1_fc['head.fc.weight'])
    # the stage-1 backbone came in whole; the checkpoint holds the centroids
    saved = torch.load(str(tmp_path / 'epoch_1.pth'), map_location='cpu')
    assert 'head.centroids' in saved['state_dict']


def test_stage_2_needs_the_stage_1_checkpoint(tmp_path, stage1):
    runner = build(stage2_cfg(tmp_path, None))
    with pytest.raises(ValueError, match='set load_from'):
        runner.train()


def test_the_centroids_are_of_the_training_images_in_order(tmp_path, stage1):
    # another selection of the training images (ratio 50)
    cfg = stage2_cfg(tmp_path, stage1)
    cfg.custom_hooks[0].train_eval_dataloader.dataset.imb_factor = 0.02
    with pytest.raises(ValueError, match="training set's order"):
        build(cfg).train()
    cfg = stage2_cfg(tmp_path / 'b', stage1)
    cfg.custom_hooks[0].train_eval_dataloader.shuffle = True
    with pytest.raises(ValueError, match=r'train_eval_dataloader must be'):
        build(cfg)


def learning_rates(model, optim_wrapper) -> dict:
    """Each parameter's learning rate under ``optim_wrapper``."""
    wrapper = build_optim_wrapper(model, optim_wrapper)
    names = {id(p): n for n, p in model.named_parameters()}
    return {
        names[id(p)]: group['lr']
        for group in wrapper.optimizer.param_groups
        for p in group['params']
    }


def test_the_optimizer_groups_are_the_official_learning_rates(tmp_path):
    cfg = stage2_cfg(tmp_path, None)
    rate = learning_rates(MODELS.build(cfg.model), cfg.optim_wrapper)
    assert rate['head.centroids'] == pytest.approx(0.01)
    assert rate['head.fc.weight'] == rate['head.cosnorm_weight'] == 0.1
    assert rate['head.selector.weight'] == 0.1
    assert rate['neck.fc_spatial.weight'] == pytest.approx(0.01)
    assert rate['backbone.conv1.weight'] == pytest.approx(0.01)


def test_places_lt_stage_2_trains_the_official_parameters_at_their_rates():
    # config/Places_LT/stage_2_meta_embedding.py: the feature model frozen
    # but the attention and the linear layer (lr 1e-4), the classifier and
    # the centroids at 0.01, the batch-norm statistics still updating
    from mmengine.config import Config
    from mmpretrain.registry import HOOKS

    from runner_utils import REPO

    cfg = Config.fromfile(
        osp.join(REPO, 'configs/oltr/oltr_resnet152_30e_places-lt.py')
    )
    model = MODELS.build(cfg.model)
    rate = learning_rates(model, cfg.optim_wrapper)
    assert rate['head.centroids'] == rate['head.fc.weight'] == 0.01
    assert rate['head.selector.weight'] == rate['head.cosnorm_weight'] == 0.01
    assert rate['neck.fc.weight'] == pytest.approx(1e-4)
    assert rate['neck.theta.weight'] == pytest.approx(1e-4)
    freeze = HOOKS.build(cfg.custom_hooks[0])
    runner = SimpleNamespace(
        model=model,
        cfg=dict(load_from=cfg.load_from),
        iter=0,
        logger=SimpleNamespace(info=lambda message: None),
    )
    freeze.before_train(runner)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trained == {
        n for n in rate if n.startswith(('neck.', 'head.'))
    } and not any(n.startswith('backbone.') for n in trained)
    assert freeze._frozen_norms == []
    # the stage-1 model's linear layer is the attention neck's
    stage1 = MODELS.build(
        Config.fromfile(
            osp.join(
                REPO, 'configs/oltr/oltr-plain_resnet152_30e_places-lt.py'
            )
        ).model
    )
    missing = set(model.state_dict()) - set(stage1.state_dict())
    assert 'neck.fc.weight' not in missing
    assert all(n.startswith(tuple(cfg.load_partial)) for n in missing)


def test_the_imagenet_lt_open_set_test_runs_on_small_lists(tmp_path):
    """oltr_resnet10_60e_imagenet-lt-open.py's test on generated images: the
    test list and the open list (label -1, its own folder) scored
    together."""
    from mmengine.config import Config
    from PIL import Image

    from runner_utils import REPO

    # 12 classes: OLTR's threshold 0.1 must exceed 1/C; the training list
    # gives the counts only, so its images need not exist
    rng = np.random.default_rng(0)
    splits = {
        'train': [c for c in range(12) for _ in range(12 - c)],
        'test': [0, 5, 11],
        'open': [-1, -1],
    }
    for split, labels in splits.items():
        (tmp_path / f'ImageNet_LT_{split}.txt').write_text(
            ''.join(f'{split}/{i}.png {y}\n' for i, y in enumerate(labels))
        )
        if split == 'train':
            continue
        folder = tmp_path / ('ImageNet_LT_open' if split == 'open' else '')
        (folder / split).mkdir(parents=True)
        for i in range(len(labels)):
            pixels = rng.integers(0, 256, (40, 48, 3), dtype=np.uint8)
            Image.fromarray(pixels).save(folder / split / f'{i}.png')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/oltr/oltr_resnet10_60e_imagenet-lt-open.py')
    )
    for part in cfg.test_dataloader.dataset.datasets:
        part.update(data_root=str(tmp_path), num_classes=12)
    cfg.merge_from_dict(
        dict(
            work_dir=str(tmp_path / 'work'),
            load_from=None,
            model=dict(head=dict(num_classes=12)),
            data_preprocessor=dict(num_classes=12),
            test_dataloader=dict(
                batch_size=5, num_workers=0, persistent_workers=False
            ),
        )
    )
    metrics = build(cfg).test()
    assert metrics['open_set/rejected_unknown'] in (0.0, 50.0, 100.0)
    assert 0 <= metrics['open_set/f_measure'] <= 100
    # the accuracy scores the 3 known images only
    assert any(
        metrics['lt/top1'] == pytest.approx(100 * right / 3)
        for right in range(4)
    )


def test_stage_2_resumes_exactly(tmp_path, stage1):
    assert_resumes_exactly(
        lambda work_dir: stage2_cfg(work_dir, stage1), tmp_path, seed=5
    )


def test_class_means_refuse_a_class_without_images():
    with pytest.raises(ValueError, match=r'classes \[1\] have none'):
        class_means(torch.ones(3, 2), np.array([0, 2, 2]), 3)


# --- open-set evaluation ----------------------------------------------------


def test_the_open_set_f_measure_is_the_official_one():
    rng = np.random.default_rng(0)
    scores = rng.dirichlet(np.full(4, 0.3), size=200)
    labels = rng.integers(-1, 4, size=200)
    preds = open_set_predictions(scores, 0.5)
    assert (preds[scores.max(1) < 0.5] == -1).all()
    assert (preds[scores.max(1) >= 0.5] >= 0).all()
    assert open_set_f_measure(preds, labels) == pytest.approx(
        official_open_f_measure(preds, labels)
    )


def test_the_open_set_metric_by_hand():
    metric = METRICS.build(dict(type='OpenSetFMeasure', threshold=0.5))
    rows = [  # (scores, label)
        ([0.9, 0.05, 0.05], 0),  # right: TP
        ([0.2, 0.7, 0.1], 0),  # wrong: FP
        ([0.55, 0.45, 0.0], 1),  # wrong: FP
        ([0.45, 0.35, 0.2], 0),  # a known image rejected: FP
        ([0.6, 0.4, 0.0], -1),  # an unknown taken for 0: FN
        ([0.5, 0.3, 0.2], -1),  # not rejected (0.5 is no less): FN
        ([0.4, 0.3, 0.3], -1),  # rejected: in none of them
    ]
    metric.process(
        None,
        [
            dict(pred_score=torch.tensor(s), gt_label=torch.tensor([y]))
            for s, y in rows
        ],
    )
    result = metric.evaluate(len(rows))
    precision, recall = 1 / 4, 1 / 3
    f = 2 * precision * recall / (precision + recall)
    assert result['open_set/f_measure'] == pytest.approx(100 * f)
    assert result['open_set/known_top1'] == pytest.approx(25)
    assert result['open_set/rejected_unknown'] == pytest.approx(100 / 3)
    with pytest.raises(ValueError, match=r'threshold must be in \[0, 1\]'):
        METRICS.build(dict(type='OpenSetFMeasure', threshold=1.5))
    with pytest.raises(ValueError, match='needs known-class images'):
        open_set_f_measure(np.array([-1]), np.array([-1]))


def test_the_metric_refuses_a_threshold_that_rejects_nothing():
    # over 8 classes the top probability is at least 1/8 > 0.1
    metric = METRICS.build(dict(type='OpenSetFMeasure', threshold=0.1))
    metric.process(
        None,
        [dict(pred_score=torch.full((8,), 1 / 8), gt_label=torch.tensor([0]))],
    )
    with pytest.raises(ValueError, match='rejects no image over 8 classes'):
        metric.evaluate(1)


# --- the open-set split -----------------------------------------------------


def test_an_open_set_split_holds_its_classes_out_of_training():
    full = DATASETS.build(dict(type='MNISTLT', split='train'))
    split = DATASETS.build(
        dict(
            type='OpenSetSplit',
            open_classes=[5, 4],
            dataset=dict(type='MNISTLT', split='train'),
        )
    )
    counts = recorded_counts(full)
    full_labels = np.asarray(full.get_gt_labels())
    assert len(split) == len(full) - counts[4] - counts[5]
    known = [0, 1, 2, 3, 6, 7, 8, 9]
    assert recorded_counts(split) == [counts[c] for c in known]
    assert split.metainfo['classes'] == tuple(
        full.metainfo['classes'][c] for c in known
    )
    assert split.metainfo['open_classes'] == [4, 5]
    labels = split.get_gt_labels()
    assert sorted(set(labels.tolist())) == list(range(8))
    for i in (0, len(split) // 2, len(split) - 1):
        info = split.get_data_info(i)
        original = full.get_data_info(int(split.indices[i]))
        assert np.array_equal(info['img'], original['img'])
        assert known[info['gt_label']] == original['gt_label']
    assert not np.isin(full_labels[split.indices], [4, 5]).any()


def test_an_open_set_test_split_labels_the_held_out_images_unknown():
    full = DATASETS.build(dict(type='MNISTLT', split='test'))
    split = DATASETS.build(
        dict(
            type='OpenSetSplit',
            open_classes=[4, 5],
            keep_open=True,
            dataset=dict(type='MNISTLT', split='test'),
        )
    )
    original = np.asarray(full.get_gt_labels())
    labels = split.get_gt_labels()
    assert len(split) == len(full)
    np.testing.assert_array_equal(labels == -1, np.isin(original, [4, 5]))
    remap = {c: i for i, c in enumerate([0, 1, 2, 3, 6, 7, 8, 9])}
    known = labels != -1
    assert [remap[c] for c in original[known]] == labels[known].tolist()
    # the known classes' training counts, as the training split records
    train = DATASETS.build(
        dict(
            type='OpenSetSplit',
            open_classes=[4, 5],
            dataset=dict(type='MNISTLT', split='train'),
        )
    )
    assert recorded_counts(split) == recorded_counts(train)


@pytest.mark.parametrize('open_classes', [[], list(range(1, 10)), [10]])
def test_an_open_set_split_refuses_bad_classes(open_classes):
    with pytest.raises(ValueError, match='open_classes must be one or more'):
        DATASETS.build(
            dict(
                type='OpenSetSplit',
                open_classes=open_classes,
                dataset=dict(type='MNISTLT', split='train'),
            )
        )


def test_long_tail_accuracy_scores_the_known_images_only():
    metric = METRICS.build(dict(type='LongTailAccuracy', class_counts=[9, 3]))
    metric.process(
        None,
        [
            dict(pred_label=torch.tensor([p]), gt_label=torch.tensor([y]))
            for p, y in [(0, 0), (1, 0), (1, 1), (0, -1), (1, -1)]
        ],
    )
    result = metric.evaluate(5)
    assert result['lt/top1'] == pytest.approx(200 / 3)
    assert result['lt/class_mean'] == pytest.approx(75)
    metric = METRICS.build(dict(type='LongTailAccuracy'))
    metric.process(
        None, [dict(pred_label=torch.tensor([0]), gt_label=torch.tensor([-1]))]
    )
    with pytest.raises(ValueError, match='every image is labelled -1'):
        metric.evaluate(1)


# --- ResNet-10 ---------------------------------------------------------------


def test_resnet10_is_one_basic_block_a_stage():
    backbone = MODELS.build(dict(type='ResNet10'))
    backbone.init_weights()
    stages = [getattr(backbone, f'layer{i}') for i in range(1, 5)]
    assert [len(s) for s in stages] == [1, 1, 1, 1]
    assert [s[0].conv2.out_channels for s in stages] == [64, 128, 256, 512]
    # the official ResNet10Feature: 4,905,792 parameters (stem, 4 blocks)
    assert sum(p.numel() for p in backbone.parameters()) == 4_905_792
    # the official init: every batch norm weight at 1
    assert all((s[0].norm2.weight == 1).all() for s in stages)
    (out,) = backbone(torch.randn(1, 3, 224, 224))
    assert out.shape == (1, 512, 7, 7)
    with pytest.raises(ValueError, match='depth 10, got depth=18'):
        MODELS.build(dict(type='ResNet10', depth=18))
