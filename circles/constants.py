from datetime import timedelta

CIRCLE_NAME_MAX_LENGTH = 80
CIRCLE_SLUG_MAX_LENGTH = 90
PURPOSE_MAX_LENGTH = 5000
TOPICS_MAX_LENGTH = 200
AREA_MAX_LENGTH = 80
APPROVALS_NEEDED_MAX = 10
SLUG_ATTEMPTS = 50
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
MEMBERS_PAGE_SIZE = 50

POST_TITLE_MAX_LENGTH = 120
POST_DETAILS_MAX_LENGTH = 5000
POST_AREA_MAX_LENGTH = 80
POST_DEFAULT_LIFETIME = timedelta(days=30)
POST_MAX_LIFETIME = timedelta(days=90)
THANK_YOU_MAX_LENGTH = 1000
MESSAGE_MAX_LENGTH = 2000
BOARD_PAGE_SIZE = 20
# The circle navigation's badge counts are cached this long at most; the writes that change
# them replace them at once (circles.nav.waiting_changed and the notices version).
NAV_COUNTS_CACHE_SECONDS = 5 * 60
# A circle and the viewer's membership, as every circle page checks them, are cached this
# long at most; every write to either replaces them at once (selectors.circle_changed).
CIRCLE_CACHE_SECONDS = 5 * 60
# A page number longer than this is no page anyone has: it is read as the first page.
BOARD_PAGE_PARAM_MAX_LENGTH = 12
MATCHES_SHOWN = 5
EXPIRY_REMINDER_BEFORE = timedelta(days=2)
RESPONSE_NUDGE_AFTER = timedelta(days=3)
HOME_POSTS_SHOWN = 5

# How often the care rota is drawn again, a setting each circle decides.
CARE_ROTA_DAYS_DEFAULT = 30
CARE_ROTA_DAYS_MIN = 7
CARE_ROTA_DAYS_MAX = 180
CRISIS_PLAN_MAX_LENGTH = 10000
