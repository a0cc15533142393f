"""A circle founds, joins and leaves a network only by its own passed proposal. Each kind's
build (the change a proposal records, or a refusal) and apply (run in the transaction that
closes the passed proposal).

The changes recorded:
- found: {"name", "purpose", "method", "visibility", "show_name"}
- join: {"network_id", "network_name", "show_name"}
- leave: {"network_id", "network_name"}
"""

import re
import secrets
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from circles.models import Circle
from governance.effects import Outcome
from governance.models import Proposal
from governance.networks import constants
from governance.networks.models import (
    LinkedProposal,
    Network,
    NetworkMembership,
    NetworkMethod,
    NetworkQuestion,
    NetworkVisibility,
    QuestionKind,
    QuestionStatus,
    SharedPost,
)
from governance.networks.selectors.viewers import circle_label
from governance.networks.services.questions import question_open
from governance.services import proposals_withdraw_open
from peernet.errors import DomainError

SLUG_FALLBACK = "network"
SLUG_SUFFIX_LENGTH = 5
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1 to misread
SLUG_ATTEMPTS = 10
# A network's address as typed: its slug alone, or the path (or whole URL) of its page.
ADDRESS_PATH = re.compile(r"^/?n/(?P<slug>[-a-z0-9_]+)/?$")
SLUG_ONLY = re.compile(r"^[-a-z0-9_]+$")


# --- Finding a network to join ----------------------------------------------------------


def _slug_from_address(text: str) -> str | None:
    lowered = text.lower()
    if SLUG_ONLY.match(lowered):
        return lowered
    try:
        path = urlsplit(lowered).path
    except ValueError:  # not a URL at all ("http://[x"): no network has that address
        return None
    match = ADDRESS_PATH.match(path)
    return match["slug"] if match else None


def network_by_address_or_code(text: str) -> Network | None:
    """The network a circle means when it types an address or a joining code. A public
    network is found by its address (its slug, or its page's URL, /n/<slug>/); any network
    by its joining code. A private network's address finds nothing, as a missing one."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = Network.objects.filter(join_code=text).first()
    if by_code is not None:
        return by_code
    slug = _slug_from_address(text)
    if slug is None:
        return None
    return Network.objects.filter(slug=slug, visibility=NetworkVisibility.PUBLIC).first()


def _active_membership(*, network_id: int, circle_id: int):
    return NetworkMembership.objects.active().filter(network_id=network_id, circle_id=circle_id)


def _admission_open(*, network_id: int, circle_id: int) -> bool:
    return NetworkQuestion.objects.filter(
        network_id=network_id,
        subject_circle_id=circle_id,
        kind=QuestionKind.ADMIT_CIRCLE,
        status=QuestionStatus.OPEN,
    ).exists()


def _already_in(network_name: str) -> str:
    return _("Your circle is already in %(network)s.") % {"network": network_name}


def _already_asked(network_name: str) -> str:
    return _("Your circle has already asked to join %(network)s; its circles are deciding.") % {
        "network": network_name
    }


# --- Founding ---------------------------------------------------------------------------


def found_change_build(*, circle, data: dict) -> dict:
    name = " ".join(str(data.get("name") or "").split())
    purpose = str(data.get("purpose") or "").strip()
    if not name:
        raise DomainError(_("Give the network a name."))
    if len(name) > constants.NETWORK_NAME_MAX_LENGTH:
        raise DomainError(
            _("A network's name can be at most %(n)d characters long.")
            % {"n": constants.NETWORK_NAME_MAX_LENGTH}
        )
    if not purpose:
        raise DomainError(_("Say what the network is for: its purpose."))
    if len(purpose) > constants.NETWORK_PURPOSE_MAX_LENGTH:
        raise DomainError(
            _("A network's purpose can be at most %(n)d characters long.")
            % {"n": constants.NETWORK_PURPOSE_MAX_LENGTH}
        )
    method = data.get("method") or NetworkMethod.MAJORITY
    if method not in NetworkMethod.values:
        raise DomainError(_("Choose how the network decides: majority or consensus of circles."))
    visibility = data.get("visibility") or NetworkVisibility.PRIVATE
    if visibility not in NetworkVisibility.values:
        raise DomainError(_("Choose whether the network is public or private."))
    return {
        "name": name,
        "purpose": purpose,
        "method": method,
        "visibility": visibility,
        "show_name": bool(data.get("show_name")),
    }


def _slug_candidates(name: str):
    base = slugify(name)[: constants.NETWORK_SLUG_MAX_LENGTH - SLUG_SUFFIX_LENGTH - 1]
    base = base.strip("-") or SLUG_FALLBACK
    yield base
    while True:
        suffix = "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
        yield f"{base}-{suffix}"


def _network_create(*, change: dict, proposal: Proposal) -> Network:
    """A new network at a free address; another founded at the same moment under the same
    name (the address is unique in the database) makes this one pick again."""
    candidates = _slug_candidates(change["name"])
    for _attempt in range(SLUG_ATTEMPTS):
        slug = next(candidates)
        if Network.objects.filter(slug=slug).exists():
            continue
        try:
            with transaction.atomic():
                return Network.objects.create(
                    name=change["name"],
                    slug=slug,
                    purpose=change["purpose"],
                    method=change["method"],
                    visibility=change["visibility"],
                    join_code=secrets.token_urlsafe(constants.JOIN_CODE_BYTES),
                    founded_by=proposal,
                )
        except IntegrityError:
            continue
    raise DomainError(_("Could not find a free address for the network. Try another name."))


def network_found(proposal: Proposal) -> Outcome:
    """The circle decided to found a network: it exists, with this circle its first member."""
    network = _network_create(change=proposal.change, proposal=proposal)
    NetworkMembership.objects.create(
        network=network,
        circle_id=proposal.circle_id,
        show_name=proposal.change["show_name"],
        joined_by=proposal,
    )
    return Outcome(True)


# --- Joining ----------------------------------------------------------------------------


def join_change_build(*, circle, data: dict) -> dict:
    network = data.get("network")
    if isinstance(network, str):
        network = network_by_address_or_code(network)
    if not isinstance(network, Network):
        raise DomainError(_("No network has that address or code."))
    if _active_membership(network_id=network.pk, circle_id=circle.pk).exists():
        raise DomainError(_already_in(network.name))
    if _admission_open(network_id=network.pk, circle_id=circle.pk):
        raise DomainError(_already_asked(network.name))
    return {
        "network_id": network.pk,
        "network_name": network.name,
        "show_name": bool(data.get("show_name")),
    }


def _label(circle: Circle, *, show_name: bool):
    """How the circle is named to the network's other circles (none of them is it)."""
    return circle_label(circle, show_name=show_name, viewer_circle_ids=())


def _admission_reason(circle: Circle, *, show_name: bool) -> str:
    label = _label(circle, show_name=show_name)
    reason = _(
        "%(circle)s decided, by its own proposal, to ask to join the network. Each member "
        "circle's outcome is its one vote on whether to admit it."
    ) % {"circle": label.name[:1].upper() + label.name[1:]}
    if label.named and circle.purpose:
        reason += "\n\n" + _("Its purpose: %(purpose)s") % {"purpose": circle.purpose}
    return Truncator(reason).chars(constants.QUESTION_REASON_MAX_LENGTH)


def network_join_ask(proposal: Proposal) -> Outcome:
    """The circle decided to ask: the network's member circles decide whether to admit it."""
    change = proposal.change
    # The lock orders this against another admission, a question opening, a circle leaving.
    network = Network.objects.select_for_update().filter(pk=change["network_id"]).first()
    if network is None:
        return Outcome(False, _("The network no longer exists."))
    circle = proposal.circle
    if _active_membership(network_id=network.pk, circle_id=circle.pk).exists():
        return Outcome(False, _already_in(network.name))
    if _admission_open(network_id=network.pk, circle_id=circle.pk):
        return Outcome(False, _already_asked(network.name))
    if not NetworkMembership.objects.active().filter(network=network).exists():
        # No circle is left to decide: the asking circle's own decision is enough.
        NetworkMembership.objects.create(
            network=network, circle=circle, show_name=change["show_name"], joined_by=proposal
        )
        return Outcome(True, _("No circle was left in the network: your circle joined at once."))
    label = _label(circle, show_name=change["show_name"]).name
    question_open(
        network=network,
        kind=QuestionKind.ADMIT_CIRCLE,
        title=_("Admit %(circle)s") % {"circle": label},
        reason=_admission_reason(circle, show_name=change["show_name"]),
        change={"join_proposal_id": proposal.pk, "show_name": change["show_name"]},
        asked_by_circle=circle,
        asked_by=None,
        subject_circle=circle,
    )
    return Outcome(True, _("The network's circles are deciding whether to admit your circle."))


# --- Leaving ----------------------------------------------------------------------------


def leave_change_build(*, circle, data: dict) -> dict:
    network = data.get("network")
    if not isinstance(network, Network) or not (
        _active_membership(network_id=network.pk, circle_id=circle.pk).exists()
    ):
        raise DomainError(_("Your circle is not in that network."))
    return {"network_id": network.pk, "network_name": network.name}


def network_leave(proposal: Proposal) -> Outcome:
    """The circle leaves: its membership ends, its votes on the network's open questions
    count as abstaining (noted "left the network"), and its shared posts leave the board."""
    network_id = proposal.change["network_id"]
    # The same lock as opening a question: a question opens with this circle or without it.
    if not Network.objects.select_for_update().filter(pk=network_id).exists():
        return Outcome(False, _("The network no longer exists."))
    membership = (
        _active_membership(network_id=network_id, circle_id=proposal.circle_id)
        .select_for_update()
        .first()
    )
    if membership is None:
        return Outcome(False, _("The circle had already left the network."))
    now = timezone.now()
    membership.left_at, membership.left_by = now, proposal
    membership.save(update_fields=["left_at", "left_by"])
    withdraw_linked(circle_id=proposal.circle_id, network_id=network_id, now=now)
    # Its posts leave the board for good: joining again does not share them again unasked.
    # Conversations already begun stay with their two people.
    SharedPost.objects.filter(network_id=network_id, post__circle_id=proposal.circle_id).delete()
    return Outcome(True)


def withdraw_linked(*, circle_id: int, network_id: int, now) -> list[int]:
    """Withdraw the circle's open linked proposals in the network's open questions; each
    question is settled once this commits."""
    proposal_ids = LinkedProposal.objects.filter(
        circle_id=circle_id,
        question__network_id=network_id,
        question__status=QuestionStatus.OPEN,
    ).values("proposal_id")
    return proposals_withdraw_open(proposal_ids=proposal_ids, now=now)
