"""RIDE's ImageNet-scale multi-expert ResNet and ResNeXt against the
official ``fb_resnets/RIDEResNet.py`` and ``RIDEResNeXt.py`` layouts:
what is shared, the experts' widths, and mmpretrain's own network when
there is one expert at full width."""

import pytest
import torch
from mmpretrain.models.backbones import ResNet, ResNeXt

from mmlt.models import MultiExpertResNet, MultiExpertResNeXt


def count(module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_one_full_width_expert_is_mmpretrains_resnet50():
    torch.manual_seed(0)
    ours = MultiExpertResNet(depth=50, num_experts=1)
    plain = ResNet(depth=50)
    assert count(ours) == count(plain) == 23_508_032
    # the same weights give the same features
    state = {}
    for key, value in ours.state_dict().items():
        key = key.replace('shared.', '', 1)
        key = key.replace('experts.0.0.', 'layer3.').replace(
            'experts.0.1.', 'layer4.'
        )
        state[key] = value
    plain.load_state_dict(state)
    ours.eval()
    plain.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(ours(x)[0], plain(x)[-1])


def test_three_reduced_experts_share_the_first_two_stages():
    torch.manual_seed(0)
    ours = MultiExpertResNet(depth=50, num_experts=3, reduced_widths=True)
    plain = ResNet(depth=50)
    stem = ['conv1', 'bn1', 'layer1', 'layer2']
    assert count(ours.shared) == sum(count(getattr(plain, m)) for m in stem)
    # an expert's stages are a ResNet's at base width 48 (planes 192 and
    # 384, the official reduce_dimension), its first block fed the shared
    # 512 channels instead of 384
    narrow = ResNet(depth=50, base_channels=48)
    extra = (512 - 384) * (192 + 768)  # conv1 and downsample, 1x1
    layer3, layer4 = ours.experts[0]
    assert count(layer3) == count(narrow.layer3) + extra
    assert count(layer4) == count(narrow.layer4)
    assert ours.out_channels == 1536
    # each expert its own weights
    ids = [{id(p) for p in e.parameters()} for e in ours.experts]
    assert not ids[0] & ids[1] and not ids[1] & ids[2]
    outs = ours(torch.randn(2, 3, 64, 64))
    assert [o.shape for o in outs] == [(2, 1536, 2, 2)] * 3


def test_resnext_experts_have_the_official_group_widths():
    ours = MultiExpertResNeXt(depth=50, num_experts=2, reduced_widths=True)
    # official: width = int(planes * width_per_group / 64) * groups
    for stage, planes in zip(ours.experts[0], (192, 384)):
        for block in stage:
            assert block.conv2.out_channels == int(planes * 4 / 64) * 32
            assert block.conv2.groups == 32
    # the shared stages are mmpretrain's ResNeXt-50's
    plain = ResNeXt(depth=50, groups=32, width_per_group=4)
    assert count(ours.shared) == sum(
        count(getattr(plain, m)) for m in ('conv1', 'bn1', 'layer1', 'layer2')
    )


def test_the_official_initialisation():
    torch.manual_seed(0)
    ours = MultiExpertResNet(depth=50, num_experts=2, reduced_widths=True)
    ours.init_weights()
    conv = ours.experts[1][1][0].conv2  # 3x3, fan-out 9 * 384
    assert conv.weight.std().item() == pytest.approx(
        (2 / (9 * 384)) ** 0.5, rel=0.05
    )
    # no zero-initialised residual (mmpretrain's default)
    assert (ours.experts[0][0][0].bn3.weight == 1).all()


@pytest.mark.parametrize(
    'settings, message',
    [
        (dict(num_experts=0), 'num_experts must be an int >= 1'),
        (dict(shared_stages=4), 'shared_stages must be 1, 2 or 3'),
        (dict(out_indices=(2,)), 'sets out_indices itself'),
    ],
)
def test_bad_settings_are_refused(settings, message):
    with pytest.raises(ValueError, match=message):
        MultiExpertResNet(depth=50, **settings)


@pytest.mark.parametrize(
    'backbone, official',
    [(MultiExpertResNeXt, 6.08), (MultiExpertResNet, 5.80)],
)
def test_the_cost_is_the_official_figure(backbone, official):
    """SADE's README gives RIDE's and SADE's 3-expert networks 6.08 G
    multiply-accumulates a 224x224 image on ResNeXt-50 (ImageNet-LT) and
    5.80 G on ResNet-50 (iNaturalist 2018)."""
    from mmengine.analysis import FlopAnalyzer

    model = backbone(depth=50, num_experts=3, reduced_widths=True)
    model.eval()
    analyzer = FlopAnalyzer(model, (torch.zeros(1, 3, 224, 224),))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    assert round(analyzer.total() / 1e9, 2) == official
