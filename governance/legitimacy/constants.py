from datetime import date, timedelta

# Any count under this reads "fewer than 5"; a period with fewer active members shows no
# measures; no breakdown narrows to fewer people than this. One number, used everywhere.
SMALL_NUMBER_FLOOR = 5

# A report covers a period in the past, of at most this long.
REPORT_PERIOD_MAX = timedelta(days=731)
# Nothing happened in Peernet before this; an earlier date is a typing slip.
EARLIEST_DAY = date(2000, 1, 1)
REPORT_INTRODUCTION_MAX_LENGTH = 5000
REPORT_NAME_MAX_LENGTH = 120
REPORT_PUBLIC_ID_BYTES = 9  # 12 characters of URL-safe base64: not guessable, short to type

STORY_TITLE_MAX_LENGTH = 120
STORY_TEXT_MAX_LENGTH = 3000
STORIES_PAGE_SIZE = 20

PARTNER_NAME_MAX_LENGTH = 200
PARTNERSHIP_TEXT_MAX_LENGTH = 3000
# Members hear this long before a partnership's end date that it lapses unless renewed.
PARTNERSHIP_REMINDER_BEFORE = timedelta(days=30)
# The longest a partnership can run before the circle decides again.
PARTNERSHIP_TERM_MAX = timedelta(days=3 * 366)
