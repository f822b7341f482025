# LFME's few-shot expert on ImageNet-LT (config/ImageNet_LT/low_shot.py): the
# many-shot expert's recipe on the 146 few-shot classes, batch 32.
_base_ = ['./lfme-expert-many_resnet10_120e_imagenet-lt.py']

model = dict(head=dict(num_classes=146))
data_preprocessor = dict(num_classes=146)
train_dataloader = dict(batch_size=32, dataset=dict(shot='few'))
val_dataloader = dict(dataset=dict(shot='few'))
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=32)
