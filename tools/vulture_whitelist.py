# ruff: noqa  (a vulture whitelist: bare names, never imported or run)
"""Names vulture (CI: ``python3 -m vulture gonghui tools/vulture_whitelist.py --min-confidence 80``)
reports as unused but Django or Python call by convention. Only genuine framework uses belong
here; anything else that vulture finds is dead and goes (or gets a door).

Why 80: at 80 and above vulture reports unused imports, variables, arguments and unreachable code,
and the tree is clean. Below (60) it also reports every view referenced only from urls.py, every
API handler registered by decorator, every model field, Meta option, admin, template tag and
migration: hundreds of framework uses, too many to whitelist meaningfully.
"""

# Signatures the framework imposes: the argument exists because Django passes it.
expression  # Field.from_db_value(self, value, expression, connection): gonghui/core/fields.py
app_configs  # system checks get app_configs: gonghui/core/keycheck.py
sender  # signal receivers get the sender: gonghui/core/keycheck.py, core/middleware.py, members/apps.py
