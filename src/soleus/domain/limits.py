"""Hard limits on amounts: anything outside is a typo, not a plan.

A module of its own so that the quick-log path can check them without building
the catalog's dataclasses.
"""

MAX_SETS = 20
MAX_REPS = 500
MAX_SECONDS = 3600.0
MAX_REST = 900.0

# What one logged set may hold (a long bout counts thousands of cycles).
MAX_LOGGED_REPS = 100_000
MAX_LOGGED_SECONDS = 86_400.0

# The pain-monitoring thresholds (0-10), the one home of their defaults: pain at or
# above PAIN_WARN is "acceptable" (a warning), above PAIN_STOP it is "too much" (a stop
# day, a lighter plan next). The settings pain_warn and pain_stop default to these;
# domain.safety applies them (here, the settings table need not build that module).
PAIN_WARN = 4
PAIN_STOP = 5

# The get-ready countdown when the person has not chosen one (the get_ready_s setting).
GET_READY_S = 5.0
