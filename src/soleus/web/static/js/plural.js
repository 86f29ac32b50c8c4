// "1 set", "2 sets", "0 sets": the JS twin of soleus/domain/text.py's `plural` filter.
// `many` for irregular words; `{number: false}` gives the word alone.
export function plural(n, one, many = `${one}s`, { number = true } = {}) {
  const word = n === 1 ? one : many;
  return number ? `${n} ${word}` : word;
}
