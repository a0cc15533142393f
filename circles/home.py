"""Sections that apps above circles add to a circle's home page (legitimacy's published
reports and partnerships), registered in their AppConfig.ready(), so circles never imports
upward. Each section is one template and a function that gives its context."""

from collections.abc import Callable
from dataclasses import dataclass

from circles.models import Circle, Membership

# (circle=, membership=) -> the template's context, or None to leave the section out.
SectionData = Callable[..., dict | None]


@dataclass(frozen=True)
class HomeSection:
    template: str
    data: dict


_sections: list[tuple[str, SectionData]] = []


def register_home_section(template: str, build: SectionData) -> None:
    _sections.append((template, build))


def home_sections(*, circle: Circle, membership: Membership | None) -> list[HomeSection]:
    sections = []
    for template, build in _sections:
        data = build(circle=circle, membership=membership)
        if data is not None:
            sections.append(HomeSection(template, data))
    return sections
