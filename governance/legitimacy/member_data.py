"""What legitimacy holds about a member: the stories they wrote and their answers to stories
that name them. Published reports are the circle's and never change."""

from governance.legitimacy.services.stories import member_stories_export, member_stories_release
from peernet.members.registry import MemberData

CONTRIBUTION = MemberData(order=45, export=member_stories_export, release=member_stories_release)
