"""The crisis plan every circle starts with. It is a starting point the circle rewrites by
proposal: what to do, who to call and what the circle will not do (many members have good
reasons to avoid the system's crisis response), so nothing here is hard-coded advice."""

from django.utils import translation
from django.utils.translation import gettext_noop

CRISIS_PLAN_TEMPLATE = gettext_noop(
    """**If someone may be in danger, we ask them first** what they want, and who they want \
with them. We stay with them if they want us to.

**Emergency services**: we do not call them for someone without their consent, unless a \
life is at immediate risk and they cannot answer. (Change this to what the circle agrees.)

**Peer lines**, answered by people with lived experience:

- (add a peer-run warmline or crisis line here, with its hours)

**Harm reduction** contacts:

- (add local harm reduction services here)

**People members can call**, who agreed to be listed:

- (a member's name, how to reach them, and when)

This plan belongs to the circle: propose a change to make it yours."""
)


def crisis_plan_template(*, language: str) -> str:
    with translation.override(language):
        return translation.gettext(CRISIS_PLAN_TEMPLATE)
