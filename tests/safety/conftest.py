import random

import pytest

from governance.safety.services import rota_draw
from tests.factories import make_circle, make_post


class Scene:
    """A circle of six with a drawn rota: `reporter` and `reported` are not on it, `rota`
    is; `outsider` belongs to another circle. `post` is the reported member's."""

    def __init__(self):
        self.circle, people = make_circle(members=6, name="Riverside")
        self.other_circle, (self.outsider,) = make_circle(members=1, name="Elsewhere")
        seats = rota_draw(circle=self.circle, rng=random.Random(3))
        on_rota = {s.member_id for s in seats}
        self.rota = [p for p in people if p.pk in on_rota]
        self.reporter, self.reported, self.bystander = [p for p in people if p.pk not in on_rota]
        self.post = make_post(self.circle, self.reported, title="Cheap pills, message me")


@pytest.fixture
def scene(db):
    return Scene()
