"""Render the unseen evaluation documents (bench/eval/unseen_content.py) into bench/eval/unseen/.

    .venv/bin/python -m bench.eval.make_unseen            # the first six, into unseen/
    .venv/bin/python -m bench.eval.make_unseen unseen2    # three more, into unseen2/
    .venv/bin/python -m bench.eval.make_unseen unseen3    # three more, into unseen3/

.docx files get a borderless two-column header table (issuer | national motto, number | place
and date) and a gridded catalogue with group rows merged across the table and lead-unit cells
merged vertically; .pdf files are written with fpdf2 in a TTF font that has Vietnamese glyphs
(DejaVu Sans from the Debian package fonts-dejavu-core). The generated files are committed, so
the fonts are only needed to regenerate them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.shared import Pt
from fpdf import FPDF

from bench.eval import unseen2_content as c2
from bench.eval import unseen3_content as c3
from bench.eval import unseen_content as c

OUT = Path(__file__).resolve().parent / "unseen"
OUT2 = Path(__file__).resolve().parent / "unseen2"
OUT3 = Path(__file__).resolve().parent / "unseen3"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
Row = tuple[str, ...]


def font_file(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    sys.exit(f"Font {name} not found; install fonts-dejavu-core (apt) to regenerate the PDFs.")


def docx_header(doc, rows: tuple[tuple[str, str], ...]) -> None:  # type: ignore[no-untyped-def]
    """The usual borderless header: no table style, so Word draws no lines."""
    table = doc.add_table(rows=len(rows), cols=2)
    for row, (left, right) in zip(table.rows, rows, strict=False):
        row.cells[0].text, row.cells[1].text = left, right
    if rows[-1][1] == "":  # the "V/v" line sits under the number, spanning nothing
        table.rows[-1].cells[0].merge(table.rows[-1].cells[1]).text = rows[-1][0]


def docx_catalogue(doc, head: Row, tasks: tuple[Row, ...]) -> None:  # type: ignore[no-untyped-def]
    """A gridded catalogue: one-string rows are merged across; "^" merges with the cell above."""
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=False):
        cell.text = text
    for task in tasks:
        cells = table.add_row().cells
        if len(task) == 1:
            merged = cells[0].merge(cells[-1])
            merged.text = task[0]
            continue
        for index, text in enumerate(task):
            if text == "^":
                above = table.rows[len(table.rows) - 2].cells[index]
                above.merge(cells[index])
            else:
                cells[index].text = text


def write_docx(
    path: Path,
    header: tuple[tuple[str, str], ...],
    body: tuple[str, ...],
    tasks: tuple[Row, ...] = (),
    head: Row = c.CATALOGUE_HEAD,
) -> None:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(13)
    docx_header(doc, header)
    for text in body:
        doc.add_paragraph(text)
    if tasks:
        docx_catalogue(doc, head, tasks)
    doc.core_properties.author = "Sở Giáo dục và Đào tạo"
    doc.save(str(path))


def pdf_writer() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(font_file("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(font_file("DejaVuSans-Bold.ttf")))
    pdf.add_page()
    pdf.set_font("DejaVu", size=11)
    return pdf


def pdf_lines(pdf: FPDF, lines: tuple[str, ...]) -> None:
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)


def pdf_catalogue(pdf: FPDF, tasks: tuple[Row, ...]) -> None:
    pdf.set_font("DejaVu", size=9)
    widths = (8, 62, 32, 32, 28, 28)
    with pdf.table(col_widths=widths, text_align="LEFT", first_row_as_headings=True) as table:
        for row in (c.CATALOGUE_HEAD, *tasks):
            cells = table.row()
            for text in row:
                cells.cell(text)


def write_pdf(path: Path, lines: tuple[str, ...], tasks: tuple[Row, ...] = ()) -> None:
    pdf = pdf_writer()
    pdf_lines(pdf, lines)
    if tasks:
        pdf_catalogue(pdf, tasks)
    pdf.output(str(path))


def write_unseen2() -> None:
    """The second unseen corpus: its own folder, so the first six files stay byte-identical."""
    OUT2.mkdir(exist_ok=True)
    (OUT2 / "kh-cchc-2026-lam-dong.txt").write_text(c2.LAM_DONG_TXT, encoding="utf-8")
    write_docx(OUT2 / "cv-688-hai-long-bac-ninh.docx", c2.BAC_NINH_HEADER, c2.BAC_NINH_BODY)
    write_pdf(OUT2 / "kh-tuyen-truyen-cchc-2026-ca-mau.pdf", c2.CA_MAU_LINES, c2.CA_MAU_TASKS)
    for path in sorted(OUT2.iterdir()):
        print(f"{path.relative_to(OUT2.parent.parent.parent)}  {path.stat().st_size} bytes")


def write_unseen3() -> None:
    """The third unseen corpus, in its own folder for the same reason."""
    OUT3.mkdir(exist_ok=True)
    write_docx(
        OUT3 / "kh-cchc-2027-nghe-an.docx",
        c3.NGHE_AN_HEADER,
        c3.NGHE_AN_BODY,
        c3.NGHE_AN_TASKS,
        head=c3.NGHE_AN_HEAD,
    )
    write_pdf(OUT3 / "cv-bao-cao-dinh-ky-cchc-2027-quang-ninh.pdf", c3.QUANG_NINH_LINES)
    (OUT3 / "kh-cchc-2026-2030-dong-thap.md").write_text(c3.DONG_THAP_MD, encoding="utf-8")
    for path in sorted(OUT3.iterdir()):
        print(f"{path.relative_to(OUT3.parent.parent.parent)}  {path.stat().st_size} bytes")


def main(argv: list[str] | None = None) -> int:
    chosen = argv if argv is not None else sys.argv[1:]
    if chosen == ["unseen2"]:
        write_unseen2()
        return 0
    if chosen == ["unseen3"]:
        write_unseen3()
        return 0
    OUT.mkdir(exist_ok=True)
    write_docx(
        OUT / "kh-cchc-2026-thai-nguyen.docx",
        c.THAI_NGUYEN_HEADER,
        c.THAI_NGUYEN_BODY,
        c.THAI_NGUYEN_TASKS,
    )
    write_pdf(OUT / "cv-215-bao-cao-dinh-ky-quang-nam.pdf", c.QUANG_NAM_LINES)
    write_docx(
        OUT / "kh-kiem-tra-cchc-2026-ha-tinh.docx",
        c.HA_TINH_HEADER,
        c.HA_TINH_BODY,
        c.HA_TINH_TASKS,
    )
    (OUT / "cv-1057-so-hoa-vinh-long.md").write_text(c.VINH_LONG_MD, encoding="utf-8")
    write_pdf(OUT / "kh-cchc-2026-2030-phu-tho.pdf", c.PHU_THO_LINES, c.PHU_THO_TASKS)
    write_docx(OUT / "cv-930-du-toan-gia-lai.docx", c.GIA_LAI_HEADER, c.GIA_LAI_BODY)
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent.parent)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
