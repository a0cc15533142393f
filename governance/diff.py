"""A word-level diff of an amendment, for people: what is removed, what is added.

Built server-side with difflib; every piece of text is escaped before it is marked up.
`<ins>` and `<del>` are read poorly by screen readers, so each carries hidden words
("added:", "removed:") that say what it is.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from governance.models import Agreement, Proposal, ProposalKind

# Words and the spaces between them; line breaks stay tokens of their own.
TOKEN = re.compile(r"\n|[^\S\n]+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    label: str
    html: SafeString


def _text(tokens: list[str]) -> str:
    return escape("".join(tokens)).replace("\n", "<br>")


def _marked(tag: str, hidden: str, tokens: list[str]) -> str:
    # Spaces at the edges stay outside the mark, so only words are struck or underlined.
    text = "".join(tokens)
    core = text.strip()
    if not core:
        return _text(tokens)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    inner = format_html('<span class="visually-hidden">{} </span>', hidden)
    return f"{_text([lead])}<{tag}>{inner}{_text([core])}</{tag}>{_text([trail])}"


def word_diff(before: str, after: str) -> SafeString:
    """HTML of the text after the change, with removed words in <del> and added in <ins>."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_text(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            parts.append(_marked("del", _("removed:"), old[i1:i2]))
        if op in ("insert", "replace"):
            if op == "replace":
                parts.append(" ")
            parts.append(_marked("ins", _("added:"), new[j1:j2]))
    return mark_safe("".join(parts))  # noqa: S308 - every text piece is escaped above


def amendment_diffs(proposal: Proposal) -> list[FieldDiff]:
    """For an amendment: each field it changes (title, text) as a word diff."""
    if proposal.kind != ProposalKind.AMEND_AGREEMENT:
        return []
    before = proposal.change.get("before", {})
    after = proposal.change.get("after", {})
    diffs = []
    for field in ("title", "text"):
        old, new = before.get(field, ""), after.get(field, "")
        if old == new:
            continue
        label = str(Agreement._meta.get_field(field).verbose_name)
        diffs.append(FieldDiff(label[:1].upper() + label[1:], word_diff(old, new)))
    return diffs
