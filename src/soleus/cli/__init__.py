"""The `soleus` command: Click wiring and Rich rendering, no business logic."""

import gc

# A command lives for well under a second, yet importing it allocates ~10^5 objects: at
# the default threshold (700) the collector walks the young heap hundreds of times for
# nothing. Garbage is still collected, just less often (long-running commands too).
gc.set_threshold(50_000, 20, 20)
