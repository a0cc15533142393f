NETWORK_NAME_MAX_LENGTH = 120
NETWORK_SLUG_MAX_LENGTH = 60
NETWORK_PURPOSE_MAX_LENGTH = 3000
# A private network is joined by this code, which its member circles pass on; its address,
# made from its name, could be guessed.
JOIN_CODE_BYTES = 9  # 12 characters of URL-safe base64
# What a circle may type to name a network to join: its address, its page's URL or its code.
NETWORK_ADDRESS_MAX_LENGTH = 300

QUESTION_TITLE_MAX_LENGTH = 200
QUESTION_REASON_MAX_LENGTH = 5000
SHARED_AGREEMENT_TITLE_MAX_LENGTH = 200
SHARED_AGREEMENT_TEXT_MAX_LENGTH = 10000

# Beat settles questions whose deadline passed, at most this many a run.
SETTLE_DUE_BATCH = 200

NETWORK_BOARD_PAGE_SIZE = 20
NETWORKS_PAGE_SIZE = 50
# A network's page shows its open questions, and its decided ones a page at a time.
NETWORK_PAGE_QUESTIONS = 20
