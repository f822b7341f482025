# Seesaw loss (Wang et al., CVPR 2021), mmpretrain's SeesawLoss with the
# paper's p = 0.8 (mitigation) and q = 2.0 (compensation). The loss counts
# the labels it sees (its cum_samples buffer, saved in checkpoints), so it
# needs no class counts; it does need the head's num_classes, which each
# config passes:  model = dict(head=dict(loss=dict(_base_.seesaw_loss,
# num_classes=C))).
seesaw_loss = dict(
    _delete_=True, type='SeesawLoss', p=0.8, q=2.0, eps=1e-2, loss_weight=1.0
)
