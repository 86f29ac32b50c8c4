"""soleus: a coach for the seated soleus pushup and a short calf routine."""

__version__ = "0.1.0"
