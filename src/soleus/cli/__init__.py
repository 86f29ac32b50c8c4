"""The `soleus` command: Click wiring and Rich rendering, no business logic."""
