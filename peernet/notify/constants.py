from datetime import timedelta

PENDING_EMAIL_GRACE = timedelta(minutes=2)
# Longer than an SMTP attempt can take (EMAIL_TIMEOUT), so a live send is never taken over.
CLAIM_LEASE = timedelta(minutes=10)
PENDING_EMAIL_BATCH = 500
DIGEST_LOOKBACK = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
DIGEST_ITEMS_PER_SECTION = 10
DIGEST_BATCH = 1000
NOTIFICATIONS_PAGE_SIZE = 30
# How long the navigation's unread count is kept; every change to a member's notifications
# replaces it at once, so this bounds only a change made without the services (a cascade).
UNREAD_COUNT_CACHE_TIMEOUT = timedelta(minutes=5)
