"""The first-run welcome: what the soleus pushup is, the safety questions, a goal and
working hours, then the first session."""
