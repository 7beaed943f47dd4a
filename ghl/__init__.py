"""GoHighLevel two-way: the API client, the outbox relay, and a recording fake of the API."""
