"""The conversation table: pages, filters, sorts, search and CSV rows over the write-time
indexes (``index.ConversationIndex``; what each kind of query costs: ``planning``)."""
