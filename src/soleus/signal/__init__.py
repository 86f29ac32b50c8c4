"""Phone motion signals in, soleus pushups out (numpy/scipy only).

- ``recording``: the array model every importer returns.
- ``formats/``: read phone-app exports, one module per app (the only package here that
  does I/O).
- ``orientation``: gravity and the thigh's pitch, whatever the phone's orientation;
  ``kernels/``: its compiled loops, one module per stage.
- ``detect``: the streaming rep detector (batch = the same detector fed at once);
  ``candidates``: its compiled window state machine (``lookback``: its looks at the
  bins before); ``rise``: one rise measured.
- ``form``: form findings; ``analysis``: the result object and its JSON.
- ``simulate`` and ``writers``: realistic synthetic recordings with ground truth.
"""
