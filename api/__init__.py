"""HTTP routes on the Dash app's Flask server: webhook, REST API, health."""
