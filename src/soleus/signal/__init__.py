"""Phone motion signals in, soleus pushups out (numpy/scipy only).

- ``recording``: the array model every importer returns.
- ``formats``: read phone-app exports (the only module here that does I/O).
- ``orientation``: gravity and the thigh's pitch, whatever the phone's orientation.
- ``detect``: the streaming rep detector (batch = the same detector fed at once).
- ``form``: form findings; ``analysis``: the result object and its JSON.
- ``simulate`` and ``writers``: realistic synthetic recordings with ground truth.
"""
