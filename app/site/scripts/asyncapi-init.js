// The AsyncAPI viewer's start-up, out of the page (CSP: no inline script).
// The page names the document in data-spec-url on #asyncapi.
(function () {
  const root = document.getElementById('asyncapi');
  AsyncApiStandalone.render(
    { schema: { url: root.dataset.specUrl, options: { method: 'GET' } }, config: { show: { sidebar: true } } },
    root,
  );
})();
