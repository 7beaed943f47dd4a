"""The seller bot: SMS qualification rules, scoring, and the atomic Redis write."""
