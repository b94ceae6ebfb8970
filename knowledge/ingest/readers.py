"""Readers for .txt/.md, .docx and .pdf files into one intermediate form: text lines and table
rows."""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.ingest.errors import IngestError
from knowledge.ingest.text import unglue_page_numbers
from knowledge.normalize import fold, nfc

if TYPE_CHECKING:  # imported where used: reading a .txt needs neither library
    from docx.text.paragraph import Paragraph
    from pypdf import PdfReader

logger = logging.getLogger(__name__)

SUPPORTED_EXTENSIONS = (".txt", ".md", ".docx", ".pdf")
MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 2_000_000
# Archive-based formats (.docx) are checked from the zip directory before anything is unpacked;
# Python's zipfile never inflates a member past its declared size, so these bounds hold.
MAX_ARCHIVE_ENTRIES = 1000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # every member together (images included)
MAX_XML_PART_BYTES = 32 * 1024 * 1024  # one XML part, which the parser holds as a tree
ZIP_BOMB_HINT = "có thể là tệp nén độc hại (zip bomb) nên không được nạp."

_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$")


@dataclass(frozen=True)
class Block:
    """A text line (`cells` empty) or a table row (`cells` set); `table` groups rows of one
    table."""

    text: str = ""
    cells: tuple[str, ...] = ()
    table: int = -1

    @property
    def is_row(self) -> bool:
        return bool(self.cells)


@dataclass
class RawDocument:
    source: str
    data: bytes
    blocks: list[Block] = field(default_factory=list)


def read_document(path: Path) -> RawDocument:
    """Read a supported file; raise IngestError with a clear Vietnamese message otherwise."""
    name = path.name
    if not path.exists():
        raise IngestError("không tìm thấy tệp.", source=str(path))
    if not path.is_file():
        raise IngestError("không phải là tệp.", source=str(path))
    ext = path.suffix.lower()
    if ext not in SUPPORTED_EXTENSIONS:
        raise IngestError(
            f"định dạng '{ext or 'không có đuôi'}' không được hỗ trợ "
            "(chỉ nhận .txt, .md, .docx, .pdf).",
            source=name,
        )
    size = path.stat().st_size
    if size == 0:
        raise IngestError("tệp rỗng, không có nội dung.", source=name)
    if size > MAX_BYTES:
        raise IngestError(
            f"tệp quá lớn ({size / 1024 / 1024:.1f} MB, tối đa {MAX_BYTES // 1024 // 1024} MB).",
            source=name,
        )
    data = path.read_bytes()
    if ext in (".txt", ".md"):
        blocks = _text_blocks(_decode(data, name))
    elif ext == ".docx":
        blocks = _docx_blocks(data, name)
    else:
        blocks = _pdf_blocks(data, name)
    TextBudget(name).take(sum(len(b.text) + sum(len(c) for c in b.cells) for b in blocks))
    if not any(b.text.strip() or any(c.strip() for c in b.cells) for b in blocks):
        raise IngestError("tệp không có nội dung chữ nào.", source=name)
    return RawDocument(source=name, data=data, blocks=blocks)


class TextBudget:
    """The global cap on text extracted from one file, checked while extracting, so a huge
    document stops early instead of being read whole first."""

    def __init__(self, name: str, limit: int | None = None) -> None:
        self.name = name
        self.limit = MAX_CHARS if limit is None else limit
        self.used = 0

    def take(self, chars: int) -> None:
        self.used += chars
        if self.used > self.limit:
            raise IngestError(
                f"văn bản quá dài (hơn {self.limit:,} ký tự).".replace(",", "."), source=self.name
            )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def check_archive(data: bytes, name: str, kind: str) -> None:
    """Refuse a zip package whose directory announces too many members or too many bytes."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise IngestError(
            f"tệp {kind} bị hỏng hoặc không phải tệp Word hợp lệ.", source=name
        ) from exc
    if len(members) > MAX_ARCHIVE_ENTRIES:
        raise IngestError(
            f"tệp {kind} chứa {len(members):,} thành phần nén "
            f"(tối đa {MAX_ARCHIVE_ENTRIES:,}); ".replace(",", ".")
            + ZIP_BOMB_HINT,
            source=name,
        )
    total = sum(m.file_size for m in members)
    biggest = max(
        (m for m in members if m.filename.endswith((".xml", ".rels"))),
        key=lambda m: m.file_size,
        default=None,
    )
    if total > MAX_UNPACKED_BYTES or (
        biggest is not None and biggest.file_size > MAX_XML_PART_BYTES
    ):
        raise IngestError(
            f"tệp {kind} khi giải nén lên tới {_megabytes(total)} MB (tối đa "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB, mỗi phần XML tối đa "
            f"{MAX_XML_PART_BYTES // 1024 // 1024} MB); " + ZIP_BOMB_HINT,
            source=name,
        )


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return nfc(data.decode("utf-16"))
            except UnicodeDecodeError:
                pass
        raise IngestError("tệp nhị phân, không phải văn bản chữ.", source=name)
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding != "utf-8-sig":
                continue
            # a UTF-8 file with a few broken bytes is still UTF-8, not a legacy code page
            text = data.decode(encoding, errors="replace")
            if text.count("\ufffd") > max(3, len(text) // 1000):
                continue
            logger.warning("%s: %d undecodable bytes replaced", name, text.count("\ufffd"))
        if _looks_binary(text):
            break
        return nfc(text)
    raise IngestError(
        "tệp nhị phân hoặc không đọc được bảng mã (hãy lưu ở dạng UTF-8).", source=name
    )


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0
    )
    return bad / len(sample) > 0.02


def _split_pipe_row(line: str) -> tuple[str, ...]:
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return tuple(cell.strip() for cell in inner.split("|"))


def _text_blocks(text: str) -> list[Block]:
    """Lines of a text file; markdown pipe rows become table rows (separator rows dropped)."""
    blocks: list[Block] = []
    table = -1
    in_table = False
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in unglue_page_numbers(raw_lines):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            if _PIPE_SEPARATOR.match(stripped):
                continue
            if not in_table:
                table += 1
                in_table = True
            blocks.append(Block(cells=_split_pipe_row(stripped), table=table))
            continue
        if stripped:
            in_table = False
        blocks.append(Block(text=line.rstrip()))
    return blocks


def _docx_blocks(data: bytes, name: str) -> list[Block]:
    import io

    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - dependency is declared
        raise IngestError("thiếu thư viện python-docx để đọc .docx.", source=name) from exc
    check_archive(data, name, ".docx")
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise IngestError(
            "tệp .docx bị hỏng hoặc không phải tệp Word hợp lệ.", source=name
        ) from exc
    except Exception as exc:  # python-docx raises assorted errors on broken packages
        raise IngestError(
            "tệp .docx bị hỏng hoặc không phải tệp Word hợp lệ.", source=name
        ) from exc
    blocks: list[Block] = []
    table_no = -1
    numbers: dict[str, int] = {}
    budget = TextBudget(name)
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = _list_prefix(paragraph, numbers) + nfc(paragraph.text)
            budget.take(len(text))
            for line in text.split("\n"):
                blocks.append(Block(text=line.rstrip()))
            blocks.append(Block(text=""))
        elif tag == "tbl":
            table_no += 1
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # a horizontally merged cell is returned once per grid column
                    if previous is not None and cell._tc is previous:
                        continue
                    previous = cell._tc
                    cells.append(nfc(cell.text).strip())  # line breaks kept for layout tables
                    budget.take(len(cells[-1]))
                blocks.append(Block(cells=tuple(cells), table=table_no))
            blocks.append(Block(text=""))
    return blocks


def _list_prefix(paragraph: Paragraph, numbers: dict[str, int]) -> str:
    """Word list paragraphs carry their bullet or number in the style, not the text: restore it."""
    try:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, AttributeError, ValueError):
        style = ""
    text = paragraph.text.strip()
    if not text:
        return ""
    if style.startswith("List Bullet"):
        numbers.clear()
        return "+ " if style.rstrip().endswith(("2", "3")) else "- "
    if style.startswith("List Number"):
        numbers[style] = numbers.get(style, 0) + 1
        return f"{numbers[style]}. "
    numbers.clear()
    ppr = paragraph._p.pPr
    if (
        ppr is not None
        and ppr.numPr is not None
        and not re.match(r"^\s*([-+•–]|\w{1,4}[.)])\s", text)
    ):
        return "- "
    return ""


def _pdf_blocks(data: bytes, name: str) -> list[Block]:
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import (
            DependencyError,
            FileNotDecryptedError,
            LimitReachedError,
            PdfReadError,
        )
    except ImportError as exc:  # pragma: no cover
        raise IngestError("thiếu thư viện pypdf để đọc .pdf.", source=name) from exc
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    budget = TextBudget(name)
    pages: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        _open_encrypted(reader, name)
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            budget.take(len(pages[-1]))
    except IngestError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise IngestError(PDF_PASSWORD, source=name) from exc
    except LimitReachedError as exc:
        raise IngestError(
            "tệp .pdf chứa dữ liệu nén vượt giới hạn an toàn khi giải nén; " + ZIP_BOMB_HINT,
            source=name,
        ) from exc
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as exc:
        raise IngestError("tệp .pdf bị hỏng hoặc không đọc được.", source=name) from exc
    except Exception as exc:
        raise IngestError("tệp .pdf bị hỏng hoặc không đọc được.", source=name) from exc
    text = "\n\n".join(pages)
    if len(text.strip()) < 20:
        raise IngestError(
            "tệp .pdf không có lớp chữ (có thể là bản quét ảnh); hãy dùng bản .docx hoặc PDF có "
            "chữ.",
            source=name,
        )
    return _pdf_page_blocks(reader, pages)


def _pdf_page_blocks(reader: PdfReader, pages: list[str]) -> list[Block]:
    """Blocks of every page; a page whose text holds a task table is re-read in layout mode so
    its columns become table rows (a table continued on the next page stays one table)."""
    from knowledge.ingest.pdf_tables import split_page

    blocks: list[Block] = []
    pending: list[str] = []
    table, header = -1, None
    for index, plain in enumerate(pages):
        rows = None
        if re.search(r"\bchu tri\b", fold(plain)):
            try:
                before, rows, after = split_page(
                    reader.pages[index].extract_text(extraction_mode="layout")
                )
            except Exception:  # layout mode is best effort; the plain text stays
                rows = None
        if rows is None:
            pending.append(plain)
            continue
        pending.append("\n".join(" ".join(line.split()) for line in before))
        blocks.extend(_text_blocks(nfc("\n\n".join(pending))))
        if rows[0] != header:
            table, header = table + 1, rows[0]
            blocks.append(Block(cells=tuple(nfc(c) for c in rows[0]), table=table))
        blocks.extend(Block(cells=tuple(nfc(c) for c in row), table=table) for row in rows[1:])
        pending = ["\n".join(" ".join(line.split()) for line in after)]
    blocks.extend(_text_blocks(nfc("\n\n".join(pending))))
    return blocks


PDF_PASSWORD = (
    "tệp .pdf được bảo vệ bằng mật khẩu, bot không mở được. Hãy gỡ mật khẩu (lưu lại bản không "
    "đặt mật khẩu) hoặc dùng bản .docx, rồi nạp lại."
)


def _open_encrypted(reader: PdfReader, name: str) -> None:
    """An encrypted PDF that opens without a password (owner password only) is read as usual;
    one that needs a user password is refused with a message saying so."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except Exception as exc:  # an unsupported cipher, or a broken encryption dictionary
        raise IngestError(PDF_PASSWORD, source=name) from exc
    if not opened:
        raise IngestError(PDF_PASSWORD, source=name)
