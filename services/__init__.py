"""Read side: turns what the bot stored into what the dashboard and API show."""
