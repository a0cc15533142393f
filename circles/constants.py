from datetime import timedelta

CIRCLE_NAME_MAX_LENGTH = 80
CIRCLE_SLUG_MAX_LENGTH = 90
PURPOSE_MAX_LENGTH = 5000
TOPICS_MAX_LENGTH = 200
AREA_MAX_LENGTH = 80
APPROVALS_NEEDED_MAX = 10
JOIN_MESSAGE_MAX_LENGTH = 500

# The bootstrap rule: below this many members any member edits settings directly;
# from this many on, only a passed proposal changes them.
GOVERNANCE_THRESHOLD_MEMBERS = 3

INVITE_DEFAULT_LIFETIME = timedelta(days=7)
INVITE_MAX_LIFETIME = timedelta(days=90)
INVITE_DEFAULT_MAX_USES = 10
INVITE_MAX_USES_LIMIT = 500
INVITE_TOKEN_BYTES = 24

DIRECTORY_PAGE_SIZE = 20
