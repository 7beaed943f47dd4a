"""Simulated sellers texting the bot: the demo's history and live traffic, test data, load.

``personas`` (who the sellers are), ``texts`` and ``seller`` (what they write, answering the
bot's structured answer), ``delivery`` (in-process through ``SellerBot.handle_inbound``, or the
signed webhook over HTTP), ``run`` (the simulation and ``flask --app app simulate``), ``demo``
(``python app.py --demo``). The bot knows nothing of this package.
"""
