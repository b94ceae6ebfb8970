"""Document facts: when a document was issued, what it is based on, what a person signed."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, col, select

from knowledge.answers import Answer, SourceRef
from knowledge.compose.documents import (
    HEAD,
    choose_document,
    find_references,
    named_by_number,
    no_document_of_year,
    signer_text,
    years_unknown,
)
from knowledge.compose.duties import document_order
from knowledge.compose.paging import Block, clip, paged_answer
from knowledge.compose.refs import document_ref
from knowledge.intents import Parsed
from knowledge.kb import DocInfo, Snapshot
from knowledge.models import Reference
from knowledge.normalize import fold, nfc

_BASIS = re.compile(r"^\W*(thuc hien|can cu)\b")


def issued_text(doc: DocInfo) -> str:
    """ "ngày 15/01/2025", "tháng 01 năm 2025 (ngày để trống)", or what the document lacks."""
    raw = " ".join(doc.date_text.split())
    if doc.issued_day and doc.issued_month and doc.issued_year:
        return f"ngày {doc.issued_day:02d}/{doc.issued_month:02d}/{doc.issued_year}"
    if doc.issued_month and doc.issued_year:
        return f"tháng {doc.issued_month:02d} năm {doc.issued_year} (bản này để trống ngày ký)"
    if doc.issued_year:
        return f"năm {doc.issued_year} (bản này để trống ngày, tháng ký)"
    return raw or "không ghi ngày ban hành"


def basis_refs(session: Session, doc: DocInfo) -> list[Reference]:
    """The documents this one is based on: references in "Căn cứ …" / "Thực hiện …" sentences of
    its opening, in order, once each."""
    rows = session.exec(
        select(Reference).where(Reference.document_id == doc.id).order_by(col(Reference.ordinal))
    ).all()
    out: list[Reference] = []
    seen: set[str] = set()
    for r in rows:
        if _BASIS.match(fold(r.context)) and not re.search(r"\d", r.section_path or ""):
            if fold(r.code) not in seen:
                seen.add(fold(r.code))
                out.append(r)
    return out


def _ref_line(r: Reference) -> str:
    kind = nfc(r.doc_type).strip()
    code = nfc(r.code)
    what = f"{kind} số {code}" if kind and fold(kind) not in fold(code) else code
    when = f" {nfc(r.date_text)}" if r.date_text else ""
    if r.issued_on is not None and not re.search(r"\d/\d", when):
        # written in words ("ngày 27 tháng 8 năm 2025"): given as digits, as it was written
        when = f" ngày {r.issued_on.day}/{r.issued_on.month}/{r.issued_on.year}"
    elif when and "ngày" not in when:
        when = f" ngày{when}"
    about = _about(nfc(r.context), code)
    return f"• {what}{when}" + (f" — {about}" if about else "")


def _about(context: str, code: str) -> str:
    """What the cited document is, from its citing sentence ("của Chính phủ ban hành …")."""
    pos = context.find(code)
    rest = context[pos + len(code) :] if pos >= 0 else ""
    rest = re.sub(
        r"^\s*ngày\s*\d{1,2}(?:\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|/\d{1,2}/\d{4})", "", rest
    ).strip(" ;,")
    rest = re.split(r"[;,:]|\bKế hoạch số\b|\bQuyết định số\b|\bNghị quyết số\b", rest)[0]
    return clip(rest.strip(" ;,"), 160)


def compose(session: Session, snap: Snapshot, parsed: Parsed, *, today: date) -> Answer | None:
    """Issue date and/or basis of the document the question names (the current plan if none)."""
    if years_unknown(snap, parsed):
        return no_document_of_year(snap, parsed, "facts")
    doc, _ = choose_document(snap, parsed)
    if (parsed.codes or parsed.doc_type_numbers) and not _about_cited(doc, parsed):
        if doc is None or not named_by_number(doc, parsed):
            refs = find_references(session, parsed)
            citing = {r.document_id for r in refs}
            if refs and ("issued" in parsed.asks or len(citing) > 1):
                return reference_date(snap, refs) if "issued" in parsed.asks else None
            if refs:  # "cv 502 gửi ai, ai ký": the one document that carries out cv 502
                doc = snap.docs.get(citing.pop())
    if doc is None:
        docs = document_order(list(snap.docs.values()), today)
        if len(docs) != 1 and not parsed.years:
            return None
        doc = docs[0] if docs else None
    if doc is None:
        return None
    blocks: list[Block] = []
    src = (SourceRef(doc.label, HEAD),)
    if "recipient" in parsed.asks:
        to = "; ".join(doc.recipients) or "văn bản không ghi dòng «Kính gửi»"
        blocks.append(Block(f"• Kính gửi: {to}.", src))
    if "issued" in parsed.asks or not parsed.asks & {"basis", "recipient"}:
        blocks.append(Block(f"• Ngày ban hành: {issued_text(doc)}.", src))
    if "basis" in parsed.asks:
        refs = basis_refs(session, doc)
        if "quyet dinh" in parsed.key:
            refs.sort(key=lambda r: fold(r.doc_type) != "quyet dinh")
        if refs:
            blocks.append(Block("• Căn cứ:", src, counts=False))
            blocks += [Block(f"  {_ref_line(r)}", src) for r in refs[:6]]
        else:
            blocks.append(Block("• Văn bản không ghi căn cứ ban hành ở phần mở đầu.", src))
    return paged_answer("facts", f"{doc.label}:", blocks, documents=[document_ref(doc)])


_ABOUT = re.compile(r"\bve (?:viec )?(?:trien khai |thuc hien )?[a-z ]*?(\d{1,5})\b")


def _about_cited(doc: DocInfo | None, parsed: Parsed) -> bool:
    """ "công văn về nghị quyết 131 ban hành tháng mấy": the document whose subject is the cited
    one is asked about, not the cited one."""
    m = _ABOUT.search(parsed.key)
    return doc is not None and m is not None and m.group(1) in fold(doc.title).split()


def signed_by(snap: Snapshot, parsed: Parsed) -> Answer | None:
    """ "ông X ký những văn bản nào": every document whose signer's name the question holds."""
    tokens = set(parsed.key.split())
    docs = [
        d
        for d in snap.docs.values()
        if d.signer_name
        and len(fold(d.signer_name).split()) >= 2
        and set(fold(d.signer_name).split()[-2:]) <= tokens
    ]
    if not docs:
        return None
    name = docs[0].signer_name
    blocks = [
        Block(f"• {d.label} — {issued_text(d)} ({signer_text(d)})", (SourceRef(d.label, HEAD),))
        for d in docs
    ]
    return paged_answer(
        "signer",
        f"{name}{f' ({docs[0].signer_title})' if docs[0].signer_title else ''}"
        f" ký {len(docs)} văn bản:",
        blocks,
        documents=[document_ref(d) for d in docs],
    )


def reference_date(snap: Snapshot, refs: list[Reference]) -> Answer:
    """ "quyết định 3470 ngày nào": the cited document's date, as the citing text gives it."""
    first = next((r for r in refs if r.date_text), refs[0])
    doc = snap.docs.get(first.document_id)
    src = SourceRef(doc.label if doc else "", HEAD)
    line = _ref_line(first)
    if not first.date_text:
        line += " (văn bản trích dẫn không ghi ngày)"
    where = f"\n(Trích dẫn trong {doc.label}.)" if doc else ""
    return paged_answer("facts", line.lstrip("• ") + where, [Block("", (src,), counts=False)])
