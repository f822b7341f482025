"""SADE's test-time aggregation on models whose answer is known: experts
that are copies of one another keep equal weights; an expert whose
prediction does not move between views takes the weight from experts
whose predictions do; and the hook sets what ``mim test`` then scores."""

import pytest
import torch
from mmpretrain.registry import HOOKS

from mmlt.models.test_time_aggregation import (
    learn_expert_weights,
    sade_views,
    stability_loss,
)

from runner_utils import build, mnist_cfg


def images(n=96, channels=1, size=16, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(
        0, 256, (n, channels, size, size), generator=g, dtype=torch.uint8
    )


def view_dependent_logits(views, seed):
    """Logits that change with every pixel of the view."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(views[0].numel(), 5, generator=g)
    return views.flatten(1).float().div(255).sub(0.5) @ w


def test_copies_of_one_expert_keep_equal_weights():
    def expert_logits(views):
        return view_dependent_logits(views, 1).expand(3, -1, -1)

    weights = learn_expert_weights(
        expert_logits, images(), 3, epochs=2, batch_size=32
    )
    torch.testing.assert_close(weights, torch.full((3,), 1 / 3))


def test_the_stable_expert_takes_the_weight():
    def expert_logits(views):
        stable = torch.tensor([3.0, 1.0, 0.0, -1.0, 0.5]).expand(len(views), 5)
        return torch.stack(
            [
                view_dependent_logits(views, 2),
                stable,
                view_dependent_logits(views, 3),
            ]
        )

    weights = learn_expert_weights(
        expert_logits, images(), 3, epochs=5, batch_size=32
    )
    assert weights.sum().item() == pytest.approx(1.0)
    assert weights[1] > 0.6 and (weights[[0, 2]] < 0.2).all()
    # and the loss it lowered: the stable mixture is the more stable one
    views = [
        torch.stack([sade_views(16)(i) for i in images(8)]) for _ in range(2)
    ]
    logits = [expert_logits(v) for v in views]
    uniform = torch.full((3,), 1 / 3)
    assert stability_loss(weights, *logits) < stability_loss(uniform, *logits)


@pytest.mark.parametrize('channels', [1, 3])
def test_views_keep_the_image_shape_and_type(channels):
    image = images(1, channels, 28)[0]
    view = sade_views(28)(image)
    assert view.shape == image.shape and view.dtype == torch.uint8
    assert not torch.equal(view, image)


def test_bad_images_and_settings_are_refused():
    with pytest.raises(ValueError, match='uint8 images'):
        learn_expert_weights(lambda v: v, torch.zeros(2, 1, 4, 4), 3)
    for bad, name in [
        (dict(epochs=0), 'epochs'),
        (dict(batch_size=0), 'batch_size'),
        (dict(lr=0), 'lr'),
        (dict(weight_decay=-1), 'weight_decay'),
    ]:
        with pytest.raises(ValueError, match=name):
            HOOKS.build(dict(type='TestTimeAggregationHook', **bad))


def test_hook_sets_the_weights_mim_test_scores_with(tmp_path):
    cfg = mnist_cfg(
        tmp_path, config='sade/sade_resnet8_100e_mnist-lt.py', max_epochs=1
    )
    runner = build(cfg)
    runner.train()
    runner.register_hook(
        HOOKS.build(dict(type='TestTimeAggregationHook', epochs=1))
    )
    metrics = runner.test()
    head = runner.model.head
    weights = head.expert_weights.clone()
    assert weights.sum().item() == pytest.approx(1.0)
    assert not torch.allclose(weights, torch.full((3,), 1 / 3))
    model = runner.model.eval()
    correct = total = 0
    with torch.no_grad():
        for batch in runner.test_dataloader:
            data = model.data_preprocessor(batch, False)
            logits = 30 * head(model.extract_feat(data['inputs']))
            combined = torch.einsum('e,enc->nc', weights, logits)
            labels = torch.cat([s.gt_label for s in data['data_samples']])
            correct += (combined.argmax(1) == labels).sum().item()
            total += len(labels)
    assert metrics['lt/top1'] == pytest.approx(100 * correct / total)


def test_hook_refuses_a_single_classifier(tmp_path):
    cfg = mnist_cfg(tmp_path, config='ldam_mnist_lt.py', max_epochs=1)
    runner = build(cfg)
    runner.register_hook(HOOKS.build(dict(type='TestTimeAggregationHook')))
    with pytest.raises(ValueError, match='head is LDAMHead'):
        runner.test()
