"""How well drafts from text (`POST /v1/extractions`) match what an analyst would record:
a labelled corpus of short news articles and a scorer (`make eval-extraction`)."""
