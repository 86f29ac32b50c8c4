// A steady wake-up for the look-ahead scheduler. Worker timers keep running when the tab
// is in the background, where page timers are throttled to once a second or less.
// The ticks only wake the scheduler: sound onsets are set on the AudioContext clock.
let timer = null;
self.onmessage = (event) => {
  const { interval } = event.data;
  if (timer !== null) clearInterval(timer);
  timer = interval ? setInterval(() => self.postMessage(0), interval) : null;
};
