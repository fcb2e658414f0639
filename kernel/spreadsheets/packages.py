"""The zip container of an xlsx, checked by decompressing it, never by what it declares.

``Package`` opens the archive from its central directory, refuses too many entries or an
encrypted one, and then hands out each entry's bytes through ``stream``: every byte is
counted as it is decompressed, against the entry's own compression ratio and against the
whole package's budget, so a zip bomb stops within one 64 KB chunk of its bound, whatever
its headers say.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Final

from kernel.spreadsheets.limits import FileRefused, Limits, refuse, size_text

ZIP_MAGIC: Final = b"PK\x03\x04"
OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK: Final = 1 << 16

CORRUPT: Final = (
    "文件已损坏或不是 Excel 工作簿，无法打开：请用 Excel 打开确认后重新保存为 .xlsx"
)


def corrupt(code: str = "corrupt") -> FileRefused:
    return refuse(CORRUPT, code=code)


class Package:
    """An xlsx archive being checked; ``spent`` is what has been decompressed so far."""

    def __init__(self, content: bytes, limits: Limits) -> None:
        self.limits = limits
        self.spent = 0
        if not content.startswith(ZIP_MAGIC):
            raise corrupt("not_zip")
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(content))
            self.entries = self.archive.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise corrupt("not_zip") from None
        if len(self.entries) > limits.max_entries:
            raise refuse(
                f"工作簿内部文件数 {len(self.entries)} 超过上限 {limits.max_entries}："
                "不像是普通的数据表",
                code="entries",
            )
        if any(e.flag_bits & 0x1 for e in self.entries):
            raise refuse(
                "工作簿设置了密码（已加密）：请取消密码后重新保存再上传",
                code="encrypted",
            )
        declared = sum(e.file_size for e in self.entries)
        if declared > limits.max_uncompressed_bytes:
            raise refuse(too_big(declared, limits), code="uncompressed")
        self.names = {e.filename: e for e in self.entries}

    def stream(self, name: str) -> Iterator[bytes]:
        """The decompressed chunks of entry ``name``, counted as they come."""
        entry = self.names[name]
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > self.limits.max_ratio:
            raise _ratio_refusal(entry.filename, f"{ratio:.0f}", self.limits)
        allowed_by_ratio = self.limits.max_ratio * max(entry.compress_size, 1)
        size = 0
        try:
            with self.archive.open(entry) as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    self.spent += len(chunk)
                    if self.spent > self.limits.max_uncompressed_bytes:
                        raise refuse(
                            too_big(self.spent, self.limits), code="uncompressed"
                        )
                    if size > allowed_by_ratio:
                        at_least = size // max(entry.compress_size, 1)
                        raise _ratio_refusal(
                            entry.filename, f"至少 {at_least}", self.limits
                        )
                    yield chunk
        except FileRefused:
            raise
        except Exception:  # bad CRC, truncated data, unsupported compression
            raise corrupt() from None

    def read(self, name: str) -> bytes:
        return b"".join(self.stream(name))

    def drain(self, name: str) -> None:
        """Decompress entry ``name`` only to count it."""
        for _chunk in self.stream(name):
            pass


def _ratio_refusal(name: str, ratio: str, limits: Limits) -> FileRefused:
    return refuse(
        f"工作簿中的“{name}”压缩比 {ratio}:1 超过上限 {limits.max_ratio}:1，"
        "疑似压缩炸弹，已拒绝",
        code="ratio",
    )


def too_big(size: int, limits: Limits) -> str:
    return (
        f"工作簿解压后超过上限 {size_text(limits.max_uncompressed_bytes)}"
        f"（至少 {size_text(size)}），疑似压缩炸弹，已拒绝"
    )
