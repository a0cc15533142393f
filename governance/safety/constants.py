# How many members hold the care rota at once.
ROTA_SIZE = 3
ROTA_HISTORY_SHOWN = 30
# The care page lists this many of the reports a member handles or made, newest first.
REPORTS_SHOWN = 50
REPORT_WORDS_MAX_LENGTH = 2000
REPORT_MESSAGE_MAX_LENGTH = 2000
REPORT_NOTE_MAX_LENGTH = 500
