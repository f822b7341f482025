"""Reading compressed data without inflating more than its header implies.

``ZipFile.read`` and ``gzip.open(...).read()`` inflate a whole entry or
stream before anyone looks at its size: a 1 MB file can become gigabytes.
Here the size a header states is checked first against what the
compressed bytes could possibly hold, then the data is inflated in chunks
that stop at that size.
"""

import gzip
import os
import zipfile
import zlib
from typing import Callable

CHUNK = 2**20
#: deflate cannot expand data more than 1032 times (RFC 1951's longest
#: match costs at least 2 bits for 258 bytes); a header stating more lies
DEFLATE_MAX_RATIO = 1032
#: a deflated zip entry (torch writes none) may state at most this many
#: times its compressed size, plus INFLATION_SLACK bytes
ZIP_INFLATION = 4
INFLATION_SLACK = 2**20


class SizeError(ValueError):
    """Data whose stated size does not fit the bytes that hold it."""


def check_zip_entry(info: zipfile.ZipInfo, archive_size: int) -> None:
    """Refuses a zip entry whose sizes cannot be honest, or that would
    inflate more than ``ZIP_INFLATION`` times, before anything is read."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise SizeError(f'zip entry {name} is encrypted')
    if info.header_offset + info.compress_size > archive_size:
        raise SizeError(
            f'zip entry {name} states {info.compress_size} bytes at offset '
            f'{info.header_offset}, past the end of the {archive_size}-byte '
            'file'
        )
    if info.compress_type == zipfile.ZIP_STORED:
        if info.file_size != info.compress_size:
            raise SizeError(
                f'zip entry {name} is stored (not compressed) but states '
                f'{info.file_size} bytes of data in {info.compress_size}'
            )
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        bound = ZIP_INFLATION * info.compress_size + INFLATION_SLACK
        if info.file_size > bound:
            raise SizeError(
                f'zip entry {name} would inflate {info.compress_size} bytes '
                f'to {info.file_size}; mmlt inflates at most '
                f'{ZIP_INFLATION} times plus 1 MiB (torch.save writes its '
                'records uncompressed: save the checkpoint again)'
            )
    else:
        raise SizeError(
            f'zip entry {name} uses compression method '
            f'{info.compress_type}; mmlt reads stored and deflated entries'
        )


def read_zip_entry_into(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, buffer: memoryview
) -> None:
    """Fills ``buffer`` (exactly ``info.file_size`` bytes) from the entry,
    a chunk at a time; the CRC is checked at its end."""
    if len(buffer) != info.file_size:
        raise SizeError(
            f'zip entry {info.filename} holds {info.file_size} bytes, '
            f'not the {len(buffer)} expected'
        )
    done = 0
    with archive.open(info) as entry:
        while done < len(buffer):
            got = entry.readinto(buffer[done : done + CHUNK])
            if not got:
                raise SizeError(
                    f'zip entry {info.filename} ends after {done} of its '
                    f'{len(buffer)} bytes'
                )
            done += got
        entry.read(1)  # at the end: ZipExtFile checks the CRC


def read_zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    buffer = bytearray(info.file_size)
    read_zip_entry_into(archive, info, memoryview(buffer))
    return bytes(buffer)


def read_gzip(
    path: str, header_size: int, stated_size: Callable[[bytes], int]
) -> bytes:
    """A gzip file's data, inflated no further than its header states.

    Args:
        path (str): The ``.gz`` file.
        header_size (int): Bytes of the data's own header.
        stated_size (callable): ``f(header)`` -> the whole data's size that
            the header states (it may raise to refuse the header).

    Raises:
        SizeError: a stated size the compressed bytes cannot hold, or data
            longer or shorter than stated.
        OSError, EOFError, zlib.error: not a whole gzip stream.
    """
    compressed = os.path.getsize(path)
    with gzip.open(path, 'rb') as stream:
        header = stream.read(header_size)
        if len(header) < header_size:
            return header  # the caller reports the short header
        size = stated_size(header)
        if size > DEFLATE_MAX_RATIO * compressed + header_size:
            raise SizeError(
                f'its header states {size} bytes, more than deflate can '
                f'inflate {compressed} compressed bytes to'
            )
        chunks = [header]
        total = header_size
        while True:
            chunk = stream.read(min(CHUNK, size + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > size:
                raise SizeError(
                    f'it is too long: more than the {size} bytes its header '
                    'states'
                )
    return b''.join(chunks)


#: what reading a damaged gzip or zip file can raise
CORRUPT_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)
