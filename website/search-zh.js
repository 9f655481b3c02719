/* Sphinx 9.0.4's Chinese search data (language_data.js) ends with `window.Stemmer = ChineseStemmer;` but defines
   no ChineseStemmer (sphinx-doc/sphinx#14229, fixed upstream after 9.0.4), so search stops with a ReferenceError.
   The Chinese index stems Latin words with the English stemmer (sphinx/search/zh.py), so the query must too:
   ChineseStemmer is that stemmer, looked up when search runs. Loaded before language_data.js. */
if (typeof window.ChineseStemmer === "undefined") {
  window.ChineseStemmer = function ChineseStemmer() {
    return new EnglishStemmer(); // eslint-disable-line no-undef -- defined by language_data.js
  };
}
