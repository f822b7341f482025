"""Long-tailed image-list datasets: ImageNet-LT, iNaturalist 2018, Places-LT.

`Large-Scale Long-Tailed Recognition in an Open World
<https://arxiv.org/abs/1904.05160>`_ (Liu et al., CVPR 2019) and
`Decoupling Representation and Classifier for Long-Tailed Recognition
<https://arxiv.org/abs/1910.09217>`_ (Kang et al., ICLR 2020) distribute
their splits as text files of ``relative/path label`` lines. Each split
records the training split's class counts, so that a test split knows each
class's shot group.
"""

import codecs
import ntpath
import os
import os.path as osp
import posixpath
import re
from typing import Iterator, List, Optional, Tuple

import numpy as np
from mmpretrain.datasets import BaseDataset
from mmpretrain.registry import DATASETS

from mmlt.class_counts import record_counts
from mmlt.utils import UNKNOWN_LABEL

from .long_tail_base import LongTailMixin


def read_image_list(
    path: str,
    num_classes: int,
    allow_duplicates: bool = False,
    allow_outside_prefix: bool = False,
    allow_unknown: bool = False,
) -> Tuple[list, np.ndarray]:
    """The paths and labels of a ``relative/path label`` list file; see
    :func:`read_image_lines`."""
    return read_image_lines(
        path,
        num_classes,
        allow_duplicates,
        allow_outside_prefix,
        allow_unknown,
    )[:2]


def read_image_lines(
    path: str,
    num_classes: int,
    allow_duplicates: bool = False,
    allow_outside_prefix: bool = False,
    allow_unknown: bool = False,
) -> Tuple[list, np.ndarray, list]:
    """The paths, labels and line numbers of a ``relative/path label`` list.

    The file must be UTF-8; a byte-order mark at the start is skipped.
    Each path is normalised (``posixpath.normpath``: ``img/./0.jpg`` and
    ``img//0.jpg`` are ``img/0.jpg``) before the duplicate check, and the
    normalised path is the one returned. Labels are plain decimal integers
    in ASCII digits.

    Args:
        path (str): The list file.
        num_classes (int): Labels must be in ``[0, num_classes)``.
        allow_duplicates (bool): Keep a path listed more than once (each
            line counts as an image). Defaults to False: refused.
        allow_outside_prefix (bool): Accept absolute paths and paths whose
            ``..`` climbs out of the folder they are relative to. Defaults
            to False: refused. Only the text is checked here; see
            :func:`check_images` for symlinks.
        allow_unknown (bool): Accept the label -1 (``UNKNOWN_LABEL``): an
            image of a class outside the training classes, as in OLTR's
            ``*_open.txt`` lists. Defaults to False: refused.

    Returns:
        tuple: the paths (list of str), labels (np.ndarray, int64) and the
        line number of each.

    Raises:
        FileNotFoundError: if the file does not exist.
        ValueError: for an empty file, a line that is not UTF-8, a line
            that is not a path and an integer label in range, a path
            outside the image folder, or a path listed twice (naming the
            file and the lines).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'ann_file {path!r} does not exist')
    paths, labels, lines = [], [], []
    first_line = {}
    for number, line in numbered_lines(path):
        listed, label = parse_line(
            path, number, line, num_classes, allow_unknown
        )
        image = normalise_path(path, number, listed, allow_outside_prefix)
        shown = image if listed == image else f'{listed} (= {image})'
        if image in first_line:
            before = first_line[image]
            if labels[before] != label:
                raise ValueError(
                    f'{path} line {number}: {shown} is listed with label '
                    f'{label} and on line {lines[before]} with label '
                    f'{labels[before]}'
                )
            if not allow_duplicates:
                raise ValueError(
                    f'{path} line {number}: {shown} is listed again '
                    f'(first on line {lines[before]}); repeats would be '
                    'counted as more images of the class. Remove them, '
                    'or set allow_duplicates=True to count each line'
                )
        else:
            first_line[image] = len(paths)
        paths.append(image)
        labels.append(label)
        lines.append(number)
    if not paths:
        raise ValueError(f'{path} lists no images')
    return paths, np.asarray(labels, dtype=np.int64), lines


def numbered_lines(path: str) -> Iterator[Tuple[int, str]]:
    """The non-blank lines of a UTF-8 file, stripped, with their numbers.

    Decoded line by line, so that a byte that is not UTF-8 is reported
    with its line rather than as a bare ``UnicodeDecodeError``.
    """
    with open(path, 'rb') as f:
        data = f.read()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    # bytes.splitlines ends lines at \n, \r\n and \r, as text mode did
    for number, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode('utf-8')
        except UnicodeDecodeError as error:
            raise ValueError(
                f'{path} line {number}: byte 0x{raw[error.start]:02x} at '
                f'column {error.start + 1} is not UTF-8; save the list '
                'file as UTF-8'
            ) from None
        if line.strip():
            yield number, line.strip()


# int() would also take 1_0, +3 and non-ASCII digits such as ３ or ٣; a
# leading '-' is kept so that -1 is reported as out of range
LABEL = re.compile(r'-?[0-9]+')


def parse_line(
    path: str,
    number: int,
    line: str,
    num_classes: int,
    allow_unknown: bool = False,
) -> Tuple[str, int]:
    """The listed path and the label of one stripped ``path label`` line
    (-1, ``UNKNOWN_LABEL``, only with ``allow_unknown``)."""
    fields = line.rsplit(maxsplit=1)
    if len(fields) != 2 or not LABEL.fullmatch(fields[1]):
        raise ValueError(
            f'{path} line {number}: expected "relative/path label" with '
            f'the label in ASCII digits 0-9, got {line!r}'
        )
    label = int(fields[1])
    if label == UNKNOWN_LABEL and allow_unknown:
        return fields[0], label
    if not 0 <= label < num_classes:
        hint = (
            '; -1 marks an image of an unknown class, which only an open '
            'test split takes (allow_unknown=True)'
            if label == UNKNOWN_LABEL
            else ''
        )
        raise ValueError(
            f'{path} line {number}: label {label} is outside '
            f'[0, {num_classes}){hint}'
        )
    return fields[0], label


def normalise_path(
    path: str, number: int, listed: str, allow_outside_prefix: bool
) -> str:
    """``listed`` normalised (``posixpath.normpath``), refused if it names
    no image or, unless ``allow_outside_prefix``, leaves the image folder.
    """
    where = f'{path} line {number}: {listed!r}'
    # on Windows a backslash is a separator, which would hide '..' and
    # repeats from the checks below; the lists are POSIX paths
    if '\\' in listed:
        raise ValueError(
            f'{where} contains a backslash; separate the folders with "/"'
        )
    image = posixpath.normpath(listed)
    if image == '.':
        raise ValueError(f'{where} names the image folder, not an image')
    if allow_outside_prefix:
        return image
    how = None
    if posixpath.isabs(image) or ntpath.splitdrive(image)[0]:
        how = 'is an absolute path (or starts with a Windows drive)'
    elif image == '..' or image.startswith('../'):
        how = 'climbs out of the image folder with ".."'
    if how:
        raise ValueError(
            f'{where} {how}; list paths relative to the image folder '
            '(data_root/data_prefix), or set allow_outside_prefix=True'
        )
    return image


def check_images(
    ann_file: str,
    prefix: str,
    paths: list,
    lines: list,
    allow_outside_prefix: bool = False,
) -> None:
    """Raises ``FileNotFoundError`` for the first listed image that is
    missing or empty (0 bytes), naming the list file and line; the count
    of such images is in the message.

    Unless ``allow_outside_prefix``, first raises ``ValueError`` for an
    image whose real path (symlinks resolved, one ``os.path.realpath``
    each) lies outside the real ``prefix``.
    """
    folder = osp.realpath(prefix)
    bad = []
    for image, number in zip(paths, lines):
        full = osp.join(prefix, image)
        if not allow_outside_prefix:
            refuse_link_outside(ann_file, number, full, folder)
        try:
            empty = os.stat(full).st_size == 0
        except OSError:
            bad.append((number, full, 'does not exist'))
            continue
        if empty:
            bad.append((number, full, 'is empty (0 bytes)'))
    if bad:
        number, full, why = bad[0]
        more = (
            f'; {len(bad)} of the {len(paths)} listed images are missing '
            'or empty'
        )
        raise FileNotFoundError(
            f'{ann_file} line {number}: image {full} {why}'
            + (more if len(bad) > 1 else '')
        )


def refuse_link_outside(
    ann_file: str, number: int, full: str, folder: str
) -> None:
    """Raises ``ValueError`` if the image ``full`` (listed on line
    ``number``) resolves, through symlinks, outside the real ``folder``."""
    real = osp.realpath(full)
    inside = folder if folder.endswith(os.sep) else folder + os.sep
    if not osp.normcase(real).startswith(osp.normcase(inside)):
        raise ValueError(
            f'{ann_file} line {number}: image {full} resolves to {real}, '
            f'outside the image folder {folder} (a symlink leads out of '
            'it); link the image folder itself, or set '
            'allow_outside_prefix=True'
        )


@DATASETS.register_module()
class ImageListLT(LongTailMixin, BaseDataset):
    """A long-tailed split given as a ``relative/path label`` list file.

    The list file is UTF-8 (a byte-order mark is skipped), one
    ``relative/path label`` a line, blank lines skipped; labels are plain
    decimal integers in ASCII digits. Paths use ``/`` (a backslash is
    refused) and are normalised (``img/./0.jpg``, ``img//0.jpg`` and
    ``x/../img/0.jpg`` are ``img/0.jpg``) before repeats are looked for;
    the normalised path is the one loaded. ``train_ann_file`` is read with
    the same rules.

    Args:
        ann_file (str): The split's list file (relative to ``data_root``).
        num_classes (int): 1,000 for ImageNet-LT, 8,142 for iNaturalist
            2018, 365 for Places-LT.
        train_ann_file (str, optional): The training split's list file,
            whose counts a test split records (for the shot groups);
            defaults to ``ann_file`` (a training split).
        data_root (str): Root of ``ann_file``, ``train_ann_file`` and
            ``data_prefix``.
        data_prefix (str): Folder the listed paths are relative to.
        metainfo (dict, optional): Overrides the class names (``'0'``,
            ``'1'``, ... by default).
        allow_duplicates (bool): Count an image listed on several lines
            once per line. Defaults to False: a repeated line is refused
            with its line numbers.
        allow_outside_prefix (bool): Accept listed paths that reach
            outside the image folder (``data_prefix`` joined onto
            ``data_root``): absolute paths, paths whose ``..`` climbs out
            of it and, when ``check_files`` is on, symlinks whose real
            target lies outside the real image folder (a sub-folder linked
            to another disk counts; linking the image folder itself does
            not). Defaults to False: refused with the list file, line and
            path. With ``check_files=False`` only the text of the paths is
            checked (no symlinks are resolved).
        allow_unknown (bool): Accept the label -1 (``UNKNOWN_LABEL``), an
            image of a class the model never saw: an open-set test split
            such as OLTR's ``ImageNet_LT_open.txt`` and
            ``Places_LT_open.txt``, scored by ``OpenSetFMeasure`` (join it
            to the test list with mmengine's ``ConcatDataset``). It needs
            ``train_ann_file``, which is read without it. Defaults to
            False: refused, naming the line.
        check_files (bool): Check that every listed image exists and is
            not empty before training starts (one ``stat`` and one
            ``os.path.realpath`` each). Defaults to True.
        **kwargs: Passed to mmpretrain's ``BaseDataset`` (pipeline, ...).
    """

    def __init__(
        self,
        ann_file: str,
        num_classes: int,
        train_ann_file: Optional[str] = None,
        data_root: str = '',
        data_prefix: str = '',
        metainfo: Optional[dict] = None,
        allow_duplicates: bool = False,
        allow_outside_prefix: bool = False,
        allow_unknown: bool = False,
        check_files: bool = True,
        **kwargs,
    ) -> None:
        if not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(
                f'num_classes must be an int >= 2, got {num_classes}'
            )
        self.num_classes = num_classes
        self.allow_duplicates = bool(allow_duplicates)
        self.allow_outside_prefix = bool(allow_outside_prefix)
        self.allow_unknown = bool(allow_unknown)
        self.check_files = bool(check_files)
        if self.allow_unknown and not train_ann_file:
            raise ValueError(
                'allow_unknown=True is for an open test split, whose shot '
                'groups come from the training list: set train_ann_file'
            )
        train = train_ann_file or ann_file
        self.train_ann_file = (
            osp.join(data_root, train) if data_root else train
        )
        metainfo = dict(metainfo or {})
        metainfo.setdefault(
            'classes', tuple(str(i) for i in range(num_classes))
        )
        super().__init__(
            ann_file=ann_file,
            metainfo=metainfo,
            data_root=data_root,
            data_prefix=data_prefix,
            **kwargs,
        )

    def load_data_list(self) -> List[dict]:
        # the training list, when another, is read by the same rules
        rules = dict(
            num_classes=self.num_classes,
            allow_duplicates=self.allow_duplicates,
            allow_outside_prefix=self.allow_outside_prefix,
        )
        paths, labels, lines = read_image_lines(
            self.ann_file, **rules, allow_unknown=self.allow_unknown
        )
        if self.check_files:
            check_images(
                self.ann_file,
                self.img_prefix,
                paths,
                lines,
                self.allow_outside_prefix,
            )
        if self.train_ann_file == self.ann_file and not self.allow_unknown:
            train_labels = labels
        else:
            # its images are the training set's to check; only the counts
            # are used here
            train_labels = read_image_list(self.train_ann_file, **rules)[1]
        record_counts(
            self._metainfo,
            np.bincount(train_labels, minlength=self.num_classes),
        )
        return [
            dict(img_path=osp.join(self.img_prefix, p), gt_label=int(y))
            for p, y in zip(paths, labels)
        ]
