# LFME's medium-shot expert on ImageNet-LT (config/ImageNet_LT/median_shot.py):
# the many-shot expert's recipe on the 463 medium-shot classes, batch 64.
_base_ = ['./lfme-expert-many_resnet10_120e_imagenet-lt.py']

model = dict(head=dict(num_classes=463))
data_preprocessor = dict(num_classes=463)
train_dataloader = dict(batch_size=64, dataset=dict(shot='medium'))
val_dataloader = dict(dataset=dict(shot='medium'))
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=64)
