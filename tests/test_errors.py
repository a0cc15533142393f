"""One road for a refusal: a service raises DomainError, whose message the view shows as a
form error or a message. A model's own checks take the same road."""

import ast
from pathlib import Path

import pytest

from circles.constants import POST_TITLE_MAX_LENGTH
from governance.effects import apply_effect
from governance.models import ProposalKind
from peernet.errors import DomainError
from tests.factories import make_circle, make_post
from tests.governance.conftest import propose

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_a_models_own_check_reaches_the_person_as_a_domain_error():
    circle, (author,) = make_circle(members=1)
    with pytest.raises(DomainError) as refused:
        make_post(circle, author, title="x" * (POST_TITLE_MAX_LENGTH + 1))
    assert f"at most {POST_TITLE_MAX_LENGTH} characters" in refused.value.message


@pytest.mark.django_db
def test_a_passed_change_that_is_no_longer_valid_is_recorded_not_raised():
    circle, (ana, _bo, _cy) = make_circle(members=3)
    proposal = propose(circle, ana, ProposalKind.CHANGE_DECISION_SETTINGS, {"voting_days": 3})
    proposal.change["after"]["quorum_percent"] = 250  # as if the rules changed since
    outcome = apply_effect(proposal)
    assert outcome.applied is False
    assert outcome.note.startswith("The change is no longer valid:")


def test_no_view_catches_a_validation_error():
    """Views catch DomainError only: a ValidationError reaching one came by another road."""
    caught = []
    for path in sorted(ROOT.glob("**/views.py")):
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and "ValidationError" in ast.unparse(
                node.type or ast.Constant(None)
            ):
                caught.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not caught
